/*
 * match_service.c - a matching run over a cohort: its input read from the
 * store (positions taking trainees, applications, graduates, companies, locks
 * and vetoes, the operator's weights), computed (src/core/match_run.c), kept
 * with its input hash; approval turns every pair into an offer in one
 * transaction. Used by src/http/h_matching.c.
 */
#include "service/match_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/match_run.h"
#include "core/msg.h"
#include "service/mail_service.h"
#include "service/pages.h"
#include "store/entity.h"
#include "store/store_notify.h"

/* Appends to `into` each record of type e that a row of `rows` names in
 * `key`, once. */
static int referenced(struct store *st, const struct tb_actor *a, const json_t *rows, const char *key, enum entity e,
                      json_t *into, struct tb_err *err)
{
    size_t i;
    json_t *v;
    json_array_foreach(rows, i, v) {
        json_t *id = json_object_get(v, key), *rec;
        int seen = 0;
        size_t k;
        json_t *x;
        json_array_foreach(into, k, x)
            seen |= json_equal(json_object_get(x, "id"), id);
        if (seen)
            continue;
        if (store_entity_get(st, a, e, json_integer_value(id), &rec, err) < 0)
            return -1;
        json_array_append_new(into, rec);
    }
    return 0;
}

/* The records a run sees; bookkeeping that does not change the outcome is
 * dropped so the input hash names the data, not the moment it was read. */
static void strip(json_t *items)
{
    size_t i;
    json_t *v;
    json_array_foreach(items, i, v) {
        json_object_del(v, "created_at");
        json_object_del(v, "updated_at");
    }
}

/* The versions a run saw, so approval can tell when records changed since:
 * the cohort's in the summary, the graduate's and position's in each pair. */
static json_int_t version_of(const json_t *items, json_int_t id)
{
    size_t i;
    json_t *v;
    json_array_foreach(items, i, v)
        if (json_integer_value(json_object_get(v, "id")) == id)
            return json_integer_value(json_object_get(v, "version"));
    return 0;
}

static void stamp_versions(json_t *result, const json_t *graduates, const json_t *positions, json_int_t cohort_version)
{
    json_object_set_new(json_object_get(result, "summary"), "cohort_version", json_integer(cohort_version));
    size_t i;
    json_t *pair;
    json_array_foreach(json_object_get(result, "pairs"), i, pair) {
        json_int_t g = json_integer_value(json_object_get(pair, "graduate_id"));
        json_int_t p = json_integer_value(json_object_get(pair, "position_id"));
        json_object_set_new(pair, "graduate_version", json_integer(version_of(graduates, g)));
        json_object_set_new(pair, "position_version", json_integer(version_of(positions, p)));
    }
}

/* The operator's whole pool: graduates with a live placement (draft or
 * signed) or an accepted application are marked placed (they stay in the
 * input, so they can be told why). */
static int pool_graduates(struct store *st, const struct tb_actor *a, const json_t *apps, json_t **graduates,
                          struct tb_err *err)
{
    json_t *placements = NULL;
    if (service_all_entities(st, a, ENT_GRADUATE, NULL, graduates, err) < 0 ||
        service_all_entities(st, a, ENT_PLACEMENT, NULL, &placements, err) < 0)
        return -1;
    size_t i, k;
    json_t *v, *x;
    json_array_foreach(*graduates, i, v) {
        json_array_foreach(placements, k, x) {
            const char *status = json_string_value(json_object_get(x, "status"));
            if (json_equal(json_object_get(x, "graduate_id"), json_object_get(v, "id")) && status &&
                (!strcmp(status, "draft") || !strcmp(status, "signed")))
                json_object_set_new(v, "placed", json_true());
        }
        json_array_foreach(apps, k, x)
            if (!strcmp(json_string_value(json_object_get(x, "stage")), "accepted") &&
                json_equal(json_object_get(x, "graduate_id"), json_object_get(v, "id")))
                json_object_set_new(v, "placed", json_true());
    }
    json_decref(placements);
    return 0;
}

