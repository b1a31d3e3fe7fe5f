/*
 * h_system.c - operations endpoints: /healthz for load balancers and
 * /metrics in Prometheus text format.
 */
#include "http/handlers.h"
#include "store/entity.h"

int h_healthz(struct request *r, struct response *res, struct tb_err *err)
{
    if (store_health(r->store, err) < 0)
        return tb_error(err, TB_E_UNAVAILABLE, "", "the database is not answering");
    return respond_json(res, 200, json_pack("{s:s, s:s}", "status", "ok", "database", store_backend_name(r->store)));
}

int h_metrics(struct request *r, struct response *res, struct tb_err *err)
{
    (void)err;
    struct abuf b;
    abuf_init(&b, r->arena, 1 << 20);
    http_metrics_text(&b);
    res->status = 200;
    res->content_type = "text/plain; version=0.0.4; charset=utf-8";
    res->raw = abuf_cstr(&b);
    res->raw_len = b.len;
    return 0;
}

/* Counts per stage and status for the home pages. Funders (viewers) see the
 * operator-wide counts: aggregates, never individual records (the store
 * decides, store_programme_counts). */
int h_dashboard(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *counts;
    if (store_programme_counts(r->store, &r->actor, &counts, err) < 0)
        return -1;
    return respond_json(res, 200, counts);
}
