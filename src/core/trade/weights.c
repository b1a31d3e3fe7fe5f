/*
 * weights.c - the score weights of the market ranking: defaults, the
 * "size=0.4,distance=0" form of the command line and query string, the JSON
 * form an operator stores, and the score explained in words from each
 * indicator's weighted percentile rank (docs/market-selection.md).
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/trade/rank.h"

const char *const trade_weight_names[TRADE_N_WEIGHTS] = {
    "size", "growth", "untapped", "share", "distance", "concentration", "gdp_growth",
};
/* How each indicator reads in the explanation of a score. */
static const char *const labels[TRADE_N_WEIGHTS] = {
    "import size", "import growth", "untapped potential", "the share you hold",
    "nearness", "spread of suppliers", "GDP per capita growth",
};

static double *slot(struct trade_weights *w, int k)
{
    return &w->size + k;   /* the struct is TRADE_N_WEIGHTS doubles in name order */
}
_Static_assert(sizeof(struct trade_weights) == TRADE_N_WEIGHTS * sizeof(double),
               "struct trade_weights holds one double per weight name");

void trade_weights_default(struct trade_weights *w)
{
    *w = (struct trade_weights){.size = 0.25, .growth = 0.15, .untapped = 0.25, .share = 0.05,
                                .distance = 0.15, .concentration = 0.10, .gdp_growth = 0.05};
}

static int find(const char *name, size_t len)
{
    for (int k = 0; k < TRADE_N_WEIGHTS; k++)
        if (strlen(trade_weight_names[k]) == len && !strncmp(trade_weight_names[k], name, len))
            return k;
    return -1;
}

static int all_zero(struct trade_weights *w, struct tb_err *err)
{
    for (int k = 0; k < TRADE_N_WEIGHTS; k++)
        if (*slot(w, k) > 0)
            return 0;
    return TB_INVALID(err, "weights", "weights: at least one weight must be above 0");
}

int trade_weights_parse(struct trade_weights *w, const char *spec, struct tb_err *err)
{
    const char *p = spec;
    while (*p) {
        const char *eq = strchr(p, '=');
        int k = eq ? find(p, (size_t)(eq - p)) : -1;
        if (k < 0)
            return TB_INVALID(err, "weights", "unknown weight in '%s' (use size, growth, untapped, "
                                              "share, distance, concentration, gdp_growth)", p);
        char *e;
        double v = strtod(eq + 1, &e);
        if (e == eq + 1 || (*e && *e != ',') || !(v >= 0) || v > 1000)
            return TB_INVALID(err, "weights", "weight '%.*s' needs a non-negative number", (int)(eq - p),
                              p);
        *slot(w, k) = v;
        p = *e ? e + 1 : e;
    }
    return all_zero(w, err);
}

json_t *trade_weights_json(const struct trade_weights *w)
{
    json_t *o = json_object();
    struct trade_weights c = *w;
    for (int k = 0; k < TRADE_N_WEIGHTS; k++)
        json_object_set_new(o, trade_weight_names[k], json_real(*slot(&c, k)));
    return o;
}

int trade_weights_from_json(struct trade_weights *w, const json_t *o, struct tb_err *err)
{
    if (!json_is_object(o))
        return TB_INVALID(err, "weights", "weights: must be an object such as {\"size\": 0.4}");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)o, key, v) {
        int k = find(key, strlen(key));
        if (k < 0)
            return tb_error(err, TB_E_INVALID, "weights", "weights.%s: unknown weight (use size, "
                           "growth, untapped, share, distance, concentration, gdp_growth)", key);
        double d = json_number_value(v);
        if (!json_is_number(v) || !(d >= 0) || d > 1000)
            return tb_error(err, TB_E_INVALID, "weights", "weights.%s: must be a number from 0 "
                           "to 1000", key);
        *slot(w, k) = d;
    }
    return all_zero(w, err);
}

void trade_explain_score(const double pct[TRADE_N_WEIGHTS], const double weight[TRADE_N_WEIGHTS],
                         char *out, size_t cap)
{
    /* Each indicator's pull on the score: weight x (percentile - 0.5), so an
     * indicator above the median lifts it and one below holds it back. */
    int up[2] = {-1, -1}, down = -1;
    double pull[TRADE_N_WEIGHTS];
    for (int k = 0; k < TRADE_N_WEIGHTS; k++) {
        pull[k] = isnan(pct[k]) || !(weight[k] > 0) ? 0 : weight[k] * (pct[k] - 0.5);
        if (pull[k] > 0 && (up[0] < 0 || pull[k] > pull[up[0]])) {
            up[1] = up[0];
            up[0] = k;
        } else if (pull[k] > 0 && (up[1] < 0 || pull[k] > pull[up[1]])) {
            up[1] = k;
        }
        if (pull[k] < 0 && (down < 0 || pull[k] < pull[down]))
            down = k;
    }
    size_t len = 0;
#define ADD(...) len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, __VA_ARGS__)
    out[0] = '\0';
    for (int i = 0; i < 2 && up[i] >= 0; i++)
        ADD("%s%s (top %d%%)", i ? " and " : "lifted by ", labels[up[i]],
            (int)fmax(1, round((1 - pct[up[i]]) * 100)));   /* %d: integer formatting, cheaper than %.0f */
    if (down >= 0)
        ADD("%sheld back by %s (bottom %d%%)", len ? "; " : "", labels[down],
            (int)fmax(1, round(pct[down] * 100)));
    if (!len)
        ADD("every weighted indicator near the middle");
#undef ADD
}
