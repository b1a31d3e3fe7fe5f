/*
 * rank_json.c - a ranking as JSON, for `trade rank --format json` and the API.
 */
#include <math.h>
#include <stdio.h>

#include "core/trade/rank.h"

static json_t *num(double v, double scale)
{
    return isnan(v) ? json_null() : json_real(round(v * scale) / scale);
}

json_t *trade_result_json(const struct trade_result *r, const char *product, int revision,
                          int limit)
{
    json_t *markets = json_array();
    int n = limit >= 0 && limit < r->n ? limit : r->n;
    for (int i = 0; i < n; i++) {
        const struct trade_market *m = &r->m[i];
        json_t *o = json_object();
        json_object_set_new(o, "rank", json_integer(m->rank));
        json_object_set_new(o, "code", json_integer(m->code));
        json_object_set_new(o, "iso3", json_string(m->iso3));
        json_object_set_new(o, "iso2", json_string(m->iso2));
        if (m->hs6) {
            char hs[16];
            snprintf(hs, sizeof hs, "%06u", (unsigned)m->hs6);
            json_object_set_new(o, "hs6", json_string(hs));
        }
        json_object_set_new(o, "import_value", num(m->import_value, 1e3));
        json_object_set_new(o, "import_cagr", num(m->import_cagr, 1e6));
        json_object_set_new(o, "home_exports", num(m->home_exports, 1e3));
        json_object_set_new(o, "home_share", num(m->home_share, 1e6));
        json_object_set_new(o, "suppliers", json_integer(m->suppliers));
        json_object_set_new(o, "hhi", num(m->hhi, 1e6));
        json_object_set_new(o, "distw_km", num(m->distw_km, 1e3));
        json_object_set_new(o, "gdp", num(m->gdp, 1));
        json_object_set_new(o, "gdp_pc_growth", num(m->gdp_pc_growth, 1e6));
        json_object_set_new(o, "unit_value", num(m->unit_value, 1e3));
        json_object_set_new(o, "supply", num(m->supply, 1e6));
        json_object_set_new(o, "demand", num(m->demand, 1e3));
        json_object_set_new(o, "ease", num(m->ease, 1e6));
        json_object_set_new(o, "potential", num(m->potential, 1e3));
        json_object_set_new(o, "untapped", num(m->untapped, 1e3));
        json_object_set_new(o, "reexport_hub", json_boolean(m->reexport_hub));
        json_object_set_new(o, "score", num(m->score, 1e3));
        json_object_set_new(o, "explanation", json_string(m->explanation));
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
