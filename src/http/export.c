/*
 * export.c - list views as CSV or XLSX downloads: the request's list, through
 * export_run (src/service/export_service.c), sent as an attachment.
 */
#include "http/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "service/labels.h"

/* ---- HTTP ----------------------------------------------------------------------------------------- */

int export_format_of(struct request *r, enum export_format *out, struct tb_err *err)
{
    const char *f = req_query(r, "format");
    *out = EXPORT_NONE;
    if (!f || !*f || !strcmp(f, "json"))
        return 0;
    if (!strcmp(f, "csv"))
        *out = EXPORT_CSV;
    else if (!strcmp(f, "xlsx"))
        *out = EXPORT_XLSX;
    else
        return TB_INVALID(err, "format", "format: must be json, csv or xlsx");
    return 0;
}

static int send_file(struct request *r, struct response *res, enum export_format fmt,
                     const char *collection, char *data, size_t len, struct tb_err *err)
{
    (void)err;
    /* The response owns the buffer and frees it once it is sent. */
    void *copy = data;
    res->raw_owned = data;
    char day[16];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    res->status = 200;
    res->raw = copy;
    res->raw_len = len;
    res->content_type = fmt == EXPORT_CSV ? "text/csv; charset=utf-8"
                                          : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res->content_disposition = arena_printf(r->arena, "attachment; filename=\"%s-%s.%s\"", collection, day,
                                            fmt == EXPORT_CSV ? "csv" : "xlsx");
    res->cache_control = "private, no-store";
    return 0;
}

/* What one export's page and row functions need. */
struct export_ctx {
    struct request *r;
    enum entity e;
    const json_t *filters;
    export_store_list_fn list;        /* NULL: the entity list */
    export_decorate_fn decorate;
    /* human headers and values (the default; ?headers=machine: the names and values as stored) */
    json_t *labels;
    json_t *orgs;                     /* org id -> name, looked up once */
    struct export_view view;
};

/* ---- human headers and values ------------------------------------------------------------------- */

/* ?headers=human|machine (human unless told), ?lang=en|sv (else Accept-Language). */
static int view_of(struct request *r, struct export_ctx *c, const char *collection, struct tb_err *err)
{
    const char *headers = req_query(r, "headers");
    c->view.collection = collection;
    if (headers && *headers && strcmp(headers, "human") && strcmp(headers, "machine"))
        return TB_INVALID(err, "headers", "headers: must be human or machine");
    if (headers && !strcmp(headers, "machine"))
        return 0;
    const char *lang = req_query(r, "lang");
    if (lang && *lang && strcmp(lang, "en") && strcmp(lang, "sv"))
        return TB_INVALID(err, "lang", "lang: must be en or sv");
    c->labels = labels_load(lang && *lang ? lang : labels_lang(req_header(r, "Accept-Language")));
    c->orgs = json_object();
    if (!c->labels || !c->orgs)
        return TB_INTERNAL(err, "out of memory");
    c->view.labels = c->labels;
    return 0;
}

static void view_free(struct export_ctx *c)
{
    json_decref(c->labels);
    json_decref(c->orgs);
}

static const char *word(const struct export_ctx *c, const char *key, const char *otherwise)
{
    const char *v = json_string_value(json_object_get(c->labels, key));
    return v ? v : otherwise;
}

/* The name shown next to an id column: X_id -> X_name, else X_title. */
static const char *partner_of(const json_t *row, const char *key, char *buf, size_t n)
{
    size_t len = strlen(key);
    if (len < 4 || strcmp(key + len - 3, "_id"))
        return NULL;
    static const char *const suffixes[] = {"_name", "_title"};
    /* mentor_user_id -> mentor_name */
    size_t stem = len > 8 && !strcmp(key + len - 8, "_user_id") ? len - 8 : len - 3;
    for (size_t i = 0; i < 2; i++) {
        snprintf(buf, n, "%.*s%s", (int)stem, key, suffixes[i]);
        if (json_object_get(row, buf))
            return buf;
    }
    return NULL;
}

/* 1 when key is the name of an id column of the row (shown beside the id instead). */
static int is_partner(const json_t *row, const char *key)
{
    const char *k;
    json_t *v;
    char buf[128];
    json_object_foreach((json_t *)row, k, v) {
        const char *p = partner_of(row, k, buf, sizeof buf);
        if (p && !strcmp(p, key))
            return 1;
    }
    return 0;
}

