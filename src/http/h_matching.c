/*
 * h_matching.c - matching a cohort's graduates to its positions: runs kept
 * with their parameters, input hash and result; locks and vetoes on pairs;
 * the operator's score weights; approval turns the pairs into offers.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/match_run.h"
#include "http/entity_http.h"
#include "http/fields.h"
#include "http/handlers.h"

static const char *const engines[] = {"assign", "stable", NULL};
static const char *const modes[] = {"full", "partial", "maxcard", NULL};
static const char *const proposers[] = {"candidates", "positions", NULL};
static const char *const tie_rules[] = {"id", "lottery", NULL};
static const char *const constraint_kinds[] = {"lock", "forbid", NULL};
static const char *const sources[] = {"applications", "pool", NULL};

const struct field_spec match_run_fields[] = {
    {.name = "cohort_id", .type = FT_INT, .required = 1, .min = 1, .max = ID_MAX},
    {.name = "engine", .type = FT_ENUM, .required = 1, .allowed = engines},
    {.name = "mode", .type = FT_ENUM, .allowed = modes},
    {.name = "threshold", .type = FT_INT, .min = 0, .max = 10000},
    {.name = "proposing", .type = FT_ENUM, .allowed = proposers},
    {.name = "tie_break", .type = FT_ENUM, .allowed = tie_rules},
    {.name = "seed", .type = FT_INT, .min = 0, .max = ID_MAX},
    {.name = "source", .type = FT_ENUM, .allowed = sources},
    {0},
};
#define WEIGHT(n) {.name = n, .type = FT_INT, .min = 0, .max = 10000}
const struct field_spec match_weight_fields[] = {
    WEIGHT("languages"), WEIGHT("market_languages"), WEIGHT("market_experience"), WEIGHT("field"),
    WEIGHT("sector"), WEIGHT("location"), WEIGHT("availability"),
    {.name = "market_months_full", .type = FT_INT, .min = 1, .max = 120},
    {.name = "start_grace_days", .type = FT_INT, .min = 0, .max = 365},
    {0},
};
const struct field_spec match_constraint_fields[] = {
    {.name = "cohort_id", .type = FT_INT, .required = 1, .min = 1, .max = ID_MAX},
    {.name = "graduate_id", .type = FT_INT, .required = 1, .min = 1, .max = ID_MAX},
    {.name = "position_id", .type = FT_INT, .required = 1, .min = 1, .max = ID_MAX},
    {.name = "kind", .type = FT_ENUM, .required = 1, .allowed = constraint_kinds},
    {.name = "note", .type = FT_TEXT, .max = 1000},
    {0},
};

/* Every page of a list, for building a run's input. */
static int list_all(struct request *r, enum entity e, json_t *filters, json_t **out, struct tb_err *err)
{
    struct list_query q = {.limit = 200};
    struct list_page page;
    char *cursor = NULL;
    json_t *all = json_array();
    do {
        q.cursor = cursor;
        if (store_entity_list(r->store, &r->actor, e, &q, filters, &page, err) < 0) {
            free(cursor);
            json_decref(all);
            return -1;
        }
        json_array_extend(all, page.items);
        free(cursor);
        cursor = page.next_cursor ? strdup(page.next_cursor) : NULL;
        list_page_free(&page);
    } while (cursor);
    *out = all;
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

int h_match_weights_get(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org_id;
    json_t *stored;
    if (req_operator(r, &org_id, err) < 0 || store_match_settings_get(r->store, &r->actor, org_id, &stored, err) < 0)
        return -1;
    json_t *out = json_pack("{s:I, s:o, s:b}", "org_id", (json_int_t)org_id, "weights",
                            match_weights_effective(stored), "defaults", stored == NULL);
    json_decref(stored);
    return respond_json(res, 200, out);
}

int h_match_weights_put(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org_id;
    if (match_weights_validate(r->body, err) < 0 || req_operator(r, &org_id, err) < 0 ||
        store_match_settings_put(r->store, &r->actor, org_id, r->body, err) < 0)
        return -1;
    return h_match_weights_get(r, res, err);
}

int h_match_constraint_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list(r, res, ENT_MATCH_CONSTRAINT, NULL, err);
}

