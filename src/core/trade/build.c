/*
 * build.c - one year of BACI rows into the tables the ranking reads:
 * flows grouped by product (a counting sort, stable, so BACI's i,j order is
 * kept inside a product), world trade per product W_k, each exporter's
 * products X_ik, each product's importers M_jk, the bilateral totals A_ij and
 * the hypothetical trade H_ij behind the ease of trade (rank.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/trade/trade.h"

struct trade_builder {
    const struct trade_dict *dict;
    const uint8_t *valid;
    int revision, year, unknown;
    uint64_t n, cap;
    uint16_t *exp, *imp;            /* dictionary indexes while adding */
    uint32_t *k;
    int64_t *v, *q;
    /* built tables */
    struct trade_country *countries;
    uint32_t *products;
    uint64_t *flow_off, *x_off, *m_off;
    uint16_t *fexp, *fimp, *m_imp;
    int64_t *fv, *fq, *world, *x_val, *m_val, *bilat;
    uint32_t *x_prod;
    double *hyp;
};

struct trade_builder *trade_builder_new(const struct trade_dict *dict, int revision,
                                        const uint8_t *valid_hs6)
{
    struct trade_builder *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->dict = dict;
    b->valid = valid_hs6;
    b->revision = revision;
    b->year = -1;
    b->unknown = -1;
    return b;
}

int trade_builder_unknown(const struct trade_builder *b)
{
    return b->unknown;
}

uint64_t trade_builder_rows(const struct trade_builder *b)
{
    return b->n;
}

static int grow(struct trade_builder *b)
{
    uint64_t cap = b->cap ? b->cap * 2 : 1 << 16;
    void *e = realloc(b->exp, cap * sizeof *b->exp);
    if (e)
        b->exp = e;
    void *i = realloc(b->imp, cap * sizeof *b->imp);
    if (i)
        b->imp = i;
    void *k = realloc(b->k, cap * sizeof *b->k);
    if (k)
        b->k = k;
    void *v = realloc(b->v, cap * sizeof *b->v);
    if (v)
        b->v = v;
    void *q = realloc(b->q, cap * sizeof *b->q);
    if (q)
        b->q = q;
    if (!e || !i || !k || !v || !q)
        return -1;
    b->cap = cap;
    return 0;
}

int trade_builder_add(struct trade_builder *b, const struct baci_row *r, char *why, size_t n)
{
    b->unknown = -1;
    if (b->year < 0) {
        if (r->t < 1988 || r->t > 2100) {
            snprintf(why, n, "year %d is outside 1988-2100", r->t);
            return -1;
        }
        b->year = r->t;
    } else if (r->t != b->year) {
        snprintf(why, n, "year %d differs from the file's year %d (one year per file)", r->t,
                 b->year);
        return -1;
    }
    const struct trade_dict *d = b->dict;
    int ei = r->i < TRADE_MAX_CODE ? d->idx[r->i] : -1;
    int ii = r->j < TRADE_MAX_CODE ? d->idx[r->j] : -1;
    if (ei < 0) {
        b->unknown = r->i < TRADE_MAX_CODE ? r->i : -1;
        snprintf(why, n, "unknown exporter code %d (not in the country dictionary)", r->i);
        return -1;
    }
    if (ii < 0) {
        b->unknown = r->j < TRADE_MAX_CODE ? r->j : -1;
        snprintf(why, n, "unknown importer code %d (not in the country dictionary)", r->j);
        return -1;
    }
    if (r->i == r->j) {
        snprintf(why, n, "exporter and importer are the same country (%d)", r->i);
        return -1;
    }
    if (r->k < 10000 || (b->valid && !b->valid[r->k])) {
        snprintf(why, n, "product %06u is not an HS%02d code%s", (unsigned)r->k, b->revision,
                 b->valid ? " of the product dictionary" : "");
        return -1;
    }
    if (r->v > TRADE_MAX_V_MILLI) {
        snprintf(why, n, "value %.3f thousand USD is absurd for one flow", (double)r->v / 1000);
        return -1;
    }
    if (r->q > TRADE_MAX_Q_MILLI) {
        snprintf(why, n, "quantity %.3f t is absurd for one flow", (double)r->q / 1000);
        return -1;
    }
    if (b->n == b->cap && grow(b) < 0) {
        snprintf(why, n, "out of memory");
        return -1;
    }
    uint64_t at = b->n++;
    b->exp[at] = (uint16_t)ei;
    b->imp[at] = (uint16_t)ii;
    b->k[at] = r->k;
    b->v[at] = r->v;
    b->q[at] = r->q;
    return 0;
}

/* Moves column `in` (n rows of `size` bytes) to its sorted place; frees `in`. */
static void *scatter(void *in, size_t size, const uint32_t *pos, uint64_t n)
{
    char *out = malloc(n ? n * size : 1);
    if (!out) {
        free(in);
        return NULL;
    }
    if (size == 2) {
        const uint16_t *s = in;
        uint16_t *o = (uint16_t *)out;
        for (uint64_t r = 0; r < n; r++)
            o[pos[r]] = s[r];
    } else {
        const int64_t *s = in;
        int64_t *o = (int64_t *)out;
        for (uint64_t r = 0; r < n; r++)
            o[pos[r]] = s[r];
    }
    free(in);
    return out;
}

