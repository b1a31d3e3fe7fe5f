/*
 * offers.c - the offers board's fields and match scores (offers.h).
 */
#include "core/network/offers.h"

#include <stdint.h>
#include <string.h>

#include "core/codes.h"

const char *const offer_kinds[] = {"distributor_sought", "agent_sought", "supplier_sought", "buyer_sought",
                                   "tender_partner", "other", NULL};
static const char *const visibilities[] = {"private", "shared", NULL};
static const struct field_spec hs_item = {.type = FT_CODE, .code_list = CODES_HS};
static const struct field_spec country_item = {.type = FT_CODE, .code_list = CODES_COUNTRY};

#define OFFER_FIELDS \
    {.name = "kind", .type = FT_ENUM, .required = 1, .allowed = offer_kinds}, \
    {.name = "title", .type = FT_STRING, .required = 1, .min = 3, .max = 200}, \
    {.name = "description", .type = FT_TEXT, .max = 4000}, \
    {.name = "hs", .type = FT_ARRAY, .max = 20, .items = &hs_item}, \
    {.name = "countries", .type = FT_ARRAY, .min = 1, .max = 30, .items = &country_item}, \
    {.name = "nace", .type = FT_CODE, .code_list = CODES_NACE}, \
    {.name = "contact_id", .type = FT_INT, .min = 1, .max = INT64_MAX}, \
    {.name = "introducer_id", .type = FT_INT, .min = 1, .max = INT64_MAX}, \
    {.name = "visibility", .type = FT_ENUM, .allowed = visibilities}, \
    {.name = "expires_on", .type = FT_DATE, .required = 1}
const struct field_spec offer_create_fields[] = {
    OFFER_FIELDS, {.name = "company_id", .type = FT_INT, .min = 1, .max = INT64_MAX},
    {.name = "org_id", .type = FT_INT, .min = 1, .max = INT64_MAX}, {0}};
const struct field_spec offer_update_fields[] = {
    OFFER_FIELDS, {.name = "closed", .type = FT_BOOL},
    {.name = "version", .type = FT_INT, .required = 1, .min = 1, .max = INT64_MAX}, {0}};
const struct field_spec offer_interest_fields[] = {
    {.name = "company_id", .type = FT_INT, .min = 1, .max = INT64_MAX},
    {.name = "message", .type = FT_TEXT, .max = 2000}, {0}};

static int in_list(const json_t *list, const char *code)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
        if (json_is_string(v) && code && !strcmp(json_string_value(v), code))
            return 1;
    return 0;
}

/* The best product fit: 50 when one code starts the other (4 digits or
 * more in common), 25 for the same chapter. */
static int product_part(const json_t *want, const json_t *have, json_t *reasons)
{
    size_t i, j;
    json_t *w, *h;
    int best = 0;
    const char *bw = NULL, *bh = NULL;
    json_array_foreach(want, i, w) {
        const char *ws = json_string_value(w);
        size_t wl = ws ? strlen(ws) : 0;
        json_array_foreach(have, j, h) {
            const char *hs = json_string_value(h);
            size_t hl = hs ? strlen(hs) : 0, n = wl < hl ? wl : hl;
            if (n < 2 || strncmp(ws, hs, 2))
                continue;
            int part = n >= 4 && !strncmp(ws, hs, n) ? 50 : 25;
            if (part > best) {
                best = part;
                bw = ws;
                bh = hs;
            }
        }
    }
    if (best == 50)
        json_array_append_new(reasons, json_sprintf("products: HS %s fits %s", bh, bw));
    else if (best == 25)
        json_array_append_new(reasons, json_sprintf("products: same HS chapter %.2s (%s)", bh, bh));
    return best;
}

static int market_part(const json_t *countries, const struct offer_candidate *c, json_t *reasons)
{
    if (c->country && in_list(countries, c->country)) {
        json_array_append_new(reasons, json_sprintf("market: based in %s", c->country));
        return 30;
    }
    size_t i;
    json_t *v;
    json_array_foreach(countries, i, v) {
        const char *code = json_string_value(v);
        if (in_list(c->markets, code) || in_list(c->markets2, code)) {
            json_array_append_new(reasons, json_sprintf("market: sells to or knows %s", code));
            return 25;
        }
    }
    return 0;
}

int offer_score(const json_t *offer, const struct offer_candidate *c, json_t *reasons)
{
    size_t mark = json_array_size(reasons);
    int product = product_part(json_object_get(offer, "hs"), c->hs, reasons);
    int market = market_part(json_object_get(offer, "countries"), c, reasons);
    if (!product && !market) {
        while (json_array_size(reasons) > mark)
            json_array_remove(reasons, json_array_size(reasons) - 1);
        return 0;
    }
    const char *nace = json_string_value(json_object_get(offer, "nace"));
    int sector = 0;
    if (nace && c->nace && strlen(nace) >= 2 && !strncmp(nace, c->nace, 2)) {
        json_array_append_new(reasons, json_sprintf("sector: NACE %.2s", c->nace));
        sector = 20;
    }
    return product + market + sector;
}
