/*
 * h_progress.c - training progress: a cohort's grid of trainees x modules by
 * state with the at-risk list (late deliverables, failed test attempts, no
 * activity for N days), as JSON, CSV or XLSX; counts across operators.
 *
 * The grid of a large cohort (1,000 trainees x 12 modules) is the hot path:
 * the store's rows become small structs (no allocation per cell, names in the
 * request's arena) and the answer is written as JSON text straight into one
 * buffer, byte for byte what jansson would write for the same document.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/entity_http.h"
#include "http/export.h"
#include "http/handlers.h"
#include "store/store_training.h"

#define INACTIVE_DAYS_DEFAULT 21

/* The states a cell can show, as the JSON answer writes them. */
enum cell_state { CS_PLANNED, CS_SUBMITTED, CS_CHANGES_REQUESTED, CS_APPROVED, CS_DONE, CS_LATE, CS_NOT_CHOSEN };
static const char *const CELL_STATES[] = {"planned", "submitted", "changes_requested", "approved", "done", "late",
                                          "not_chosen"};

/* A cell's state as the grid shows it: the deliverable's, unless the
 * module was passed as a whole, or is not part of the plan. */
static enum cell_state cell_state(const struct grid_row *row)
{
    if (!row->selected)
        return CS_NOT_CHOSEN;
    int approved = !strcmp(row->state, "approved");
    if (approved && strcmp(row->test_state, "failed"))
        return row->has_result ? CS_DONE : CS_APPROVED;
    if (row->late)
        return CS_LATE;
    if (approved)
        return CS_APPROVED;
    if (!strcmp(row->state, "submitted"))
        return CS_SUBMITTED;
    if (!strcmp(row->state, "changes_requested"))
        return CS_CHANGES_REQUESTED;
    return CS_PLANNED;   /* the table's CHECK allows no other */
}

/* 12,000 cells for a large cohort: kept as small structs, not JSON values,
 * and written as JSON text at the end. The query comes in placement order
 * (index order, no sort); the 1,000 trainees are sorted by name here. */
struct cell {
    unsigned short module;   /* index into the module codes */
    signed char state;       /* enum cell_state */
    short result;            /* -1: none */
};

struct trainee_out {
    const char *name;        /* in the request's arena */
    int64_t placement_id;
    size_t first, count;     /* cells[first .. first + count) */
    int done, late, failed;
    char last[40];
};

#define GRID_MODULES_MAX 1024

struct grid {
    struct arena *arena;
    const char *codes[GRID_MODULES_MAX];   /* the modules in order of first appearance */
    size_t nm;
    struct cell *cells;   /* views of the two buffers below, kept current as they grow */
    size_t ncells;
    struct trainee_out *out;
    size_t n;
    struct abuf cellbuf, outbuf;
};

/* One more element of sz bytes at the end of an array kept in an abuf (the
 * request's arena: checked sizes, freed with the request); 0 or -1. */
static int push(struct abuf *b, size_t sz)
{
    if (!abuf_reserve(b, sz))
        return -1;
    b->len += sz;
    return 0;
}

/* The module's index: plans list their modules in the same order, so the
 * trainee's k-th cell is nearly always the k-th module. -1: too many. */
static int module_of(struct grid *g, size_t k, const char *code)
{
    if (k < g->nm && !strcmp(g->codes[k], code))
        return (int)k;
    for (size_t i = 0; i < g->nm; i++)
        if (!strcmp(g->codes[i], code))
            return (int)i;
    if (g->nm >= GRID_MODULES_MAX || !(g->codes[g->nm] = arena_strdup(g->arena, code)))
        return -1;
    return (int)g->nm++;
}