int h_match_constraint_create(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *fields = json_deep_copy(r->body);
    json_object_set_new(fields, "created_by", json_integer(r->actor.user_id));
    json_t *cohort;
    int rc = store_entity_get(r->store, &r->actor, ENT_COHORT, json_integer_value(json_object_get(fields, "cohort_id")),
                              &cohort, err);
    if (rc == 0) {
        if (r->actor.all_tenants)
            json_object_set(fields, "org_id", json_object_get(cohort, "org_id"));
        json_decref(cohort);
        rc = entity_create(r, res, ENT_MATCH_CONSTRAINT, fields, "match-constraints", NULL, err);
        if (rc < 0 && err->status == 409)
            tb_fail(err, 409, "conflict", "position_id", "position_id: this pair already has a lock or veto; delete it first");
    } else if (err->status == 404) {
        TB_INVALID(err, "cohort_id", "cohort_id: no such cohort");
    }
    json_decref(fields);
    return rc;
}

int h_match_constraint_delete(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_delete(r, res, ENT_MATCH_CONSTRAINT, err);
}

int h_match_run_list(struct request *r, struct response *res, struct tb_err *err)
{
    return entity_list(r, res, ENT_MATCH_RUN, NULL, err);
}

int h_match_run_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *run;
    if (entity_load(r, ENT_MATCH_RUN, &run, err) < 0)
        return -1;
    return entity_reply(r, res, 200, run);
}

/* Appends record id of entity e to list unless it is there already. */
static int fetch_once(struct request *r, json_t *list, enum entity e, const json_t *id, struct tb_err *err)
{
    size_t k;
    json_t *x, *rec;
    json_array_foreach(list, k, x)
        if (json_equal(json_object_get(x, "id"), id))
            return 0;
    if (store_entity_get(r->store, &r->actor, e, json_integer_value(id), &rec, err) < 0)
        return -1;
    return json_array_append_new(list, rec);
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

int h_match_run_create(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t cohort_id = json_integer_value(json_object_get(r->body, "cohort_id"));
    json_t *cohort;
    if (store_entity_get(r->store, &r->actor, ENT_COHORT, cohort_id, &cohort, err) < 0) {
        if (err->status == 404)
            TB_INVALID(err, "cohort_id", "cohort_id: no such cohort");
        return -1;
    }
    int64_t org_id = json_integer_value(json_object_get(cohort, "org_id"));
    json_int_t cohort_version = json_integer_value(json_object_get(cohort, "version"));
    json_decref(cohort);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)cohort_id);
    json_t *filter = json_pack("{s:s}", "cohort_id", id);
    json_t *positions = NULL, *apps = NULL, *constraints = NULL, *stored = NULL;
    json_t *graduates = json_array(), *companies = json_array(), *input = NULL, *result = NULL;
    int rc = -1;
    if (list_all(r, ENT_POSITION, filter, &positions, err) < 0 || list_all(r, ENT_APPLICATION, filter, &apps, err) < 0 ||
        list_all(r, ENT_MATCH_CONSTRAINT, filter, &constraints, err) < 0 ||
        store_match_settings_get(r->store, &r->actor, org_id, &stored, err) < 0)
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
    const char *source = json_string_value(json_object_get(r->body, "source"));
    if (source && !strcmp(source, "pool")) {
        /* The operator's whole pool; graduates with a live placement are
         * marked placed (they stay in the input, so they can be told why). */
        json_t *placements = NULL;
        json_decref(graduates);
        graduates = NULL;
        if (list_all(r, ENT_GRADUATE, NULL, &graduates, err) < 0 || list_all(r, ENT_PLACEMENT, NULL, &placements, err) < 0)
            goto out;
        json_array_foreach(graduates, i, v) {
            size_t k;
            json_t *pl;
            json_array_foreach(placements, k, pl) {
                const char *st = json_string_value(json_object_get(pl, "status"));
                if (json_equal(json_object_get(pl, "graduate_id"), json_object_get(v, "id")) && st &&
                    (!strcmp(st, "draft") || !strcmp(st, "signed")))
                    json_object_set_new(v, "placed", json_true());
            }
        }
        json_array_foreach(apps, i, v)
            if (!strcmp(json_string_value(json_object_get(v, "stage")), "accepted")) {
                size_t k;
                json_t *g;
                json_array_foreach(graduates, k, g)
                    if (json_equal(json_object_get(g, "id"), json_object_get(v, "graduate_id")))
                        json_object_set_new(g, "placed", json_true());
            }
        json_decref(placements);
    } else {
        json_array_foreach(apps, i, v)
            if (fetch_once(r, graduates, ENT_GRADUATE, json_object_get(v, "graduate_id"), err) < 0)
                goto out;
    }
    json_array_foreach(positions, i, v)
        if (fetch_once(r, companies, ENT_COMPANY, json_object_get(v, "company_id"), err) < 0)
            goto out;
    strip(positions);
    strip(apps);
    strip(graduates);
    strip(companies);
    strip(constraints);
    json_t *options = json_deep_copy(r->body);
    json_object_del(options, "cohort_id");
    json_object_del(options, "engine");
    input = json_pack("{s:O, s:o, s:o, s:O, s:O, s:O, s:O, s:O}", "engine", json_object_get(r->body, "engine"),
                      "options", options, "weights", stored ? json_incref(stored) : json_null(), "graduates",
                      graduates, "positions", positions, "applications", apps, "constraints", constraints,
                      "companies", companies);
    if (match_run_compute(input, &result, err) < 0)
        goto out;
    stamp_versions(result, graduates, positions, cohort_version);
    char hash[65];
    match_run_input_hash(input, hash);
    json_t *fields = json_pack("{s:I, s:O, s:O, s:s, s:O, s:s, s:I}", "cohort_id", (json_int_t)cohort_id, "engine",
                               json_object_get(r->body, "engine"), "options", json_object_get(input, "options"),
                               "input_hash", hash, "result", result, "status", "proposed", "created_by",
                               (json_int_t)r->actor.user_id);
    if (r->actor.all_tenants)
        json_object_set_new(fields, "org_id", json_integer(org_id));
    rc = entity_create(r, res, ENT_MATCH_RUN, fields, "match-runs", NULL, err);
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

