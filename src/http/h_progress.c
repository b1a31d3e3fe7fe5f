/*
 * h_progress.c - training progress: a cohort's grid of trainees x modules by
 * state with the at-risk list (late deliverables, failed test attempts, no
 * activity for N days), as JSON, CSV or XLSX; counts across operators.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/entity_http.h"
#include "http/export.h"
#include "http/handlers.h"
#include "store/store_training.h"

#define INACTIVE_DAYS_DEFAULT 21

/* A cell's state as the grid shows it: the deliverable's, unless the
 * module was passed as a whole, or is not part of the plan. */
static const char *cell_state(const json_t *row)
{
    if (!json_integer_value(json_array_get(row, GRID_SELECTED)))
        return "not_chosen";
    const char *s = json_string_value(json_array_get(row, GRID_STATE));
    if (!strcmp(s, "approved") && strcmp(json_string_value(json_array_get(row, GRID_TEST_STATE)), "failed"))
        return json_is_integer(json_array_get(row, GRID_RESULT)) ? "done" : "approved";
    if (json_integer_value(json_array_get(row, GRID_LATE)))
        return "late";
    return s;
}

struct trainee_acc {
    json_t *trainee;          /* {"placement_id","trainee","states","results"} being filled */
    int64_t placement_id;
    int late, failed, done;
    const char *last;         /* latest activity (borrowed from the rows) */
};

static void trainee_close(struct trainee_acc *t, json_t *trainees, json_t *at_risk, json_t *flat, const json_t *modules,
                          const char *cutoff, long days)
{
    if (!t->trainee)
        return;
    json_object_set_new(t->trainee, "done", json_integer(t->done));
    json_t *reasons = json_array();
    if (t->late)
        json_array_append_new(reasons, json_sprintf("%d late deliverable%s", t->late, t->late == 1 ? "" : "s"));
    if (t->failed)
        json_array_append_new(reasons, json_sprintf("%d failed test%s", t->failed, t->failed == 1 ? "" : "s"));
    if (!t->last || strcmp(t->last, cutoff) < 0)
        json_array_append_new(reasons, json_sprintf("no activity for %ld days", days));
    if (json_array_size(reasons))
        json_array_append_new(at_risk, json_pack("{s:I, s:O, s:o}", "placement_id", (json_int_t)t->placement_id,
                                                 "trainee", json_object_get(t->trainee, "trainee"), "reasons", reasons));
    else
        json_decref(reasons);
    if (flat) {   /* one spreadsheet row: the trainee, then a column per module */
        json_t *row = json_pack("{s:I, s:O}", "placement_id", (json_int_t)t->placement_id, "trainee",
                                json_object_get(t->trainee, "trainee"));
        size_t i;
        json_t *code;
        json_array_foreach(modules, i, code)
            json_object_set(row, json_string_value(code), json_array_get(json_object_get(t->trainee, "states"), i));
        json_object_set_new(row, "done", json_integer(t->done));
        json_array_append_new(flat, row);
    }
    json_array_append_new(trainees, t->trainee);
    t->trainee = NULL;
}

int h_cohort_progress(struct request *r, struct response *res, struct tb_err *err)
{
    enum export_format fmt;
    if (export_format_of(r, &fmt, err) < 0)
        return -1;
    const char *days_q = req_query(r, "inactive_days");
    long days = INACTIVE_DAYS_DEFAULT;
    if (days_q) {
        char *end;
        days = strtol(days_q, &end, 10);
        if (*end || days < 1 || days > 365)
            return TB_INVALID(err, "inactive_days", "inactive_days: a number of days from 1 to 365");
    }
    char cutoff[32];
    time_t t = time(NULL) - days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(cutoff, sizeof cutoff, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *rows;
    if (store_progress_grid(r->store, &r->actor, r->ids[0], &rows, err) < 0)
        return -1;
    /* The modules in plan order (a cohort follows one curriculum version). */
    json_t *modules = json_array(), *index = json_object();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *code = json_string_value(json_array_get(row, GRID_CODE));
        if (!json_object_get(index, code)) {
            json_object_set_new(index, code, json_integer((json_int_t)json_array_size(modules)));
            json_array_append_new(modules, json_string(code));
        }
    }
    size_t nmod = json_array_size(modules);
    json_t *trainees = json_array(), *at_risk = json_array(), *flat = fmt ? json_array() : NULL;
    struct trainee_acc acc = {0};
    json_array_foreach(rows, i, row) {
        int64_t pid = json_integer_value(json_array_get(row, GRID_PLACEMENT));
        if (!acc.trainee || pid != acc.placement_id) {
            trainee_close(&acc, trainees, at_risk, flat, modules, cutoff, days);
            acc = (struct trainee_acc){.placement_id = pid};
            json_t *states = json_array(), *results = json_array();
            for (size_t k = 0; k < nmod; k++) {
                json_array_append_new(states, json_null());
                json_array_append_new(results, json_null());
            }
            acc.trainee = json_pack("{s:I, s:O, s:o, s:o}", "placement_id", (json_int_t)pid, "trainee",
                                    json_array_get(row, GRID_TRAINEE), "states", states, "results", results);
        }
        size_t k = (size_t)json_integer_value(json_object_get(index, json_string_value(json_array_get(row, GRID_CODE))));
        const char *state = cell_state(row);
        acc.late += !strcmp(state, "late");
        acc.failed += !strcmp(json_string_value(json_array_get(row, GRID_TEST_STATE)), "failed");
        acc.done += !strcmp(state, "done");
        const char *act = json_string_value(json_array_get(row, GRID_LAST_ACTIVITY));
        if (act && (!acc.last || strcmp(act, acc.last) > 0))
            acc.last = act;
        json_array_set_new(json_object_get(acc.trainee, "states"), k, json_string(state));
        json_array_set(json_object_get(acc.trainee, "results"), k, json_array_get(row, GRID_RESULT));
    }
    trainee_close(&acc, trainees, at_risk, flat, modules, cutoff, days);
    json_decref(index);
    json_decref(rows);
    if (fmt) {
        json_decref(modules);
        json_decref(trainees);
        json_decref(at_risk);
        int rc = export_send_rows(r, res, fmt, "progress", flat, err);
        json_decref(flat);
        return rc;
    }
    return respond_json(res, 200, json_pack("{s:I, s:o, s:o, s:o, s:i}", "cohort_id", (json_int_t)r->ids[0], "modules",
                                            modules, "trainees", trainees, "at_risk", at_risk, "inactive_days", (int)days));
}

/* Counts only: modules by state per operator (the foundation across all). */
int h_training_counts(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *rows;
    if (store_progress_counts(r->store, &r->actor, &rows, err) < 0)
        return -1;
    json_t *by_org = json_object();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        char key[32];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(row, "org_id")));
        json_t *o = json_object_get(by_org, key);
        if (!o) {
            o = json_object();
            json_object_set_new(by_org, key, o);
        }
        json_object_set(o, json_string_value(json_object_get(row, "state")), json_object_get(row, "modules"));
    }
    json_decref(rows);
    return respond_json(res, 200, json_pack("{s:o}", "plan_modules_by_state", by_org));
}
