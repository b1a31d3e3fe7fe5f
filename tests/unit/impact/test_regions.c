/* Unit tests: periphery vs metropolitan regions from Eurostat's metro
 * regions typology (data/regions/metro-regions.csv). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/impact/regions.h"

static void regions_by_name_and_code(void **state)
{
    (void)state;
    assert_string_equal(impact_region_type("SE", "Stockholms län"), "capital");
    assert_string_equal(impact_region_type("SE", "SE232"), "second_tier");
    assert_string_equal(impact_region_class("SE", "Västra Götalands län"), "metropolitan");
    assert_string_equal(impact_region_class("SE", "Kalmar län"), "periphery");
    /* case and accents do not matter; Estonian counties fall in their NUTS 3 region */
    assert_string_equal(impact_region_class("SE", "orebro lan"), "periphery");
    assert_string_equal(impact_region_class("EE", "Harju maakond"), "metropolitan");
    assert_string_equal(impact_region_class("EE", "Tartu maakond"), "periphery");
    assert_string_equal(impact_region_class("SI", "Osrednjeslovenska"), "metropolitan");
}

static void unknown_regions_are_not_guessed(void **state)
{
    (void)state;
    assert_null(impact_region_class("SE", "Atlantis"));
    assert_null(impact_region_class("SI", "Stockholms län"));   /* another country's region */
    assert_null(impact_region_class("SE", NULL));
    assert_null(impact_region_class(NULL, "Stockholms län"));
    assert_null(impact_region_class("SE", ""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(regions_by_name_and_code),
        cmocka_unit_test(unknown_regions_are_not_guessed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
