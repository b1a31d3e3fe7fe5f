/*
 * h_deliverables.c - the trainee's workplace deliverables: versions (a new
 * one never replaces an older), attached files typed from their content
 * (libmagic), the mentor's or coordinator's review (approve, or request
 * changes with comments; the rubric scored on approval), single-use review
 * links for mentors without an account, and the notices they send by mail.
 */
#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/msg.h"
#include "core/validate.h"
#include "http/entity_http.h"
#include "core/fields.h"
#include "http/handlers.h"
#include "http/training.h"
#include "store/store_notify.h"
#include "store/store_training.h"

#define REVIEW_LINK_TTL (7 * 86400)

static const struct field_spec url_item = {.type = FT_URL, .max = 500};
const struct field_spec deliverable_submit_fields[] = {
    {.name = "body", .type = FT_TEXT, .required = 1, .min = 1, .max = 50000},
    {.name = "links", .type = FT_ARRAY, .max = 20, .items = &url_item},
    {0},
};
static const char *const decisions[] = {"approve", "request_changes", NULL};
static const struct field_spec comment_item = {.type = FT_OBJECT,
    .items = (const struct field_spec[]){
        {.name = "on", .type = FT_STRING, .required = 1, .min = 1, .max = 40},
        {.name = "text", .type = FT_TEXT, .required = 1, .min = 1, .max = 4000},
        {0}}};
static const struct field_spec rubric_item = {.type = FT_OBJECT,
    .items = (const struct field_spec[]){
        {.name = "criterion", .type = FT_STRING, .required = 1, .min = 1, .max = 20},
        {.name = "level", .type = FT_INT, .required = 1, .min = 0, .max = 5},
        {0}}};
#define REVIEW_FIELDS \
    {.name = "decision", .type = FT_ENUM, .required = 1, .allowed = decisions}, \
    {.name = "comments", .type = FT_ARRAY, .max = 50, .items = &comment_item}, \
    {.name = "rubric", .type = FT_ARRAY, .max = 20, .items = &rubric_item}
const struct field_spec review_fields[] = {REVIEW_FIELDS, {0}};
static const char *const mail_locales[] = MSG_LANGS;
const struct field_spec review_link_fields[] = {
    {.name = "email", .type = FT_EMAIL, .required = 1, .min = 3, .max = 254},
    {.name = "name", .type = FT_STRING, .required = 1, .min = 1, .max = 120},
    {.name = "locale", .type = FT_ENUM, .allowed = mail_locales},   /* the mail's; else the sender's */
    {0},
};
const struct field_spec review_link_open_fields[] = {
    {.name = "token", .type = FT_STRING, .required = 1, .min = 1, .max = 100},
    {0},
};
const struct field_spec review_link_review_fields[] = {
    {.name = "token", .type = FT_STRING, .required = 1, .min = 1, .max = 100},
    REVIEW_FIELDS,
    {0},
};

/* What a trainee may attach, as libmagic names it from the content. */
static const char *const allowed_types[] = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "image/png",
    "image/jpeg",
    NULL,
};

int training_deliverable_submit(struct request *r, int64_t module_id, const char *body, const json_t *links,
                                const struct deliverable_file *file, int64_t *vid, struct tb_err *err)
{
    if (deliverable_submit(r->store, &r->actor, r->arena, r->cfg->public_url, module_id, body, links, file, vid,
                           err) < 0)
        return -1;
    http_mail_wake();
    return 0;
}

int h_deliverable_submit(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t vid;
    json_t *v;
    if (training_deliverable_submit(r, r->ids[0], json_string_value(json_object_get(r->body, "body")),
                                    json_object_get(r->body, "links"), NULL, &vid, err) < 0 ||
        store_deliverable_version_get(r->store, &r->actor, vid, &v, err) < 0)
        return -1;
    res->location = arena_printf(r->arena, "/api/v1/deliverable-versions/%lld", (long long)vid);
    return respond_json(res, 201, v);
}

