/*
 * csv_columns.c - named columns of a CSV file through libcsv.
 */
#include <csv.h>
#include <stdint.h>
#include <string.h>

#include "core/csv_columns.h"

struct reader {
    struct arena *a;
    const char *const *names;
    size_t nnames;
    struct csv_columns *out;
    struct tb_err *err;
    size_t *pick;        /* pick[i] = column of the file for names[i] */
    size_t cell_in_row;  /* cells seen in the current row */
    size_t row_cap;
    char **row_cells;    /* the wanted cells of the current row */
    char *header_list;   /* for the "no such column" message */
    int header_done, failed;
    size_t record;       /* 1 = header */
};

static void fail_oom(struct reader *r)
{
    if (!r->failed)
        TB_INTERNAL(r->err, "out of memory reading the file");
    r->failed = 1;
}

static int grow_rows(struct reader *r)
{
    size_t cap = r->row_cap ? r->row_cap * 2 : 1024;
    for (size_t c = 0; c < r->nnames; c++) {
        char **nc = arena_realloc(r->a, r->out->cell[c], r->row_cap * sizeof(char *), cap * sizeof(char *));
        if (!nc)
            return -1;
        r->out->cell[c] = nc;
    }
    size_t *nl = arena_realloc(r->a, r->out->line, r->row_cap * sizeof(size_t), cap * sizeof(size_t));
    if (!nl)
        return -1;
    r->out->line = nl;
    r->row_cap = cap;
    return 0;
}

static void on_field(void *s, size_t len, void *ctx)
{
    struct reader *r = ctx;
    if (r->failed)
        return;
    size_t col = r->cell_in_row++;
    if (!r->header_done) {
        char *name = arena_strndup(r->a, s, len);
        if (!name)
            return fail_oom(r);
        if (col == 0 && len >= 3 && !memcmp(name, "\xEF\xBB\xBF", 3))
            name += 3;   /* a byte-order mark before the first name */
        for (size_t i = 0; i < r->nnames; i++)
            if (r->pick[i] == SIZE_MAX && !strcmp(name, r->names[i]))
                r->pick[i] = col;
        r->header_list = r->header_list ? arena_printf(r->a, "%s, %s", r->header_list, name) : name;
        if (!r->header_list)
            fail_oom(r);
        return;
    }
    for (size_t i = 0; i < r->nnames; i++)
        if (r->pick[i] == col) {
            r->row_cells[i] = arena_strndup(r->a, s, len);
            if (!r->row_cells[i])
                return fail_oom(r);
        }
}

static void on_row(int term, void *ctx)
{
    (void)term;
    struct reader *r = ctx;
    r->record++;
    size_t cells = r->cell_in_row;
    r->cell_in_row = 0;
    if (r->failed)
        return;
    if (!r->header_done) {
        r->header_done = 1;
        for (size_t i = 0; i < r->nnames; i++)
            if (r->pick[i] == SIZE_MAX) {
                TB_INVALID(r->err, r->names[i], "no column '%s' in the header (it has: %s)", r->names[i],
                           r->header_list ? r->header_list : "nothing");
                r->failed = 1;
                return;
            }
        return;
    }
    for (size_t i = 0; i < r->nnames; i++)
        if (r->pick[i] >= cells) {
            TB_INVALID(r->err, r->names[i], "line %zu: %zu cells, but the header names column '%s' as cell %zu",
                       r->record, cells, r->names[i], r->pick[i] + 1);
            r->failed = 1;
            return;
        }
    struct csv_columns *o = r->out;
    if (o->nrows == r->row_cap && grow_rows(r) < 0)
        return fail_oom(r);
    for (size_t i = 0; i < r->nnames; i++) {
        o->cell[i][o->nrows] = r->row_cells[i];
        r->row_cells[i] = NULL;
    }
    o->line[o->nrows++] = r->record;
}

int csv_columns_read(const char *data, size_t len, const char *const *names, size_t n, struct arena *a,
                     struct csv_columns *out, struct tb_err *err)
{
    memset(out, 0, sizeof *out);
    out->ncols = n;
    out->cell = arena_calloc(a, n ? n : 1, sizeof(char **));
    struct reader r = {.a = a, .names = names, .nnames = n, .out = out, .err = err,
                       .pick = arena_alloc(a, (n ? n : 1) * sizeof(size_t)),
                       .row_cells = arena_calloc(a, n ? n : 1, sizeof(char *))};
    if (!out->cell || !r.pick || !r.row_cells)
        return TB_INTERNAL(err, "out of memory reading the file");
    for (size_t i = 0; i < n; i++)
        r.pick[i] = SIZE_MAX;
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return TB_INTERNAL(err, "out of memory");
    size_t done = csv_parse(&p, data, len, on_field, on_row, &r);
    int perr = done != len ? csv_error(&p) : CSV_SUCCESS;
    if (perr == CSV_SUCCESS && !r.failed && csv_fini(&p, on_field, on_row, &r) != 0)
        perr = csv_error(&p);
    csv_free(&p);
    if (r.failed)
        return -1;
    if (perr == CSV_EPARSE)
        return TB_INVALID(err, "file", "line %zu: malformed quoting (a quote inside an unquoted cell, or one never closed)",
                          r.record + 1);
    if (perr != CSV_SUCCESS)
        return TB_INTERNAL(err, "cannot parse the file: %s", csv_strerror(perr));
    if (!r.header_done)
        return TB_INVALID(err, "file", "the file is empty: the first line must name the columns");
    return 0;
}
