/*
 * rank.h - ranking target markets for (home country, product): every
 * indicator raw, the export-potential estimate with its three components
 * (supply, demand, ease of trade), and a weighted score of percentile ranks
 * with the reasons in words. Method: docs/market-selection.md.
 */
#ifndef TB_TRADE_RANK_H
#define TB_TRADE_RANK_H

#include <jansson.h>

#include "core/arena.h"
#include "core/trade/trade.h"
#include "core/trade/tariff.h"

/* Score weights (any non-negative numbers; they are normalised). */
struct trade_weights {
    double size;            /* import value, higher is better */
    double growth;          /* import CAGR */
    double untapped;        /* untapped potential */
    double share;           /* home's share already held */
    double distance;        /* population-weighted distance, lower is better */
    double concentration;   /* supplier HHI, lower is better */
    double gdp_growth;      /* GDP per capita growth */
};
#define TRADE_N_WEIGHTS 7
/* "size", "growth", ... in struct order, and how they read in an explanation. */
extern const char *const trade_weight_names[TRADE_N_WEIGHTS];
void trade_weights_default(struct trade_weights *w);
/* The weights as {"size":0.25,...}; from such an object (only the names
 * given change; an unknown name or a value that is not a number from 0 to
 * 1000 is an error naming "weights.NAME"; all zero is refused). */
json_t *trade_weights_json(const struct trade_weights *w);
int trade_weights_from_json(struct trade_weights *w, const json_t *o, struct tb_err *err);
/* "lifted by import size (top 8%) and untapped potential (top 12%); held back
 * by nearness (bottom 20%)" from each indicator's percentile and weight. */
void trade_explain_score(const double pct[TRADE_N_WEIGHTS], const double weight[TRADE_N_WEIGHTS],
                         char *out, size_t cap);
/* "size=0.4,distance=0" -> changes only the weights named. */
int trade_weights_parse(struct trade_weights *w, const char *spec, struct tb_err *err);

enum trade_sort { TRADE_SORT_SCORE, TRADE_SORT_IMPORT, TRADE_SORT_UNTAPPED, TRADE_SORT_POTENTIAL };

struct trade_range {
    uint32_t lo, hi;        /* HS6 codes, inclusive: 30617-30617 or 30600-30699 (HS4) */
};

struct trade_query {
    const struct trade_year *const *years;   /* one HS revision, ascending years */
    int n_years;
    const char *home;                        /* ISO alpha-2 or alpha-3 */
    const struct trade_range *ranges;
    int n_ranges;
    int per_product;                         /* one row per (market, HS6) */
    int ease_fallback;                       /* estimate b from distance where home sells nothing */
    enum trade_sort sort;
    const struct trade_geo *geo;             /* optional */
    const struct trade_wdi *wdi;             /* optional */
    struct trade_weights weights;
    const struct trade_tariff *tariffs;      /* entered by a person, optional */
    int n_tariffs;
};

struct trade_market {
    int rank, code;
    char iso2[3], iso3[4];
    uint32_t hs6;                            /* per-product rows only */
    double import_value;                     /* average over the years, kUSD */
    double import_cagr;                      /* NAN with one year */
    double home_exports, home_share;
    int suppliers;
    double hhi, distw_km, gdp, gdp_pc_growth, unit_value;   /* NAN when unknown */
    double supply, demand, ease, potential, untapped;
    int ease_estimated;                      /* 1: ease from the distance fallback */
    int reexport_hub;
    double score;                            /* 0-100 */
    char explanation[320];
    /* Tariffs entered for this market: the demand factor over the product
     * set (1 = none applied), how many HS6 codes had one, and the one that
     * weighs most (NULL when none). */
    double tariff_factor;
    int n_tariffed;
    const struct trade_tariff *tariff;
    /* Why this score: each indicator's percentile rank (0-1, NAN when
     * missing, in trade_weight_names order) and in words the indicators that
     * lift it most and the one that holds it back most, by weighted points. */
    double pct[TRADE_N_WEIGHTS];
    char why[200];
};

struct trade_result {
    int n;
    struct trade_market *m;
    char home_iso3[4];
    int home_code, first_year, last_year;
    double home_supply;                      /* home's share of world exports of the product */
    double world_value;                      /* average world trade of the product, kUSD */
};

int trade_rank(const struct trade_query *q, struct arena *a, struct trade_result *out,
               struct tb_err *err);

/* "030617,0306,16": HS6 codes or HS4/HS2 prefixes into ranges (a dropped
 * leading zero is put back); returns how many, -1 when malformed. */
int trade_parse_products(const char *s, struct trade_range *r, int max);
/* "2018" or "2016-2020"; 0 or -1. */
int trade_parse_years(const char *s, int *y1, int *y2);

/* The columns of a ranking row, in output order ("actual" = home_exports). */
enum trade_col_kind { TRADE_COL_INT, TRADE_COL_MONEY, TRADE_COL_FRAC, TRADE_COL_KM, TRADE_COL_BIG,
                      TRADE_COL_HS6, TRADE_COL_TEXT };
struct trade_column {
    const char *name;
    enum trade_col_kind kind;
    size_t off;                              /* in struct trade_market */
};
#define TRADE_N_COLUMNS 24
extern const struct trade_column trade_columns[TRADE_N_COLUMNS];

/* Request parameters as text (command line or query string) checked into a
 * query's parts; errors name the field (home, product, years, sort, weights). */
#define TRADE_MAX_RANGES 64
struct trade_request {
    const char *home, *product, *years, *sort, *weights, *ease;   /* ease: actual|gravity */
};
struct trade_params {
    char home[4];
    struct trade_range ranges[TRADE_MAX_RANGES];
    int n_ranges, y1, y2;
    enum trade_sort sort;
    int ease_fallback;
    struct trade_weights weights;
};
int trade_params_parse(const struct trade_request *in, struct trade_params *out,
                       struct tb_err *err);

/* The result as JSON: {"home","product","years":[first,last],"revision","home_supply",
 * "world_value","markets":[{rank, code, iso3, iso2, [hs6,] import_value, ...,
 * explanation}], "sources"}; unknown figures are null. At most `limit` markets
 * (negative = all). */
#include <jansson.h>
json_t *trade_result_json(const struct trade_result *r, const char *product, int revision,
                          int limit);
/* The "markets" array of trade_result_json as compact JSON text appended to b
 * (the same values; written directly, ~15x faster than the tree and
 * json_dumps). 0, or -1 when b failed. */
int trade_markets_text(const struct trade_result *r, int limit, struct abuf *b);

#endif
