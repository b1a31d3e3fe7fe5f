/*
 * rank_json.c - a ranking as JSON, for `trade rank --format json` and the API.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <stdio.h>

#include "core/codes.h"
#include "core/trade/rank.h"

#define COL(n, k, f) {n, TRADE_COL_##k, offsetof(struct trade_market, f)}
const struct trade_column trade_columns[TRADE_N_COLUMNS] = {
    COL("rank", INT, rank),
    COL("code", INT, code),
    COL("iso3", TEXT, iso3),
    COL("hs6", HS6, hs6),
    COL("import_value", MONEY, import_value),
    COL("import_cagr", FRAC, import_cagr),
    COL("home_exports", MONEY, home_exports),
    COL("actual", MONEY, home_exports),
    COL("home_share", FRAC, home_share),
    COL("suppliers", INT, suppliers),
    COL("hhi", FRAC, hhi),
    COL("distw_km", KM, distw_km),
    COL("gdp", BIG, gdp),
    COL("gdp_pc_growth", FRAC, gdp_pc_growth),
    COL("unit_value", MONEY, unit_value),
    COL("supply", FRAC, supply),
    COL("demand", MONEY, demand),
    COL("ease", FRAC, ease),
    COL("ease_estimated", INT, ease_estimated),
    COL("potential", MONEY, potential),
    COL("untapped", MONEY, untapped),
    COL("reexport_hub", INT, reexport_hub),
    COL("score", MONEY, score),
    COL("explanation", TEXT, explanation),
};

static json_t *num(double v, double scale)
{
    return isnan(v) ? json_null() : json_real(round(v * scale) / scale);
}

static json_t *value(const struct trade_column *c, const struct trade_market *m)
{
    const char *p = (const char *)m + c->off;
    double d;
    int i;
    uint32_t u;
    char hs[16];
    switch (c->kind) {
    case TRADE_COL_INT: memcpy(&i, p, sizeof i); return json_integer(i);
    case TRADE_COL_TEXT: return json_string(p);
    case TRADE_COL_HS6:
        memcpy(&u, p, sizeof u);
        snprintf(hs, sizeof hs, "%06u", (unsigned)u);
        return u ? json_string(hs) : NULL;
    default: break;
    }
    memcpy(&d, p, sizeof d);
    return num(d, c->kind == TRADE_COL_FRAC ? 1e6 : c->kind == TRADE_COL_BIG ? 1 : 1e3);
}

json_t *trade_result_json(const struct trade_result *r, const char *product, int revision,
                          int limit)
{
    json_t *markets = json_array();
    int n = limit >= 0 && limit < r->n ? limit : r->n;
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        for (int c = 0; c < TRADE_N_COLUMNS; c++) {
            json_t *v = strcmp(trade_columns[c].name, "actual") ? value(&trade_columns[c], &r->m[i])
                                                                 : NULL;
            if (v)
                json_object_set_new(o, trade_columns[c].name, v);
        }
        json_object_set_new(o, "iso2", json_string(r->m[i].iso2));
        const struct code_entry *ce = codes_find(CODES_COUNTRY, r->m[i].iso2);
        if (ce && ce->numeric)
            json_object_set_new(o, "iso_numeric", json_string(ce->numeric));   /* maps key countries by it */
        json_t *pct = json_object();
        for (int k = 0; k < TRADE_N_WEIGHTS; k++)
            json_object_set_new(pct, trade_weight_names[k], num(r->m[i].pct[k], 1e4));
        json_object_set_new(o, "percentiles", pct);
        if (r->m[i].tariff) {   /* the entered tariff weighing most, and the demand factor of all */
            json_t *t = trade_tariff_json(r->m[i].tariff);
            json_object_set_new(t, "demand_factor", num(r->m[i].tariff_factor, 1e6));
            json_object_set_new(t, "products", json_integer(r->m[i].n_tariffed));
            json_object_set_new(o, "tariff", t);
        } else {
            json_object_set_new(o, "tariff", json_null());
        }
        char why[320];
        snprintf(why, sizeof why, "rank %d of %d, score %.1f: %s", r->m[i].rank, r->n,
                 r->m[i].score, r->m[i].why);
        json_object_set_new(o, "rank_explanation", json_string(why));
        json_array_append_new(markets, o);
    }
    char rev[8];
    snprintf(rev, sizeof rev, "HS%02d", revision);
    return json_pack("{s:s, s:s, s:[i,i], s:s, s:o, s:o, s:i, s:o, s:s}", "home", r->home_iso3,
                     "product", product, "years", r->first_year, r->last_year, "revision", rev,
                     "home_supply", num(r->home_supply, 1e6), "world_value",
                     num(r->world_value, 1e3), "count", r->n, "markets", markets, "sources",
                     "CEPII BACI and GeoDist (Etalab 2.0), World Bank WDI (CC BY 4.0); export "
                     "potential computed by TradeBridge, not ITC figures");
}
