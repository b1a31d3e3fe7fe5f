/*
 * graduate_service.c - a graduate's consent, CV file and GDPR export: the
 * workflows behind src/http/h_graduates.c.
 */
#include "service/graduate_service.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/utf8.h"
#include "service/pages.h"
#include "store/entity.h"
#include "store/store_training.h"

static void utc_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Applies changes (owned: freed here) to graduate id at version; *out is the result. */
static int set_and_reload(struct store *st, const struct tb_actor *a, int64_t id, int64_t version, json_t *changes,
                          json_t **out, struct tb_err *err)
{
    if (!changes)
        return TB_INTERNAL(err, "out of memory");
    int rc = store_entity_update(st, a, ENT_GRADUATE, id, version, changes, out, err);
    json_decref(changes);
    return rc;
}

int graduate_service_editable(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err)
{
    json_t *g;
    if (store_entity_get(st, a, ENT_GRADUATE, id, &g, err) < 0)
        return -1;
    int erased = !json_is_null(json_object_get(g, "erased_at"));
    json_decref(g);
    if (erased)
        return tb_error(err, TB_E_ERASED, "", "this graduate's personal data was erased; the record cannot be edited");
    if (!(a->all_tenants || actor_has(a, ROLES_STAFF)) && !actor_has(a, ROLE_BIT(ROLE_TRAINEE)))
        return tb_error(err, TB_E_FORBIDDEN, "", "only the graduate and their coordinators can edit this profile");
    return 0;
}

/* Consent is recorded with the server's clock, never the client's. */
int graduate_service_consent(struct store *st, const struct tb_actor *a, int64_t id, const char *purpose,
                             const char *text_version, json_t **out, struct tb_err *err)
{
    if (graduate_service_editable(st, a, id, err) < 0)
        return -1;
    char now[32];
    utc_now(now);
    json_t *g;
    if (store_entity_get(st, a, ENT_GRADUATE, id, &g, err) < 0)
        return -1;
    int64_t version = json_integer_value(json_object_get(g, "version"));
    json_decref(g);
    json_t *consent = purpose ? json_pack("{s:s, s:s, s:s, s:I}", "purpose", purpose, "text_version", text_version,
                                          "given_at", now, "given_by", (json_int_t)a->user_id)
                              : json_null();
    return set_and_reload(st, a, id, version, json_pack("{s:o}", "consent", consent), out, err);
}

struct cv_unit {
    const struct tb_actor *a;
    int64_t id;
    const void *data;
    size_t len;
    const char *hex, *name;
    json_t *out;
};

/* The file and the graduate's record of it, one unit of work. */
static int cv_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct cv_unit *u = ctx;
    json_t *g;
    json_decref(u->out);   /* a run again starts afresh */
    u->out = NULL;
    if (store_entity_get(st, u->a, ENT_GRADUATE, u->id, &g, err) < 0)
        return -1;
    int64_t version = json_integer_value(json_object_get(g, "version"));
    json_decref(g);
    if (store_cv_put(st, u->a, u->id, u->data, u->len, u->hex, err) < 0)
        return -1;
    json_t *changes = json_pack("{s:s, s:I, s:s}", "cv_sha256", u->hex, "cv_size", (json_int_t)u->len,
                                "cv_name", u->name ? u->name : "cv.pdf");
    return set_and_reload(st, u->a, u->id, version, changes, &u->out, err);
}

int graduate_service_cv_put(struct store *st, const struct tb_actor *a, int64_t id, const char *content_type,
                            const void *data, size_t len, const char *name, json_t **out, struct tb_err *err)
{
    if (graduate_service_editable(st, a, id, err) < 0)
        return -1;
    if (!content_type || strncasecmp(content_type, "application/pdf", 15))
        return tb_error(err, TB_E_UNSUPPORTED_MEDIA_TYPE, "Content-Type", "Content-Type: a CV must be sent as application/pdf");
    /* The type is checked by content, not by what the client claims. */
    if (len < 8 || memcmp(data, "%PDF-", 5))
        return TB_INVALID(err, "cv", "cv: the file is not a PDF document");
    if (len > (size_t)GRADUATE_CV_MAX_BYTES)
        return tb_error(err, TB_E_PAYLOAD_TOO_LARGE, "cv", "cv: at most 5 MiB");
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    if (name && (strlen(name) > 200 || !valid_utf8(name, strlen(name))))
        return TB_INVALID(err, "filename", "filename: at most 200 bytes of UTF-8");
    struct cv_unit u = {.a = a, .id = id, .data = data, .len = len, .hex = hex, .name = name};
    if (store_in_tx(st, cv_work, &u, err) < 0) {
        json_decref(u.out);
        return -1;
    }
    *out = u.out;
    return 0;
}

