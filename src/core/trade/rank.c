/*
 * rank.c - the market ranking (see rank.h and docs/market-selection.md).
 *
 * Values are summed over the chosen years and divided by their number only
 * for display, so shares are ratios of the same sums.
 * Export potential (ITC's structure, no projection and no tariffs):
 *   supply  s_hP = X_hP / W_P            home's share of world exports of P
 *   demand  M_jP                          j's imports of P
 *   ease    b_hj = A_hj / H_hj,  H_hj = sum_k (X_hk / W_k) M_jk over every HS6 k
 *   potential = s_hP M_jP b_hj, untapped = max(potential - x_hjP, 0)
 * so the potential over all products adds up to A_hj, home's actual exports to j.
 * Over several years the potential is the average of each year's s_hP M_jP,
 * times b_hj from the years' summed A and H, which keeps that identity.
 * Tariffs entered by a person (tariff.h) correct the demand per HS6 code:
 * D_jP = sum_k M_jk TA_jk; the identity then no longer holds, by design.
 */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/trade/rank.h"

static const char *const hubs[] = {"HKG", "SGP", "NLD", "BEL", "ARE"};


/* "2018" or "2016-2020" */
int trade_parse_years(const char *s, int *y1, int *y2)
{
    char *e;
    *y1 = (int)strtol(s, &e, 10);
    if (e == s)
        return -1;
    *y2 = *y1;
    if (*e == '-') {
        const char *t = e + 1;
        *y2 = (int)strtol(t, &e, 10);
        if (e == t)
            return -1;
    }
    return *e || *y1 < 1900 || *y2 < *y1 || *y2 > 2200 ? -1 : 0;
}

/* "030617,0306,16" -> HS6 or prefix ranges; a dropped leading zero is put back. */
int trade_parse_products(const char *s, struct trade_range *r, int max)
{
    int n = 0;
    while (*s && n < max) {
        char code[8];
        size_t len = strcspn(s, ",");
        if (len == 0 || len > 6)
            return -1;
        for (size_t i = 0; i < len; i++)
            if (!isdigit((unsigned char)s[i]))
                return -1;
        size_t digits = len % 2 ? len + 1 : len;
        snprintf(code, sizeof code, "%s%.*s", len % 2 ? "0" : "", (int)len, s);
        uint32_t v = (uint32_t)strtoul(code, NULL, 10), scale = 1;
        for (size_t i = digits; i < 6; i++)
            scale *= 10;
        r[n++] = (struct trade_range){v * scale, v * scale + scale - 1};
        s += len;
        if (*s == ',')
            s++;
    }
    return *s ? -1 : n;
}

int trade_params_parse(const struct trade_request *in, struct trade_params *out,
                       struct tb_err *err)
{
    memset(out, 0, sizeof *out);
    const char *h = in->home ? in->home : "";
    size_t hl = strlen(h);
    for (size_t i = 0; i < hl && i < 3; i++)
        out->home[i] = (char)toupper((unsigned char)h[i]);
    if ((hl != 2 && hl != 3) || !isalpha((unsigned char)h[0]) || !isalpha((unsigned char)h[1]) ||
        (hl == 3 && !isalpha((unsigned char)h[2])))
        return TB_INVALID(err, "home", "home wants an ISO alpha-2 or alpha-3 code, not '%.20s'", h);
    out->n_ranges = in->product ? trade_parse_products(in->product, out->ranges, TRADE_MAX_RANGES)
                                : -1;
    if (out->n_ranges <= 0)
        return TB_INVALID(err, "product", "product wants HS codes of 2, 4 or 6 digits, not '%.40s'",
                          in->product ? in->product : "");
    out->y1 = 1900;
    out->y2 = 2200;
    if (in->years && trade_parse_years(in->years, &out->y1, &out->y2) < 0)
        return TB_INVALID(err, "years", "years wants Y or Y1-Y2, not '%.20s'", in->years);
    const char *s = in->sort ? in->sort : "score";
    out->sort = !strcmp(s, "score") ? TRADE_SORT_SCORE
                : !strcmp(s, "import_value") ? TRADE_SORT_IMPORT
                : !strcmp(s, "untapped") ? TRADE_SORT_UNTAPPED
                : !strcmp(s, "potential") ? TRADE_SORT_POTENTIAL : (enum trade_sort)-1;
    if ((int)out->sort < 0)
        return TB_INVALID(err, "sort", "sort is score, import_value, untapped or potential");
    if (in->ease && strcmp(in->ease, "actual") && strcmp(in->ease, "gravity"))
        return TB_INVALID(err, "ease", "ease is actual or gravity");
    out->ease_fallback = in->ease && !strcmp(in->ease, "gravity");
    trade_weights_default(&out->weights);
    return in->weights ? trade_weights_parse(&out->weights, in->weights, err) : 0;
}

