/* Unit tests: the impact estimators (difference-in-differences, bootstrap,
 * small-cell suppression). The reference figures of the DiD case were
 * computed with statsmodels 0.13 (OLS, cov_type='cluster', use_t=True). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/impact/impact.h"

#define assert_close(a, b, tol) assert_true(fabs((a) - (b)) <= (tol) * (1.0 + fabs(b)))

/* Five firms, two periods; d = (23 - 11) - (mean(10,13,12) - mean(8,9,7)) = 8.333... */
static const struct did_obs small_panel[] = {
    {10, 0, 1, 0}, {20, 0, 1, 1}, {12, 1, 1, 0}, {26, 1, 1, 1}, {8, 2, 0, 0},
    {10, 2, 0, 1}, {9, 3, 0, 0},  {13, 3, 0, 1}, {7, 4, 0, 0},  {12, 4, 0, 1},
};

static void did_matches_statsmodels(void **state)
{
    (void)state;
    struct did_result r;
    struct tb_err err = {0};
    assert_int_equal(impact_did(small_panel, 10, 5, &r, &err), 0);
    assert_close(r.estimate, 8.333333333333345, 1e-12);
    assert_close(r.se, 2.1730674684008875, 1e-12);
    assert_close(r.p, 0.01854139327660443, 1e-9);
    assert_close(r.ci_low, 2.2999307974271286, 1e-9);
    assert_close(r.ci_high, 14.36673586923956, 1e-9);
    assert_close(r.coef_se[0], 0.6454972243679027, 1e-12);
    assert_int_equal(r.df, 4);
    assert_int_equal(r.clusters, 5);
    assert_int_equal(r.cell_n[1][1], 2);
    assert_close(r.cell_mean[0][1], 35.0 / 3.0, 1e-12);
}

static void did_refuses_an_empty_cell(void **state)
{
    (void)state;
    struct did_obs only_treated[4] = {{1, 0, 1, 0}, {2, 0, 1, 1}, {3, 1, 1, 0}, {5, 1, 1, 1}};
    struct did_obs five[5];
    memcpy(five, only_treated, sizeof only_treated);
    five[4] = (struct did_obs){4, 1, 1, 1};
    struct did_result r;
    struct tb_err err = {0};
    assert_int_equal(impact_did(five, 5, 2, &r, &err), -1);
    assert_non_null(strstr(err.message, "comparison units before"));
    assert_int_equal(impact_did(small_panel, 10, 1, &r, &err), -1);
    assert_non_null(strstr(err.message, "at least 2 units"));
}

static void bootstrap_is_reproducible_from_its_seed(void **state)
{
    (void)state;
    double x[200];
    for (int i = 0; i < 200; i++)
        x[i] = exp(0.01 * i * (i % 7));   /* skewed */
    struct boot_result a, b, c;
    struct tb_err err = {0};
    assert_int_equal(impact_bootstrap(x, NULL, 200, BOOT_MEAN, 2000, 42, &a, &err), 0);
    assert_int_equal(impact_bootstrap(x, NULL, 200, BOOT_MEAN, 2000, 42, &b, &err), 0);
    assert_int_equal(impact_bootstrap(x, NULL, 200, BOOT_MEAN, 2000, 43, &c, &err), 0);
    assert_true(a.pct_low == b.pct_low && a.bca_high == b.bca_high);
    assert_true(a.pct_low != c.pct_low || a.pct_high != c.pct_high);
    assert_true(a.pct_low < a.estimate && a.estimate < a.pct_high);
    assert_true(a.bca_low < a.estimate && a.estimate < a.bca_high);
    /* Skewed to the right: BCa shifts the interval up against the percentile one. */
    assert_true(a.bca_high > a.pct_high);
    assert_int_equal(a.resamples, 2000);
}

static void bootstrap_of_a_constant_is_that_constant(void **state)
{
    (void)state;
    double x[50];
    for (int i = 0; i < 50; i++)
        x[i] = 7.5;
    struct boot_result r;
    struct tb_err err = {0};
    for (int s = BOOT_MEAN; s <= BOOT_MEDIAN; s++) {
        assert_int_equal(impact_bootstrap(x, NULL, 50, (enum boot_stat)s, 500, 1, &r, &err), 0);
        assert_true(r.estimate == 7.5 && r.pct_low == 7.5 && r.pct_high == 7.5 && r.bca_low == 7.5);
    }
}

static void bootstrap_median_and_ratio(void **state)
{
    (void)state;
    double x[] = {1, 2, 3, 4, 100}, cost[] = {1, 1, 1, 1, 1};
    struct boot_result r;
    struct tb_err err = {0};
    assert_int_equal(impact_bootstrap(x, NULL, 5, BOOT_MEDIAN, 1000, 3, &r, &err), 0);
    assert_true(r.estimate == 3.0);
    assert_true(r.pct_low >= 1.0 && r.pct_high <= 100.0);
    assert_int_equal(impact_bootstrap(x, cost, 5, BOOT_RATIO, 1000, 3, &r, &err), 0);
    assert_close(r.estimate, 22.0, 1e-12);
    assert_int_equal(impact_bootstrap(x, NULL, 5, BOOT_RATIO, 1000, 3, &r, &err), -1);
    double zero[] = {0, 0, 0, 0, 0};
    assert_int_equal(impact_bootstrap(x, zero, 5, BOOT_RATIO, 1000, 3, &r, &err), -1);
    assert_non_null(strstr(err.message, "sums to 0"));
    assert_int_equal(impact_bootstrap(x, NULL, 1, BOOT_MEAN, 1000, 3, &r, &err), -1);
    assert_int_equal(impact_bootstrap(x, NULL, 5, BOOT_MEAN, 10, 3, &r, &err), -1);
}