static int set_run_status(struct request *r, int64_t version, const char *status, struct tb_err *err, json_t **out)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *changes = !strcmp(status, "approved")
                          ? json_pack("{s:s, s:s, s:I}", "status", status, "approved_at", now, "approved_by",
                                      (json_int_t)r->actor.user_id)
                          : json_pack("{s:s}", "status", status);
    int rc = store_entity_update(r->store, &r->actor, ENT_MATCH_RUN, r->ids[0], version, changes, out, err);
    json_decref(changes);
    return rc;
}

/* 409 stale_run when a record the run saw changed since (version). */
static int check_version(struct request *r, enum entity e, int64_t id, json_int_t seen, const char *what,
                         struct tb_err *err)
{
    json_t *rec;
    if (seen <= 0)
        return 0;
    if (store_entity_get(r->store, &r->actor, e, id, &rec, err) < 0)
        return -1;
    json_int_t now = json_integer_value(json_object_get(rec, "version"));
    json_decref(rec);
    if (now != seen)
        return tb_fail(err, 409, "stale_run", "", "%s %lld changed since the run (version %lld, now %lld); run the "
                       "match again", what, (long long)id, (long long)seen, (long long)now);
    return 0;
}

/* A suggestion becomes an application at "offered"; the graduate is told by
 * mail (outbox) and may decline it like any offer. */