int trade_builder_finish(struct trade_builder *b, struct trade_year *y, struct tb_err *err)
{
    memset(y, 0, sizeof *y);
    if (b->n == 0)
        return TB_INVALID(err, "file", "no flows: the file has a header but no rows");
    if (b->n >= UINT32_MAX)
        return TB_INVALID(err, "file", "more than 4 billion flows in one year");
    uint64_t n = b->n;

    /* countries seen, in dictionary order */
    int16_t remap[TRADE_MAX_COUNTRIES];
    uint8_t used[TRADE_MAX_COUNTRIES] = {0};
    for (uint64_t r = 0; r < n; r++)
        used[b->exp[r]] = used[b->imp[r]] = 1;
    uint32_t nc = 0;
    b->countries = calloc(TRADE_MAX_COUNTRIES, sizeof *b->countries);
    if (!b->countries)
        return TB_INTERNAL(err, "out of memory");
    for (int c = 0; c < b->dict->n; c++) {
        remap[c] = -1;
        if (used[c]) {
            remap[c] = (int16_t)nc;
            b->countries[nc++] = b->dict->c[c];
        }
    }
    for (uint64_t r = 0; r < n; r++) {
        b->exp[r] = (uint16_t)remap[b->exp[r]];
        b->imp[r] = (uint16_t)remap[b->imp[r]];
    }

    /* products seen, ascending; product index per row */
    uint8_t *seen = calloc(TRADE_MAX_HS6, 1);
    uint32_t *pidx = malloc(TRADE_MAX_HS6 * sizeof *pidx);
    if (!seen || !pidx) {
        free(seen);
        free(pidx);
        return TB_INTERNAL(err, "out of memory");
    }
    for (uint64_t r = 0; r < n; r++)
        seen[b->k[r]] = 1;
    uint32_t np = 0;
    for (uint32_t k = 0; k < TRADE_MAX_HS6; k++)
        if (seen[k])
            pidx[k] = np++;
    b->products = malloc(np * sizeof *b->products);
    b->flow_off = calloc(np + 1, sizeof *b->flow_off);
    if (!b->products || !b->flow_off) {
        free(seen);
        free(pidx);
        return TB_INTERNAL(err, "out of memory");
    }
    for (uint32_t k = 0, p = 0; k < TRADE_MAX_HS6; k++)
        if (seen[k])
            b->products[p++] = k;
    free(seen);

    /* counting sort by product: positions once, then column by column */
    uint32_t *pos = (uint32_t *)b->k;      /* reuse: k becomes the target position */
    for (uint64_t r = 0; r < n; r++) {
        pos[r] = pidx[pos[r]];
        b->flow_off[pos[r] + 1]++;
    }
    free(pidx);
    for (uint32_t p = 0; p < np; p++)
        b->flow_off[p + 1] += b->flow_off[p];
    uint64_t *next = malloc((np + 1) * sizeof *next);
    if (!next)
        return TB_INTERNAL(err, "out of memory");
    memcpy(next, b->flow_off, (np + 1) * sizeof *next);
    for (uint64_t r = 0; r < n; r++)
        pos[r] = (uint32_t)next[pos[r]]++;
    free(next);
    b->fexp = scatter(b->exp, 2, pos, n);
    b->fimp = scatter(b->imp, 2, pos, n);
    b->fv = scatter(b->v, 8, pos, n);
    b->fq = scatter(b->q, 8, pos, n);
    b->exp = b->imp = NULL;
    b->v = b->q = NULL;
    if (!b->fexp || !b->fimp || !b->fv || !b->fq)
        return TB_INTERNAL(err, "out of memory");

    /* aggregates */
    b->world = calloc(np, sizeof *b->world);
    b->bilat = calloc((size_t)nc * nc, sizeof *b->bilat);
    b->m_off = calloc(np + 1, sizeof *b->m_off);
    int64_t *xi = calloc(nc, sizeof *xi), *mj = calloc(nc, sizeof *mj);
    uint64_t cap = (uint64_t)np * 16 + 64;
    b->m_imp = malloc(cap * sizeof *b->m_imp);
    b->m_val = malloc(cap * sizeof *b->m_val);
    uint32_t *tx_exp = malloc(cap * sizeof *tx_exp), *tx_prod = malloc(cap * sizeof *tx_prod);
    int64_t *tx_val = malloc(cap * sizeof *tx_val);
    uint64_t nm = 0, nx = 0, capx = cap;
    int oom = !b->world || !b->bilat || !b->m_off || !xi || !mj || !b->m_imp || !b->m_val ||
              !tx_exp || !tx_prod || !tx_val;
    for (uint32_t p = 0; p < np && !oom; p++) {
        int64_t w = 0;
        for (uint64_t f = b->flow_off[p]; f < b->flow_off[p + 1]; f++) {
            int64_t v = b->fv[f];
            xi[b->fexp[f]] += v;
            mj[b->fimp[f]] += v;
            b->bilat[(size_t)b->fexp[f] * nc + b->fimp[f]] += v;
            w += v;
        }
        b->world[p] = w;
        if (nm + nc > cap || nx + nc > capx) {
            cap = cap * 2 + nc;
            capx = cap;
            void *a = realloc(b->m_imp, cap * sizeof *b->m_imp);
            if (a) b->m_imp = a;
            void *c = realloc(b->m_val, cap * sizeof *b->m_val);
            if (c) b->m_val = c;
            void *d = realloc(tx_exp, capx * sizeof *tx_exp);
            if (d) tx_exp = d;
            void *e = realloc(tx_prod, capx * sizeof *tx_prod);
            if (e) tx_prod = e;
            void *g = realloc(tx_val, capx * sizeof *tx_val);
            if (g) tx_val = g;
            if (!a || !c || !d || !e || !g) {
                oom = 1;
                break;
            }
        }
        for (uint32_t c = 0; c < nc; c++) {
            if (mj[c]) {
                b->m_imp[nm] = (uint16_t)c;
                b->m_val[nm++] = mj[c];
                mj[c] = 0;
            }
            if (xi[c]) {
                tx_exp[nx] = c;
                tx_prod[nx] = p;
                tx_val[nx++] = xi[c];
                xi[c] = 0;
            }
        }
        b->m_off[p + 1] = nm;
    }
    free(xi);
    free(mj);
    /* exporter-major copy of the (i, k, X) triples */
    b->x_off = oom ? NULL : calloc(nc + 1, sizeof *b->x_off);
    b->x_prod = oom ? NULL : malloc((nx + 1) * sizeof *b->x_prod);
    b->x_val = oom ? NULL : malloc((nx + 1) * sizeof *b->x_val);
    if (!b->x_off || !b->x_prod || !b->x_val) {
        oom = 1;
    } else {
        for (uint64_t t = 0; t < nx; t++)
            b->x_off[tx_exp[t] + 1]++;
        for (uint32_t c = 0; c < nc; c++)
            b->x_off[c + 1] += b->x_off[c];
        uint64_t at[TRADE_MAX_COUNTRIES];
        memcpy(at, b->x_off, nc * sizeof at[0]);
        for (uint64_t t = 0; t < nx; t++) {
            uint64_t to = at[tx_exp[t]]++;
            b->x_prod[to] = tx_prod[t];
            b->x_val[to] = tx_val[t];
        }
    }
    free(tx_exp);
    free(tx_prod);
    free(tx_val);
    /* hypothetical trade H_ij, summed in the order the ranking would use */
    b->hyp = oom ? NULL : calloc((size_t)nc * nc + 1, sizeof *b->hyp);
    if (!b->hyp)
        oom = 1;
    for (uint32_t i = 0; i < nc && !oom; i++) {
        double *row = b->hyp + (size_t)i * nc;
        for (uint64_t t = b->x_off[i]; t < b->x_off[i + 1]; t++) {
            uint32_t p = b->x_prod[t];
            double share = (double)b->x_val[t] / (double)b->world[p];
            for (uint64_t e = b->m_off[p]; e < b->m_off[p + 1]; e++)
                row[b->m_imp[e]] += share * (double)b->m_val[e];
        }
    }
    if (oom)
        return TB_INTERNAL(err, "out of memory");

    y->revision = b->revision;
    y->year = b->year;
    y->n_countries = nc;
    y->n_products = np;
    y->n_flows = n;
    y->n_x = nx;
    y->n_m = nm;
    y->countries = b->countries;
    y->products = b->products;
    y->flow_off = b->flow_off;
    y->flow_exp = b->fexp;
    y->flow_imp = b->fimp;
    y->flow_v = b->fv;
    y->flow_q = b->fq;
    y->world = b->world;
    y->x_off = b->x_off;
    y->x_prod = b->x_prod;
    y->x_val = b->x_val;
    y->m_off = b->m_off;
    y->m_imp = b->m_imp;
    y->m_val = b->m_val;
    y->bilat = b->bilat;
    y->hyp = b->hyp;
    return 0;
}

void trade_builder_free(struct trade_builder *b)
{
    if (!b)
        return;
    void *all[] = {b->exp, b->imp, b->k, b->v, b->q, b->countries, b->products, b->flow_off,
                   b->x_off, b->m_off, b->fexp, b->fimp, b->m_imp, b->fv, b->fq, b->world,
                   b->x_val, b->m_val, b->bilat, b->x_prod, b->hyp};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    free(b);
}

long trade_year_product(const struct trade_year *y, uint32_t hs6)
{
    long lo = 0, hi = (long)y->n_products;
    while (lo < hi) {
        long mid = (lo + hi) / 2;
        if (y->products[mid] < hs6)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < (long)y->n_products && y->products[lo] == hs6 ? lo : -1;
}
