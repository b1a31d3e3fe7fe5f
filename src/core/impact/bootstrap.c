/*
 * bootstrap.c - percentile and BCa (Efron 1987) intervals for a mean, a median
 * or a ratio of sums, resampling units with replacement.
 *
 * Random numbers: xoshiro256** (Blackman and Vigna 2018) with its state set
 * from the caller's seed by splitmix64, so a report names its seed and can be
 * reproduced. Each 64-bit output gives two 32-bit words; an index in [0, n)
 * is taken from a word by Lemire's multiply-and-shift with rejection
 * (unbiased, no division in the common case). MT19937 through GSL's
 * function-pointer interface cost about four times as much per index.
 *
 * Speed: a resample is described by how often each unit was drawn (a count
 * per unit, no copy of the data); every statistic of the same units then
 * reads those counts - a sum is a dot product with them, a median a walk
 * through the counts in sorted order - so several figures over the same
 * units share one set of draws (impact_bootstrap_many). Interval ends are
 * found by selection (quickselect), not by sorting the estimates. Nothing is
 * allocated per resample.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "core/impact/impact.h"
#include "core/xoshiro.h"

/* count[0..n-1] = how often each unit is drawn in one resample of n draws.
 * Each 64-bit output gives two 32-bit words, the low half first; a word w
 * gives the index (w * n) >> 32 unless the low 32 bits of w * n fall below
 * 2^32 mod n, where it is rejected (Lemire 2019: unbiased). */
static void draw_counts(uint64_t rng[4], uint32_t *count, uint32_t n)
{
    memset(count, 0, n * sizeof *count);
    uint32_t floor = (uint32_t)(-n) % n;
    for (uint32_t i = 0; i < n;) {
        uint64_t v = xoshiro256_next(rng);
        uint64_t a = (v & 0xffffffffu) * n, b = (v >> 32) * n;
        if ((uint32_t)a >= floor) {
            count[a >> 32]++;
            i++;
        }
        if (i < n && (uint32_t)b >= floor) {
            count[b >> 32]++;
            i++;
        }
    }
}

/* Sum of count[i] * x[i]: four running sums keep the adds independent. */
static double dot_counts(const uint32_t *count, const double *x, size_t n)
{
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        a0 += (double)count[i] * x[i];
        a1 += (double)count[i + 1] * x[i + 1];
        a2 += (double)count[i + 2] * x[i + 2];
        a3 += (double)count[i + 3] * x[i + 3];
    }
    for (; i < n; i++)
        a0 += (double)count[i] * x[i];
    return (a0 + a1) + (a2 + a3);
}

/* ---- order statistics ---- */

/* Rearranges v so that v[k] is the k-th smallest, smaller ones before it and
 * larger ones after (Hoare's selection, median of three pivot). */
static void select_kth(double *v, size_t n, size_t k)
{
    ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, want = (ptrdiff_t)k;
    while (hi > lo) {
        ptrdiff_t mid = lo + (hi - lo) / 2;
        double t;
        if (v[mid] < v[lo]) {
            t = v[mid], v[mid] = v[lo], v[lo] = t;
        }
        if (v[hi] < v[lo]) {
            t = v[hi], v[hi] = v[lo], v[lo] = t;
        }
        if (v[hi] < v[mid]) {
            t = v[hi], v[hi] = v[mid], v[mid] = t;
        }
        double pivot = v[mid];
        ptrdiff_t i = lo, j = hi;
        do {
            while (v[i] < pivot)
                i++;
            while (pivot < v[j])
                j--;
            if (i <= j) {
                t = v[i], v[i] = v[j], v[j] = t;
                i++;
                j--;
            }
        } while (i <= j);
        if (want <= j)
            hi = j;
        else if (want >= i)
            lo = i;
        else
            return;
    }
}

/* The q quantile by linear interpolation between order statistics (numpy's
 * default, type 7), by selection; v is reordered. */
static double quantile_select(double *v, size_t n, double q)
{
    if (q <= 0)
        q = 0;
    if (q >= 1)
        q = 1;
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1) {
        select_kth(v, n, n - 1);
        return v[n - 1];
    }
    double frac = h - (double)lo;
    select_kth(v, n, lo);
    double a = v[lo], b = v[lo + 1];
    for (size_t i = lo + 2; i < n; i++)
        if (v[i] < b)
            b = v[i];
    return a + frac * (b - a);
}

double impact_median(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    select_kth(v, n, n / 2);
    double hi = v[n / 2];
    if (n % 2)
        return hi;
    double lo = v[0];
    for (size_t i = 1; i < n / 2; i++)
        if (v[i] > lo)
            lo = v[i];
    return 0.5 * (lo + hi);
}

