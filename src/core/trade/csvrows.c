/*
 * csvrows.c - libcsv driver for the small trade files (see csvrows.h).
 */
#include "core/trade/csvrows.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

struct rows {
    char *field[CSVROWS_MAX_FIELDS];
    int n;
    long line;
    csvrows_fn fn;
    void *ctx;
    struct tb_err *err;
    int failed;
};

static void on_field(void *s, size_t len, void *data)
{
    struct rows *r = data;
    if (r->failed)
        return;
    if (r->n >= CSVROWS_MAX_FIELDS) {
        r->failed = 1;
        TB_INVALID(r->err, "file", "line %ld: more than %d columns", r->line + 1,
                   CSVROWS_MAX_FIELDS);
        return;
    }
    char *f = malloc(len + 1);
    if (!f) {
        r->failed = 1;
        TB_INTERNAL(r->err, "out of memory");
        return;
    }
    memcpy(f, s, len);
    f[len] = '\0';
    r->field[r->n++] = f;
}

static void clear(struct rows *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->field[i]);
    r->n = 0;
}

static void on_record(int c, void *data)
{
    (void)c;
    struct rows *r = data;
    r->line++;
    if (!r->failed && r->fn(r->ctx, r->field, r->n, r->line, r->err) < 0)
        r->failed = 1;
    clear(r);
}

int csvrows_each(const char *buf, size_t len, char sep, csvrows_fn fn, void *ctx,
                 struct tb_err *err)
{
    struct csv_parser p;
    struct rows r = {.fn = fn, .ctx = ctx, .err = err};
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    if (csv_init(&p, CSV_APPEND_NULL) != 0)
        return TB_INTERNAL(err, "out of memory");
    csv_set_delim(&p, (unsigned char)sep);
    if (csv_parse(&p, buf, len, on_field, on_record, &r) != len && !r.failed) {
        r.failed = 1;
        TB_INVALID(err, "file", "line %ld: %s", r.line + 1, csv_strerror(csv_error(&p)));
    }
    csv_fini(&p, on_field, on_record, &r);
    clear(&r);
    csv_free(&p);
    return r.failed ? -1 : 0;
}
