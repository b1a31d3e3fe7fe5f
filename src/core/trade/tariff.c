/*
 * tariff.c - per-market tariffs entered by a person (see tariff.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/codes.h"
#include "core/trade/rank.h"
#include "core/trade/tariff.h"

const struct field_spec trade_tariff_fields[] = {
    {.name = "market", .type = FT_CODE, .required = 1, .code_list = CODES_COUNTRY},
    {.name = "product", .type = FT_STRING, .required = 1, .min = 2, .max = 6},
    {.name = "rate_pct", .type = FT_NUMBER, .required = 1, .min = 0, .max = 1000},
    {.name = "source", .type = FT_STRING, .required = 1, .min = 1, .max = 200},
    {.name = "as_of", .type = FT_DATE, .required = 1},
    {.name = "origin", .type = FT_CODE, .code_list = CODES_COUNTRY},
    {.name = "reference_pct", .type = FT_NUMBER, .min = 0, .max = 1000},
    {.name = "elasticity", .type = FT_NUMBER, .min = 0, .max = 20},
    {.name = "company_id", .type = FT_INT, .min = 1, .max = INT64_MAX},
    {0},
};

int trade_tariff_from_json(const json_t *o, struct trade_tariff *t, struct tb_err *err)
{
    memset(t, 0, sizeof *t);
    const char *p = json_string_value(json_object_get(o, "product"));
    struct trade_range r;
    size_t len = p ? strlen(p) : 0;
    if (!p || len % 2 || trade_parse_products(p, &r, 1) != 1)
        return TB_INVALID(err, "product", "product: an HS code of 2, 4 or 6 digits, not '%.20s'", p ? p : "");
    snprintf(t->product, sizeof t->product, "%s", p);
    t->lo = r.lo;
    t->hi = r.hi;
    const char *m = json_string_value(json_object_get(o, "market"));
    const char *orig = json_string_value(json_object_get(o, "origin"));
    if (!m || strlen(m) != 2)
        return TB_INVALID(err, "market", "market: an ISO 3166 alpha-2 code");
    if (orig && strlen(orig) != 2)
        return TB_INVALID(err, "origin", "origin: an ISO 3166 alpha-2 code");
    memcpy(t->market, m, 3);
    if (orig)
        memcpy(t->origin, orig, 3);
    if (orig && !strcmp(orig, m))
        return TB_INVALID(err, "origin", "origin: a market applies no tariff to its own goods");
    t->id = json_integer_value(json_object_get(o, "id"));
    t->company_id = json_integer_value(json_object_get(o, "company_id"));
    t->rate = json_number_value(json_object_get(o, "rate_pct"));
    json_t *ref = json_object_get(o, "reference_pct");
    t->reference = json_is_number(ref) ? json_number_value(ref) : NAN;
    json_t *el = json_object_get(o, "elasticity");
    t->elasticity = json_is_number(el) ? json_number_value(el) : TRADE_TARIFF_SIGMA;
    const char *src = json_string_value(json_object_get(o, "source"));
    const char *day = json_string_value(json_object_get(o, "as_of"));
    snprintf(t->source, sizeof t->source, "%s", src ? src : "");
    snprintf(t->as_of, sizeof t->as_of, "%s", day ? day : "");
    return 0;
}

json_t *trade_tariff_json(const struct trade_tariff *t)
{
    json_t *o = json_pack("{s:s, s:s, s:f, s:s, s:s, s:f, s:f}", "market", t->market, "product", t->product,
                          "rate_pct", t->rate, "source", t->source, "as_of", t->as_of, "elasticity",
                          t->elasticity, "factor", round(trade_tariff_factor(t) * 1e6) / 1e6);
    json_object_set_new(o, "origin", t->origin[0] ? json_string(t->origin) : json_null());
    json_object_set_new(o, "reference_pct", isnan(t->reference) ? json_null() : json_real(t->reference));
    json_object_set_new(o, "company_id", t->company_id ? json_integer(t->company_id) : json_null());
    if (t->id)
        json_object_set_new(o, "id", json_integer(t->id));
    return o;
}

double trade_tariff_factor(const struct trade_tariff *t)
{
    double ref = isnan(t->reference) ? 0 : t->reference;
    return pow((1 + t->rate / 100) / (1 + ref / 100), -t->elasticity);
}

const struct trade_tariff *trade_tariff_find(const struct trade_tariff *t, int n, const char *market,
                                             const char *home, uint32_t hs6)
{
    const struct trade_tariff *best = NULL;
    long best_key = -1;
    for (int i = 0; i < n; i++) {
        if (hs6 < t[i].lo || hs6 > t[i].hi || strcmp(t[i].market, market) ||
            (t[i].origin[0] && strcmp(t[i].origin, home)))
            continue;
        long key = (long)strlen(t[i].product) * 4 + (t[i].origin[0] ? 2 : 0) + (t[i].company_id ? 1 : 0);
        if (key > best_key) {
            best = &t[i];
            best_key = key;
        }
    }
    return best;
}
