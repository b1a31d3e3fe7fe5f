/* Unit tests: ECB reference rates (both file layouts, rate on a date, period
 * averages, cross rates, a currency without a rate), the export price from
 * ex works to each Incoterms rule, plan checks naming the field, plan against
 * actual, and the comparison of two versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/market/fx.h"
#include "core/market/plan.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    b[n] = 0;
    *len = (size_t)n;
    return b;
}

static void test_fx_files(void **state)
{
    (void)state;
    struct fx_table t;
    struct tb_err err = {0};
    fx_init(&t);
    size_t len;
    char *hist = slurp(FX_DIR "/eurofxref-hist.csv", &len);
    assert_int_equal(fx_parse_csv(&t, hist, len, "hist", &err), 0);
    free(hist);
    /* The one-day layout: "Date, USD, ..." and "11 October 2024"; same figures. */
    const char *day = "Date, USD, JPY, SEK, \n11 October 2024, 1.0938, 162.94, 11.3540, \n";
    assert_int_equal(fx_parse_csv(&t, day, strlen(day), "day", &err), 0);
    double r;
    assert_int_equal(fx_rate(&t, "USD", "2024-10-11", &r, "date", &err), 0);
    assert_true(r == 1.0938);
    assert_int_equal(fx_rate(&t, "EUR", "2024-10-11", &r, "date", &err), 0);
    assert_true(r == 1);
    /* A Saturday takes Friday's rate. */
    assert_int_equal(fx_rate(&t, "SEK", "2024-10-12", &r, "date", &err), 0);
    assert_true(r == 11.354);
    /* Cross rate X->Y = rate(Y)/rate(X). */
    assert_int_equal(fx_cross(&t, "SEK", "USD", "2024-10-11", &r, "date", &err), 0);
    assert_true(fabs(r - 1.0938 / 11.354) < 1e-12);
    /* First day of the file: 1999-01-04, USD 1.1789. */
    assert_int_equal(fx_rate(&t, "USD", "1999-01-04", &r, "date", &err), 0);
    assert_true(r == 1.1789);
    /* The quarter's average is the mean of its daily rates. */
    double q;
    assert_int_equal(fx_period_average(&t, "USD", 2024, 1, &q, "q", &err), 0);
    assert_true(q > 1.07 && q < 1.10);
    double y;
    assert_int_equal(fx_average(&t, "USD", "2024-01-01", "2024-03-31", &y, "q", &err), 0);
    assert_true(y == q);
    /* 1,000.00 SEK in 2024-Q1 to JPY (0 decimals). */
    int64_t out;
    double sek, jpy;
    fx_period_average(&t, "SEK", 2024, 1, &sek, "q", &err);
    fx_period_average(&t, "JPY", 2024, 1, &jpy, "q", &err);
    assert_int_equal(fx_convert_period(&t, 100000, "SEK", "JPY", 2024, 1, &out, "x", &err), 0);
    assert_int_equal(out, llround(1000.0 * jpy / sek));
    /* The same currency needs no rate, even past the file's end. */
    assert_int_equal(fx_convert_period(&t, 12345, "SEK", "SEK", 2030, 2, &out, "x", &err), 0);
    assert_int_equal(out, 12345);
    /* No rate: a currency the ECB does not quote, a discontinued one, a date past the file. */
    assert_int_equal(fx_rate(&t, "VND", "2024-10-11", &r, "actuals[0].currency", &err), -1);
    assert_int_equal(err.status, 422);
    assert_string_equal(err.field, "actuals[0].currency");
    assert_non_null(strstr(err.message, "VND on 2024-10-11"));
    err = (struct tb_err){0};
    assert_int_equal(fx_rate(&t, "HRK", "2024-10-11", &r, "f", &err), -1);
    assert_int_equal(fx_rate(&t, "USD", "2030-01-02", &r, "f", &err), -1);
    assert_int_equal(fx_period_average(&t, "USD", 2030, 1, &r, "f", &err), -1);
    assert_int_equal(fx_rate(&t, "XYZ", "2024-10-11", &r, "f", &err), -1);
    assert_int_equal(err.status, 400);
    fx_free(&t);
}

static void test_fx_bad_files(void **state)
{
    (void)state;
    struct fx_table t;
    struct tb_err err = {0};
    fx_init(&t);
    const char *bad[] = {"Day,USD\n2024-01-02,1.1\n", "Date,USD\n2024-13-02,1.1\n", "Date,USD\n2024-01-02,-1\n",
                         "Date,US\n2024-01-02,1\n", "Date,USD,SEK\n2024-01-02,1.1\n", "Date,USD\n"};
    const char *why[] = {"f:1:", "f:2: '2024-13-02' is not a date", "f:2: USD rate '-1'", "f:1: 'US'", "f:2: 2 rates",
                         "no rates"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = (struct tb_err){0};
        assert_int_equal(fx_parse_csv(&t, bad[i], strlen(bad[i]), "f", &err), -1);
        assert_non_null(strstr(err.message, why[i]));
    }
    fx_free(&t);
}