int match_service_run(struct store *st, const struct tb_actor *a, const json_t *body, int64_t *id, json_t **out,
                      struct tb_err *err)
{
    int64_t cohort_id = json_integer_value(json_object_get(body, "cohort_id"));
    json_t *c0;
    if (store_entity_get(st, a, ENT_COHORT, cohort_id, &c0, err) < 0) {
        if (err->status == 404)
            TB_INVALID(err, "cohort_id", "cohort_id: no such cohort");
        return -1;
    }
    int64_t org_id = json_integer_value(json_object_get(c0, "org_id"));
    json_int_t cohort_version = json_integer_value(json_object_get(c0, "version"));
    json_decref(c0);
    char cohort[24];
    snprintf(cohort, sizeof cohort, "%lld", (long long)cohort_id);
    json_t *filter = json_pack("{s:s}", "cohort_id", cohort);
    json_t *positions = NULL, *apps = NULL, *constraints = NULL, *stored = NULL;
    json_t *graduates = json_array(), *companies = json_array(), *input = NULL, *result = NULL;
    int rc = -1;
    if (service_all_entities(st, a, ENT_POSITION, filter, &positions, err) < 0 || service_all_entities(st, a, ENT_APPLICATION, filter, &apps, err) < 0 ||
        service_all_entities(st, a, ENT_MATCH_CONSTRAINT, filter, &constraints, err) < 0 ||
        store_match_settings_get(st, a, org_id, &stored, err) < 0)
        goto out;
    /* Only positions taking trainees now are matched. */
    json_t *open = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(positions, i, v) {
        const char *status = json_string_value(json_object_get(v, "status"));
        if (!strcmp(status, "open") || !strcmp(status, "approved"))
            json_array_append(open, v);
    }
    json_decref(positions);
    positions = open;
    const char *source = json_string_value(json_object_get(body, "source"));
    if (source && !strcmp(source, "pool")) {
        json_decref(graduates);
        graduates = NULL;
        if (pool_graduates(st, a, apps, &graduates, err) < 0)
            goto out;
    } else if (referenced(st, a, apps, "graduate_id", ENT_GRADUATE, graduates, err) < 0)
        goto out;
    if (referenced(st, a, positions, "company_id", ENT_COMPANY, companies, err) < 0)
        goto out;
    strip(positions);
    strip(apps);
    strip(graduates);
    strip(companies);
    strip(constraints);
    json_t *options = json_deep_copy(body);
    json_object_del(options, "cohort_id");
    json_object_del(options, "engine");
    input = json_pack("{s:O, s:o, s:o, s:O, s:O, s:O, s:O, s:O}", "engine", json_object_get(body, "engine"),
                      "options", options, "weights", stored ? json_incref(stored) : json_null(), "graduates",
                      graduates, "positions", positions, "applications", apps, "constraints", constraints,
                      "companies", companies);
    if (match_run_compute(input, &result, err) < 0)
        goto out;
    stamp_versions(result, graduates, positions, cohort_version);
    char hash[65];
    match_run_input_hash(input, hash);
    json_t *fields = json_pack("{s:I, s:O, s:O, s:s, s:O, s:s, s:I}", "cohort_id", (json_int_t)cohort_id, "engine",
                               json_object_get(body, "engine"), "options", json_object_get(input, "options"),
                               "input_hash", hash, "result", result, "status", "proposed", "created_by",
                               (json_int_t)a->user_id);
    if (a->all_tenants)
        json_object_set_new(fields, "org_id", json_integer(org_id));
    rc = fields ? store_entity_create(st, a, ENT_MATCH_RUN, fields, id, err) : TB_INTERNAL(err, "out of memory");
    if (rc == 0)
        rc = store_entity_get(st, a, ENT_MATCH_RUN, *id, out, err);
    json_decref(fields);
out:
    json_decref(filter);
    json_decref(positions);
    json_decref(apps);
    json_decref(constraints);
    json_decref(stored);
    json_decref(graduates);
    json_decref(companies);
    json_decref(input);
    json_decref(result);
    return rc;
}

static int set_run_status(struct store *st, const struct tb_actor *a, int64_t id, int64_t version, const char *status, struct tb_err *err, json_t **out)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *changes = !strcmp(status, "approved")
                          ? json_pack("{s:s, s:s, s:I}", "status", status, "approved_at", now, "approved_by",
                                      (json_int_t)a->user_id)
                          : json_pack("{s:s}", "status", status);
    int rc = store_entity_update(st, a, ENT_MATCH_RUN, id, version, changes, out, err);
    json_decref(changes);
    return rc;
}

