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

/* One trainee's row, kept until every row is read: the query comes in
 * placement order (index order, no sort of 12,000 cells); the trainees are
 * then sorted by name here, 1,000 entries instead of 12,000. */
struct trainee_out {
    const char *name;
    int64_t placement_id;
    json_t *trainee, *reasons, *flat;
};

struct grid {
    json_t *modules, *index;
    const char *cutoff;
    long days;
    int spreadsheet;
    struct trainee_out *out;
    size_t n, cap;
    /* Cells share one value per state and per result (immutable, refcounted). */
    struct { const char *key; json_t *v; } states[12];
    size_t nstates;
    json_t *numbers[101];
    /* the trainee being filled */
    json_t *trainee, *states_a, *results_a;
    int64_t placement_id;
    int late, failed, done;
    char last[40];
};

static json_t *state_value(struct grid *g, const char *state)
{
    for (size_t i = 0; i < g->nstates; i++)
        if (!strcmp(g->states[i].key, state))
            return json_incref(g->states[i].v);
    json_t *v = json_string(state);
    if (v && g->nstates < sizeof g->states / sizeof g->states[0]) {
        g->states[g->nstates].v = v;
        g->states[g->nstates].key = json_string_value(v);
        g->nstates++;
        return json_incref(v);
    }
    return v;
}

static json_t *result_value(struct grid *g, const struct grid_row *row)
{
    if (!row->has_result)
        return json_null();
    if (row->result < 0 || row->result > 100)
        return json_integer(row->result);
    if (!g->numbers[row->result])
        g->numbers[row->result] = json_integer(row->result);
    return json_incref(g->numbers[row->result]);
}

static void grid_free(struct grid *g)
{
    for (size_t i = 0; i < g->nstates; i++)
        json_decref(g->states[i].v);
    for (size_t i = 0; i < sizeof g->numbers / sizeof g->numbers[0]; i++)
        json_decref(g->numbers[i]);
    for (size_t i = 0; i < g->n; i++) {
        json_decref(g->out[i].trainee);
        json_decref(g->out[i].reasons);
        json_decref(g->out[i].flat);
    }
    free(g->out);
    json_decref(g->trainee);
    json_decref(g->index);
}

static int trainee_close(struct grid *g)
{
    if (!g->trainee)
        return 0;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 256;
        struct trainee_out *o = realloc(g->out, cap * sizeof *o);
        if (!o)
            return -1;
        g->out = o;
        g->cap = cap;
    }
    json_object_set_new(g->trainee, "done", json_integer(g->done));
    json_t *reasons = json_array();
    if (g->late)
        json_array_append_new(reasons, json_sprintf("%d late deliverable%s", g->late, g->late == 1 ? "" : "s"));
    if (g->failed)
        json_array_append_new(reasons, json_sprintf("%d failed test%s", g->failed, g->failed == 1 ? "" : "s"));
    if (!g->last[0] || strcmp(g->last, g->cutoff) < 0)
        json_array_append_new(reasons, json_sprintf("no activity for %ld days", g->days));
    json_t *flat = NULL;
    if (g->spreadsheet) {   /* one spreadsheet row: the trainee, then a column per module */
        flat = json_pack("{s:I, s:O}", "placement_id", (json_int_t)g->placement_id, "trainee",
                         json_object_get(g->trainee, "trainee"));
        size_t i;
        json_t *code;
        json_array_foreach(g->modules, i, code)
            json_object_set(flat, json_string_value(code),
                            json_array_get(g->states_a, i) ? json_array_get(g->states_a, i) : json_null());
        json_object_set_new(flat, "done", json_integer(g->done));
    }
    g->out[g->n++] = (struct trainee_out){.name = json_string_value(json_object_get(g->trainee, "trainee")),
                                          .placement_id = g->placement_id, .trainee = g->trainee,
                                          .reasons = reasons, .flat = flat};
    g->trainee = NULL;
    return 0;
}

static int by_name(const void *x, const void *y)
{
    const struct trainee_out *a = x, *b = y;
    int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
    return c ? c : (a->placement_id > b->placement_id) - (a->placement_id < b->placement_id);
}

static int grid_row(void *ctx, const struct grid_row *row)
{
    struct grid *g = ctx;
    if (!g->trainee || row->placement_id != g->placement_id) {
        if (trainee_close(g) < 0)
            return -1;
        g->placement_id = row->placement_id;
        g->late = g->failed = g->done = 0;
        g->last[0] = '\0';
        g->states_a = json_array();
        g->results_a = json_array();
        g->trainee = json_pack("{s:I, s:s, s:o, s:o}", "placement_id", (json_int_t)row->placement_id, "trainee",
                               row->trainee ? row->trainee : "", "states", g->states_a, "results", g->results_a);
        if (!g->trainee)
            return -1;
    }
    json_t *k = json_object_get(g->index, row->code);
    size_t at = k ? (size_t)json_integer_value(k) : json_array_size(g->modules);
    if (!k) {
        json_object_set_new(g->index, row->code, json_integer((json_int_t)at));
        json_array_append_new(g->modules, json_string(row->code));
    }
    while (json_array_size(g->states_a) <= at) {
        json_array_append_new(g->states_a, json_null());
        json_array_append_new(g->results_a, json_null());
    }
    const char *state = cell_state(row);
    g->late += !strcmp(state, "late");
    g->failed += !strcmp(row->test_state, "failed");
    g->done += !strcmp(state, "done");
    if (row->last_activity && strcmp(row->last_activity, g->last) > 0)
        snprintf(g->last, sizeof g->last, "%s", row->last_activity);
    json_array_set_new(g->states_a, at, state_value(g, state));
    json_array_set_new(g->results_a, at, result_value(g, row));
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
    struct grid g = {.modules = json_array(), .index = json_object(), .spreadsheet = fmt != 0, .cutoff = cutoff,
                     .days = days};
    int rc = store_progress_grid(r->store, &r->actor, r->ids[0], grid_row, &g, err);
    if (rc == 0 && trainee_close(&g) < 0)
        rc = TB_INTERNAL(err, "out of memory");
    json_t *trainees = json_array(), *at_risk = json_array(), *flat = fmt ? json_array() : NULL;
    if (rc == 0) {
        qsort(g.out, g.n, sizeof *g.out, by_name);
        for (size_t i = 0; i < g.n; i++) {
            struct trainee_out *o = &g.out[i];
            if (json_array_size(o->reasons))
                json_array_append_new(at_risk, json_pack("{s:I, s:O, s:O}", "placement_id", (json_int_t)o->placement_id,
                                                         "trainee", json_object_get(o->trainee, "trainee"), "reasons",
                                                         o->reasons));
            json_array_append(trainees, o->trainee);
            if (flat)
                json_array_append(flat, o->flat);
        }
    }
    grid_free(&g);
    if (rc < 0 || fmt) {
        if (rc == 0)
            rc = export_send_rows(r, res, fmt, "progress", flat, err);
        json_decref(g.modules);
        json_decref(trainees);
        json_decref(at_risk);
        json_decref(flat);
        return rc;
    }
    return respond_json(res, 200, json_pack("{s:I, s:o, s:o, s:o, s:i}", "cohort_id", (json_int_t)r->ids[0], "modules",
                                            g.modules, "trainees", trainees, "at_risk", at_risk, "inactive_days",
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
