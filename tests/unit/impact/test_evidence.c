/* Unit tests: impact's evidence from the export-sales history (pure parts of
 * service/impact_evidence.c): firms that applied and were never placed as
 * comparison firms, the trend years, their suppression for funders. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "service/impact_evidence.h"

/* Company 1 took part (baseline 2020); 2 applied in 2022 and was never
 * placed; 3 applied but has no sales the year it applied; 4 was placed. */
static double sales1[] = {100, 110, 120, 130};          /* 2017..2020 */
static double sales2[] = {50, 60, 70, NAN, 90, 95};     /* 2016..2021: 2019 missing */
static double sales3[] = {10, 20};                      /* 2019..2020 */
static double sales4[] = {5, 6};                        /* 2021..2022 */
static struct hist_company cs[] = {
    {.company_id = 1, .employees = 20, .placed = 1, .applied_year = 2019, .first = 2017, .last = 2020, .by_year = sales1,
     .nace = "28.13"},
    {.company_id = 2, .employees = 25, .placed = 0, .applied_year = 2021, .first = 2016, .last = 2021, .by_year = sales2,
     .nace = "28.13"},
    {.company_id = 3, .employees = 3, .placed = 0, .applied_year = 2022, .first = 2019, .last = 2020, .by_year = sales3},
    {.company_id = 4, .employees = 9, .placed = 1, .applied_year = 2021, .first = 2021, .last = 2022, .by_year = sales4},
};
static const struct impact_history hist = {.c = cs, .n = 4};

static void applicants_never_placed_become_comparison_firms(void **state)
{
    (void)state;
    json_t *f = impact_applicant_firms(&hist, "SEK");
    assert_int_equal(json_array_size(f), 1);   /* 3 has no sales in 2022; 1 and 4 were placed */
    json_t *a = json_array_get(f, 0);
    assert_string_equal(json_string_value(json_object_get(a, "ref")), "applicant:2");
    assert_string_equal(json_string_value(json_object_get(a, "source")), "applicant");
    assert_string_equal(json_string_value(json_object_get(a, "nace")), "28.13");
    assert_int_equal(json_integer_value(json_object_get(a, "base_year")), 2020);
    assert_int_equal(json_integer_value(json_object_get(a, "baseline_minor")), 90);
    assert_int_equal(json_integer_value(json_object_get(a, "followup_minor")), 95);
    assert_int_equal(json_integer_value(json_object_get(a, "employees")), 25);
    json_decref(f);
    assert_true(isnan(impact_history_value(&hist, 2, 2019)));
    assert_true(isnan(impact_history_value(&hist, 9, 2019)));
    assert_true(impact_history_value(&hist, 1, 2018) == 110);
}

static json_t *year(json_t *t, int rel)
{
    size_t i;
    json_t *y;
    json_array_foreach(t, i, y)
        if (json_integer_value(json_object_get(y, "year")) == rel)
            return y;
    return NULL;
}

static void trend_years_around_each_base_year(void **state)
{
    (void)state;
    /* The participant's row: baseline year 2020 (company 4 has no baseline:
     * the year before its placement started, 2022 - 1). */
    static const struct impact_participant rows[] = {{1, 2020}, {4, 2022 - 1}, {1, 2020}};
    json_t *t = impact_trend_years(&hist, rows, 3);
    assert_non_null(t);
    json_t *z = year(t, 0);   /* participants 130 (1) and 5 (4, 2021); applicant 2 in 2020: 90, 3 in 2021: none */
    assert_int_equal(json_integer_value(json_object_get(z, "treated_n")), 2);   /* company 1 counted once */
    assert_true(json_real_value(json_object_get(z, "treated_mean")) == 67.5);
    assert_int_equal(json_integer_value(json_object_get(z, "comparison_n")), 1);
    assert_true(json_real_value(json_object_get(z, "comparison_mean")) == 90);
    json_t *m1 = year(t, -1);   /* applicant 2's 2019 is missing, 3's 2020 is 20 */
    assert_int_equal(json_integer_value(json_object_get(m1, "comparison_n")), 1);
    assert_true(json_real_value(json_object_get(m1, "comparison_mean")) == 20);
    json_t *m4 = year(t, -4);   /* 2016 for company 2 only */
    assert_int_equal(json_integer_value(json_object_get(m4, "treated_n")), 0);
    assert_true(json_is_null(json_object_get(m4, "treated_mean")));
    /* years in order, from the earliest with data */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(t, 0), "year")), -4);
    /* For a funder (minimum cell 2): a mean over one firm is withheld. */
    impact_trend_suppress(t, 2);
    assert_true(json_is_null(json_object_get(z, "comparison_mean")));
    assert_string_equal(json_string_value(json_object_get(z, "suppressed")), "primary");
    assert_true(json_real_value(json_object_get(z, "treated_mean")) == 67.5);
    json_decref(t);
}

static void two_periods_are_no_trend(void **state)
{
    (void)state;
    static double a[] = {1, 2};
    struct hist_company one = {.company_id = 7, .placed = 1, .first = 2020, .last = 2021, .by_year = a};
    struct impact_history h = {.c = &one, .n = 1};
    static const struct impact_participant rows[] = {{7, 2021}};
    assert_null(impact_trend_years(&h, rows, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(applicants_never_placed_become_comparison_firms),
        cmocka_unit_test(trend_years_around_each_base_year),
        cmocka_unit_test(two_periods_are_no_trend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
