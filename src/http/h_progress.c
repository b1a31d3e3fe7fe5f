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

/* The states a cell can show; the JSON answer writes them as they are. */
static const char *const CELL_STATES[] = {"planned", "submitted", "changes_requested", "approved", "done", "late",
                                          "not_chosen", NULL};

static int state_index(const char *state)
{
    for (int i = 0; CELL_STATES[i]; i++)
        if (!strcmp(CELL_STATES[i], state))
            return i;
    return 0;   /* the table's CHECK allows no other */
}

/* 12,000 cells for a large cohort: kept as small structs, not JSON values,
 * and written as JSON text at the end. The query comes in placement order
 * (index order, no sort); the 1,000 trainees are sorted by name here. */
struct cell {
    unsigned short module;   /* index into the module codes */
    signed char state;       /* index into CELL_STATES */
    short result;            /* -1: none */
};

struct trainee_out {
    char *name;
    int64_t placement_id;
    size_t first, count;     /* cells[first .. first + count) */
    int done, late, failed;
    char last[40];
};

struct grid {
    json_t *modules, *index;
    struct cell *cells;
    size_t ncells, cellcap;
    struct trainee_out *out;
    size_t n, cap;
};

/* Grows *p (of *cap elements of size sz) to hold n + 1; 0 or -1. */
static int grow(void **p, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 256;
    void *q = realloc(*p, c * sz);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static void grid_free(struct grid *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->out[i].name);
    free(g->out);
    free(g->cells);
    json_decref(g->index);
    json_decref(g->modules);
}

static int grid_row(void *ctx, const struct grid_row *row)
{
    struct grid *g = ctx;
    struct trainee_out *t = g->n ? &g->out[g->n - 1] : NULL;
    if (!t || row->placement_id != t->placement_id) {
        if (grow((void **)&g->out, &g->cap, g->n, sizeof *g->out) < 0)
            return -1;
        t = &g->out[g->n++];
        *t = (struct trainee_out){.name = strdup(row->trainee ? row->trainee : ""), .placement_id = row->placement_id,
                                  .first = g->ncells};
        if (!t->name)
            return -1;
    }
    json_t *k = json_object_get(g->index, row->code);
    size_t at = k ? (size_t)json_integer_value(k) : json_array_size(g->modules);
    if (!k) {
        if (at >= 65535 || json_object_set_new(g->index, row->code, json_integer((json_int_t)at)) < 0 ||
            json_array_append_new(g->modules, json_string(row->code)) < 0)
            return -1;
    }
    if (grow((void **)&g->cells, &g->cellcap, g->ncells, sizeof *g->cells) < 0)
        return -1;
    int st = state_index(cell_state(row));
    g->cells[g->ncells++] = (struct cell){.module = (unsigned short)at, .state = (signed char)st,
                                          .result = (short)(row->has_result ? row->result : -1)};
    t->count++;
    t->late += !strcmp(CELL_STATES[st], "late");
    t->failed += !strcmp(row->test_state, "failed");
    t->done += !strcmp(CELL_STATES[st], "done");
    if (row->last_activity && strcmp(row->last_activity, t->last) > 0)
        snprintf(t->last, sizeof t->last, "%s", row->last_activity);
    return 0;
}

static int by_name(const void *x, const void *y)
{
    const struct trainee_out *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->placement_id > b->placement_id) - (a->placement_id < b->placement_id);
}

/* A trainee's states and results in module order (null where the plan has no such module). */
static void trainee_cells(const struct grid *g, const struct trainee_out *t, const struct cell **by_module)
{
    size_t nm = json_array_size(g->modules);
    for (size_t m = 0; m < nm; m++)
        by_module[m] = NULL;
    for (size_t i = 0; i < t->count; i++)
        by_module[g->cells[t->first + i].module] = &g->cells[t->first + i];
}

static json_t *reasons_of(const struct trainee_out *t, const char *cutoff, long days)
{
    json_t *reasons = json_array();
    if (t->late)
        json_array_append_new(reasons, json_sprintf("%d late deliverable%s", t->late, t->late == 1 ? "" : "s"));
    if (t->failed)
        json_array_append_new(reasons, json_sprintf("%d failed test%s", t->failed, t->failed == 1 ? "" : "s"));
    if (!t->last[0] || strcmp(t->last, cutoff) < 0)
        json_array_append_new(reasons, json_sprintf("no activity for %ld days", days));
    return reasons;
}