/* A report's figures over the same units share one set of draws: each
 * column comes out exactly as its own bootstrap with the same seed. */
static void bootstrap_many_equals_one_at_a_time(void **state)
{
    (void)state;
    enum { N = 301 };
    double x[N], y[N], cost[N];
    for (int i = 0; i < N; i++) {
        x[i] = exp(0.013 * i * (i % 5)) - 3;
        y[i] = (i * 37) % 11;
        cost[i] = 10 + i % 4;
    }
    struct boot_col cols[] = {{x, NULL, BOOT_MEAN}, {y, NULL, BOOT_MEDIAN}, {x, cost, BOOT_RATIO},
                              {y, NULL, BOOT_MEAN}};
    struct boot_result many[4], one;
    struct tb_err err = {0};
    assert_int_equal(impact_bootstrap_many(cols, 4, N, 1500, 11, many, &err), 0);
    for (int c = 0; c < 4; c++) {
        assert_int_equal(impact_bootstrap(cols[c].x, cols[c].denom, N, cols[c].stat, 1500, 11, &one, &err), 0);
        assert_true(memcmp(&one, &many[c], sizeof one) == 0);
        assert_true(one.pct_low <= one.pct_high && one.bca_low <= one.bca_high);
    }
    /* The percentile ends are the 2.5% and 97.5% quantiles of the estimates:
     * with the ratio's denominator all 1 the ratio is the mean times n. */
    double ones[N];
    for (int i = 0; i < N; i++)
        ones[i] = 1;
    struct boot_col r[] = {{x, NULL, BOOT_MEAN}, {x, ones, BOOT_RATIO}};
    assert_int_equal(impact_bootstrap_many(r, 2, N, 1000, 5, many, &err), 0);
    assert_close(many[1].pct_low, many[0].pct_low, 1e-12);
    assert_close(many[1].bca_high, many[0].bca_high, 1e-12);
}

/* Rows: regions; columns: sectors. One small cell: alone it would be its row
 * total minus the others, so a partner must go in its row and its column. */
static void suppression_protects_a_lone_small_cell(void **state)
{
    (void)state;
    const uint32_t units[] = {12, 3, 20,
                              9, 15, 11,
                              30, 8, 6};
    uint8_t mark[16];
    struct tb_err err = {0};
    assert_int_equal(impact_suppress(units, NULL, 3, 3, 5, 0, mark, &err), 0);
    assert_int_equal(mark[0 * 4 + 1], CELL_PRIMARY);
    /* Every row and column of the table with its totals: 0 or >= 2 suppressed. */
    for (int r = 0; r < 4; r++) {
        int s = 0;
        for (int c = 0; c < 4; c++)
            s += mark[r * 4 + c] != CELL_SHOWN;
        assert_true(s == 0 || s >= 2);
    }
    for (int c = 0; c < 4; c++) {
        int s = 0;
        for (int r = 0; r < 4; r++)
            s += mark[r * 4 + c] != CELL_SHOWN;
        assert_true(s == 0 || s >= 2);
    }
    /* The partners are the smallest cells: 12 in row 0 is not the smallest, 8 in column 1 is. */
    assert_int_equal(mark[2 * 4 + 1], CELL_SECONDARY);
    /* Totals are not touched when interior cells can protect. */
    assert_int_equal(mark[3 * 4 + 3], CELL_SHOWN);
}

static void suppression_dominance_and_floor(void **state)
{
    (void)state;
    const uint32_t units[] = {10, 10, 10, 10};
    const double share[] = {0.9, 0.2, 0.3, 0.1};
    uint8_t mark[9];
    struct tb_err err = {0};
    assert_int_equal(impact_suppress(units, share, 2, 2, 5, 0.85, mark, &err), 0);
    assert_int_equal(mark[0], CELL_PRIMARY);
    assert_int_not_equal(mark[1], CELL_SHOWN);
    assert_int_not_equal(mark[3], CELL_SHOWN);
    assert_int_equal(impact_suppress(units, NULL, 2, 2, 2, 0, mark, &err), -1);
    assert_non_null(strstr(err.message, "at least 3"));
    /* A row whose only other cells are empty: the total must go too. */
    const uint32_t lone[] = {2, 0, 7, 9};
    assert_int_equal(impact_suppress(lone, NULL, 2, 2, 5, 0, mark, &err), 0);
    assert_int_equal(mark[0], CELL_PRIMARY);
    assert_int_not_equal(mark[2], CELL_SHOWN);   /* row 0's total: 2 firms */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(did_matches_statsmodels),
        cmocka_unit_test(did_refuses_an_empty_cell),
        cmocka_unit_test(bootstrap_is_reproducible_from_its_seed),
        cmocka_unit_test(bootstrap_of_a_constant_is_that_constant),
        cmocka_unit_test(bootstrap_median_and_ratio),
        cmocka_unit_test(bootstrap_many_equals_one_at_a_time),
        cmocka_unit_test(suppression_protects_a_lone_small_cell),
        cmocka_unit_test(suppression_dominance_and_floor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