static json_t *market(const char *rule)
{
    return json_pack("{s:s, s:s, s:s, s:{s:s, s:I, s:[{s:s,s:s,s:I},{s:s,s:s,s:I},{s:s,s:s,s:I},{s:s,s:s,s:I},"
                     "{s:s,s:s,s:I},{s:s,s:s,s:I},{s:s,s:s,s:I},{s:s,s:s,s:I},{s:s,s:s,s:I}]}}",
                     "country", "DE", "incoterm", rule, "named_place", "Hamburg", "price", "currency", "EUR",
                     "ex_works_minor", (json_int_t)100000,
                     "lines", "label", "a", "stage", "export_clearance", "amount_minor", (json_int_t)1,
                     "label", "b", "stage", "pre_carriage", "amount_minor", (json_int_t)2,
                     "label", "c", "stage", "origin_terminal", "amount_minor", (json_int_t)4,
                     "label", "d", "stage", "main_carriage", "amount_minor", (json_int_t)8,
                     "label", "e", "stage", "insurance", "amount_minor", (json_int_t)16,
                     "label", "f", "stage", "on_carriage", "amount_minor", (json_int_t)32,
                     "label", "g", "stage", "unloading", "amount_minor", (json_int_t)64,
                     "label", "h", "stage", "import_clearance", "amount_minor", (json_int_t)128,
                     "label", "i", "stage", "duties", "amount_minor", (json_int_t)256);
}

static void test_price_per_rule(void **state)
{
    (void)state;
    /* The seller's cost stages per rule, as bits of the line amounts above. */
    static const struct { const char *rule; int seller; } want[] = {
        {"EXW", 0}, {"FCA", 3}, {"FAS", 3}, {"FOB", 7}, {"CFR", 15}, {"CIF", 31}, {"CPT", 15},
        {"CIP", 31}, {"DAP", 63}, {"DPU", 127}, {"DDP", 1 + 2 + 4 + 8 + 16 + 32 + 128 + 256},
    };
    int n = 0;
    for (const char *const *r = plan_incoterms; *r; r++)
        n++;
    assert_int_equal(n, 11);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        json_t *m = market(want[i].rule), *p = plan_price(m);
        assert_non_null(p);
        assert_int_equal(json_integer_value(json_object_get(p, "price_minor")), 100000 + want[i].seller);
        assert_int_equal(json_array_size(json_object_get(p, "seller_pays")) + json_array_size(json_object_get(p, "buyer_pays")), 9);
        json_decref(p);
        json_decref(m);
    }
}

static void test_checks_and_progress(void **state)
{
    (void)state;
    struct tb_err err = {0};
    json_t *doc = json_pack("{s:s, s:[{s:s, s:s, s:[{s:s, s:I}, {s:s, s:I}]}], s:[{s:s, s:s, s:s, s:I}]}",
                            "currency", "EUR", "markets", "country", "DE", "product", "030617", "targets",
                            "quarter", "2024-Q1", "amount_minor", (json_int_t)1000, "quarter", "2024-Q2",
                            "amount_minor", (json_int_t)2000, "actuals", "market", "DE", "quarter", "2024-Q1",
                            "currency", "EUR", "amount_minor", (json_int_t)1500);
    assert_int_equal(plan_check(doc, &err), 0);
    struct fx_table t;
    fx_init(&t);
    json_t *p;
    assert_int_equal(plan_progress(doc, &t, "EUR", &p, &err), 0);
    json_t *rows = json_object_get(json_array_get(json_object_get(p, "markets"), 0), "rows");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "variance_minor")), 500);
    assert_true(json_real_value(json_object_get(json_array_get(rows, 0), "attainment")) == 1.5);
    assert_true(json_is_null(json_object_get(json_array_get(rows, 1), "actual_minor")));
    json_decref(p);
    /* USD without rates loaded: a clear error naming the target. */
    assert_int_equal(plan_progress(doc, &t, "USD", &p, &err), -1);
    assert_string_equal(err.field, "markets[0].targets[0]");
    fx_free(&t);

    json_t *bad = json_deep_copy(doc);
    json_object_set_new(json_array_get(json_object_get(bad, "actuals"), 0), "market", json_string("FR"));
    err = (struct tb_err){0};
    assert_int_equal(plan_check(bad, &err), -1);
    assert_string_equal(err.field, "actuals[0].market");
    json_decref(bad);
    bad = json_deep_copy(doc);
    json_object_set_new(json_array_get(json_object_get(json_array_get(json_object_get(bad, "markets"), 0), "targets"), 1),
                        "quarter", json_string("2024-Q1"));
    assert_int_equal(plan_check(bad, &err), -1);
    assert_string_equal(err.field, "markets[0].targets[1].quarter");

    json_t *d = plan_diff(doc, bad);
    assert_int_equal(json_array_size(d), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "path")), "markets[0].targets[1].quarter");
    json_decref(d);
    json_decref(bad);
    json_decref(doc);
}

int main(void)
{
    codes_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fx_files),
        cmocka_unit_test(test_fx_bad_files),
        cmocka_unit_test(test_price_per_rule),
        cmocka_unit_test(test_checks_and_progress),
    };
    return cmocka_run_group_tests_name("market", tests, NULL, NULL);
}
