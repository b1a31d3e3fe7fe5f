/*
 * market.h - the store side of market selection (issue 13): an operator's
 * ranking weights and the export plans with their versions.
 */
#ifndef TB_STORE_MARKET_H
#define TB_STORE_MARKET_H

#include "store/store.h"

/* The operator's ranking weights as stored ({"size": 0.25, ...}), or
 * *out = NULL when the operator never set them (defaults apply). */
int store_trade_settings_get(struct store *st, const struct tb_actor *a, int64_t org_id,
                             json_t **out, struct tb_err *err);
int store_trade_settings_put(struct store *st, const struct tb_actor *a, int64_t org_id,
                             const json_t *weights, struct tb_err *err);

#endif
