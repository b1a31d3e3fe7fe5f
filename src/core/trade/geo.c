/*
 * geo.c - CEPII GeoDist distances (dist_cepii) and World Bank GDP and
 * population series, parsed with libcsv into small sorted tables.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/trade/csvrows.h"
#include "core/trade/trade.h"

/* ---- GeoDist --------------------------------------------------------- */
struct geo_pair {
    char o[4], d[4];
    float distw;
};
struct geo_ctx {
    int col_o, col_d, col_w;
    struct geo_pair *p;
    size_t n, cap;
};

static int code3(const char *s)
{
    return strlen(s) == 3 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]) &&
           isalpha((unsigned char)s[2]);
}

static int geo_row(void *vctx, char **f, int n, long line, struct tb_err *err)
{
    struct geo_ctx *c = vctx;
    if (line == 1) {
        for (int i = 0; i < n; i++) {
            if (!strcmp(f[i], "iso_o"))
                c->col_o = i;
            else if (!strcmp(f[i], "iso_d"))
                c->col_d = i;
            else if (!strcmp(f[i], "distw"))
                c->col_w = i;
        }
        if (c->col_o < 0 || c->col_d < 0 || c->col_w < 0)
            return TB_INVALID(err, "geo", "not a CEPII GeoDist dist_cepii file: the header "
                                          "needs iso_o, iso_d and distw");
        return 0;
    }
    if (n <= c->col_o || n <= c->col_d || n <= c->col_w)
        return TB_INVALID(err, "geo", "line %ld: %d columns, expected %d", line, n, c->col_w + 1);
    if (!code3(f[c->col_o]) || !code3(f[c->col_d]))
        return TB_INVALID(err, "geo", "line %ld: '%s' or '%s' is not an ISO alpha-3 code", line,
                          f[c->col_o], f[c->col_d]);
    const char *w = f[c->col_w];
    float dist = NAN;
    if (*w && strcmp(w, ".") && strcmp(w, "NA")) {
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%s", w);
        for (char *s = tmp; *s; s++)
            if (*s == ',')
                *s = '.';              /* the unmodified CEPII file writes decimal commas */
        char *e;
        double v = strtod(tmp, &e);
        if (e == tmp || *e || !(v >= 0) || v > 25000)
            return TB_INVALID(err, "geo", "line %ld: distw '%s' is not a distance in km", line, w);
        dist = (float)v;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 4096;
        void *p = realloc(c->p, cap * sizeof *c->p);
        if (!p)
            return TB_INTERNAL(err, "out of memory");
        c->p = p;
        c->cap = cap;
    }
    struct geo_pair *g = &c->p[c->n++];
    for (int k = 0; k < 4; k++) {
        g->o[k] = (char)toupper((unsigned char)f[c->col_o][k]);
        g->d[k] = (char)toupper((unsigned char)f[c->col_d][k]);
    }
    g->distw = dist;
    return 0;
}

static int cmp3(const void *a, const void *b)
{
    return strcmp(a, b);
}

static long find3(char (*list)[4], int n, const char *s)
{
    char (*hit)[4] = bsearch(s, list, (size_t)n, sizeof *list, cmp3);
    return hit ? hit - list : -1;
}

