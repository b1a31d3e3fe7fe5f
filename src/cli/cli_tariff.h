/* cli_tariff.h - `tradebridge trade tariff ...` (cli_tariff.c). */
#ifndef TB_CLI_TARIFF_H
#define TB_CLI_TARIFF_H

#include "core/trade/tariff.h"
#include "store/store.h"

int cli_trade_tariff_main(int argc, char **argv);
/* The operator's tariffs and the company's (0: the operator's only), malloc'd. */
int cli_tariffs_load(struct store *st, int64_t org_id, int64_t company_id, struct trade_tariff **out, int *n,
                     struct tb_err *err);

#endif
