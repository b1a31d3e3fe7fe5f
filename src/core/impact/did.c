/*
 * did.c - two-by-two difference-in-differences by least squares with CR1
 * cluster-robust standard errors. GSL does the linear algebra and the t
 * distribution; the design has four columns, so X'X and the per-cluster
 * score sums are accumulated in one pass over the observations.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "core/impact/impact.h"

enum { K = 4 };

static void design_row(const struct did_obs *o, double x[K])
{
    x[0] = 1.0;
    x[1] = o->treated;
    x[2] = o->post;
    x[3] = (double)(o->treated && o->post);
}

int impact_did(const struct did_obs *obs, size_t n, size_t clusters, struct did_result *out,
               struct tb_err *err)
{
    memset(out, 0, sizeof *out);
    if (clusters < 2)
        return TB_INVALID(err, "unit", "difference-in-differences needs at least 2 units, got %zu", clusters);
    if (n <= K)
        return TB_INVALID(err, "", "difference-in-differences needs more than %d observations, got %zu", K, n);

    double xtx[K * K] = {0}, xty[K] = {0};
    double sum[2][2] = {{0}};
    for (size_t i = 0; i < n; i++) {
        const struct did_obs *o = &obs[i];
        if (o->cluster >= clusters)
            return TB_INTERNAL(err, "observation %zu names cluster %u of %zu", i, o->cluster, clusters);
        if (!isfinite(o->y))
            return TB_INVALID(err, "outcome", "observation %zu: the outcome is not a finite number", i + 1);
        double x[K];
        design_row(o, x);
        for (int a = 0; a < K; a++) {
            xty[a] += x[a] * o->y;
            for (int b = 0; b < K; b++)
                xtx[a * K + b] += x[a] * x[b];
        }
        sum[o->treated][o->post] += o->y;
        out->cell_n[o->treated][o->post]++;
    }
    static const char *const cell_name[2][2] = {{"comparison units before", "comparison units after"},
                                                {"treated units before", "treated units after"}};
    for (int t = 0; t < 2; t++)
        for (int p = 0; p < 2; p++) {
            if (!out->cell_n[t][p])
                return TB_INVALID(err, t ? "treated" : "post", "no observations of %s: the 2x2 design needs all four",
                                  cell_name[t][p]);
            out->cell_mean[t][p] = sum[t][p] / (double)out->cell_n[t][p];
        }

    /* (X'X)^-1 by LU; the design is full rank once all four cells are present. */
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    double inv[K * K];
    gsl_matrix_view m = gsl_matrix_view_array(xtx, K, K);
    gsl_matrix_view mi = gsl_matrix_view_array(inv, K, K);
    gsl_permutation *perm = gsl_permutation_alloc(K);
    int signum, rc = perm ? gsl_linalg_LU_decomp(&m.matrix, perm, &signum) : GSL_ENOMEM;
    if (rc == 0)
        rc = gsl_linalg_LU_invert(&m.matrix, perm, &mi.matrix);
    gsl_permutation_free(perm);
    gsl_set_error_handler(old);
    if (rc != 0)
        return TB_INVALID(err, "", "the design matrix is singular: treated and post do not vary independently");

    double beta[K] = {0};
    for (int a = 0; a < K; a++)
        for (int b = 0; b < K; b++)
            beta[a] += inv[a * K + b] * xty[b];

    /* Meat: sum over clusters of (X_g' e_g)(X_g' e_g)'. */
    double *score = calloc(clusters, K * sizeof(double));
    if (!score)
        return TB_INTERNAL(err, "out of memory for %zu clusters", clusters);
    for (size_t i = 0; i < n; i++) {
        double x[K];
        design_row(&obs[i], x);
        double e = obs[i].y;
        for (int a = 0; a < K; a++)
            e -= x[a] * beta[a];
        double *s = score + (size_t)obs[i].cluster * K;
        for (int a = 0; a < K; a++)
            s[a] += x[a] * e;
    }
    double meat[K * K] = {0};
    for (size_t g = 0; g < clusters; g++) {
        const double *s = score + g * K;
        for (int a = 0; a < K; a++)
            for (int b = 0; b < K; b++)
                meat[a * K + b] += s[a] * s[b];
    }
    free(score);

    double G = (double)clusters, N = (double)n;
    double c = G / (G - 1.0) * (N - 1.0) / (N - K);
    double tmp[K * K] = {0}, v[K * K] = {0};
    for (int a = 0; a < K; a++)
        for (int b = 0; b < K; b++)
            for (int k = 0; k < K; k++)
                tmp[a * K + b] += inv[a * K + k] * meat[k * K + b];
    for (int a = 0; a < K; a++)
        for (int b = 0; b < K; b++) {
            for (int k = 0; k < K; k++)
                v[a * K + b] += tmp[a * K + k] * inv[k * K + b];
            v[a * K + b] *= c;
        }

    out->obs = n;
    out->clusters = clusters;
    out->df = (int)clusters - 1;
    for (int a = 0; a < K; a++) {
        out->coef[a] = beta[a];
        out->coef_se[a] = sqrt(fmax(v[a * K + a], 0.0));
    }
    out->estimate = beta[3];
    out->se = out->coef_se[3];
    double q = gsl_cdf_tdist_Qinv(0.025, out->df);
    out->ci_low = out->estimate - q * out->se;
    out->ci_high = out->estimate + q * out->se;
    if (out->se > 0) {
        out->t = out->estimate / out->se;
        out->p = 2.0 * gsl_cdf_tdist_Q(fabs(out->t), out->df);
    } else {
        out->t = out->estimate == 0 ? 0 : copysign(INFINITY, out->estimate);
        out->p = out->estimate == 0 ? 1.0 : 0.0;
    }
    return 0;
}

int impact_did_subset(const struct did_obs *obs, size_t n, size_t clusters, const uint8_t *keep,
                      struct did_result *out, struct tb_err *err)
{
    struct did_obs *sub = malloc((n + 1) * sizeof *sub);
    uint32_t *renum = malloc((clusters + 1) * sizeof *renum);
    if (!sub || !renum) {
        free(sub);
        free(renum);
        memset(out, 0, sizeof *out);
        return TB_INTERNAL(err, "out of memory for %zu observations", n);
    }
    for (size_t c = 0; c < clusters; c++)
        renum[c] = UINT32_MAX;
    size_t m = 0, g = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = obs[i].cluster;
        if (c >= clusters || !keep[c])
            continue;
        if (renum[c] == UINT32_MAX)
            renum[c] = (uint32_t)g++;
        sub[m] = obs[i];
        sub[m++].cluster = renum[c];
    }
    int rc = impact_did(sub, m, g, out, err);
    free(sub);
    free(renum);
    return rc;
}