/* 409 stale_run when a record the run saw changed since (version). */
static int check_version(struct store *st, const struct tb_actor *a, enum entity e, int64_t id, json_int_t seen,
                         const char *what, struct tb_err *err)
{
    json_t *rec;
    if (seen <= 0)
        return 0;
    if (store_entity_get(st, a, e, id, &rec, err) < 0)
        return -1;
    json_int_t now = json_integer_value(json_object_get(rec, "version"));
    json_decref(rec);
    if (now != seen)
        return tb_error(err, TB_E_STALE_RUN, "", "%s %lld changed since the run (version %lld, now %lld); run the "
                        "match again", what, (long long)id, (long long)seen, (long long)now);
    return 0;
}

/* A reason from the engine ("Required languages: Swedish C1 (B2 required)")
 * with its criterion in the reader's language; the detail after the colon
 * stays as the engine wrote it. */
static const char *reason_text(struct arena *arena, const char *lang, const char *reason)
{
    static const char *const crit[][2] = {
        {"Required languages", "match.crit.languages"}, {"Languages of the target markets", "match.crit.market_languages"},
        {"Experience of the target markets", "match.crit.market_experience"}, {"Field of study", "match.crit.field"},
        {"Products and sector", "match.crit.sector"}, {"Location and mobility", "match.crit.location"},
        {"Availability", "match.crit.availability"},
    };
    const char *colon = reason ? strstr(reason, ": ") : NULL;
    for (size_t k = 0; colon && k < sizeof crit / sizeof crit[0]; k++)
        if (strlen(crit[k][0]) == (size_t)(colon - reason) && !strncmp(reason, crit[k][0], (size_t)(colon - reason)))
            return arena_printf(arena, "%s%s", msg_text(lang, crit[k][1]), colon);
    return reason ? reason : "";
}

/* The mail telling a graduate of a suggestion, in lang: subject and body, or
 * NULL (out of memory). */
static const char *suggestion_mail(struct arena *arena, const char *lang, const json_t *pair, const char *name,
                                   const char *public_url, const char **subject)
{
    struct abuf reasons;
    abuf_init(&reasons, arena, 1u << 16);
    size_t i;
    json_t *reason;
    json_array_foreach(json_object_get(pair, "reasons"), i, reason)
        abuf_printf(&reasons, "- %s\n", reason_text(arena, lang, json_string_value(reason)));
    char score[24];
    snprintf(score, sizeof score, "%lld", (long long)json_integer_value(json_object_get(pair, "score")) / 100);
    const char *title = json_string_value(json_object_get(pair, "position_title"));
    const char *company = json_string_value(json_object_get(pair, "company_name"));
    const char *const vars[] = {"name", name ? name : "", "title", title ? title : "", "company", company ? company : "",
                                "score", score, "reasons", reasons.failed ? "" : abuf_cstr(&reasons), "url", public_url,
                                NULL};
    const char *body;
    return msg_mail(arena, lang, "mail.suggestion", vars, 0, subject, &body) == 0 && !reasons.failed ? body : NULL;
}

/* A suggestion becomes an application at "offered"; the graduate is told by
 * mail (outbox) and may decline it like any offer. */