/* A stored value of an enumeration in the UI's words ("signed" -> "Signed"). */
static json_t *enum_word(struct export_ctx *c, const char *key, const char *value)
{
    static const struct { const char *collection, *key, *prefix; } enums[] = {
        {"positions", "status", "status"}, {"placements", "status", "pstatus"},
        {"applications", "stage", "stage"}, {"users", "status", "ustatus"}, {"audit", "action", "action"},
    };
    for (size_t i = 0; i < sizeof enums / sizeof enums[0]; i++) {
        if (strcmp(enums[i].collection, c->view.collection) || strcmp(enums[i].key, key))
            continue;
        char name[128];
        snprintf(name, sizeof name, "%s.%s", enums[i].prefix, value);
        return json_string(word(c, name, value));
    }
    return NULL;
}

/* A plain value as text: strings, numbers, yes/no; "" for anything else. */
static void plain_text(struct export_ctx *c, const json_t *x, char *out, size_t n)
{
    if (json_is_string(x))
        snprintf(out, n, "%s", json_string_value(x));
    else if (json_is_integer(x))
        snprintf(out, n, "%lld", (long long)json_integer_value(x));
    else if (json_is_boolean(x))
        snprintf(out, n, "%s", word(c, json_is_true(x) ? "common.yes" : "common.no", ""));
    else if (json_is_null(x))
        snprintf(out, n, "-");
    else
        out[0] = '\0';
}

static json_t *human_value(struct export_ctx *c, const char *key, json_t *v)
{
    if (json_is_string(v)) {
        json_t *w = enum_word(c, key, json_string_value(v));
        if (w)
            return w;
    }
    if (json_is_boolean(v))
        return json_string(word(c, json_is_true(v) ? "common.yes" : "common.no", json_is_true(v) ? "Yes" : "No"));
    if (!json_is_object(v))
        return json_incref(v);
    if (!strcmp(key, "sme_check")) {
        json_t *e = json_object_get(v, "eligible");
        return json_string(word(c, json_is_true(e) ? "companies.sme_yes" : json_is_false(e) ? "companies.sme_no"
                                                                                            : "companies.sme_unknown", ""));
    }
    if (json_object_get(v, "given_at")) {   /* consent: the day it was given */
        char day[11] = "";
        snprintf(day, sizeof day, "%s", json_string_value(json_object_get(v, "given_at")) ? json_string_value(json_object_get(v, "given_at")) : "");
        return json_string(day);
    }
    /* any other object: "key: value; ..." of its plain values, never JSON */
    char text[1024] = "";
    size_t n = 0;
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x) {
        char val[256] = "", was[128] = "", both[400];
        const char *show = val;
        if (json_is_object(x) && json_object_get(x, "new")) {
            /* an audit change {"old", "new"}: "field: old -> new" */
            plain_text(c, json_object_get(x, "new"), val, sizeof val);
            if (json_object_get(x, "old")) {
                plain_text(c, json_object_get(x, "old"), was, sizeof was);
                snprintf(both, sizeof both, "%s \u2192 %s", was, val);
                show = both;
            }
        } else if (json_is_object(x) || json_is_array(x)) {
            continue;
        } else {
            plain_text(c, x, val, sizeof val);
        }
        n += (size_t)snprintf(text + n, n < sizeof text ? sizeof text - n : 0, "%s%s: %s", n ? "; " : "", k, show);
        if (n >= sizeof text)
            break;
    }
    return json_string(text);
}

static void add_org_name(struct export_ctx *c, json_t *out, const json_t *org_id)
{
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)json_integer_value(org_id));
    json_t *name = json_object_get(c->orgs, key);
    if (!name) {
        json_t *org;
        struct tb_err e = {0};
        name = store_org_get(c->r->store, &c->r->actor, json_integer_value(org_id), &org, &e) == 0
                   ? json_incref(json_object_get(org, "name"))
                   : json_string("");
        if (e.status == 0)
            json_decref(org);
        json_object_set_new(c->orgs, key, name ? name : json_string(""));
        name = json_object_get(c->orgs, key);
    }
    json_object_set(out, "org_name", name);
}