/* ---- GDPR ---- */

/* A placement's training records for the export: the learning plan, each
 * module with its deliverable versions (text, links, files by name, type, size
 * and SHA-256 - the files themselves at /api/v1/deliverable-files/{id}), the
 * reviews, the test attempts with the answers given, the competency ratings. */
static int training_export(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                           struct tb_err *err)
{
    json_t *plan, *ratings;
    if (store_plan_get(st, a, placement_id, &plan, err) < 0)
        return -1;
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(plan, "modules"), i, m) {
        int64_t mid = json_integer_value(json_object_get(m, "id"));
        json_t *versions, *reviews, *attempts;
        if (store_deliverable_history(st, a, mid, &versions, &reviews, err) < 0)
            goto fail;
        json_object_set_new(m, "deliverable_versions", versions);
        json_object_set_new(m, "reviews", reviews);
        if (store_attempt_list(st, a, mid, &attempts, err) < 0)
            goto fail;
        json_object_set_new(m, "test_attempts", attempts);
    }
    if (store_rating_list(st, a, placement_id, &ratings, err) < 0)
        goto fail;
    json_object_set_new(plan, "competency_ratings", ratings);
    *out = plan;
    return 0;
fail:
    json_decref(plan);
    return -1;
}

/* Everything held on the graduate (Art. 15 and 20): profile, CV, applications with
 * their history, placements with their acceptances and training records, the
 * audit trail. */
int graduate_service_export(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err)
{
    json_t *g, *apps = NULL, *placements = NULL;
    if (store_entity_get(st, a, ENT_GRADUATE, id, &g, err) < 0)
        return -1;
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", (long long)id);
    json_t *filter = json_pack("{s:s}", "graduate_id", idtext);
    /* Every page, so a long history is exported whole. */
    int rc = service_all_entities(st, a, ENT_APPLICATION, filter, &apps, err);
    if (rc == 0)
        rc = service_all_entities(st, a, ENT_PLACEMENT, filter, &placements, err);
    size_t i;
    json_t *row, *extra;
    json_array_foreach(apps, i, row)
        if (store_application_events(st, a, json_integer_value(json_object_get(row, "id")), &extra, err) == 0)
            json_object_set_new(row, "history", extra);
    json_array_foreach(placements, i, row)
    {
        if (rc == 0 && (rc = store_agreement_list(st, a, json_integer_value(json_object_get(row, "id")), &extra, err)) == 0)
            json_object_set_new(row, "agreement_acceptances", extra);
        if (rc == 0 && (rc = training_export(st, a, json_integer_value(json_object_get(row, "id")), &extra, err)) == 0)
            json_object_set_new(row, "training", extra);
    }
    struct list_page page = {0};
    json_decref(filter);
    json_t *audit = json_array();
    struct list_query aq = {.limit = 200, .f1 = "graduate", .q = idtext};
    if (rc == 0 && store_audit_list(st, a, &aq, &page, err) == 0) {
        json_array_extend(audit, page.items);
        list_page_free(&page);
    }
    json_t *cv = json_null();
    void *data;
    size_t len;
    char sha[65];
    struct tb_err e2;
    if (rc == 0 && store_cv_get(st, a, id, &data, &len, sha, &e2) == 0) {
        size_t blen = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
        char *b64 = malloc(blen);
        if (b64)
            sodium_bin2base64(b64, blen, data, len, sodium_base64_VARIANT_ORIGINAL);
        else
            rc = TB_INTERNAL(err, "out of memory");
        cv = !b64 ? json_null() : json_pack("{s:s, s:I, s:s, s:s}", "sha256", sha, "size", (json_int_t)len, "content_type",
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
    utc_now(now);
    *out = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "exported_at", now, "about",
                            "Everything TradeBridge holds on this graduate (GDPR Art. 15 and 20)",
                            "profile", g, "cv", cv, "applications", apps, "placements", placements,
                            "audit", audit);
    return *out ? 0 : TB_INTERNAL(err, "out of memory");
}
