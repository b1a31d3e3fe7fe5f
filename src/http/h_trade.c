/*
 * h_trade.c - GET /api/v1/trade/rank?home=VN&product=030617[&years=2016-2020]
 * [&weights=size=0.4,distance=0][&sort=score][&limit=N][&per_product=1][&ease=gravity]:
 * the market ranking of the command line (`tradebridge trade rank`) as JSON,
 * for any signed-in user. Reads the year files next to the database (mapped
 * per request, read-only); an unknown field value is a 400 naming it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/trade/rank.h"
#include "http/handlers.h"
#include "store/trade_files.h"

int h_trade_rank(struct request *r, struct response *res, struct tb_err *err)
{
    struct trade_request in = {req_query(r, "home"), req_query(r, "product"),
                               req_query(r, "years"), req_query(r, "sort"),
                               req_query(r, "weights"), req_query(r, "ease")};
    struct trade_params *par = arena_alloc(r->arena, sizeof *par);
    struct trade_set *set = arena_alloc(r->arena, sizeof *set);
    if (!par || !set)
        return TB_INTERNAL(err, "out of memory");
    if (trade_params_parse(&in, par, err) < 0)
        return -1;
    long limit = -1;
    const char *lt = req_query(r, "limit");
    if (lt) {
        char *end;
        limit = strtol(lt, &end, 10);
        if (end == lt || *end || limit < 1 || limit > 10000)
            return TB_INVALID(err, "limit", "limit: must be a whole number from 1 to 10000");
    }
    const char *pp = req_query(r, "per_product");
    if (pp && strcmp(pp, "0") && strcmp(pp, "1"))
        return TB_INVALID(err, "per_product", "per_product: must be 0 or 1");
    char dir[4096];
    if (trade_dir(dir, sizeof dir, r->cfg->db_path, 0, err) < 0 ||
        trade_set_open(dir, par->y1, par->y2, 1, set, err) < 0)
        return -1;
    struct trade_query q = {.years = set->y, .n_years = set->n, .home = par->home,
                            .ranges = par->ranges, .n_ranges = par->n_ranges,
                            .per_product = pp && !strcmp(pp, "1"), .sort = par->sort,
                            .ease_fallback = par->ease_fallback,
                            .geo = &set->geo, .wdi = &set->wdi, .weights = par->weights};
    struct trade_result out;
    int rc = trade_rank(&q, r->arena, &out, err);
    json_t *body = rc < 0 ? NULL : trade_result_json(&out, in.product, set->y[0]->revision,
                                                     (int)limit);
    trade_set_close(set);
    if (rc < 0)
        return -1;
    return respond_json(res, 200, body);
}