/* ---- countries across years ------------------------------------------ */
struct qctx {
    const struct trade_query *q;
    struct arena *a;
    int nq;                           /* countries over all years */
    const struct trade_country **qc;  /* nq */
    uint16_t **ymap;                  /* per year: country index -> query index */
    int home;                         /* query index */
    double *acc;                      /* nq*nq scratch: flows of the product set, zero between uses */
    uint32_t *touched;                /* the cells of acc a product set filled (each once) */
    double *ease, *dist, *gdp, *gdppc;
    uint8_t *estimated;               /* ease from the distance fallback */
    int *taxed;                       /* query indices of markets with a tariff entered */
    int n_taxed;
    const struct trade_tariff **applied;   /* per query index: the tariff weighing most */
    double *applied_v;                /* and the flows it covered */
    int *n_tariffed;                  /* HS6 codes with a tariff, per query index */
};

/* The markets some entered tariff may apply to (by ISO alpha-2 and origin). */
static int tariff_markets(struct qctx *c, struct tb_err *err)
{
    const struct trade_query *q = c->q;
    if (q->n_tariffs <= 0)
        return 0;
    c->taxed = arena_alloc(c->a, (size_t)c->nq * sizeof *c->taxed);
    c->applied = arena_calloc(c->a, (size_t)c->nq, sizeof *c->applied);
    c->applied_v = arena_calloc(c->a, (size_t)c->nq, sizeof *c->applied_v);
    c->n_tariffed = arena_calloc(c->a, (size_t)c->nq, sizeof *c->n_tariffed);
    if (!c->taxed || !c->applied || !c->applied_v || !c->n_tariffed)
        return TB_INTERNAL(err, "out of memory");
    const char *home = c->qc[c->home]->iso2;
    for (int j = 0; j < c->nq; j++) {
        if (j == c->home || !c->qc[j]->iso2[0])
            continue;
        for (int t = 0; t < q->n_tariffs; t++)
            if (!strcmp(q->tariffs[t].market, c->qc[j]->iso2) &&
                (!q->tariffs[t].origin[0] || !strcmp(q->tariffs[t].origin, home))) {
                c->taxed[c->n_taxed++] = j;
                break;
            }
    }
    return 0;
}

/* Demand corrections of one year for the products [plo, phi): adj[j] +=
 * M_jk (TA_jk - 1) for each market with a tariff on k. */
static void tariff_adjust(struct qctx *c, const struct trade_year *yr, const uint16_t *map, long plo,
                          long phi, double *adj, int count)
{
    const char *home = c->qc[c->home]->iso2;
    for (long p = plo; p < phi; p++)
        for (int k = 0; k < c->n_taxed; k++) {
            int j = c->taxed[k];
            const struct trade_tariff *t = trade_tariff_find(c->q->tariffs, c->q->n_tariffs,
                                                             c->qc[j]->iso2, home, yr->products[p]);
            if (!t)
                continue;
            double f = trade_tariff_factor(t), m = 0;
            for (uint64_t x = yr->flow_off[p]; x < yr->flow_off[p + 1]; x++)
                if (map[yr->flow_imp[x]] == j)
                    m += (double)yr->flow_v[x];
            adj[j] += m * (f - 1);
            if (!c->applied[j] || m > c->applied_v[j]) {
                c->applied_v[j] = m;
                c->applied[j] = t;
            }
            c->n_tariffed[j] += count;
        }
}