int h_deliverable_version_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *v;
    if (store_deliverable_version_get(r->store, &r->actor, r->ids[0], &v, err) < 0)
        return -1;
    return respond_json(res, 200, v);
}

int h_deliverable_file_put(struct request *r, struct response *res, struct tb_err *err)
{
    const char *name = req_query(r, "name");
    if (!name || !*name || utf8_chars(name) > 200 || strpbrk(name, "/\\\"\r\n"))
        return TB_INVALID(err, "name", "name: the file's name (?name=, 1 to 200 characters, no slashes or quotes)");
    if ((long)r->raw_len > r->cfg->attachment_max)
        return tb_error(err, TB_E_TOO_LARGE, "file", "file: larger than the %ld bytes a deliverable's file may have",
                       r->cfg->attachment_max);
    if (!r->raw_len)
        return TB_INVALID(err, "file", "file: empty");
    magic_t mg = magic_open(MAGIC_MIME_TYPE);
    if (!mg || magic_load(mg, NULL) != 0) {
        if (mg)
            magic_close(mg);
        return TB_INTERNAL(err, "the file type database is missing");
    }
    const char *found = magic_buffer(mg, r->raw_body, r->raw_len);
    const char *mime = NULL;
    for (int i = 0; found && allowed_types[i]; i++)
        if (!strcmp(found, allowed_types[i]))
            mime = allowed_types[i];
    const char *seen = arena_strdup(r->arena, found ? found : "unknown");
    magic_close(mg);
    if (!mime)
        return tb_error(err, TB_E_UNSUPPORTED_MEDIA_TYPE, "file",
                       "file: its content is %s; attach PDF, DOCX, XLSX, PPTX, PNG or JPEG", seen);
    int64_t id;
    if (store_deliverable_file_add(r->store, &r->actor, r->ids[0], name, mime, r->raw_body, r->raw_len, &id, err) < 0)
        return -1;
    res->location = arena_printf(r->arena, "/api/v1/deliverable-files/%lld", (long long)id);
    return respond_json(res, 201, json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)id, "name", name, "mime", mime,
                                            "size", (json_int_t)r->raw_len));
}

int h_deliverable_file_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *meta;
    void *data;
    size_t len;
    if (store_deliverable_file_get(r->store, &r->actor, r->ids[0], &meta, &data, &len, err) < 0)
        return -1;
    if (!len && json_integer_value(json_object_get(meta, "size")) > 0) {   /* erased with the graduate (GDPR) */
        json_decref(meta);
        free(data);
        return tb_error(err, TB_E_ERASED, "", "this file was erased with the trainee's personal data; its name, "
                        "size and SHA-256 remain as evidence");
    }
    res->status = 200;
    res->raw_owned = data;
    res->raw = data;
    res->raw_len = len;
    res->content_type = arena_strdup(r->arena, json_string_value(json_object_get(meta, "mime")));
    res->content_disposition = arena_printf(r->arena, "attachment; filename=\"%s\"",
                                            json_string_value(json_object_get(meta, "name")));
    res->etag = arena_printf(r->arena, "\"%s\"", json_string_value(json_object_get(meta, "sha256")));
    res->cache_control = "private, no-store";
    json_decref(meta);
    return 0;
}