static int offer_suggestion(struct store *st, const struct tb_actor *a, int64_t org_id, const json_t *pair,
                            const char *note, const char *public_url, struct arena *arena, struct tb_err *err)
{
    int64_t gid = json_integer_value(json_object_get(pair, "graduate_id"));
    int64_t pid = json_integer_value(json_object_get(pair, "position_id"));
    /* the application's notes say why it was suggested, for the graduate
     * and the company alike */
    const char *why = arena_printf(arena, "%s: suggested from the pool because", note);
    size_t i;
    json_t *reason;
    json_array_foreach(json_object_get(pair, "reasons"), i, reason)
        why = why ? arena_printf(arena, "%s%s %s", why, i ? ";" : "", json_string_value(reason)) : NULL;
    json_t *fields = why ? json_pack("{s:I, s:I, s:s, s:s}", "graduate_id", (json_int_t)gid, "position_id",
                                     (json_int_t)pid, "stage", "offered", "notes", why) : NULL;
    if (!fields)
        return TB_INTERNAL(err, "out of memory");
    if (a->all_tenants)
        json_object_set_new(fields, "org_id", json_integer(org_id));
    int64_t app_id;
    int rc = store_entity_create(st, a, ENT_APPLICATION, fields, &app_id, err);
    json_decref(fields);
    if (rc < 0) {
        if (err->status == 409)
            tb_error(err, TB_E_STALE_RUN, "", "graduate %lld has an application to position %lld since the run; "
                     "run the match again", (long long)gid, (long long)pid);
        return -1;
    }
    if (store_application_event(st, a, org_id, app_id, NULL, "offered", note, err) < 0)
        return -1;
    json_t *g;
    if (store_entity_get(st, a, ENT_GRADUATE, gid, &g, err) < 0)
        return -1;
    const char *email = json_string_value(json_object_get(g, "email"));
    email = email && *email ? arena_strdup(arena, email) : NULL;
    /* In the trainee's language; without an account (or a choice), the
     * approving coordinator's. */
    const char *lang = store_locale_chosen_of_graduate(st, gid);
    const char *subject, *body = suggestion_mail(arena, lang ? lang : store_locale_of(st, a->user_id), pair,
                                                 json_string_value(json_object_get(g, "name")), public_url, &subject);
    json_decref(g);
    if (!email)
        return 0;
    if (!body)
        return TB_INTERNAL(err, "out of memory");
    return store_outbox_add(st, a, org_id, email, subject, body, err);
}

/* Approval turns every pair into an offer: the application moves to
 * "offered" with a note naming the run; a suggestion from the pool becomes
 * a new application at "offered". One transaction: on any error nothing is
 * approved. A run whose cohort, graduates or positions changed since is
 * refused (409 stale_run). */
struct approve_unit {
    const struct tb_actor *a;
    int64_t id;
    const char *public_url;
    struct arena *arena;
    json_t *out;
    int mailed;
};

static int approve_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct approve_unit *u = ctx;
    const struct tb_actor *a = u->a;
    int64_t id = u->id;
    const char *public_url = u->public_url;
    struct arena *arena = u->arena;
    json_t *run = NULL, **out = &u->out;
    json_decref(u->out);   /* a run again starts afresh */
    u->out = NULL;
    u->mailed = 0;
    if (store_entity_get(st, a, ENT_MATCH_RUN, id, &run, err) < 0)
        goto fail;
    if (strcmp(json_string_value(json_object_get(run, "status")), "proposed")) {
        tb_error(err, TB_E_INVALID_TRANSITION, "status", "status: this run is already %s",
                json_string_value(json_object_get(run, "status")));
        goto fail;
    }
    int64_t org_id = json_integer_value(json_object_get(run, "org_id"));
    const json_t *result = json_object_get(run, "result");
    if (check_version(st, a, ENT_COHORT, json_integer_value(json_object_get(run, "cohort_id")),
                      json_integer_value(json_object_get(json_object_get(result, "summary"), "cohort_version")),
                      "cohort", err) < 0)
        goto fail;
    char note[64];
    snprintf(note, sizeof note, "Offer from match run %lld", (long long)id);
    size_t i;
    json_t *pair;
    json_array_foreach(json_object_get(result, "pairs"), i, pair) {
        if (check_version(st, a, ENT_GRADUATE, json_integer_value(json_object_get(pair, "graduate_id")),
                          json_integer_value(json_object_get(pair, "graduate_version")), "graduate", err) < 0 ||
            check_version(st, a, ENT_POSITION, json_integer_value(json_object_get(pair, "position_id")),
                          json_integer_value(json_object_get(pair, "position_version")), "position", err) < 0)
            goto fail;
        int64_t app_id = json_integer_value(json_object_get(pair, "application_id"));
        if (app_id == 0) {
            if (offer_suggestion(st, a, org_id, pair, note, public_url, arena, err) < 0)
                goto fail;
            u->mailed = 1;
            continue;
        }
        json_t *app, *updated;
        if (store_entity_get(st, a, ENT_APPLICATION, app_id, &app, err) < 0)
            goto fail;
        char stage[32];
        snprintf(stage, sizeof stage, "%s", json_string_value(json_object_get(app, "stage")));
        int64_t version = json_integer_value(json_object_get(app, "version"));
        json_decref(app);
        if (!strcmp(stage, "offered") || !strcmp(stage, "accepted"))
            continue;
        if (!strcmp(stage, "declined") || !strcmp(stage, "rejected") || !strcmp(stage, "withdrawn")) {
            tb_error(err, TB_E_STALE_RUN, "", "application %lld is %s since the run; run the match again",
                    (long long)app_id, stage);
            goto fail;
        }
        if (store_entity_set_text(st, a, ENT_APPLICATION, app_id, version, "stage", "offered", &updated, err) < 0)
            goto fail;
        json_decref(updated);
        if (store_application_event(st, a, org_id, app_id, stage, "offered", note, err) < 0)
            goto fail;
    }
    if (set_run_status(st, a, id, json_integer_value(json_object_get(run, "version")), "approved", err, out) < 0)
        goto fail;
    json_decref(run);
    return 0;