static int key3(const char *s)
{
    return ((s[0] - 'A') * 26 + (s[1] - 'A')) * 26 + (s[2] - 'A');
}

static int map_countries(struct qctx *c, struct tb_err *err)
{
    const struct trade_query *q = c->q;
    int16_t *by_iso = arena_alloc(c->a, 26 * 26 * 26 * sizeof *by_iso);
    int16_t by_code[TRADE_MAX_CODE];
    c->qc = arena_alloc(c->a, TRADE_MAX_COUNTRIES * (size_t)q->n_years * sizeof *c->qc);
    c->ymap = arena_alloc(c->a, (size_t)q->n_years * sizeof *c->ymap);
    if (!by_iso || !c->qc || !c->ymap)
        return TB_INTERNAL(err, "out of memory");
    memset(by_iso, 0xff, 26 * 26 * 26 * sizeof *by_iso);
    memset(by_code, 0xff, sizeof by_code);
    for (int y = 0; y < q->n_years; y++) {
        const struct trade_year *yr = q->years[y];
        c->ymap[y] = arena_alloc(c->a, (yr->n_countries + 1) * sizeof **c->ymap);
        if (!c->ymap[y])
            return TB_INTERNAL(err, "out of memory");
        for (uint32_t i = 0; i < yr->n_countries; i++) {
            const struct trade_country *tc = &yr->countries[i];
            int16_t *slot = tc->iso3[0] && tc->rankable ? &by_iso[key3(tc->iso3)]
                                                        : &by_code[tc->code];
            if (*slot < 0) {
                *slot = (int16_t)c->nq;
                c->qc[c->nq++] = tc;
            }
            c->ymap[y][i] = (uint16_t)*slot;
        }
    }
    c->home = -1;
    size_t hl = strlen(q->home);
    for (int i = 0; i < c->nq && c->home < 0; i++)
        if (c->qc[i]->rankable &&
            ((hl == 3 && !strcmp(c->qc[i]->iso3, q->home)) ||
             (hl == 2 && !strcmp(c->qc[i]->iso2, q->home))))
            c->home = i;
    if (c->home < 0)
        return TB_NOT_FOUND(err, "home country %s has no trade in the stored years", q->home);
    return 0;
}

/* ---- ease of trade b_hj over all products ------------------------------ */
/* b_hj = sum_y A_hj,y / sum_y H_hj,y; H (trade at world shares) is built at import. */
static int ease_of_trade(struct qctx *c, struct tb_err *err)
{
    const struct trade_query *q = c->q;
    int nq = c->nq;
    double *A = arena_calloc(c->a, (size_t)nq, sizeof *A);
    double *H = arena_calloc(c->a, (size_t)nq, sizeof *H);
    c->ease = arena_calloc(c->a, (size_t)nq, sizeof *c->ease);
    if (!A || !H || !c->ease)
        return TB_INTERNAL(err, "out of memory");
    for (int y = 0; y < q->n_years; y++) {
        const struct trade_year *yr = q->years[y];
        uint32_t nc = yr->n_countries;
        for (uint32_t i = 0; i < nc; i++) {
            if (c->ymap[y][i] != c->home)
                continue;
            for (uint32_t j = 0; j < nc; j++) {
                A[c->ymap[y][j]] += (double)yr->bilat[(size_t)i * nc + j];
                H[c->ymap[y][j]] += yr->hyp[(size_t)i * nc + j];
            }
        }
    }
    for (int j = 0; j < nq; j++)
        c->ease[j] = H[j] > 0 ? A[j] / H[j] : 0;
    return 0;
}

