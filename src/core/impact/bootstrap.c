/*
 * bootstrap.c - percentile and BCa (Efron 1987) intervals for a mean, a median
 * or a ratio of sums, resampling units with replacement. Random numbers come
 * from GSL's MT19937 seeded with the caller's seed, and indices from
 * gsl_rng_uniform_int, so a report names its seed and can be reproduced.
 *
 * An index in [0, n) is taken from the generator's 32-bit output by Lemire's
 * multiply-and-shift with rejection (unbiased, no division in the common
 * case): gsl_rng_uniform_int divides on every draw, which was most of the time.
 *
 * Speed: a median resample does not copy and select; it counts how often each
 * position of the sorted sample was drawn and walks the counts to the middle,
 * which keeps 10,000 resamples of 5,000 units well under a second.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>

#include "core/impact/impact.h"

/* Unbiased index in [0, n) from MT19937's 32-bit words (Lemire 2019). */
static inline size_t draw_index(gsl_rng *rng, uint32_t n)
{
    uint64_t m = (uint64_t)(uint32_t)gsl_rng_get(rng) * n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t floor = (uint32_t)(-n) % n;
        while (low < floor) {
            m = (uint64_t)(uint32_t)gsl_rng_get(rng) * n;
            low = (uint32_t)m;
        }
    }
    return (size_t)(m >> 32);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Linear interpolation between order statistics (numpy's default, type 7). */
static double quantile_sorted(const double *v, size_t n, double q)
{
    if (q <= 0)
        return v[0];
    if (q >= 1)
        return v[n - 1];
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    double frac = h - (double)lo;
    return lo + 1 < n ? v[lo] + frac * (v[lo + 1] - v[lo]) : v[lo];
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

/* The middle of a resample described by how often each sorted position was drawn. */
static double median_of_counts(const double *sorted, const uint32_t *count, size_t n)
{
    size_t want_a = (n - 1) / 2, want_b = n / 2, seen = 0;
    double va = 0;
    int have_a = 0;
    for (size_t i = 0; i < n; i++) {
        seen += count[i];
        if (!have_a && seen > want_a) {
            va = sorted[i];
            have_a = 1;
        }
        if (seen > want_b)
            return 0.5 * (va + sorted[i]);
    }
    return va;
}

int impact_bootstrap(const double *x, const double *denom, size_t n, enum boot_stat stat,
                     unsigned long resamples, unsigned long seed, struct boot_result *out,
                     struct tb_err *err)
{
    memset(out, 0, sizeof *out);
    if (n < 2)
        return TB_INVALID(err, "", "a bootstrap needs at least 2 units, got %zu", n);
    if (n > UINT32_MAX)
        return TB_INVALID(err, "", "a bootstrap takes at most %u units, got %zu", UINT32_MAX, n);
    if (resamples < 100 || resamples > 1000000)
        return TB_INVALID(err, "resamples", "resamples must be 100 to 1000000, got %lu", resamples);
    if (stat == BOOT_RATIO && !denom)
        return TB_INVALID(err, "ratio-to", "a ratio needs the column of its denominator");
    double sx = 0, sd = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || (denom && stat == BOOT_RATIO && !isfinite(denom[i])))
            return TB_INVALID(err, "", "unit %zu: not a finite number", i + 1);
        sx += x[i];
        if (stat == BOOT_RATIO)
            sd += denom[i];
    }
    if (stat == BOOT_RATIO && sd == 0)
        return TB_INVALID(err, "ratio-to", "the denominator sums to 0: the ratio is undefined");

    double *est = malloc(resamples * sizeof *est);
    double *jack = malloc(n * sizeof *jack);
    double *sorted = stat == BOOT_MEDIAN ? malloc(n * sizeof *sorted) : NULL;
    uint32_t *count = stat == BOOT_MEDIAN ? malloc(n * sizeof *count) : NULL;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = -1;
    if (!est || !jack || !rng || (stat == BOOT_MEDIAN && (!sorted || !count))) {
        TB_INTERNAL(err, "out of memory for %lu resamples of %zu units", resamples, n);
        goto done;
    }
    gsl_rng_set(rng, seed);

    double theta;
    if (stat == BOOT_MEDIAN) {
        memcpy(sorted, x, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, cmp_double);
        theta = median_sorted(sorted, n);
    } else {
        theta = stat == BOOT_RATIO ? sx / sd : sx / (double)n;
    }

    for (unsigned long b = 0; b < resamples; b++) {
        if (stat == BOOT_MEDIAN) {
            memset(count, 0, n * sizeof *count);
            for (size_t i = 0; i < n; i++)
                count[draw_index(rng, (uint32_t)n)]++;
            est[b] = median_of_counts(sorted, count, n);
        } else if (stat == BOOT_RATIO) {
            double a = 0, d = 0;
            for (size_t i = 0; i < n; i++) {
                size_t k = draw_index(rng, (uint32_t)n);
                a += x[k];
                d += denom[k];
            }
            est[b] = d != 0 ? a / d : NAN;
        } else {
            double a = 0;
            for (size_t i = 0; i < n; i++)
                a += x[draw_index(rng, (uint32_t)n)];
            est[b] = a / (double)n;
        }
    }

    /* A resample whose denominator summed to 0 has no ratio; drop it and say so
     * through the count of resamples used. */
    unsigned long used = 0;
    double below = 0, mean = 0;
    for (unsigned long b = 0; b < resamples; b++) {
        if (isnan(est[b]))
            continue;
        est[used++] = est[b];
        below += est[b] < theta ? 1.0 : est[b] == theta ? 0.5 : 0.0;
        mean += est[b];
    }
    if (used < resamples / 2) {
        TB_INVALID(err, "ratio-to", "the denominator sums to 0 in most resamples: the ratio is undefined");
        goto done;
    }
    mean /= (double)used;
    double var = 0;
    for (unsigned long b = 0; b < used; b++)
        var += (est[b] - mean) * (est[b] - mean);
    qsort(est, used, sizeof *est, cmp_double);

    /* Jackknife for the acceleration. */
    double jmean = 0;
    for (size_t i = 0; i < n; i++) {
        if (stat == BOOT_MEDIAN)
            jack[i] = median_without(sorted, n, i);
        else if (stat == BOOT_RATIO)
            jack[i] = (sd - denom[i]) != 0 ? (sx - x[i]) / (sd - denom[i]) : theta;
        else
            jack[i] = (sx - x[i]) / (double)(n - 1);
        jmean += jack[i];
    }
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
    out->pct_low = quantile_sorted(est, used, 0.025);
    out->pct_high = quantile_sorted(est, used, 0.975);
    out->bca_low = quantile_sorted(est, used, q[0]);
    out->bca_high = quantile_sorted(est, used, q[1]);
    out->z0 = z0;
    out->accel = accel;
    out->boot_se = used > 1 ? sqrt(var / (double)(used - 1)) : 0.0;
    out->n = n;
    out->resamples = used;
    out->seed = seed;
    rc = 0;
done:
    gsl_rng_free(rng);
    free(est);
    free(jack);
    free(sorted);
    free(count);
    return rc;
}