static double median_sorted(const double *v, size_t n)
{
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Median of the sorted sample without position `skip` (jackknife). */
static double median_without(const double *v, size_t n, size_t skip)
{
    size_t m = n - 1;
    size_t a = (m - 1) / 2, b = m / 2;
    double va = v[a < skip ? a : a + 1], vb = v[b < skip ? b : b + 1];
    return 0.5 * (va + vb);
}

/* The middle of a resample: walk the counts in sorted order (perm). */
static double median_of_counts(const double *sorted, const uint32_t *perm, const uint32_t *count, size_t n)
{
    size_t want_a = (n - 1) / 2, want_b = n / 2, seen = 0;
    double va = 0;
    int have_a = 0;
    for (size_t i = 0; i < n; i++) {
        seen += count[perm[i]];
        if (!have_a && seen > want_a) {
            va = sorted[i];
            have_a = 1;
        }
        if (seen > want_b)
            return 0.5 * (va + sorted[i]);
    }
    return va;
}

struct keyed {
    double v;
    uint32_t i;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = (x->v > y->v) - (x->v < y->v);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* ---- the intervals from the estimates ---- */

/* est[0..resamples-1] (NAN = no estimate) of a statistic whose value on the
 * sample is theta and whose jackknife values are jack[0..n-1]. */
static int interval(double *est, unsigned long resamples, double theta, const double *jack, size_t n,
                    struct boot_result *out, struct tb_err *err)
{
    /* A resample whose denominator summed to 0 has no ratio; drop it and say
     * so through the count of resamples used. */
    unsigned long used = 0;
    double below = 0, mean = 0;
    for (unsigned long b = 0; b < resamples; b++) {
        if (isnan(est[b]))
            continue;
        est[used++] = est[b];
        below += est[b] < theta ? 1.0 : est[b] == theta ? 0.5 : 0.0;
        mean += est[b];
    }
    if (used < resamples / 2 || used == 0)
        return TB_INVALID(err, "ratio-to", "the denominator sums to 0 in most resamples: the ratio is undefined");
    mean /= (double)used;
    double var = 0;
    for (unsigned long b = 0; b < used; b++)
        var += (est[b] - mean) * (est[b] - mean);

    double jmean = 0;
    for (size_t i = 0; i < n; i++)
        jmean += jack[i];
    jmean /= (double)n;
    double num = 0, den = 0;
    for (size_t i = 0; i < n; i++) {
        double d = jmean - jack[i];
        num += d * d * d;
        den += d * d;
    }
    double accel = den > 0 ? num / (6.0 * pow(den, 1.5)) : 0.0;

    double share = below / (double)used;
    /* All estimates on one side: the bias correction is unbounded; clamp it to
     * the share one resample would make, as the interval then sits at an end. */
    double lo_share = 0.5 / (double)used;
    share = share < lo_share ? lo_share : share > 1 - lo_share ? 1 - lo_share : share;
    double z0 = gsl_cdf_ugaussian_Pinv(share);
    double q[2];
    const double alpha[2] = {0.025, 0.975};
    for (int k = 0; k < 2; k++) {
        double z = gsl_cdf_ugaussian_Pinv(alpha[k]);
        double w = z0 + (z0 + z) / (1.0 - accel * (z0 + z));
        q[k] = gsl_cdf_ugaussian_P(w);
    }

    out->estimate = theta;
    out->pct_low = quantile_select(est, used, 0.025);
    out->pct_high = quantile_select(est, used, 0.975);
    out->bca_low = isnan(q[0]) ? NAN : quantile_select(est, used, q[0]);
    out->bca_high = isnan(q[1]) ? NAN : quantile_select(est, used, q[1]);
    out->z0 = z0;
    out->accel = accel;
    out->boot_se = used > 1 ? sqrt(var / (double)(used - 1)) : 0.0;
    out->n = n;
    out->resamples = used;
    return 0;
}

/* ---- resampling ---- */

int impact_bootstrap_many(const struct boot_col *cols, size_t ncols, size_t n, unsigned long resamples,
                          unsigned long seed, struct boot_result *out, struct tb_err *err)
{
    memset(out, 0, ncols * sizeof *out);
    if (n < 2)
        return TB_INVALID(err, "", "a bootstrap needs at least 2 units, got %zu", n);
    if (n > UINT32_MAX)
        return TB_INVALID(err, "", "a bootstrap takes at most %u units, got %zu", UINT32_MAX, n);
    if (resamples < 100 || resamples > 1000000)
        return TB_INVALID(err, "resamples", "resamples must be 100 to 1000000, got %lu", resamples);
    if (ncols == 0)
        return 0;

    /* The distinct arrays the columns sum, each summed once per resample. */
    size_t narr = 0, nmed = 0;
    const double **arr = calloc(2 * ncols, sizeof *arr);
    size_t *xi = calloc(ncols, sizeof *xi), *di = calloc(ncols, sizeof *di);
    double *whole = calloc(2 * ncols, sizeof *whole);
    int rc = -1;
    double *sums = NULL, *est = NULL, *jack = NULL, *sorted = NULL, *med = NULL;
    uint32_t *count = NULL, *perm = NULL;
    if (!arr || !xi || !di || !whole) {
        TB_INTERNAL(err, "out of memory for a bootstrap of %zu units", n);
        goto done;
    }
    for (size_t c = 0; c < ncols; c++) {
        const struct boot_col *k = &cols[c];
        if (k->stat == BOOT_RATIO && !k->denom) {
            TB_INVALID(err, "ratio-to", "a ratio needs the column of its denominator");
            goto done;
        }
        const double *need[2] = {k->x, k->stat == BOOT_RATIO ? k->denom : NULL};
        size_t *slot[2] = {&xi[c], &di[c]};
        for (int w = 0; w < 2 && need[w]; w++) {
            size_t j = 0;
            while (j < narr && arr[j] != need[w])
                j++;
            if (j == narr) {
                double s = 0;
                for (size_t i = 0; i < n; i++) {
                    if (!isfinite(need[w][i])) {
                        TB_INVALID(err, "", "unit %zu: not a finite number", i + 1);
                        goto done;
                    }
                    s += need[w][i];
                }
                arr[narr] = need[w];
                whole[narr++] = s;
            }
            *slot[w] = j;
        }
        if (k->stat == BOOT_RATIO && whole[di[c]] == 0) {
            TB_INVALID(err, "ratio-to", "the denominator sums to 0: the ratio is undefined");
            goto done;
        }
        nmed += k->stat == BOOT_MEDIAN;
    }

    sums = malloc(resamples * narr * sizeof *sums);
    est = malloc(resamples * sizeof *est);
    jack = malloc(n * sizeof *jack);
    count = malloc(n * sizeof *count);
    med = nmed ? malloc(resamples * nmed * sizeof *med) : NULL;
    sorted = nmed ? malloc(n * nmed * sizeof *sorted) : NULL;
    perm = nmed ? malloc(n * nmed * sizeof *perm) : NULL;
    if (!sums || !est || !jack || !count || (nmed && (!med || !sorted || !perm))) {
        TB_INTERNAL(err, "out of memory for %lu resamples of %zu units", resamples, n);
        goto done;
    }
    for (size_t c = 0, m = 0; c < ncols; c++) {
        if (cols[c].stat != BOOT_MEDIAN)
            continue;
        struct keyed *kv = malloc(n * sizeof *kv);
        if (!kv) {
            TB_INTERNAL(err, "out of memory for a bootstrap of %zu units", n);
            goto done;
        }
        for (size_t i = 0; i < n; i++)
            kv[i] = (struct keyed){cols[c].x[i], (uint32_t)i};
        qsort(kv, n, sizeof *kv, cmp_keyed);
        for (size_t i = 0; i < n; i++) {
            sorted[m * n + i] = kv[i].v;
            perm[m * n + i] = kv[i].i;
        }
        free(kv);
        m++;
    }

    uint64_t rng[4];
    xoshiro256_seed(rng, seed);
    for (unsigned long b = 0; b < resamples; b++) {
        draw_counts(rng, count, (uint32_t)n);
        for (size_t j = 0; j < narr; j++)
            sums[b * narr + j] = dot_counts(count, arr[j], n);
        for (size_t m = 0; m < nmed; m++)
            med[b * nmed + m] = median_of_counts(sorted + m * n, perm + m * n, count, n);
    }

    rc = 0;
    for (size_t c = 0, m = 0; rc == 0 && c < ncols; c++) {
        const struct boot_col *k = &cols[c];
        double sx = whole[xi[c]], theta;
        if (k->stat == BOOT_MEDIAN) {
            const double *s = sorted + m * n;
            theta = median_sorted(s, n);
            for (unsigned long b = 0; b < resamples; b++)
                est[b] = med[b * nmed + m];
            for (size_t i = 0; i < n; i++)
                jack[i] = median_without(s, n, i);
            m++;
        } else if (k->stat == BOOT_RATIO) {
            double sd = whole[di[c]];
            theta = sx / sd;
            for (unsigned long b = 0; b < resamples; b++) {
                double d = sums[b * narr + di[c]];
                est[b] = d != 0 ? sums[b * narr + xi[c]] / d : NAN;
            }
            for (size_t i = 0; i < n; i++)
                jack[i] = (sd - k->denom[i]) != 0 ? (sx - k->x[i]) / (sd - k->denom[i]) : theta;
        } else {
            theta = sx / (double)n;
            for (unsigned long b = 0; b < resamples; b++)
                est[b] = sums[b * narr + xi[c]] / (double)n;
            for (size_t i = 0; i < n; i++)
                jack[i] = (sx - k->x[i]) / (double)(n - 1);
        }
        rc = interval(est, resamples, theta, jack, n, &out[c], err);
        out[c].seed = seed;
    }
done:
    free(med);
    free(arr);
    free(xi);
    free(di);
    free(whole);
    free(sums);
    free(est);
    free(jack);
    free(count);
    free(sorted);
    free(perm);
    return rc;
}

int impact_bootstrap(const double *x, const double *denom, size_t n, enum boot_stat stat,
                     unsigned long resamples, unsigned long seed, struct boot_result *out,
                     struct tb_err *err)
{
    struct boot_col col = {.x = x, .denom = denom, .stat = stat};
    return impact_bootstrap_many(&col, 1, n, resamples, seed, out, err);
}