static int hx_cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* ---- market facts that do not depend on the product -------------------- */
static double cagr(double first, double last, int years)
{
    if (years <= 0 || !(first > 0) || !(last > 0))
        return NAN;
    return pow(last / first, 1.0 / years) - 1.0;
}

static void market_facts(struct qctx *c)
{
    const struct trade_query *q = c->q;
    int last = q->years[q->n_years - 1]->year;
    c->dist = arena_alloc(c->a, (size_t)c->nq * sizeof *c->dist);
    c->gdp = arena_alloc(c->a, (size_t)c->nq * sizeof *c->gdp);
    c->gdppc = arena_alloc(c->a, (size_t)c->nq * sizeof *c->gdppc);
    const char *home = c->qc[c->home]->iso3;
    for (int j = 0; j < c->nq; j++) {
        const char *iso = c->qc[j]->iso3;
        c->dist[j] = c->gdp[j] = c->gdppc[j] = NAN;
        if (!iso[0])
            continue;
        c->dist[j] = trade_geo_distw(q->geo, home, iso);
        const struct trade_wdi_rec *g1 = NULL, *g0 = NULL;
        for (int back = 0; back <= 3 && !g1; back++) {
            g1 = trade_wdi_get(q->wdi, iso, last - back);
            if (g1 && isnan(g1->gdp))
                g1 = NULL;
        }
        if (!g1)
            continue;
        c->gdp[j] = g1->gdp;
        g0 = trade_wdi_get(q->wdi, iso, g1->year - 5);
        if (g0 && g0->pop > 0 && g1->pop > 0)
            c->gdppc[j] = cagr(g0->gdp / g0->pop, g1->gdp / g1->pop, 5);
    }
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, dbl_cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Where home sells nothing (b = 0), the gravity fallback of the method note:
 * b = median(b) * (distance / median distance)^-1 over the markets it sells to. */
static int ease_fallback(struct qctx *c, struct tb_err *err)
{
    int nq = c->nq, nb = 0;
    double *b = arena_alloc(c->a, (size_t)(nq + 1) * sizeof *b);
    double *d = arena_alloc(c->a, (size_t)(nq + 1) * sizeof *d);
    c->estimated = arena_calloc(c->a, (size_t)nq + 1, 1);
    if (!b || !d || !c->estimated)
        return TB_INTERNAL(err, "out of memory");
    for (int j = 0; j < nq; j++)
        if (j != c->home && c->qc[j]->rankable && c->ease[j] > 0 && c->dist[j] > 0) {
            b[nb] = c->ease[j];
            d[nb++] = c->dist[j];
        }
    if (nb < 3)
        return 0;                      /* too little to go on: leave b = 0 */
    double mb = median(b, nb), md = median(d, nb);
    for (int j = 0; j < nq; j++)
        if (j != c->home && c->ease[j] == 0 && c->dist[j] > 0) {
            c->ease[j] = mb * md / c->dist[j];
            c->estimated[j] = 1;
        }
    return 0;
}

/* ---- rows for one product set ------------------------------------------ */
/* vectors after the nq x nq block of acc: first, last, uv_v, uv_q, my, base, adj, dem,
 * and per market the sum, the sum of squares and the number of its suppliers' flows */
#define ACC_VECTORS 11

static void bounds(const struct trade_year *yr, struct trade_range r, long *plo, long *phi)
{
    long lo = 0, hi = (long)yr->n_products;
    while (lo < hi) {
        long mid = (lo + hi) / 2;
        if (yr->products[mid] < r.lo) lo = mid + 1; else hi = mid;
    }
    *plo = lo;
    hi = (long)yr->n_products;
    while (lo < hi) {
        long mid = (lo + hi) / 2;
        if (yr->products[mid] <= r.hi) lo = mid + 1; else hi = mid;
    }
    *phi = lo;
}

static int product_rows(struct qctx *c, const struct trade_range *ranges, int n_ranges,
                        uint32_t hs6, struct trade_market *out, int *n_out, double *world_out,
                        double *supply_out)
{
    const struct trade_query *q = c->q;
    int nq = c->nq, ny = q->n_years;
    double *acc = c->acc;
    double *first = acc + (size_t)nq * nq, *lastv = first + nq, *uv_v = lastv + nq,
           *uv_q = uv_v + nq, *my = uv_q + nq, *base = my + nq, *adj = base + nq, *dem = adj + nq,
           *msum = dem + nq, *msq = msum + nq, *nsup = msq + nq;
    /* Only the cells flows touch are visited and cleared again (a product
     * has a few thousand flows; the matrix has nq^2 = 57,000 cells). */
    uint32_t *touched = c->touched;
    size_t nt = 0;
    memset(first, 0, ACC_VECTORS * (size_t)nq * sizeof *first);
    if (c->n_taxed) {
        memset(c->applied, 0, (size_t)nq * sizeof *c->applied);
        memset(c->applied_v, 0, (size_t)nq * sizeof *c->applied_v);
        memset(c->n_tariffed, 0, (size_t)nq * sizeof *c->n_tariffed);
    }
    double world = 0, xh = 0;
    for (int y = 0; y < ny; y++) {
        const struct trade_year *yr = q->years[y];
        const uint16_t *map = c->ymap[y];
        double wy = 0, xy = 0;
        memset(my, 0, (size_t)nq * sizeof *my);
        if (c->n_taxed)
            memset(adj, 0, (size_t)nq * sizeof *adj);
        for (int r = 0; r < n_ranges; r++) {
            long plo, phi;
            bounds(yr, ranges[r], &plo, &phi);
            for (long p = plo; p < phi; p++)
                wy += (double)yr->world[p];
            if (plo >= phi)
                continue;
            if (c->n_taxed)
                tariff_adjust(c, yr, map, plo, phi, adj, y == 0);
            for (uint64_t f = yr->flow_off[plo]; f < yr->flow_off[phi]; f++) {
                int i = map[yr->flow_exp[f]], j = map[yr->flow_imp[f]];
                double v = (double)yr->flow_v[f];
                size_t cell = (size_t)i * nq + j;
                if (acc[cell] == 0 && v > 0)
                    touched[nt++] = (uint32_t)cell;
                acc[cell] += v;
                my[j] += v;
                if (i == c->home)
                    xy += v;
                if (yr->flow_q[f] >= 0) {
                    uv_v[j] += v;
                    uv_q[j] += (double)yr->flow_q[f];
                }
            }
        }
        /* this year's supply share times its demand: the base of the potential */
        double sy = wy > 0 ? xy / wy : 0;
        for (int j = 0; j < nq; j++) {
            double d = c->n_taxed ? my[j] + adj[j] : my[j];
            base[j] += sy * d;
            dem[j] += d;
        }
        if (y == 0)
            memcpy(first, my, (size_t)nq * sizeof *my);
        if (y == ny - 1)
            memcpy(lastv, my, (size_t)nq * sizeof *my);
        world += wy;
        xh += xy;
    }
    double supply = world > 0 ? xh / world : 0;
    *world_out = world / ny;
    *supply_out = supply;
    int span = q->years[ny - 1]->year - q->years[0]->year;
    for (size_t t = 0; t < nt; t++) {
        size_t j = touched[t] % (size_t)nq;
        double v = acc[touched[t]];
        msum[j] += v;
        msq[j] += v * v;
        nsup[j] += 1;
    }
    int n = 0;
    for (int j = 0; j < nq; j++) {
        if (j == c->home || !c->qc[j]->rankable)
            continue;
        double M = msum[j], ss = msq[j];
        int sup = (int)nsup[j];
        if (!(M > 0))
            continue;
        struct trade_market *m = &out[n++];
        memset(m, 0, sizeof *m);
        const struct trade_country *tc = c->qc[j];
        m->code = tc->code;
        memcpy(m->iso2, tc->iso2, sizeof m->iso2);
        memcpy(m->iso3, tc->iso3, sizeof m->iso3);
        m->hs6 = hs6;
        double x = acc[(size_t)c->home * nq + j];
        m->import_value = M / 1000.0 / ny;
        m->import_cagr = ny > 1 ? cagr(first[j], lastv[j], span) : NAN;
        m->home_exports = x / 1000.0 / ny;
        m->home_share = x / M;
        m->suppliers = sup;
        m->hhi = ss / (M * M);
        m->distw_km = c->dist[j];
        m->gdp = c->gdp[j];
        m->gdp_pc_growth = c->gdppc[j];
        m->unit_value = uv_q[j] > 0 ? uv_v[j] / uv_q[j] : NAN;   /* USD per kg */
        m->supply = supply;
        m->demand = c->n_taxed ? dem[j] / 1000.0 / ny : m->import_value;
        m->tariff_factor = c->n_taxed ? dem[j] / M : 1;
        m->tariff = c->n_taxed ? c->applied[j] : NULL;
        m->n_tariffed = c->n_taxed ? c->n_tariffed[j] : 0;
        m->ease = c->ease[j];
        m->ease_estimated = c->estimated ? c->estimated[j] : 0;
        m->potential = ny == 1 ? supply * m->demand * m->ease : base[j] / 1000.0 / ny * m->ease;
        m->untapped = m->potential > m->home_exports ? m->potential - m->home_exports : 0;
        for (size_t h = 0; h < sizeof hubs / sizeof hubs[0]; h++)
            if (!strcmp(tc->iso3, hubs[h]))
                m->reexport_hub = 1;
    }
    for (size_t t = 0; t < nt; t++)
        acc[touched[t]] = 0;
    *n_out = n;
    return 0;
}

/* ---- score: weighted percentile ranks ---------------------------------- */
struct pv {
    double v;
    int i;
};

static int pv_cmp(const void *a, const void *b)
{
    const struct pv *x = a, *y = b;
    return (x->v > y->v) - (x->v < y->v);
}

/* pr[i] in [0,1] (mid-rank of ties), NAN where the value is missing. */
static void percentiles(const struct trade_market *m, int n, size_t off, int lower_better,
                        double *pr, struct pv *tmp)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        double v = *(const double *)((const char *)&m[i] + off);
        pr[i] = NAN;
        if (!isnan(v))
            tmp[k++] = (struct pv){v, i};
    }
    qsort(tmp, (size_t)k, sizeof *tmp, pv_cmp);
    for (int s = 0; s < k;) {
        int e = s;
        while (e < k && tmp[e].v == tmp[s].v)
            e++;
        double r = k > 1 ? ((s + e - 1) / 2.0) / (k - 1) : 0.5;
        for (int t = s; t < e; t++)
            pr[tmp[t].i] = lower_better ? 1 - r : r;
        s = e;
    }
}