static int offer_suggestion(struct request *r, int64_t org_id, const json_t *pair, const char *note,
                            struct tb_err *err)
{
    int64_t gid = json_integer_value(json_object_get(pair, "graduate_id"));
    int64_t pid = json_integer_value(json_object_get(pair, "position_id"));
    /* the application's notes say why it was suggested, for the graduate
     * and the company alike */
    const char *why = arena_printf(r->arena, "%s: suggested from the pool because", note);
    size_t i;
    json_t *reason;
    json_array_foreach(json_object_get(pair, "reasons"), i, reason)
        why = arena_printf(r->arena, "%s%s %s", why, i ? ";" : "", json_string_value(reason));
    json_t *fields = json_pack("{s:I, s:I, s:s, s:s}", "graduate_id", (json_int_t)gid, "position_id",
                               (json_int_t)pid, "stage", "offered", "notes", why);
    if (r->actor.all_tenants)
        json_object_set_new(fields, "org_id", json_integer(org_id));
    int64_t app_id;
    int rc = store_entity_create(r->store, &r->actor, ENT_APPLICATION, fields, &app_id, err);
    json_decref(fields);
    if (rc < 0) {
        if (err->status == 409)
            tb_fail(err, 409, "stale_run", "", "graduate %lld has an application to position %lld since the run; "
                    "run the match again", (long long)gid, (long long)pid);
        return -1;
    }
    if (store_application_event(r->store, &r->actor, org_id, app_id, NULL, "offered", note, err) < 0)
        return -1;
    json_t *g;
    if (store_entity_get(r->store, &r->actor, ENT_GRADUATE, gid, &g, err) < 0)
        return -1;
    const char *email = arena_strdup(r->arena, json_string_value(json_object_get(g, "email")));
    const char *name = arena_strdup(r->arena, json_string_value(json_object_get(g, "name")));
    json_decref(g);
    if (!email || !*email)
        return 0;
    const char *title = json_string_value(json_object_get(pair, "position_title"));
    const char *company = json_string_value(json_object_get(pair, "company_name"));
    const char *body = arena_printf(r->arena,
        "Hello %s,\n\nYour programme coordinator proposes you for the position %s at %s: it fits your profile "
        "(score %lld of 100).\nWhy it was suggested:\n", name ? name : "", title ? title : "", company ? company : "",
        (long long)json_integer_value(json_object_get(pair, "score")) / 100);
    json_array_foreach(json_object_get(pair, "reasons"), i, reason)
        body = arena_printf(r->arena, "%s- %s\n", body, json_string_value(reason));
    body = arena_printf(r->arena, "%s\nYou can accept or decline this offer in TradeBridge (%s/), under your "
                        "applications.\n\n-- TradeBridge\n", body, r->cfg->public_url);
    /* The run is the actor's operator's (or the foundation admin's, already elevated). */
    return store_outbox_add(r->store, &r->actor, org_id, email,
                            arena_printf(r->arena, "Proposed for %s at %s", title ? title : "a position",
                                         company ? company : "a company"), body, err);
}

/* Approval turns every pair into an offer: the application moves to
 * "offered" with a note naming the run; a suggestion from the pool becomes
 * a new application at "offered". One transaction: on any error nothing is
 * approved. A run whose cohort, graduates or positions changed since is
 * refused (409 stale_run). */
