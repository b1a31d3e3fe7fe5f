/*
 * trade.h - CEPII BACI trade flows: the row parser, the country dictionary,
 * the per-year tables built at import (flows grouped by product and the
 * aggregates the ranking needs), GeoDist distances and World Bank series.
 * Pure core: no I/O; the store maps year files onto struct trade_year and the
 * CLI feeds bytes in. Money is kept exact as int64 thousandths of BACI's
 * thousand USD (= USD), quantities as thousandths of a tonne (= kg).
 */
#ifndef TB_TRADE_H
#define TB_TRADE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define TRADE_MAX_CODE 1000        /* BACI country codes are below 1000 */
#define TRADE_MAX_HS6 1000000      /* HS6 codes as integers: 030617 -> 30617 */
#define TRADE_MAX_COUNTRIES 400
#define TRADE_Q_NA (-1)            /* quantity missing (NA, empty) */
/* Absurd-value guards: one flow above USD 1 trillion or 1 billion tonnes is an error. */
#define TRADE_MAX_V_MILLI 1000000000000LL
#define TRADE_MAX_Q_MILLI 1000000000000LL

/* ---- one BACI row ---------------------------------------------------- */
struct baci_row {
    int t, i, j;
    uint32_t k;          /* HS6 as an integer (leading zero implied) */
    int64_t v;           /* value, USD (thousandths of BACI's kUSD) */
    int64_t q;           /* quantity, kg (thousandths of a tonne), TRADE_Q_NA when missing */
};

/* Parses one line [p, end) without its newline (a trailing CR is allowed).
 * Returns 0, or -1 with *why a static reason naming the column. */
int baci_parse_line(const char *p, const char *end, struct baci_row *r, const char **why);
/* 1 when the line is BACI's header "t,i,j,k,v,q" (quotes, BOM and CR allowed). */
int baci_is_header(const char *p, const char *end);
/* Revision from a BACI file name ("BACI_HS17_Y2022_V202501.csv" -> 17); -1 if none. */
int baci_revision_from_name(const char *name);

/* ---- countries --------------------------------------------------------- */
struct trade_country {
    int16_t code;          /* BACI numeric code */
    uint8_t rankable;      /* 1 = a market of its own (not a group, former state or "nes") */
    char iso2[3];
    char iso3[4];          /* as the dictionary says; "" when it gives none */
    char name[56];
};

struct trade_dict {
    int n;
    struct trade_country c[TRADE_MAX_COUNTRIES];
    int16_t idx[TRADE_MAX_CODE];       /* code -> index in c, -1 when unknown */
};

void trade_dict_init(struct trade_dict *d);
/* Adds the rows of a BACI country dictionary (layout before or after V2024,
 * BOM, CRLF, quoted names); codes already present are kept unless `override`. */
int trade_dict_parse(struct trade_dict *d, const char *buf, size_t len, int override,
                     struct tb_err *err);
/* Built-in dictionary: BACI V202501 with V202201 for codes it no longer lists. */
int trade_dict_default(struct trade_dict *d, struct tb_err *err);
const struct trade_country *trade_dict_get(const struct trade_dict *d, int code);

/* ---- one year of flows, as built at import and as stored --------------- */
struct trade_year {
    int revision;                 /* HS revision: 12, 17, 22 ... */
    int year;
    uint32_t n_countries, n_products;
    uint64_t n_flows, n_x, n_m;
    const struct trade_country *countries;   /* the countries seen in the flows */
    const uint32_t *products;     /* HS6, ascending */
    const uint64_t *flow_off;     /* n_products + 1: flows of product p */
    const uint16_t *flow_exp, *flow_imp;     /* country indexes */
    const int64_t *flow_v, *flow_q;
    const int64_t *world;         /* W_k: world trade of product p */
    const uint64_t *x_off;        /* n_countries + 1: exporter's products */
    const uint32_t *x_prod;       /* product index */
    const int64_t *x_val;         /* X_ik */
    const uint64_t *m_off;        /* n_products + 1: importers of product p */
    const uint16_t *m_imp;
    const int64_t *m_val;         /* M_jk */
    const int64_t *bilat;         /* A_ij, n_countries^2, row = exporter */
    const double *hyp;            /* H_ij = sum_k (X_ik / W_k) M_jk: trade at world shares */
};

/* Index of hs6 in y->products, or -1. */
long trade_year_product(const struct trade_year *y, uint32_t hs6);

struct trade_builder;
/* products: optional set of valid HS6 codes (NULL = any 6-digit code). */
struct trade_builder *trade_builder_new(const struct trade_dict *dict, int revision,
                                        const uint8_t *valid_hs6);
/* Adds a parsed row. Returns 0, or -1 (row not added) with a one-line reason. */
int trade_builder_add(struct trade_builder *b, const struct baci_row *r, char *why, size_t n);
uint64_t trade_builder_rows(const struct trade_builder *b);
/* The country code the last rejected row did not know, or -1. */
int trade_builder_unknown(const struct trade_builder *b);
/* Builds the tables; *out points into b until trade_builder_free. */
int trade_builder_finish(struct trade_builder *b, struct trade_year *out, struct tb_err *err);
void trade_builder_free(struct trade_builder *b);

/* ---- GeoDist and World Bank --------------------------------------------- */
struct trade_geo {
    int n;
    char (*iso3)[4];              /* sorted */
    float *distw;                 /* n*n km, NAN when missing; row = origin */
};
/* CEPII dist_cepii (';' or ',' separated, '.' = missing). Fills g with malloc'd arrays. */
int trade_geo_parse(struct trade_geo *g, const char *buf, size_t len, struct tb_err *err);
void trade_geo_free(struct trade_geo *g);
double trade_geo_distw(const struct trade_geo *g, const char *o, const char *d);

struct trade_wdi_rec {
    char iso3[4];
    int16_t year;
    double gdp, pop;              /* NAN when missing */
};
struct trade_wdi {
    int n;
    struct trade_wdi_rec *r;      /* sorted by iso3, year */
};
enum trade_wdi_series { TRADE_WDI_GDP, TRADE_WDI_POP };
/* World Bank long CSV "Country Name,Country Code,Year,Value", or the wide
 * download ("Country Name","Country Code","Indicator Name","Indicator Code","1960",...).
 * Values are merged into w (malloc'd). */
int trade_wdi_parse(struct trade_wdi *w, enum trade_wdi_series s, const char *buf, size_t len,
                    struct tb_err *err);
void trade_wdi_free(struct trade_wdi *w);
const struct trade_wdi_rec *trade_wdi_get(const struct trade_wdi *w, const char *iso3, int year);

#endif