static void explain(struct trade_market *m, double p_size, double p_dist, double p_untapped)
{
    char *s = m->explanation;
    size_t cap = sizeof m->explanation, len = 0;
#define ADD(...) \
    len += (size_t)snprintf(s + len, len < cap ? cap - len : 0, __VA_ARGS__)
    /* literal pieces are copied, not formatted: this runs for every market of every ranking */
#define ADDS(lit) \
    do { \
        size_t l_ = strlen(lit); \
        if (len + l_ < cap) \
            memcpy(s + len, lit, l_ + 1); \
        len += l_; \
    } while (0)
    const char *size = p_size >= 0.75 ? "large" : p_size <= 0.25 ? "small" : "medium";
    const char *growth = isnan(m->import_cagr) ? ""
                         : m->import_cagr >= 0.05 ? " and growing"
                         : m->import_cagr < -0.02 ? " but shrinking" : " and steady";
    ADDS(size);
    ADDS(growth);
    ADDS(" demand");
    if (m->home_exports > 0)
        ADD(", you already hold %.1f%%", m->home_share * 100);
    else
        ADDS(", you do not sell there yet");
    if (m->untapped > 0 && p_untapped >= 0.75)
        ADDS(", much untapped potential");
    else if (m->potential > 0 && m->untapped == 0)
        ADDS(", you already sell above the potential");
    if (!isnan(p_dist))
        ADDS(p_dist <= 0.25 ? ", far away" : p_dist >= 0.75 ? ", close" : "");
    if (m->hhi >= 0.25)
        ADDS(", few suppliers dominate");
    if (m->ease_estimated)
        ADDS(", ease of trade estimated from distance");
    if (m->reexport_hub)
        ADDS(", re-export hub (imports overstate local demand)");
    if (m->tariff) {
        const struct trade_tariff *t = m->tariff;
        double change = (m->tariff_factor - 1) * 100;
        ADD(", tariff %.4g%% entered (%s, %s)", t->rate, t->source, t->as_of);
        if (m->n_tariffed > 1)
            ADD(" with %d more", m->n_tariffed - 1);
        if (fabs(change) < 0.5)
            ADDS(", no more than other suppliers pay");
        else
            ADD(" %s the potential by %.0f%%", change < 0 ? "lowers" : "raises", fabs(change));
    }
#undef ADDS
#undef ADD
}

