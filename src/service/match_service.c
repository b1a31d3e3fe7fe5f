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
#include "service/pages.h"
#include "store/entity.h"

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
    if (referenced(st, a, apps, "graduate_id", ENT_GRADUATE, graduates, err) < 0 ||
        referenced(st, a, positions, "company_id", ENT_COMPANY, companies, err) < 0)
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

/* Approval turns every pair into an offer: the application moves to
 * "offered" with a note naming the run, in one transaction. */
int match_service_approve(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err)
{
    json_t *run = NULL;
    *out = NULL;
    if (store_begin(st, err) < 0)
        return -1;
    if (store_entity_get(st, a, ENT_MATCH_RUN, id, &run, err) < 0)
        goto fail;
    if (strcmp(json_string_value(json_object_get(run, "status")), "proposed")) {
        tb_error(err, TB_E_INVALID_TRANSITION, "status", "status: this run is already %s",
                json_string_value(json_object_get(run, "status")));
        goto fail;
    }
    int64_t org_id = json_integer_value(json_object_get(run, "org_id"));
    char note[64];
    snprintf(note, sizeof note, "Offer from match run %lld", (long long)id);
    size_t i;
    json_t *pair;
    json_array_foreach(json_object_get(json_object_get(run, "result"), "pairs"), i, pair) {
        int64_t app_id = json_integer_value(json_object_get(pair, "application_id"));
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
        json_t *changes = json_pack("{s:s}", "stage", "offered");
        int rc = store_entity_update(st, a, ENT_APPLICATION, app_id, version, changes, &updated, err);
        json_decref(changes);
        if (rc < 0)
            goto fail;
        json_decref(updated);
        if (store_application_event(st, a, org_id, app_id, stage, "offered", note, err) < 0)
            goto fail;
    }
    if (set_run_status(st, a, id, json_integer_value(json_object_get(run, "version")), "approved", err, out) < 0 ||
        store_commit(st, err) < 0)
        goto fail;
    json_decref(run);
    return 0;
fail:
    json_decref(run);
    store_rollback(st);
    return -1;
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
