/*
 * trade_rank.h - the ranking as the API computes it (h_trade.c), for the
 * handlers that need one: the operator's weights, then the request's; the
 * operator's tariffs and the company's; the demo's synthetic set when the
 * stored data has no flows of the product.
 */
#ifndef TB_HTTP_TRADE_RANK_H
#define TB_HTTP_TRADE_RANK_H

#include "core/trade/rank.h"
#include "http/http.h"

struct trade_rank_opts {
    int64_t org_id;        /* 0: the actor's operator (the foundation names one with ?org_id=) */
    int64_t company_id;    /* its tariffs apply too; 0 = the operator's only */
    int per_product, limit, no_tariffs;
    /* When set, "markets" is left out of *out and written here as JSON text
     * (trade_markets_text: the response is spliced, not built as a tree). */
    struct abuf *markets_text;
};
/* The answer of GET /api/v1/trade/rank, with "data_stamp" (which import it
 * was computed from). Errors name the field (home, product, years, ...). */
int http_trade_rank(struct request *r, const struct trade_request *req, const struct trade_rank_opts *o,
                    json_t **out, struct tb_err *err);

#endif