static int cmp_code_hs6(const struct trade_market *x, const struct trade_market *y)
{
    if (x->code != y->code)
        return x->code - y->code;
    return (x->hs6 > y->hs6) - (x->hs6 < y->hs6);
}

#define DESC(field) \
    static int by_##field(const void *a, const void *b) \
    { \
        const struct trade_market *x = a, *y = b; \
        if (x->field != y->field) \
            return x->field > y->field ? -1 : 1; \
        return cmp_code_hs6(x, y); \
    }
DESC(score)
DESC(import_value)
DESC(untapped)
DESC(potential)

static void score(const struct trade_query *q, struct trade_market *m, int n, struct arena *a)
{
    struct { size_t off; int lower; double w; } ind[] = {
        {offsetof(struct trade_market, import_value), 0, q->weights.size},
        {offsetof(struct trade_market, import_cagr), 0, q->weights.growth},
        {offsetof(struct trade_market, untapped), 0, q->weights.untapped},
        {offsetof(struct trade_market, home_share), 0, q->weights.share},
        {offsetof(struct trade_market, distw_km), 1, q->weights.distance},
        {offsetof(struct trade_market, hhi), 1, q->weights.concentration},
        {offsetof(struct trade_market, gdp_pc_growth), 0, q->weights.gdp_growth},
    };
    enum { NI = sizeof ind / sizeof ind[0] };
    double *pr = arena_alloc(a, (size_t)(n + 1) * NI * sizeof *pr);
    struct pv *tmp = arena_alloc(a, (size_t)(n + 1) * sizeof *tmp);
    if (!pr || !tmp)
        return;
    for (int k = 0; k < NI; k++)
        percentiles(m, n, ind[k].off, ind[k].lower, pr + (size_t)k * n, tmp);
    for (int i = 0; i < n; i++) {
        double sw = 0, s = 0;
        for (int k = 0; k < NI; k++) {
            double p = pr[(size_t)k * n + i];
            if (!isnan(p) && ind[k].w > 0) {
                s += ind[k].w * p;
                sw += ind[k].w;
            }
        }
        m[i].score = sw > 0 ? 100 * s / sw : 0;
        explain(&m[i], pr[i], pr[(size_t)4 * n + i], pr[(size_t)2 * n + i]);
        double w[NI];
        for (int k = 0; k < NI; k++) {
            m[i].pct[k] = pr[(size_t)k * n + i];
            w[k] = ind[k].w;
        }
        trade_explain_score(m[i].pct, w, m[i].why, sizeof m[i].why);
    }
}