fail:
    json_decref(run);
    return -1;
}

int match_service_approve(struct store *st, const struct tb_actor *a, int64_t id, const char *public_url,
                          struct arena *arena, json_t **out, struct tb_err *err)
{
    struct approve_unit u = {.a = a, .id = id, .public_url = public_url, .arena = arena};
    *out = NULL;
    if (store_in_tx(st, approve_work, &u, err) < 0) {
        json_decref(u.out);
        return -1;
    }
    *out = u.out;
    if (u.mailed)
        mailer_wake();
    return 0;
}

int match_service_discard(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err)
{
    json_t *run;
    if (store_entity_get(st, a, ENT_MATCH_RUN, id, &run, err) < 0)
        return -1;
    int proposed = !strcmp(json_string_value(json_object_get(run, "status")), "proposed");
    int64_t version = json_integer_value(json_object_get(run, "version"));
    json_decref(run);
    if (!proposed)
        return tb_error(err, TB_E_INVALID_TRANSITION, "status", "status: only a proposed run can be discarded");
    return set_run_status(st, a, id, version, "discarded", err, out);
}

/* Runs are staff records; they are read here with the operator's scope (the
 * position was read with the caller's own, so another company never gets
 * this far). */
int match_service_shortlist(struct store *st, const struct tb_actor *a, const json_t *pos, json_t **out,
                            struct tb_err *err)
{
    json_int_t position_id = json_integer_value(json_object_get(pos, "id"));
    *out = json_pack("{s:I, s:O, s:n, s:n, s:n, s:[]}", "position_id", position_id, "title",
                     json_object_get(pos, "title"), "run_id", "run_status", "candidates", "shortlist");
    if (!*out)
        return TB_INTERNAL(err, "out of memory");
    struct list_query q = {.limit = 50, .sort = "-id"};
    struct list_page page;
    int rc = store_position_runs(st, a, position_id, &q, &page, err);
    if (rc < 0) {
        json_decref(*out);
        return -1;
    }
    size_t i, k;
    json_t *run, *list;
    json_array_foreach(page.items, i, run) {
        if (json_integer_value(json_object_get(run, "org_id")) != a->tenant_id && !a->all_tenants)
            continue;
        if (!strcmp(json_string_value(json_object_get(run, "status")), "discarded"))
            continue;
        json_array_foreach(json_object_get(json_object_get(run, "result"), "shortlists"), k, list) {
            if (json_integer_value(json_object_get(list, "position_id")) != position_id)
                continue;
            json_object_set(*out, "run_id", json_object_get(run, "id"));
            json_object_set(*out, "run_status", json_object_get(run, "status"));
            json_object_set(*out, "candidates", json_object_get(list, "candidates"));
            json_object_set(*out, "shortlist", json_object_get(list, "shortlist"));
            break;
        }
        if (!json_is_null(json_object_get(*out, "run_id")))
            break;
    }
    list_page_free(&page);
    return 0;
}
