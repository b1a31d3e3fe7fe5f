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
#include "core/fields.h"
#include "http/handlers.h"

static const char *const engines[] = {"assign", "stable", NULL};
static const char *const modes[] = {"full", "partial", "maxcard", NULL};
static const char *const proposers[] = {"candidates", "positions", NULL};
static const char *const tie_rules[] = {"id", "lottery", NULL};
static const char *const constraint_kinds[] = {"lock", "forbid", NULL};

const struct field_spec match_run_fields[] = {
    {.name = "cohort_id", .type = FT_INT, .required = 1, .min = 1, .max = ID_MAX},
    {.name = "engine", .type = FT_ENUM, .required = 1, .allowed = engines},
    {.name = "mode", .type = FT_ENUM, .allowed = modes},
    {.name = "threshold", .type = FT_INT, .min = 0, .max = 10000},
    {.name = "proposing", .type = FT_ENUM, .allowed = proposers},
    {.name = "tie_break", .type = FT_ENUM, .allowed = tie_rules},
    {.name = "seed", .type = FT_INT, .min = 0, .max = ID_MAX},
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
    json_array_foreach(apps, i, v) {
        json_t *gid = json_object_get(v, "graduate_id"), *g;
        int seen = 0;
        size_t k;
        json_t *x;
        json_array_foreach(graduates, k, x)
            seen |= json_equal(json_object_get(x, "id"), gid);
        if (seen)
            continue;
        if (store_entity_get(r->store, &r->actor, ENT_GRADUATE, json_integer_value(gid), &g, err) < 0)
            goto out;
        json_array_append_new(graduates, g);
    }
    json_array_foreach(positions, i, v) {
        json_t *cid = json_object_get(v, "company_id"), *c;
        int seen = 0;
        size_t k;
        json_t *x;
        json_array_foreach(companies, k, x)
            seen |= json_equal(json_object_get(x, "id"), cid);
        if (seen)
            continue;
        if (store_entity_get(r->store, &r->actor, ENT_COMPANY, json_integer_value(cid), &c, err) < 0)
            goto out;
        json_array_append_new(companies, c);
    }
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

/* Approval turns every pair into an offer: the application moves to
 * "offered" with a note naming the run, in one transaction. */
int h_match_run_approve(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *run = NULL, *out = NULL;
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
    const char *note = arena_printf(r->arena, "Offer from match run %lld", (long long)r->ids[0]);
    size_t i;
    json_t *pair;
    json_array_foreach(json_object_get(json_object_get(run, "result"), "pairs"), i, pair) {
        int64_t app_id = json_integer_value(json_object_get(pair, "application_id"));
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
