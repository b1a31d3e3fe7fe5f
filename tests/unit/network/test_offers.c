/* Unit tests: how well a company or a contact fits an offer (score and
 * reasons), core/network/offers.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/network/offers.h"

static json_t *offer(void)
{
    return json_pack("{s:[s], s:[s,s], s:s}", "hs", "8413", "countries", "DE", "AT", "nace", "28.13");
}

static void reasons_equal(json_t *reasons, const char *const *want, size_t n)
{
    assert_int_equal(json_array_size(reasons), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(json_string_value(json_array_get(reasons, i)), want[i]);
}

static void product_market_and_sector_all_fit(void **state)
{
    (void)state;
    json_t *o = offer(), *hs = json_pack("[s,s]", "841370", "841381"), *markets = json_pack("[s]", "AT"),
           *reasons = json_array();
    struct offer_candidate c = {.hs = hs, .markets = markets, .country = "SE", .nace = "28.13"};
    assert_int_equal(offer_score(o, &c, reasons), 95);
    static const char *const want[] = {"products: HS 841370 fits 8413", "market: sells to or knows AT", "sector: NACE 28"};
    reasons_equal(reasons, want, 3);
    json_decref(o), json_decref(hs), json_decref(markets), json_decref(reasons);
}

static void based_in_the_market_beats_knowing_it(void **state)
{
    (void)state;
    json_t *o = offer(), *hs = json_pack("[s]", "8421"), *reasons = json_array();
    struct offer_candidate c = {.hs = hs, .country = "DE"};
    /* the same chapter (84) only: 25; based in DE: 30 */
    assert_int_equal(offer_score(o, &c, reasons), 55);
    static const char *const want[] = {"products: same HS chapter 84 (8421)", "market: based in DE"};
    reasons_equal(reasons, want, 2);
    json_decref(o), json_decref(hs), json_decref(reasons);
}

static void sector_alone_is_no_match(void **state)
{
    (void)state;
    json_t *o = offer(), *hs = json_pack("[s]", "0306"), *reasons = json_array();
    struct offer_candidate c = {.hs = hs, .country = "SE", .nace = "28.13"};
    assert_int_equal(offer_score(o, &c, reasons), 0);
    assert_int_equal(json_array_size(reasons), 0);
    struct offer_candidate nothing = {0};
    assert_int_equal(offer_score(o, &nothing, reasons), 0);
    json_decref(o), json_decref(hs), json_decref(reasons);
}

static void a_finer_offer_code_fits_a_heading(void **state)
{
    (void)state;
    json_t *o = json_pack("{s:[s], s:[s]}", "hs", "030617", "countries", "NO"), *hs = json_pack("[s]", "0306"),
           *reasons = json_array();
    struct offer_candidate c = {.hs = hs};
    assert_int_equal(offer_score(o, &c, reasons), 50);
    static const char *const want[] = {"products: HS 0306 fits 030617"};
    reasons_equal(reasons, want, 1);
    json_decref(o), json_decref(hs), json_decref(reasons);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(product_market_and_sector_all_fit),
        cmocka_unit_test(based_in_the_market_beats_knowing_it),
        cmocka_unit_test(sector_alone_is_no_match),
        cmocka_unit_test(a_finer_offer_code_fits_a_heading),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