int trade_geo_parse(struct trade_geo *g, const char *buf, size_t len, struct tb_err *err)
{
    memset(g, 0, sizeof *g);
    struct geo_ctx c = {-1, -1, -1, NULL, 0, 0};
    const char *nl = memchr(buf, '\n', len);
    char sep = nl && memchr(buf, ';', (size_t)(nl - buf)) ? ';' : ',';
    if (csvrows_each(buf, len, sep, geo_row, &c, err) < 0) {
        free(c.p);
        return -1;
    }
    if (c.n == 0) {
        free(c.p);
        return TB_INVALID(err, "geo", "no distances in the file");
    }
    /* the set of codes */
    char (*codes)[4] = malloc(c.n * 2 * sizeof *codes);
    if (!codes) {
        free(c.p);
        return TB_INTERNAL(err, "out of memory");
    }
    for (size_t i = 0; i < c.n; i++) {
        memcpy(codes[2 * i], c.p[i].o, 4);
        memcpy(codes[2 * i + 1], c.p[i].d, 4);
    }
    qsort(codes, c.n * 2, sizeof *codes, cmp3);
    int nu = 0;
    for (size_t i = 0; i < c.n * 2; i++)
        if (nu == 0 || strcmp(codes[nu - 1], codes[i]))
            memcpy(codes[nu++], codes[i], 4);
    g->n = nu;
    g->iso3 = codes;
    g->distw = malloc((size_t)nu * nu * sizeof *g->distw);
    if (!g->distw) {
        free(c.p);
        trade_geo_free(g);
        return TB_INTERNAL(err, "out of memory");
    }
    for (size_t i = 0; i < (size_t)nu * nu; i++)
        g->distw[i] = NAN;
    for (size_t i = 0; i < c.n; i++)
        g->distw[find3(codes, nu, c.p[i].o) * nu + find3(codes, nu, c.p[i].d)] = c.p[i].distw;
    free(c.p);
    return 0;
}

void trade_geo_free(struct trade_geo *g)
{
    free(g->iso3);
    free(g->distw);
    memset(g, 0, sizeof *g);
}

double trade_geo_distw(const struct trade_geo *g, const char *o, const char *d)
{
    if (!g || g->n == 0)
        return NAN;
    long a = find3(g->iso3, g->n, o), b = find3(g->iso3, g->n, d);
    return a < 0 || b < 0 ? NAN : g->distw[a * g->n + b];
}

/* ---- World Bank ------------------------------------------------------- */
struct wdi_ctx {
    struct trade_wdi *w;
    enum trade_wdi_series s;
    int wide;                   /* the WB download layout: one column per year */
    int col_code, col_year, col_value, first_year_col;
    int years[128];
    size_t cap;
};

static int wdi_rec_cmp(const void *a, const void *b)
{
    const struct trade_wdi_rec *x = a, *y = b;
    int c = strcmp(x->iso3, y->iso3);
    return c ? c : x->year - y->year;
}

static int wdi_put(struct wdi_ctx *c, const char *iso3, int year, double v, struct tb_err *err)
{
    struct trade_wdi *w = c->w;
    if ((size_t)w->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 4096;
        void *p = realloc(w->r, cap * sizeof *w->r);
        if (!p)
            return TB_INTERNAL(err, "out of memory");
        w->r = p;
        c->cap = cap;
    }
    struct trade_wdi_rec *r = &w->r[w->n++];
    memcpy(r->iso3, iso3, 4);
    r->year = (int16_t)year;
    r->gdp = c->s == TRADE_WDI_GDP ? v : NAN;
    r->pop = c->s == TRADE_WDI_POP ? v : NAN;
    return 0;
}

static int wdi_value(const char *s, double *out)
{
    if (!*s)
        return 0;
    char *e;
    double v = strtod(s, &e);
    if (e == s || *e || !isfinite(v) || v < 0)
        return -1;
    *out = v;
    return 1;
}

