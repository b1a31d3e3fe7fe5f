/*
 * impact.h - the estimators behind impact reports: difference-in-differences
 * with cluster-robust standard errors, seeded bootstrap intervals, and
 * small-cell suppression. Pure: numbers in, numbers out; no I/O.
 *
 * Conventions follow the established packages so an evaluator can reproduce
 * every figure (see docs/impact.md): CR1 clustered errors as Stata,
 * statsmodels (cov_type='cluster') and fixest compute them; p-values from
 * Student's t with G-1 degrees of freedom; percentile and BCa bootstrap
 * intervals from a xoshiro256** generator seeded with the caller's seed
 * through splitmix64 (indices from its 32-bit words by Lemire's unbiased
 * multiply-and-shift).
 */
#ifndef TB_IMPACT_H
#define TB_IMPACT_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* ---- difference-in-differences ------------------------------------------ */

struct did_obs {
    double y;          /* outcome */
    uint32_t cluster;  /* unit index 0..G-1 (standard errors are clustered by it) */
    uint8_t treated;   /* 1 = took part */
    uint8_t post;      /* 1 = period after the programme started */
};

struct did_result {
    double estimate;             /* d in y = a + b*treated + c*post + d*treated*post */
    double se;                   /* CR1 cluster-robust standard error of d */
    double t, p;                 /* t = d/se; two-sided p from t(G-1) */
    double ci_low, ci_high;      /* 95% interval d -/+ t(0.975, G-1) * se */
    double coef[4], coef_se[4];  /* a, b, c, d with their clustered errors */
    double cell_mean[2][2];      /* [treated][post] means of y */
    size_t cell_n[2][2];
    size_t obs, clusters;
    int df;                      /* G - 1 */
};

/* obs[0..n-1] with clusters numbered 0..clusters-1. Fails with a message when
 * a cell of the 2x2 design is empty, there are fewer than 2 clusters, or the
 * design is singular. */
int impact_did(const struct did_obs *obs, size_t n, size_t clusters, struct did_result *out,
               struct tb_err *err);

/* The same estimate over the clusters with keep[cluster] set (numbered
 * again from 0), e.g. the units that started in one year and their
 * comparison units: the per-start-year estimates beside a pooled one. */
int impact_did_subset(const struct did_obs *obs, size_t n, size_t clusters, const uint8_t *keep,
                      struct did_result *out, struct tb_err *err);

/* ---- bootstrap ---------------------------------------------------------- */

enum boot_stat { BOOT_MEAN, BOOT_MEDIAN, BOOT_RATIO };

struct boot_result {
    double estimate;
    double pct_low, pct_high;    /* percentile interval (2.5%, 97.5%) */
    double bca_low, bca_high;    /* bias-corrected and accelerated interval */
    double z0, accel;            /* BCa's bias correction and acceleration */
    double boot_se;              /* standard deviation of the bootstrap estimates */
    size_t n;
    unsigned long resamples;
    unsigned long seed;
};

/* Resamples the n units with replacement `resamples` times. BOOT_RATIO takes
 * sum(x)/sum(denom) within each resample (denom required, sums must not be 0);
 * the others ignore denom. Same data and seed give the same result. */
int impact_bootstrap(const double *x, const double *denom, size_t n, enum boot_stat stat,
                     unsigned long resamples, unsigned long seed, struct boot_result *out,
                     struct tb_err *err);

/* Several statistics of the same n units from the same resamples (one set of
 * draws): out[c] is what impact_bootstrap(cols[c].x, cols[c].denom, n,
 * cols[c].stat, resamples, seed) gives, computed in one pass. */
struct boot_col {
    const double *x;       /* n values */
    const double *denom;   /* BOOT_RATIO: n denominators */
    enum boot_stat stat;
};

int impact_bootstrap_many(const struct boot_col *cols, size_t ncols, size_t n, unsigned long resamples,
                          unsigned long seed, struct boot_result *out, struct tb_err *err);

/* The median of v[0..n-1] by selection (v is reordered); NAN when n is 0. */
double impact_median(double *v, size_t n);

/* ---- small cells --------------------------------------------------------- */

/* A table of rows x cols cells, each describing units[r*cols+c] firms, with
 * top_share (may be NULL) the largest single firm's share of the cell's value,
 * published with its row totals, column totals and grand total. The marks
 * cover that extended table: mark[r*(cols+1)+c] for r <= rows, c <= cols, the
 * totals in row `rows` and column `cols`. Primary: a cell with 0 < units < k,
 * or with top_share > dominance (0 turns dominance off). Secondary: every row
 * and column of the extended table then has no suppressed entry or at least
 * two, so no suppressed figure is its total minus the figures shown; the
 * cells chosen are the smallest (fewest firms), interior cells before totals.
 * k below 3 is refused. */
enum { CELL_SHOWN = 0, CELL_PRIMARY = 1, CELL_SECONDARY = 2 };

int impact_suppress(const uint32_t *units, const double *top_share, size_t rows, size_t cols,
                    unsigned k, double dominance, uint8_t *mark, struct tb_err *err);

#endif