int h_match_run_approve(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *run = NULL, *out = NULL;
    int mailed = 0;
    if (store_begin(r->store, err) < 0)
        return -1;
    if (entity_load(r, ENT_MATCH_RUN, &run, err) < 0)
        goto fail;
    if (strcmp(json_string_value(json_object_get(run, "status")), "proposed")) {
        tb_fail(err, 409, "invalid_transition", "status", "status: this run is already %s",
                json_string_value(json_object_get(run, "status")));
        goto fail;
    }
    int64_t org_id = json_integer_value(json_object_get(run, "org_id"));
    const json_t *result = json_object_get(run, "result");
    if (check_version(r, ENT_COHORT, json_integer_value(json_object_get(run, "cohort_id")),
                      json_integer_value(json_object_get(json_object_get(result, "summary"), "cohort_version")),
                      "cohort", err) < 0)
        goto fail;
    const char *note = arena_printf(r->arena, "Offer from match run %lld", (long long)r->ids[0]);
    size_t i;
    json_t *pair;
    json_array_foreach(json_object_get(result, "pairs"), i, pair) {
        if (check_version(r, ENT_GRADUATE, json_integer_value(json_object_get(pair, "graduate_id")),
                          json_integer_value(json_object_get(pair, "graduate_version")), "graduate", err) < 0 ||
            check_version(r, ENT_POSITION, json_integer_value(json_object_get(pair, "position_id")),
                          json_integer_value(json_object_get(pair, "position_version")), "position", err) < 0)
            goto fail;
        int64_t app_id = json_integer_value(json_object_get(pair, "application_id"));
        if (app_id == 0) {
            if (offer_suggestion(r, org_id, pair, note, err) < 0)
                goto fail;
            mailed = 1;
            continue;
        }
        json_t *app, *updated;
        if (store_entity_get(r->store, &r->actor, ENT_APPLICATION, app_id, &app, err) < 0)
            goto fail;
        const char *stage = arena_strdup(r->arena, json_string_value(json_object_get(app, "stage")));
        int64_t version = json_integer_value(json_object_get(app, "version"));
        json_decref(app);
        if (!strcmp(stage, "offered") || !strcmp(stage, "accepted"))
            continue;
        if (!strcmp(stage, "declined") || !strcmp(stage, "rejected") || !strcmp(stage, "withdrawn")) {
            tb_fail(err, 409, "stale_run", "", "application %lld is %s since the run; run the match again",
                    (long long)app_id, stage);
            goto fail;
        }
        json_t *changes = json_pack("{s:s}", "stage", "offered");
        int rc = store_entity_update(r->store, &r->actor, ENT_APPLICATION, app_id, version, changes, &updated, err);
        json_decref(changes);
        if (rc < 0)
            goto fail;
        json_decref(updated);
        if (store_application_event(r->store, &r->actor, org_id, app_id, stage, "offered", note, err) < 0)
            goto fail;
    }
    if (set_run_status(r, json_integer_value(json_object_get(run, "version")), "approved", err, &out) < 0 ||
        store_commit(r->store, err) < 0)
        goto fail;
    json_decref(run);
    if (mailed)
        http_mail_wake();
    return entity_reply(r, res, 200, out);
fail:
    json_decref(run);
    store_rollback(r->store);
    return -1;
}

int h_match_run_discard(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *run, *out;
    if (entity_load(r, ENT_MATCH_RUN, &run, err) < 0)
        return -1;
    int proposed = !strcmp(json_string_value(json_object_get(run, "status")), "proposed");
    int64_t version = json_integer_value(json_object_get(run, "version"));
    json_decref(run);
    if (!proposed)
        return tb_fail(err, 409, "invalid_transition", "status", "status: only a proposed run can be discarded");
    if (set_run_status(r, version, "discarded", err, &out) < 0)
        return -1;
    return entity_reply(r, res, 200, out);
}

/*
 * A position's shortlist from the newest run of its cohort that is not
 * discarded: for staff and for the company that owns the position (the
 * position is read with the caller's own scope, so another company gets 404).
 * Runs are staff records; they are read here with the operator's scope.
 */
int h_position_shortlist(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *pos;
    if (entity_load(r, ENT_POSITION, &pos, err) < 0)
        return -1;
    json_t *out = json_pack("{s:I, s:O, s:n, s:n, s:n, s:[]}", "position_id", (json_int_t)r->ids[0], "title",
                            json_object_get(pos, "title"), "run_id", "run_status", "candidates", "shortlist");
    json_decref(pos);
    struct list_query q = {.limit = 50, .sort = "-id"};
    struct list_page page;
    int rc = store_position_runs(r->store, &r->actor, r->ids[0], &q, &page, err);
    if (rc < 0) {
        json_decref(out);
        return -1;
    }
    size_t i, k;
    json_t *run, *list;
    json_array_foreach(page.items, i, run) {
        if (json_integer_value(json_object_get(run, "org_id")) != r->actor.tenant_id && !r->actor.all_tenants)
            continue;
        if (!strcmp(json_string_value(json_object_get(run, "status")), "discarded"))
            continue;
        json_array_foreach(json_object_get(json_object_get(run, "result"), "shortlists"), k, list) {
            if (json_integer_value(json_object_get(list, "position_id")) != r->ids[0])
                continue;
            json_object_set(out, "run_id", json_object_get(run, "id"));
            json_object_set(out, "run_status", json_object_get(run, "status"));
            json_object_set(out, "candidates", json_object_get(list, "candidates"));
            json_object_set(out, "shortlist", json_object_get(list, "shortlist"));
            break;
        }
        if (!json_is_null(json_object_get(out, "run_id")))
            break;
    }
    list_page_free(&page);
    return respond_json(res, 200, out);
}