static int grid_row(void *ctx, const struct grid_row *row)
{
    struct grid *g = ctx;
    struct trainee_out *t = g->n ? &g->out[g->n - 1] : NULL;
    if (!t || row->placement_id != t->placement_id) {
        if (push(&g->outbuf, sizeof *g->out) < 0)
            return -1;
        g->out = (struct trainee_out *)(void *)g->outbuf.data;
        t = &g->out[g->n++];
        *t = (struct trainee_out){.name = arena_strdup(g->arena, row->trainee ? row->trainee : ""),
                                  .placement_id = row->placement_id, .first = g->ncells};
        if (!t->name)
            return -1;
    }
    int at = module_of(g, t->count, row->code);
    if (at < 0 || push(&g->cellbuf, sizeof *g->cells) < 0)
        return -1;
    g->cells = (struct cell *)(void *)g->cellbuf.data;
    enum cell_state st = cell_state(row);
    g->cells[g->ncells++] = (struct cell){.module = (unsigned short)at, .state = (signed char)st,
                                          .result = (short)(row->has_result ? row->result : -1)};
    t->count++;
    t->late += st == CS_LATE;
    t->failed += !strcmp(row->test_state, "failed");
    t->done += st == CS_DONE;
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
    for (size_t m = 0; m < g->nm; m++)
        by_module[m] = NULL;
    for (size_t i = 0; i < t->count; i++)
        by_module[g->cells[t->first + i].module] = &g->cells[t->first + i];
}

/* s as a JSON string, exactly as jansson writes it (JSON_ENSURE_ASCII): plain
 * printable ASCII is copied as it is; anything else goes through jansson. */
static void put_string(struct abuf *b, const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++)
        if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
            break;
    if (!s[n]) {
        char *w = abuf_reserve(b, n + 2);
        if (w) {
            w[0] = '"';
            memcpy(w + 1, s, n);
            w[n + 1] = '"';
            b->len += n + 2;
            b->data[b->len] = '\0';
        }
        return;
    }
    json_t *v = json_string(s);
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY) : NULL;
    if (text)
        abuf_puts(b, text);
    else
        b->failed = 1;
    free(text);
    json_decref(v);
}

/* A small integer's digits at w; their count. */
static size_t put_int(char *w, long v)
{
    char tmp[24];
    size_t n = 0;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do
        tmp[n++] = (char)('0' + u % 10);
    while (u /= 10);
    size_t k = 0;
    if (v < 0)
        w[k++] = '-';
    while (n)
        w[k++] = tmp[--n];
    return k;
}

/* A trainee's row of the grid: {placement_id, trainee, states, results, done}. */
static void put_trainee(struct abuf *b, const struct grid *g, const struct trainee_out *t, const struct cell **cells,
                        int first)
{
    static const char *const quoted[] = {"\"planned\"", "\"submitted\"", "\"changes_requested\"", "\"approved\"",
                                         "\"done\"", "\"late\"", "\"not_chosen\""};
    abuf_printf(b, "%s{\"placement_id\":%lld,\"trainee\":", first ? "" : ",", (long long)t->placement_id);
    put_string(b, t->name);
    trainee_cells(g, t, cells);
    /* states at most 20 bytes a cell, results at most 8, and the frame */
    char *w = abuf_reserve(b, g->nm * 28 + 64);
    if (!w)
        return;
    char *start = w;
    memcpy(w, ",\"states\":[", 11);
    w += 11;
    for (size_t m = 0; m < g->nm; m++) {
        if (m)
            *w++ = ',';
        const char *q = cells[m] ? quoted[(int)cells[m]->state] : "null";
        size_t len = strlen(q);
        memcpy(w, q, len);
        w += len;
    }
    memcpy(w, "],\"results\":[", 13);
    w += 13;
    for (size_t m = 0; m < g->nm; m++) {
        if (m)
            *w++ = ',';
        if (cells[m] && cells[m]->result >= 0) {
            w += put_int(w, cells[m]->result);
        } else {
            memcpy(w, "null", 4);
            w += 4;
        }
    }
    memcpy(w, "],\"done\":", 9);
    w += 9;
    w += put_int(w, t->done);
    *w++ = '}';
    b->len += (size_t)(w - start);
    b->data[b->len] = '\0';
}

/* The trainee's entry in the at-risk list, if any reason holds:
 * {placement_id, trainee, reasons: [...]}. */