static void put_json(struct abuf *b, const json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
    if (text)
        abuf_puts(b, text);
    else
        b->failed = 1;
    free(text);
}

/* The grid as JSON text: {cohort_id, modules, trainees: [{placement_id,
 * trainee, states, results, done}], at_risk: [{placement_id, trainee,
 * reasons}], inactive_days}. */
static int grid_json(struct request *r, struct response *res, const struct grid *g, int64_t cohort_id,
                     const char *cutoff, long days, struct tb_err *err)
{
    size_t nm = json_array_size(g->modules);
    const struct cell **cells = malloc((nm ? nm : 1) * sizeof *cells);
    json_t *at_risk = json_array();
    struct abuf b;
    abuf_init(&b, r->arena, SIZE_MAX / 4);
    abuf_printf(&b, "{\"cohort_id\":%lld,\"modules\":", (long long)cohort_id);
    put_json(&b, g->modules);
    abuf_puts(&b, ",\"trainees\":[");
    for (size_t i = 0; cells && i < g->n; i++) {
        const struct trainee_out *t = &g->out[i];
        json_t *name = json_string(t->name);
        abuf_printf(&b, "%s{\"placement_id\":%lld,\"trainee\":", i ? "," : "", (long long)t->placement_id);
        put_json(&b, name);
        trainee_cells(g, t, cells);
        abuf_puts(&b, ",\"states\":[");
        for (size_t m = 0; m < nm; m++) {
            if (m)
                abuf_puts(&b, ",");
            if (cells[m])
                abuf_printf(&b, "\"%s\"", CELL_STATES[(int)cells[m]->state]);
            else
                abuf_puts(&b, "null");
        }
        abuf_puts(&b, "],\"results\":[");
        for (size_t m = 0; m < nm; m++) {
            if (m)
                abuf_puts(&b, ",");
            if (cells[m] && cells[m]->result >= 0)
                abuf_printf(&b, "%d", cells[m]->result);
            else
                abuf_puts(&b, "null");
        }
        abuf_printf(&b, "],\"done\":%d}", t->done);
        json_t *reasons = reasons_of(t, cutoff, days);
        if (json_array_size(reasons))
            json_array_append_new(at_risk, json_pack("{s:I, s:O, s:o}", "placement_id", (json_int_t)t->placement_id,
                                                     "trainee", name, "reasons", reasons));
        else
            json_decref(reasons);
        json_decref(name);
    }
    abuf_puts(&b, "],\"at_risk\":");
    put_json(&b, at_risk);
    abuf_printf(&b, ",\"inactive_days\":%ld}", days);
    json_decref(at_risk);
    free(cells);
    if (!cells || b.failed || !abuf_cstr(&b))
        return TB_INTERNAL(err, "out of memory");
    res->status = 200;
    res->raw = b.data;
    res->raw_len = b.len;
    res->content_type = "application/json";
    return 0;
}

/* One spreadsheet row per trainee: the trainee, then a column per module. */
static json_t *grid_rows(const struct grid *g)
{
    size_t nm = json_array_size(g->modules);
    const struct cell **cells = malloc((nm ? nm : 1) * sizeof *cells);
    json_t *rows = json_array();
    for (size_t i = 0; cells && i < g->n; i++) {
        const struct trainee_out *t = &g->out[i];
        trainee_cells(g, t, cells);
        json_t *row = json_pack("{s:I, s:s}", "placement_id", (json_int_t)t->placement_id, "trainee", t->name);
        for (size_t m = 0; m < nm; m++)
            json_object_set_new(row, json_string_value(json_array_get(g->modules, m)),
                                cells[m] ? json_string(CELL_STATES[(int)cells[m]->state]) : json_null());
        json_object_set_new(row, "done", json_integer(t->done));
        json_array_append_new(rows, row);
    }
    free(cells);
    return rows;
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
    struct grid g = {.modules = json_array(), .index = json_object()};
    int rc = store_progress_grid(r->store, &r->actor, r->ids[0], grid_row, &g, err);
    if (rc < 0 && !err->status)
        rc = TB_INTERNAL(err, "out of memory");
    if (rc == 0) {
        qsort(g.out, g.n, sizeof *g.out, by_name);
        if (fmt) {
            json_t *rows = grid_rows(&g);
            rc = export_send_rows(r, res, fmt, "progress", rows, err);
            json_decref(rows);
        } else {
            rc = grid_json(r, res, &g, r->ids[0], cutoff, days, err);
        }
    }
    grid_free(&g);
    return rc;
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
