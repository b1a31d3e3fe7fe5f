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
static const char *cell_state(const struct grid_row *row)
{
    if (!row->selected)
        return "not_chosen";
    if (!strcmp(row->state, "approved") && strcmp(row->test_state, "failed"))
        return row->has_result ? "done" : "approved";
    if (row->late)
        return "late";
    return row->state;
}

struct grid {
    json_t *modules, *index, *trainees, *at_risk, *flat;
    const char *cutoff;
    long days;
    /* the trainee being filled */
    json_t *trainee, *states, *results;
    int64_t placement_id;
    int late, failed, done;
    char last[40];
};

static void trainee_close(struct grid *g)
{
    if (!g->trainee)
        return;
    json_object_set_new(g->trainee, "done", json_integer(g->done));
    json_t *reasons = json_array();
    if (g->late)
        json_array_append_new(reasons, json_sprintf("%d late deliverable%s", g->late, g->late == 1 ? "" : "s"));
    if (g->failed)
        json_array_append_new(reasons, json_sprintf("%d failed test%s", g->failed, g->failed == 1 ? "" : "s"));
    if (!g->last[0] || strcmp(g->last, g->cutoff) < 0)
        json_array_append_new(reasons, json_sprintf("no activity for %ld days", g->days));
    if (json_array_size(reasons))
        json_array_append_new(g->at_risk, json_pack("{s:I, s:O, s:o}", "placement_id", (json_int_t)g->placement_id,
                                                    "trainee", json_object_get(g->trainee, "trainee"), "reasons", reasons));
    else
        json_decref(reasons);
    if (g->flat) {   /* one spreadsheet row: the trainee, then a column per module */
        json_t *row = json_pack("{s:I, s:O}", "placement_id", (json_int_t)g->placement_id, "trainee",
                                json_object_get(g->trainee, "trainee"));
        size_t i;
        json_t *code;
        json_array_foreach(g->modules, i, code)
            json_object_set(row, json_string_value(code), json_array_get(g->states, i) ? json_array_get(g->states, i) : json_null());
        json_object_set_new(row, "done", json_integer(g->done));
        json_array_append_new(g->flat, row);
    }
    json_array_append_new(g->trainees, g->trainee);
    g->trainee = NULL;
}

static int grid_row(void *ctx, const struct grid_row *row)
{
    struct grid *g = ctx;
    if (!g->trainee || row->placement_id != g->placement_id) {
        trainee_close(g);
        g->placement_id = row->placement_id;
        g->late = g->failed = g->done = 0;
        g->last[0] = '\0';
        g->states = json_array();
        g->results = json_array();
        g->trainee = json_pack("{s:I, s:s, s:o, s:o}", "placement_id", (json_int_t)row->placement_id, "trainee",
                               row->trainee ? row->trainee : "", "states", g->states, "results", g->results);
        if (!g->trainee)
            return -1;
    }
    json_t *k = json_object_get(g->index, row->code);
    size_t at = k ? (size_t)json_integer_value(k) : json_array_size(g->modules);
    if (!k) {
        json_object_set_new(g->index, row->code, json_integer((json_int_t)at));
        json_array_append_new(g->modules, json_string(row->code));
    }
    while (json_array_size(g->states) <= at) {
        json_array_append_new(g->states, json_null());
        json_array_append_new(g->results, json_null());
    }
    const char *state = cell_state(row);
    g->late += !strcmp(state, "late");
    g->failed += !strcmp(row->test_state, "failed");
    g->done += !strcmp(state, "done");
    if (row->last_activity && strcmp(row->last_activity, g->last) > 0)
        snprintf(g->last, sizeof g->last, "%s", row->last_activity);
    json_array_set_new(g->states, at, json_string(state));
    json_array_set_new(g->results, at, row->has_result ? json_integer(row->result) : json_null());
    return 0;
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
    struct grid g = {.modules = json_array(), .index = json_object(), .trainees = json_array(), .at_risk = json_array(),
                     .flat = fmt ? json_array() : NULL, .cutoff = cutoff, .days = days};
    int rc = store_progress_grid(r->store, &r->actor, r->ids[0], grid_row, &g, err);
    if (rc == 0)
        trainee_close(&g);
    json_decref(g.trainee);
    json_decref(g.index);
    if (rc < 0 || fmt) {
        if (rc == 0)
            rc = export_send_rows(r, res, fmt, "progress", g.flat, err);
        json_decref(g.modules);
        json_decref(g.trainees);
        json_decref(g.at_risk);
        json_decref(g.flat);
        return rc;
    }
    return respond_json(res, 200, json_pack("{s:I, s:o, s:o, s:o, s:i}", "cohort_id", (json_int_t)r->ids[0], "modules",
                                            g.modules, "trainees", g.trainees, "at_risk", g.at_risk, "inactive_days",
                                            (int)days));
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