static int wdi_row(void *vctx, char **f, int n, long line, struct tb_err *err)
{
    struct wdi_ctx *c = vctx;
    if (c->col_code < 0) {         /* header: the WB download has a few lines before it */
        for (int i = 0; i < n; i++) {
            if (!strcmp(f[i], "Country Code"))
                c->col_code = i;
            else if (!strcmp(f[i], "Year"))
                c->col_year = i;
            else if (!strcmp(f[i], "Value"))
                c->col_value = i;
            else if (strlen(f[i]) == 4 && isdigit((unsigned char)f[i][0]) && i < 128) {
                if (c->first_year_col < 0)
                    c->first_year_col = i;
                c->years[i] = atoi(f[i]);
            }
        }
        c->wide = c->col_code >= 0 && c->col_year < 0 && c->first_year_col >= 0;
        if (c->col_code >= 0 && !c->wide && (c->col_year < 0 || c->col_value < 0))
            return TB_INVALID(err, "wdi", "line %ld: a World Bank file needs Country Code, Year "
                                          "and Value columns (or one column per year)", line);
        if (c->col_code < 0 && line > 6)
            return TB_INVALID(err, "wdi", "not a World Bank file: no 'Country Code' column in "
                                          "the first lines");
        return 0;
    }
    if (n <= c->col_code)
        return TB_INVALID(err, "wdi", "line %ld: %d columns", line, n);
    const char *iso = f[c->col_code];
    if (!code3(iso))
        return TB_INVALID(err, "wdi", "line %ld: country code '%s' is not ISO alpha-3", line, iso);
    if (c->wide) {
        for (int i = c->first_year_col; i < n && i < 128; i++) {
            double v;
            int got = wdi_value(f[i], &v);
            if (got < 0)
                return TB_INVALID(err, "wdi", "line %ld: '%s' is not a number", line, f[i]);
            if (got && c->years[i] && wdi_put(c, iso, c->years[i], v, err) < 0)
                return -1;
        }
        return 0;
    }
    if (n <= c->col_year || n <= c->col_value)
        return TB_INVALID(err, "wdi", "line %ld: %d columns", line, n);
    char *e;
    long year = strtol(f[c->col_year], &e, 10);
    if (e == f[c->col_year] || *e || year < 1900 || year > 2200)
        return TB_INVALID(err, "wdi", "line %ld: year '%s' is not a year", line, f[c->col_year]);
    double v;
    int got = wdi_value(f[c->col_value], &v);
    if (got < 0)
        return TB_INVALID(err, "wdi", "line %ld: value '%s' is not a non-negative number", line,
                          f[c->col_value]);
    return got ? wdi_put(c, iso, (int)year, v, err) : 0;
}

int trade_wdi_parse(struct trade_wdi *w, enum trade_wdi_series s, const char *buf, size_t len,
                    struct tb_err *err)
{
    struct wdi_ctx c = {.w = w, .s = s, .col_code = -1, .col_year = -1, .col_value = -1,
                        .first_year_col = -1, .cap = (size_t)w->n};
    int before = w->n;
    if (csvrows_each(buf, len, ',', wdi_row, &c, err) < 0) {
        w->n = before;
        return -1;
    }
    if (c.col_code < 0)
        return TB_INVALID(err, "wdi", "not a World Bank file: no 'Country Code' column");
    /* merge: sort, then fold records of the same country and year */
    qsort(w->r, (size_t)w->n, sizeof *w->r, wdi_rec_cmp);
    int out = 0;
    for (int i = 0; i < w->n; i++) {
        if (out && !wdi_rec_cmp(&w->r[out - 1], &w->r[i])) {
            struct trade_wdi_rec *o = &w->r[out - 1];
            if (!isnan(w->r[i].gdp))
                o->gdp = w->r[i].gdp;
            if (!isnan(w->r[i].pop))
                o->pop = w->r[i].pop;
        } else {
            w->r[out++] = w->r[i];
        }
    }
    w->n = out;
    return 0;
}

void trade_wdi_free(struct trade_wdi *w)
{
    free(w->r);
    memset(w, 0, sizeof *w);
}

const struct trade_wdi_rec *trade_wdi_get(const struct trade_wdi *w, const char *iso3, int year)
{
    struct trade_wdi_rec key;
    memcpy(key.iso3, iso3, 4);
    key.iso3[3] = '\0';
    key.year = (int16_t)year;
    return w && w->n ? bsearch(&key, w->r, (size_t)w->n, sizeof key, wdi_rec_cmp) : NULL;
}
