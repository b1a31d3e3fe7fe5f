/*
 * h_graduates.c - candidates and trainees: profiles, consent, CV files,
 * and the GDPR rights (export everything held; erase personal data).
 * A trainee reads and edits their own record; staff see their operator's.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/entity_http.h"
#include "core/fields.h"
#include "http/handlers.h"

#define CV_MAX_BYTES (5L * 1024 * 1024)

const struct field_spec consent_fields[] = {
    {.name = "purpose", .type = FT_STRING, .required = 1, .min = 3, .max = 300},
    {.name = "text_version", .type = FT_STRING, .required = 1, .min = 1, .max = 40},
    {0},
};

static void decorate_graduate(struct request *r, json_t *g)
{
    (void)r;
    json_object_set_new(g, "has_cv", json_boolean(json_is_string(json_object_get(g, "cv_sha256"))));
}

static int one_language_each(const json_t *body, struct tb_err *err)
{
    json_t *langs = json_object_get(body, "languages");
    for (size_t i = 0; i < json_array_size(langs); i++)
        for (size_t j = 0; j < i; j++)
            if (json_equal(json_object_get(json_array_get(langs, i), "code"),
                           json_object_get(json_array_get(langs, j), "code")))
                return TB_INVALID(err, "languages", "languages[%zu]: %s is listed twice", i,
                                  json_string_value(json_object_get(json_array_get(langs, i), "code")));
    return 0;
}

int h_graduate_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list(r, res, ENT_GRADUATE, decorate_graduate, err);
}

int h_graduate_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *g;
    if (entity_load(r, ENT_GRADUATE, &g, err) < 0)
        return -1;
    decorate_graduate(r, g);
    return entity_reply(r, res, 200, g);
}

int h_graduate_create(struct request *r, struct response *res, struct tb_err *err)
{
    if (one_language_each(r->body, err) < 0)
        return -1;
    int rc = entity_create(r, res, ENT_GRADUATE, r->body, "graduates", decorate_graduate, err);
    if (rc < 0 && err->status == 409)
        tb_fail(err, 409, "conflict", "email", "email: a graduate with this address is already registered");
    return rc;
}

static int editable(struct request *r, struct tb_err *err)
{
    json_t *g;
    if (entity_load(r, ENT_GRADUATE, &g, err) < 0)
        return -1;
    int erased = !json_is_null(json_object_get(g, "erased_at"));
    json_decref(g);
    if (erased)
        return tb_fail(err, 409, "erased", "", "this graduate's personal data was erased; the record cannot be edited");
    if (!is_staff(r) && !actor_has(&r->actor, ROLE_BIT(ROLE_TRAINEE)))
        return tb_fail(err, 403, "forbidden", "", "only the graduate and their coordinators can edit this profile");
    return 0;
}

int h_graduate_update(struct request *r, struct response *res, struct tb_err *err)
{
    if (editable(r, err) < 0 || one_language_each(r->body, err) < 0)
        return -1;
    int rc = entity_update(r, res, ENT_GRADUATE, r->body, decorate_graduate, err);
    if (rc < 0 && err->status == 409 && !strcmp(err->code, "conflict"))
        tb_fail(err, 409, "conflict", "email", "email: a graduate with this address is already registered");
    return rc;
}

int h_graduate_delete(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_delete(r, res, ENT_GRADUATE, err);
}

/* Consent is recorded with the server's clock, never the client's. */
int h_graduate_consent(struct request *r, struct response *res, struct tb_err *err)
{
    if (editable(r, err) < 0)
        return -1;
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *g;
    if (entity_load(r, ENT_GRADUATE, &g, err) < 0)
        return -1;
    int64_t version = json_integer_value(json_object_get(g, "version"));
    json_decref(g);
    json_t *consent = json_pack("{s:O, s:O, s:s, s:I}", "purpose", json_object_get(r->body, "purpose"),
                                "text_version", json_object_get(r->body, "text_version"), "given_at", now,
                                "given_by", (json_int_t)r->actor.user_id);
    json_t *changes = json_pack("{s:o}", "consent", consent), *out;
    int rc = store_entity_update(r->store, &r->actor, ENT_GRADUATE, r->ids[0], version, changes, &out, err);
    json_decref(changes);
    if (rc < 0)
        return -1;
    decorate_graduate(r, out);
    return entity_reply(r, res, 200, out);
}

int h_graduate_consent_withdraw(struct request *r, struct response *res, struct tb_err *err)
{
    if (editable(r, err) < 0)
        return -1;
    json_t *g, *out;
    if (entity_load(r, ENT_GRADUATE, &g, err) < 0)
        return -1;
    int64_t version = json_integer_value(json_object_get(g, "version"));
    json_decref(g);
    json_t *changes = json_pack("{s:n}", "consent");
    int rc = store_entity_update(r->store, &r->actor, ENT_GRADUATE, r->ids[0], version, changes, &out, err);
    json_decref(changes);
    if (rc < 0)
        return -1;
    decorate_graduate(r, out);
    return entity_reply(r, res, 200, out);
}

/* ---- CV ---- */