int trade_rank(const struct trade_query *q, struct arena *a, struct trade_result *out,
               struct tb_err *err)
{
    memset(out, 0, sizeof *out);
    if (q->n_years < 1)
        return TB_NOT_FOUND(err, "no trade data for the chosen years");
    for (int y = 1; y < q->n_years; y++)
        if (q->years[y]->revision != q->years[0]->revision)
            return TB_INVALID(err, "years", "years %d (HS%02d) and %d (HS%02d) use different HS "
                              "revisions", q->years[0]->year, q->years[0]->revision,
                              q->years[y]->year, q->years[y]->revision);
    struct qctx c = {.q = q, .a = a};
    if (map_countries(&c, err) < 0 || ease_of_trade(&c, err) < 0)
        return -1;
    market_facts(&c);
    if (q->ease_fallback && ease_fallback(&c, err) < 0)
        return -1;
    int nq = c.nq;
    if (tariff_markets(&c, err) < 0)
        return -1;
    c.acc = arena_alloc(a, ((size_t)nq * nq + ACC_VECTORS * (size_t)nq) * sizeof *c.acc);
    c.touched = arena_alloc(a, ((size_t)nq * nq + 1) * sizeof *c.touched);
    if (!c.acc || !c.touched)
        return TB_INTERNAL(err, "out of memory");
    memset(c.acc, 0, (size_t)nq * nq * sizeof *c.acc);
    /* the HS6 codes, when one row per product is asked for */
    uint32_t *codes = NULL;
    int n_codes = 1;
    if (q->per_product) {
        n_codes = 0;
        size_t cap = 0;
        for (int y = 0; y < q->n_years; y++)
            cap += q->years[y]->n_products;
        codes = arena_alloc(a, (cap + 1) * sizeof *codes);
        if (!codes)
            return TB_INTERNAL(err, "out of memory");
        for (int y = 0; y < q->n_years; y++)
            for (int r = 0; r < q->n_ranges; r++) {
                long plo, phi;
                bounds(q->years[y], q->ranges[r], &plo, &phi);
                for (long p = plo; p < phi; p++)
                    codes[n_codes++] = q->years[y]->products[p];
            }
        qsort(codes, (size_t)n_codes, sizeof *codes, hx_cmp_u32);
        int u = 0;
        for (int i = 0; i < n_codes; i++)
            if (!u || codes[u - 1] != codes[i])
                codes[u++] = codes[i];
        n_codes = u;
    }
    out->m = arena_alloc(a, ((size_t)n_codes * nq + 1) * sizeof *out->m);
    if (!c.acc || !out->m || !c.dist || !c.gdp || !c.gdppc)
        return TB_INTERNAL(err, "out of memory");
    for (int p = 0; p < n_codes; p++) {
        int n = 0;
        double world, supply;
        if (q->per_product) {
            struct trade_range one = {codes[p], codes[p]};
            product_rows(&c, &one, 1, codes[p], out->m + out->n, &n, &world, &supply);
        } else {
            product_rows(&c, q->ranges, q->n_ranges, 0, out->m + out->n, &n, &world, &supply);
        }
        out->n += n;
        out->world_value += world / 1000.0;
        out->home_supply = supply;
    }
    score(q, out->m, out->n, a);
    int (*cmp)(const void *, const void *) = q->sort == TRADE_SORT_IMPORT ? by_import_value
                                             : q->sort == TRADE_SORT_UNTAPPED ? by_untapped
                                             : q->sort == TRADE_SORT_POTENTIAL ? by_potential
                                                                                : by_score;
    qsort(out->m, (size_t)out->n, sizeof *out->m, cmp);
    for (int i = 0; i < out->n; i++)
        out->m[i].rank = i + 1;
    memcpy(out->home_iso3, c.qc[c.home]->iso3, 4);
    out->home_code = c.qc[c.home]->code;
    out->first_year = q->years[0]->year;
    out->last_year = q->years[q->n_years - 1]->year;
    return 0;
}