static void put_at_risk(struct abuf *b, const struct trainee_out *t, const char *cutoff, long days)
{
    int inactive = !t->last[0] || strcmp(t->last, cutoff) < 0;
    if (!t->late && !t->failed && !inactive)
        return;
    abuf_printf(b, "%s{\"placement_id\":%lld,\"trainee\":", b->len > 1 ? "," : "", (long long)t->placement_id);
    put_string(b, t->name);
    const char *sep = "";
    abuf_puts(b, ",\"reasons\":[");
    if (t->late) {
        abuf_printf(b, "\"%d late deliverable%s\"", t->late, t->late == 1 ? "" : "s");
        sep = ",";
    }
    if (t->failed) {
        abuf_printf(b, "%s\"%d failed test%s\"", sep, t->failed, t->failed == 1 ? "" : "s");
        sep = ",";
    }
    if (inactive)
        abuf_printf(b, "%s\"no activity for %ld days\"", sep, days);
    abuf_puts(b, "]}");
}

/* The grid as JSON text: {cohort_id, modules, trainees: [{placement_id,
 * trainee, states, results, done}], at_risk: [{placement_id, trainee,
 * reasons}], inactive_days}. */
static int grid_json(struct request *r, struct response *res, const struct grid *g, int64_t cohort_id,
                     const char *cutoff, long days, struct tb_err *err)
{
    const struct cell **cells = arena_alloc(r->arena, (g->nm ? g->nm : 1) * sizeof *cells);
    struct abuf b, risk;
    abuf_init(&b, r->arena, SIZE_MAX / 4);
    abuf_init(&risk, r->arena, SIZE_MAX / 4);
    /* about 370 bytes a trainee: one allocation for the whole answer */
    abuf_reserve(&b, 256 + g->nm * 16 + g->n * (96 + g->nm * 28));
    abuf_printf(&b, "{\"cohort_id\":%lld,\"modules\":[", (long long)cohort_id);
    for (size_t m = 0; m < g->nm; m++) {
        if (m)
            abuf_puts(&b, ",");
        put_string(&b, g->codes[m]);
    }
    abuf_puts(&b, "],\"trainees\":[");
    abuf_puts(&risk, "[");
    for (size_t i = 0; cells && i < g->n; i++) {
        put_trainee(&b, g, &g->out[i], cells, i == 0);
        put_at_risk(&risk, &g->out[i], cutoff, days);
    }
    abuf_puts(&risk, "]");
    abuf_puts(&b, "],\"at_risk\":");
    if (!risk.failed)
        abuf_append(&b, risk.data, risk.len);
    abuf_printf(&b, ",\"inactive_days\":%ld}", days);
    if (!cells || b.failed || risk.failed || !abuf_cstr(&b))
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
    const struct cell **cells = malloc((g->nm ? g->nm : 1) * sizeof *cells);
    json_t *rows = json_array();
    for (size_t i = 0; cells && i < g->n; i++) {
        const struct trainee_out *t = &g->out[i];
        trainee_cells(g, t, cells);
        json_t *row = json_pack("{s:I, s:s}", "placement_id", (json_int_t)t->placement_id, "trainee", t->name);
        for (size_t m = 0; m < g->nm; m++)
            json_object_set_new(row, g->codes[m], cells[m] ? json_string(CELL_STATES[(int)cells[m]->state]) : json_null());
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
    struct grid *g = arena_calloc(r->arena, 1, sizeof *g);
    if (!g)
        return TB_INTERNAL(err, "out of memory");
    g->arena = r->arena;
    abuf_init(&g->cellbuf, r->arena, SIZE_MAX / 4);
    abuf_init(&g->outbuf, r->arena, SIZE_MAX / 4);
    int rc = store_progress_grid(r->store, &r->actor, r->ids[0], grid_row, g, err);
    if (rc < 0 && !err->status)
        rc = TB_INTERNAL(err, "out of memory");
    if (rc == 0) {
        qsort(g->out, g->n, sizeof *g->out, by_name);
        if (fmt) {
            json_t *rows = grid_rows(g);
            rc = export_send_rows(r, res, fmt, "progress", rows, err);
            json_decref(rows);
        } else {
            rc = grid_json(r, res, g, r->ids[0], cutoff, days, err);
        }
    }
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