int h_graduate_cv_put(struct request *r, struct response *res, struct tb_err *err)
{
    if (editable(r, err) < 0)
        return -1;
    const char *ct = req_header(r, "Content-Type");
    if (!ct || strncasecmp(ct, "application/pdf", 15))
        return tb_fail(err, 415, "unsupported_media_type", "Content-Type", "Content-Type: a CV must be sent as application/pdf");
    /* The type is checked by content, not by what the client claims. */
    if (r->raw_len < 8 || memcmp(r->raw_body, "%PDF-", 5))
        return TB_INVALID(err, "cv", "cv: the file is not a PDF document");
    if (r->raw_len > (size_t)CV_MAX_BYTES)
        return tb_fail(err, 413, "payload_too_large", "cv", "cv: at most 5 MiB");
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256(h, (const unsigned char *)r->raw_body, r->raw_len);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    const char *name = req_query(r, "filename");
    if (name && (strlen(name) > 200 || !valid_utf8(name, strlen(name))))
        return TB_INVALID(err, "filename", "filename: at most 200 bytes of UTF-8");
    json_t *g, *out;
    if (store_begin(r->store, err) < 0)
        return -1;
    if (entity_load(r, ENT_GRADUATE, &g, err) < 0)
        goto fail;
    int64_t version = json_integer_value(json_object_get(g, "version"));
    json_decref(g);
    if (store_cv_put(r->store, &r->actor, r->ids[0], r->raw_body, r->raw_len, hex, err) < 0)
        goto fail;
    json_t *changes = json_pack("{s:s, s:I, s:s}", "cv_sha256", hex, "cv_size", (json_int_t)r->raw_len,
                                "cv_name", name ? name : "cv.pdf");
    int rc = store_entity_update(r->store, &r->actor, ENT_GRADUATE, r->ids[0], version, changes, &out, err);
    json_decref(changes);
    if (rc < 0 || store_commit(r->store, err) < 0)
        goto fail;
    decorate_graduate(r, out);
    return entity_reply(r, res, 200, out);
fail:
    store_rollback(r->store);
    return -1;
}

int h_graduate_cv_get(struct request *r, struct response *res, struct tb_err *err)
{
    void *data;
    size_t len;
    char sha[65];
    if (store_cv_get(r->store, &r->actor, r->ids[0], &data, &len, sha, err) < 0)
        return -1;
    void *copy = arena_alloc(r->arena, len ? len : 1);
    memcpy(copy, data, len);
    free(data);
    res->status = 200;
    res->raw = copy;
    res->raw_len = len;
    res->content_type = "application/pdf";
    res->content_disposition = arena_printf(r->arena, "attachment; filename=\"cv-%lld.pdf\"", (long long)r->ids[0]);
    res->etag = arena_printf(r->arena, "\"%s\"", sha);
    res->cache_control = "private, no-store";
    return 0;
}

/* ---- GDPR ---- */

int h_graduate_export(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *g, *apps = json_array(), *placements = json_array();
    if (entity_load(r, ENT_GRADUATE, &g, err) < 0) {
        json_decref(apps);
        json_decref(placements);
        return -1;
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)r->ids[0]);
    json_t *filter = json_pack("{s:s}", "graduate_id", id);
    struct list_query q = {.limit = 200};
    struct list_page page = {0};
    char *cursor = NULL;
    int rc = 0;
    /* Every page, so a long history is exported whole. */
    for (int e = ENT_APPLICATION; e <= ENT_PLACEMENT && rc == 0; e += ENT_PLACEMENT - ENT_APPLICATION) {
        do {
            q.cursor = cursor;
            rc = store_entity_list(r->store, &r->actor, (enum entity)e, &q, filter, &page, err);
            if (rc < 0)
                break;
            size_t i;
            json_t *row;
            json_array_foreach(page.items, i, row) {
                int64_t rid = json_integer_value(json_object_get(row, "id"));
                json_t *extra = NULL;
                if (e == ENT_APPLICATION && store_application_events(r->store, &r->actor, rid, &extra, err) == 0)
                    json_object_set_new(row, "history", extra);
                if (e == ENT_PLACEMENT && store_agreement_list(r->store, &r->actor, rid, &extra, err) == 0)
                    json_object_set_new(row, "agreement_acceptances", extra);
                json_array_append(e == ENT_APPLICATION ? apps : placements, row);
            }
            free(cursor);
            cursor = page.next_cursor ? strdup(page.next_cursor) : NULL;
            list_page_free(&page);
        } while (cursor);
    }
    free(cursor);
    json_decref(filter);
    json_t *audit = json_array();
    struct list_query aq = {.limit = 200, .f1 = "graduate", .q = id};
    if (rc == 0 && store_audit_list(r->store, &r->actor, &aq, &page, err) == 0) {
        json_array_extend(audit, page.items);
        list_page_free(&page);
    }
    json_t *cv = json_null();
    void *data;
    size_t len;
    char sha[65];
    struct tb_err e2;
    if (rc == 0 && store_cv_get(r->store, &r->actor, r->ids[0], &data, &len, sha, &e2) == 0) {
        size_t blen = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
        char *b64 = malloc(blen);
        sodium_bin2base64(b64, blen, data, len, sodium_base64_VARIANT_ORIGINAL);
        cv = json_pack("{s:s, s:I, s:s, s:s}", "sha256", sha, "size", (json_int_t)len, "content_type",
                       "application/pdf", "content_base64", b64);
        free(b64);
        free(data);
    }
    if (rc < 0) {
        json_decref(g);
        json_decref(apps);
        json_decref(placements);
        json_decref(audit);
        json_decref(cv);
        return -1;
    }
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *out = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "exported_at", now, "about",
                            "Everything TradeBridge holds on this graduate (GDPR Art. 15 and 20)",
                            "profile", g, "cv", cv, "applications", apps, "placements", placements,
                            "audit", audit);
    res->content_disposition = arena_printf(r->arena, "attachment; filename=\"graduate-%lld.json\"",
                                            (long long)r->ids[0]);
    return respond_json(res, 200, out);
}

int h_graduate_erase(struct request *r, struct response *res, struct tb_err *err)
{
    if (store_graduate_erase(r->store, &r->actor, r->ids[0], err) < 0)
        return -1;
    json_t *g;
    if (entity_load(r, ENT_GRADUATE, &g, err) < 0)
        return -1;
    decorate_graduate(r, g);
    return entity_reply(r, res, 200, g);
}