/* The rubric's score in percent from {criterion, level} picks; -1 when none. */
static int rubric_percent(const json_t *def, const json_t *picks, json_t **levels, struct tb_err *err)
{
    json_t *criteria = json_object_get(json_object_get(def, "rubric"), "criteria");
    *levels = NULL;
    if (!json_array_size(picks))
        return -1;
    if (!criteria)
        return TB_INVALID(err, "rubric", "rubric: this module is not assessed by a rubric") - 1;
    int got = 0, max = 0;
    *levels = json_object();
    size_t i, k;
    json_t *c, *p;
    json_array_foreach(criteria, i, c) {
        const char *id = json_string_value(json_object_get(c, "id"));
        json_t *ls = json_object_get(c, "levels");
        int best = 0;
        json_t *l;
        json_array_foreach(ls, k, l)
            if ((int)json_integer_value(json_object_get(l, "points")) > best)
                best = (int)json_integer_value(json_object_get(l, "points"));
        max += best;
        int found = 0;
        json_array_foreach(picks, k, p)
            if (!strcmp(json_string_value(json_object_get(p, "criterion")), id)) {
                json_int_t lv = json_integer_value(json_object_get(p, "level"));
                if (lv >= (json_int_t)json_array_size(ls)) {
                    json_decref(*levels);
                    *levels = NULL;
                    return TB_INVALID(err, "rubric", "rubric: criterion %s has levels 0 to %zu", id,
                                      json_array_size(ls) - 1) - 1;
                }
                got += (int)json_integer_value(json_object_get(json_array_get(ls, (size_t)lv), "points"));
                json_object_set_new(*levels, id, json_integer(lv));
                found = 1;
            }
        if (!found) {
            json_decref(*levels);
            *levels = NULL;
            return TB_INVALID(err, "rubric", "rubric: score every criterion (%s is missing)", id) - 1;
        }
    }
    return max ? got * 100 / max : 0;
}

/* Reviews version_id as actor; the module's definition decides the rubric. */
static int do_review(struct request *r, const struct tb_actor *actor, int64_t version_id, const json_t *body,
                     const char *name, const char *via, const char *link_hash, struct tb_err *err)
{
    json_t *v, *def;
    if (store_deliverable_version_get(r->store, actor, version_id, &v, err) < 0)
        return -1;
    json_t *m = json_object_get(v, "module");
    const char *decision = json_string_value(json_object_get(body, "decision"));
    json_t *comments = json_object_get(body, "comments");
    if (!strcmp(decision, "request_changes") && !json_array_size(comments)) {
        json_decref(v);
        return TB_INVALID(err, "comments", "comments: say what to change");
    }
    struct request rr = *r;
    rr.actor = *actor;
    if (training_module_definition(&rr, m, &def, err) < 0) {
        json_decref(v);
        return -1;
    }
    json_t *levels;
    int pct = rubric_percent(def, json_object_get(body, "rubric"), &levels, err);
    int weighted = json_integer_value(json_object_get(m, "weight_rubric")) > 0;
    json_decref(def);
    if (pct < -1 || (pct < 0 && !strcmp(decision, "approve") && weighted)) {
        json_decref(v);
        json_decref(levels);
        return pct < -1 ? -1 : TB_INVALID(err, "rubric", "rubric: approving this deliverable scores its rubric");
    }
    json_t *none = json_array();
    struct review_in rv = {.reviewer_id = actor->user_id, .reviewer_name = name, .via = via, .decision = decision,
                           .comments = comments ? comments : none, .rubric = levels, .rubric_percent = pct};
    int rc = deliverable_review(r->store, actor, r->arena, r->cfg->public_url, version_id, v, &rv, link_hash, err);
    json_decref(none);
    json_decref(levels);
    json_decref(v);
    if (rc < 0)
        return -1;
    http_mail_wake();
    return 0;
}

int h_deliverable_review(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *me;
    const char *name = "Coordinator";
    if (store_user_get(r->store, &r->actor, r->actor.user_id, &me, err) == 0) {
        name = arena_strdup(r->arena, json_string_value(json_object_get(me, "name")));
        json_decref(me);
    }
    if (do_review(r, &r->actor, r->ids[0], r->body, name, is_staff(r) ? "coordinator" : "mentor", NULL, err) < 0)
        return -1;
    json_t *v;
    if (store_deliverable_version_get(r->store, &r->actor, r->ids[0], &v, err) < 0)
        return -1;
    return respond_json(res, 200, v);
}

