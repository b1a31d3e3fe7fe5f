/*
 * export.c - list views as CSV or XLSX downloads: the request's list, through
 * export_run (src/service/export_service.c), sent as an attachment.
 */
#include "http/export.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- HTTP ----------------------------------------------------------------------------------------- */

int export_format_of(struct request *r, enum export_format *out, struct tb_err *err)
{
    const char *f = req_query(r, "format");
    *out = EXPORT_NONE;
    if (!f || !*f || !strcmp(f, "json"))
        return 0;
    if (!strcmp(f, "csv"))
        *out = EXPORT_CSV;
    else if (!strcmp(f, "xlsx"))
        *out = EXPORT_XLSX;
    else
        return TB_INVALID(err, "format", "format: must be json, csv or xlsx");
    return 0;
}

static int send_file(struct request *r, struct response *res, enum export_format fmt,
                     const char *collection, char *data, size_t len, struct tb_err *err)
{
    (void)err;
    /* The response owns the buffer and frees it once it is sent. */
    void *copy = data;
    res->raw_owned = data;
    char day[16];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    res->status = 200;
    res->raw = copy;
    res->raw_len = len;
    res->content_type = fmt == EXPORT_CSV ? "text/csv; charset=utf-8"
                                          : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res->content_disposition = arena_printf(r->arena, "attachment; filename=\"%s-%s.%s\"", collection, day,
                                            fmt == EXPORT_CSV ? "csv" : "xlsx");
    res->cache_control = "private, no-store";
    return 0;
}

/* What one export's page and row functions need. */
struct export_ctx {
    struct request *r;
    enum entity e;
    const json_t *filters;
    export_store_list_fn list;        /* NULL: the entity list */
    export_decorate_fn decorate;
};

static int page_of(void *ctx, const struct list_query *q, struct list_page *page, struct tb_err *err)
{
    const struct export_ctx *c = ctx;
    if (c->list)
        return c->list(c->r->store, &c->r->actor, q, page, err);
    return store_entity_list(c->r->store, &c->r->actor, c->e, q, c->filters, page, err);
}

static void decorate_row(void *ctx, json_t *row)
{
    const struct export_ctx *c = ctx;
    c->decorate(c->r, row);
}

static int export_send(struct response *res, enum export_format fmt, const char *collection,
                       const struct list_query *q, struct export_ctx *c, struct tb_err *err)
{
    char *data;
    size_t len;
    if (export_run(fmt, collection, q, page_of, c->decorate ? decorate_row : NULL, c, &data, &len, err) < 0)
        return -1;
    return send_file(c->r, res, fmt, collection, data, len, err);
}

int export_entity_list(struct request *r, struct response *res, enum export_format fmt, enum entity e,
                       const struct list_query *q, const json_t *filters, export_decorate_fn decorate,
                       struct tb_err *err)
{
    static const char *const collections[ENT__MAX] = {
        [ENT_COMPANY] = "companies", [ENT_GRADUATE] = "graduates", [ENT_COHORT] = "cohorts",
        [ENT_POSITION] = "positions", [ENT_APPLICATION] = "applications", [ENT_PLACEMENT] = "placements",
    };
    struct export_ctx c = {.r = r, .e = e, .filters = filters, .decorate = decorate};
    return export_send(res, fmt, collections[e] ? collections[e] : "export", q, &c, err);
}

int export_store_list(struct request *r, struct response *res, enum export_format fmt,
                      const char *collection, export_store_list_fn list, const struct list_query *q,
                      struct tb_err *err)
{
    struct export_ctx c = {.r = r, .list = list};
    return export_send(res, fmt, collection, q, &c, err);
}

int export_send_rows(struct request *r, struct response *res, enum export_format fmt, const char *collection,
                     const json_t *rows, struct tb_err *err)
{
    struct export_writer *w;
    char *data;
    size_t len;
    if (export_writer_new(fmt, collection, &w, err) < 0)
        return -1;
    if (export_writer_rows(w, rows, err) < 0) {
        export_writer_free(w);
        return -1;
    }
    if (export_writer_finish(w, &data, &len, err) < 0)
        return -1;
    return send_file(r, res, fmt, collection, data, len, err);
}
