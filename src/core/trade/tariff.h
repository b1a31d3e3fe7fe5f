/*
 * tariff.h - per-market tariffs entered by a person (issue 13; none ship):
 * the ad-valorem rate a market applies to a product (HS6 code or HS4/HS2
 * prefix), optionally only to goods from one origin, with its source and
 * date. The ranking corrects the market's demand by the trade effect of the
 * research note, TA = ((1 + t) / (1 + t_ref))^-sigma, where t_ref is the rate
 * the market applies to all suppliers on average (0 when not given: then the
 * tariff counts against duty-free competitors) and sigma the price
 * elasticity (default 4). Method: docs/market-selection.md#tariffs.
 */
#ifndef TB_TRADE_TARIFF_H
#define TB_TRADE_TARIFF_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "core/validate.h"

#define TRADE_TARIFF_SIGMA 4.0

struct trade_tariff {
    int64_t id, company_id;          /* company_id 0: the whole operator */
    char market[3];                  /* ISO alpha-2 */
    char origin[3];                  /* ISO alpha-2, "" = goods from anywhere */
    char product[7];                 /* 2, 4 or 6 digits */
    uint32_t lo, hi;                 /* the HS6 codes it covers */
    double rate, reference;          /* percent ad valorem; reference NAN = not given */
    double elasticity;               /* sigma */
    char source[201];
    char as_of[11];                  /* YYYY-MM-DD */
};

/* The body of a tariff (API, CSV rows, command line):
 * {market, product, rate_pct, source, as_of, origin?, reference_pct?, elasticity?, company_id?}. */
extern const struct field_spec trade_tariff_fields[];
/* A checked body or stored row into t (errors name the field). */
int trade_tariff_from_json(const json_t *o, struct trade_tariff *t, struct tb_err *err);
json_t *trade_tariff_json(const struct trade_tariff *t);
/* The demand factor TA (1 = no effect). */
double trade_tariff_factor(const struct trade_tariff *t);
/* The tariff that applies to (market, goods from home, hs6): the longest
 * product prefix, then one for that origin over one for any origin, then a
 * company's over the operator's; NULL when none. */
const struct trade_tariff *trade_tariff_find(const struct trade_tariff *t, int n, const char *market,
                                             const char *home, uint32_t hs6);

#endif
