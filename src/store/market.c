/*
 * market.c - market selection's store functions (store/market.h). Every
 * statement binds the actor's tenant; export plans also the row scope of the
 * actor's role (a company its own plans, a trainee their placement's).
 */
#include "store/market.h"

#include "store/shared_int.h"

int store_trade_settings_get(struct store *st, const struct tb_actor *a, int64_t org_id,
                             json_t **out, struct tb_err *err)
{
    return st_settings_get(st, a, STMT_TRADE_SETTINGS_GET, org_id, out, err);
}

int store_trade_settings_put(struct store *st, const struct tb_actor *a, int64_t org_id,
                             const json_t *weights, struct tb_err *err)
{
    return st_settings_put(st, a, STMT_TRADE_SETTINGS_GET, STMT_TRADE_SETTINGS_PUT, "trade_settings",
                           org_id, weights, err);
}