int h_review_link_create(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *v;
    if (store_deliverable_version_get(r->store, &r->actor, r->ids[0], &v, err) < 0)
        return -1;
    char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
    auth_random_token(token);
    auth_token_hash(token, hash);
    const char *email = json_string_value(json_object_get(r->body, "email"));
    const char *name = json_string_value(json_object_get(r->body, "name"));
    int64_t expires = (int64_t)time(NULL) + REVIEW_LINK_TTL;
    struct review_link_in in = {.email = email, .name = name, .locale = json_string_value(json_object_get(r->body, "locale")),
                                .token = token, .token_hash = hash, .expires = expires};
    int rc = deliverable_review_link(r->store, &r->actor, r->arena, r->cfg->public_url, r->ids[0], v, &in, err);
    json_decref(v);
    if (rc < 0)
        return -1;
    http_mail_wake();
    char when[32];
    time_t t = (time_t)expires;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return respond_json(res, 201, json_pack("{s:s, s:s, s:I}", "email", email, "expires_at", when,
                                            "version_id", (json_int_t)r->ids[0]));
}

/* The acting principal behind a review link: nobody, within the link's operator. */
static struct tb_actor link_actor(struct request *r, const json_t *link)
{
    struct tb_actor a = {0};
    a.tenant_id = json_integer_value(json_object_get(link, "org_id"));
    a.roles = ROLE_BIT(ROLE_COORDINATOR);   /* reads the one version the link names */
    a.client_addr = r->actor.client_addr ? r->actor.client_addr : r->client_addr;
    return a;
}

int h_review_link_open(struct request *r, struct response *res, struct tb_err *err)
{
    char hash[TOKEN_HASH_LEN + 1];
    auth_token_hash(json_string_value(json_object_get(r->body, "token")), hash);
    json_t *link, *v, *def;
    if (store_review_link_peek(r->store, hash, &link, err) < 0)
        return -1;
    struct tb_actor a = link_actor(r, link);
    int rc = store_deliverable_version_get(r->store, &a, json_integer_value(json_object_get(link, "version_id")), &v, err);
    struct request rr = *r;
    rr.actor = a;
    if (rc == 0 && training_module_definition(&rr, json_object_get(v, "module"), &def, err) == 0) {
        json_object_del(def, "test");
        json_object_set_new(v, "definition", def);
        json_t *m = json_object_get(v, "module");
        json_t *files = NULL, *reviews = NULL;
        if (store_deliverable_history(r->store, &a, json_integer_value(json_object_get(m, "id")), &files, &reviews, err) == 0) {
            size_t i;
            json_t *x;
            json_array_foreach(files, i, x)
                if (json_integer_value(json_object_get(x, "id")) == json_integer_value(json_object_get(v, "id")))
                    json_object_set(v, "files", json_object_get(x, "files"));
            json_object_set_new(v, "reviews", reviews);
            json_decref(files);
        }
        json_object_set_new(v, "reviewer", json_pack("{s:O, s:O}", "name", json_object_get(link, "name"), "email",
                                                    json_object_get(link, "email")));
    } else if (rc == 0) {
        json_decref(v);
        rc = -1;
    }
    json_decref(link);
    return rc < 0 ? -1 : respond_json(res, 200, v);
}

int h_review_link_review(struct request *r, struct response *res, struct tb_err *err)
{
    char hash[TOKEN_HASH_LEN + 1];
    auth_token_hash(json_string_value(json_object_get(r->body, "token")), hash);
    json_t *link;
    /* Checked (and explained) before anything changes. */
    if (store_review_link_peek(r->store, hash, &link, err) < 0)
        return -1;
    struct tb_actor a = link_actor(r, link);
    const char *name = arena_printf(r->arena, "%s (by link)", json_string_value(json_object_get(link, "name")));
    int64_t version_id = json_integer_value(json_object_get(link, "version_id"));
    json_decref(link);
    if (do_review(r, &a, version_id, r->body, name, "link", hash, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:s, s:I}", "decision",
                                            json_string_value(json_object_get(r->body, "decision")), "version_id",
                                            (json_int_t)version_id));
}