/* The row as people read it: words for yes/no and computed checks, names
 * next to ids, no internal columns; the keys stay (the headers are looked up). */
static void humanize(struct export_ctx *c, json_t *row)
{
#include "http/export_hidden.inc"   /* hidden[]: "export": false in records/<type>.json */
    json_t *out = json_object();
    if (!out)
        return;
    const char *k;
    json_t *v;
    char buf[128];
    json_object_foreach(row, k, v) {
        int skip = is_partner(row, k);
        for (const char *const *h = hidden; *h; h++)
            skip |= !strcmp(*h, k);
        if (skip)
            continue;
        json_object_set_new(out, k, human_value(c, k, v));
        const char *p = partner_of(row, k, buf, sizeof buf);
        if (p)
            json_object_set(out, p, json_object_get(row, p));
        else if (!strcmp(k, "org_id") && json_is_integer(v) && !json_object_get(row, "org_name"))
            add_org_name(c, out, v);
    }
    json_object_clear(row);
    json_object_update(row, out);
    json_decref(out);
}

static int page_of(void *ctx, const struct list_query *q, struct list_page *page, struct tb_err *err)
{
    const struct export_ctx *c = ctx;
    if (c->list)
        return c->list(c->r->store, &c->r->actor, q, page, err);
    return store_entity_list(c->r->store, &c->r->actor, c->e, q, c->filters, page, err);
}

static void decorate_row(void *ctx, json_t *row)
{
    struct export_ctx *c = ctx;
    if (c->decorate)
        c->decorate(c->r, row);
    if (c->labels)
        humanize(c, row);
}

static int export_send(struct response *res, enum export_format fmt, const char *collection,
                       const struct list_query *q, struct export_ctx *c, struct tb_err *err)
{
    char *data;
    size_t len;
    int rc = view_of(c->r, c, collection, err);
    if (rc == 0)
        rc = export_run(fmt, collection, &c->view, q, page_of, c->decorate || c->labels ? decorate_row : NULL, c, &data,
                        &len, err);
    view_free(c);
    if (rc < 0)
        return -1;
    return send_file(c->r, res, fmt, collection, data, len, err);
}

int export_entity_list(struct request *r, struct response *res, enum export_format fmt, enum entity e,
                       const struct list_query *q, const json_t *filters, export_decorate_fn decorate,
                       struct tb_err *err)
{
    static const char *const collections[ENT__MAX] = {
        [ENT_COMPANY] = "companies", [ENT_GRADUATE] = "graduates", [ENT_COHORT] = "cohorts",
        [ENT_POSITION] = "positions", [ENT_APPLICATION] = "applications", [ENT_PLACEMENT] = "placements",
    };
    struct export_ctx c = {.r = r, .e = e, .filters = filters, .decorate = decorate};
    return export_send(res, fmt, collections[e] ? collections[e] : "export", q, &c, err);
}

int export_store_list(struct request *r, struct response *res, enum export_format fmt,
                      const char *collection, export_store_list_fn list, const struct list_query *q,
                      struct tb_err *err)
{
    struct export_ctx c = {.r = r, .list = list};
    return export_send(res, fmt, collection, q, &c, err);
}

int export_send_rows(struct request *r, struct response *res, enum export_format fmt, const char *collection,
                     const json_t *rows, struct tb_err *err)
{
    struct export_writer *w;
    struct export_ctx c = {.r = r};
    char *data;
    size_t len;
    if (view_of(r, &c, collection, err) < 0 || export_writer_new(fmt, collection, &w, err) < 0) {
        view_free(&c);
        return -1;
    }
    export_writer_view(w, &c.view);
    json_t *shown = json_deep_copy(rows);
    size_t i;
    json_t *row;
    json_array_foreach(shown, i, row)
        if (c.labels && json_is_object(row))
            humanize(&c, row);
    int rc = shown ? export_writer_rows(w, shown, err) : TB_INTERNAL(err, "out of memory");
    json_decref(shown);
    if (rc < 0) {
        export_writer_free(w);
        view_free(&c);
        return -1;
    }
    rc = export_writer_finish(w, &data, &len, err);
    view_free(&c);
    if (rc < 0)
        return -1;
    return send_file(r, res, fmt, collection, data, len, err);
}
