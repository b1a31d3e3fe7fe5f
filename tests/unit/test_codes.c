/*
 * Unit tests: code lists (src/core/codes.c) - sizes of each list, known entries,
 * hierarchy integrity, picker search order, refusals of invalid codes, first use
 * from several threads at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <string.h>

#include "core/codes.h"

static size_t count_level(enum code_list l, int level)
{
    size_t n = 0;
    for (size_t i = 0; i < codes_count(l); i++)
        n += codes_at(l, i)->level == level;
    return n;
}

/* Runs first (cmocka keeps order): first use races from four threads. */
static void *init_and_search(void *arg)
{
    const struct code_entry *out[4];
    *(size_t *)arg = codes_search(CODES_COUNTRY, "swe", out, 4);
    return NULL;
}

static void first_use_from_threads_is_safe(void **state)
{
    (void)state;
    pthread_t t[4];
    size_t got[4] = {0};
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, init_and_search, &got[i]), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_true(got[i] >= 1);
    }
    assert_int_equal(codes_init(), 0);
}

static void list_names_map_both_ways(void **state)
{
    (void)state;
    const char *names[] = {"countries", "currencies", "languages", "cefr",
                           "nace", "hs", "eqf", "isced-f"};
    for (int i = 0; i < CODES__MAX; i++) {
        enum code_list l;
        assert_int_equal(codes_list_by_name(names[i], &l), 0);
        assert_int_equal(l, i);
        assert_string_equal(codes_list_name(l), names[i]);
        assert_true(codes_count(l) > 0);
    }
    enum code_list l;
    assert_int_equal(codes_list_by_name("country", &l), -1);
    assert_int_equal(codes_list_by_name("", &l), -1);
    assert_int_equal(codes_list_by_name(NULL, &l), -1);
    assert_null(codes_list_name(CODES__MAX));
    assert_int_equal(codes_count(CODES__MAX), 0);
    assert_null(codes_find(CODES__MAX, "SE"));
}

static void list_sizes(void **state)
{
    (void)state;
    assert_int_equal(count_level(CODES_NACE, 1), 21);
    assert_int_equal(count_level(CODES_NACE, 2), 88);
    assert_int_equal(count_level(CODES_NACE, 3), 272);
    assert_int_equal(count_level(CODES_NACE, 4), 615);
    assert_int_equal(codes_count(CODES_NACE), 996);
    /* ISCED-F 2013: 11 broad, 29 narrow, 80 detailed fields plus "Field unknown"
     * (99, 999, 9999) on each level. */
    assert_int_equal(count_level(CODES_ISCED_F, 1), 12);
    assert_int_equal(count_level(CODES_ISCED_F, 2), 30);
    assert_int_equal(count_level(CODES_ISCED_F, 3), 81);
    assert_int_equal(codes_count(CODES_EQF), 8);
    assert_int_equal(codes_count(CODES_CEFR), 7);
    assert_int_equal(count_level(CODES_HS, 2), 97);
    assert_int_equal(count_level(CODES_HS, 4), 1229);
    assert_int_equal(count_level(CODES_HS, 6), 5613);
    assert_int_equal(codes_count(CODES_COUNTRY), 249);
    assert_int_equal(codes_count(CODES_LANGUAGE), 184);
    assert_true(codes_count(CODES_CURRENCY) >= 175);
}

/* Every parent exists, sits one level up (NACE, ISCED-F) and prefixes its child. */
static void hierarchies_are_closed(void **state)
{
    (void)state;
    enum code_list h[] = {CODES_NACE, CODES_HS, CODES_ISCED_F};
    for (size_t k = 0; k < sizeof h / sizeof h[0]; k++) {
        for (size_t i = 0; i < codes_count(h[k]); i++) {
            const struct code_entry *e = codes_at(h[k], i);
            int top = (h[k] == CODES_HS) ? e->level == 2 : e->level == 1;
            if (top) {
                assert_string_equal(e->parent, "");
                continue;
            }
            const struct code_entry *p = codes_find(h[k], e->parent);
            assert_non_null(p);
            if (h[k] == CODES_HS)
                assert_int_equal(p->level + 2, e->level);
            else
                assert_int_equal(p->level + 1, e->level);
            /* NACE divisions hang under letter sections, so no prefix there. */
            if (!(h[k] == CODES_NACE && e->level == 2))
                assert_memory_equal(e->code, p->code, strlen(p->code));
        }
    }
    /* every NACE group has at least one class */
    for (size_t i = 0; i < codes_count(CODES_NACE); i++) {
        const struct code_entry *g = codes_at(CODES_NACE, i);
        if (g->level != 3)
            continue;
        int children = 0;
        for (size_t j = 0; j < codes_count(CODES_NACE); j++)
            children += strcmp(codes_at(CODES_NACE, j)->parent, g->code) == 0;
        assert_true(children >= 1);
    }
}

static void known_entries(void **state)
{
    (void)state;
    const struct code_entry *se = codes_find(CODES_COUNTRY, "SE");
    assert_non_null(se);
    assert_string_equal(se->name, "Sweden");
    assert_string_equal(se->alpha3, "SWE");
    assert_string_equal(se->numeric, "752");
    assert_string_equal(se->extra, "sv");
    assert_string_equal(codes_country_languages("SE"), "sv");
    assert_ptr_equal(codes_country_by_alpha3("SWE"), se);
    assert_string_equal(codes_country_languages("CH"), "de fr it");
    assert_string_equal(codes_country_languages("CA"), "en fr");
    assert_string_equal(codes_country_languages("AT"), "de");
    assert_string_equal(codes_find(CODES_COUNTRY, "DE")->name, "Germany");
    assert_string_equal(codes_find(CODES_COUNTRY, "VN")->alpha3, "VNM");

    assert_int_equal(codes_currency_minor_units("EUR"), 2);
    assert_int_equal(codes_currency_minor_units("JPY"), 0);
    assert_int_equal(codes_currency_minor_units("KRW"), 0);
    assert_int_equal(codes_currency_minor_units("BHD"), 3);
    assert_int_equal(codes_currency_minor_units("KWD"), 3);
    assert_int_equal(codes_currency_minor_units("CLF"), 4);
    assert_int_equal(codes_currency_minor_units("XAU"), -1); /* metal: N/A */
    assert_string_equal(codes_find(CODES_CURRENCY, "EUR")->numeric, "978");
    assert_string_equal(codes_find(CODES_CURRENCY, "EUR")->name, "Euro");

    assert_string_equal(codes_find(CODES_LANGUAGE, "sv")->name, "Swedish");
    assert_string_equal(codes_find(CODES_LANGUAGE, "de")->name, "German");

    const struct code_entry *hs = codes_find(CODES_HS, "030617");
    assert_non_null(hs);
    assert_int_equal(hs->level, 6);
    assert_string_equal(hs->parent, "0306");
    assert_string_equal(codes_find(CODES_HS, "0306")->parent, "03");
    assert_int_equal(codes_find(CODES_HS, "03")->level, 2);
    assert_non_null(strstr(hs->name, "shrimps"));

    const struct code_entry *n = codes_find(CODES_NACE, "46.69");
    assert_non_null(n);
    assert_int_equal(n->level, 4);
    assert_string_equal(n->parent, "46.6");
    assert_string_equal(n->name, "Wholesale of other machinery and equipment");
    assert_string_equal(codes_find(CODES_NACE, "46")->parent, "G");
    assert_string_equal(codes_find(CODES_NACE, "A")->name, "Agriculture, forestry and fishing");
    assert_string_equal(codes_find(CODES_NACE, "26.70")->parent, "26.7");
    assert_non_null(codes_find(CODES_NACE, "46.24"));

    const struct code_entry *isc = codes_find(CODES_ISCED_F, "0413");
    assert_non_null(isc);
    assert_string_equal(isc->name, "Management and administration");
    assert_string_equal(isc->parent, "041");
    assert_int_equal(isc->level, 3);
    assert_string_equal(codes_find(CODES_ISCED_F, "041")->parent, "04");

    assert_string_equal(codes_find(CODES_EQF, "6")->extra, "Bachelor or equivalent");
    assert_int_equal(codes_find(CODES_EQF, "8")->level, 8);

    assert_int_equal(codes_cefr_rank("A1"), 1);
    assert_int_equal(codes_cefr_rank("B2"), 4);
    assert_int_equal(codes_cefr_rank("C2"), 6);
    assert_int_equal(codes_cefr_rank("native"), 7);
    assert_string_equal(codes_find(CODES_CEFR, "C1")->name, "Effective operational proficiency");
}

/* Quoted CSV fields with commas came through whole. */
static void quoted_fields_are_unquoted(void **state)
{
    (void)state;
    assert_string_equal(codes_find(CODES_COUNTRY, "BO")->name, "Bolivia, Plurinational State of");
    assert_string_equal(codes_find(CODES_HS, "0101")->name,
                        "Horses, asses, mules and hinnies; live");
    assert_string_equal(codes_find(CODES_ISCED_F, "0212")->name,
                        "Fashion, interior and industrial design");
}

static void invalid_codes_are_refused(void **state)
{
    (void)state;
    assert_null(codes_find(CODES_COUNTRY, "se"));   /* canonical case only */
    assert_null(codes_find(CODES_COUNTRY, "SWE"));  /* alpha-3 is not the code */
    assert_null(codes_find(CODES_COUNTRY, "XX"));
    assert_null(codes_find(CODES_COUNTRY, ""));
    assert_null(codes_find(CODES_COUNTRY, NULL));
    assert_null(codes_country_by_alpha3("XXX"));
    assert_null(codes_country_languages("ZZ"));
    assert_null(codes_find(CODES_CURRENCY, "eur"));
    assert_null(codes_find(CODES_CURRENCY, "HRK"));  /* withdrawn 2023 */
    assert_int_equal(codes_currency_minor_units("ABC"), -1);
    assert_int_equal(codes_currency_minor_units(NULL), -1);
    assert_null(codes_find(CODES_NACE, "46.6.9"));
    assert_null(codes_find(CODES_NACE, "4669"));
    assert_null(codes_find(CODES_NACE, "V"));
    assert_null(codes_find(CODES_HS, "030690"));
    assert_null(codes_find(CODES_HS, "3061"));
    assert_null(codes_find(CODES_EQF, "9"));
    assert_null(codes_find(CODES_EQF, "0"));
    assert_null(codes_find(CODES_ISCED_F, "0418"));
    assert_int_equal(codes_cefr_rank("a1"), -1);
    assert_int_equal(codes_cefr_rank("C3"), -1);
    assert_int_equal(codes_cefr_rank(""), -1);
    assert_int_equal(codes_cefr_rank(NULL), -1);
}

static void search_ranks_codes_then_names(void **state)
{
    (void)state;
    const struct code_entry *out[64];
    size_t n = codes_search(CODES_COUNTRY, "swe", out, 64);
    assert_true(n >= 1);
    assert_string_equal(out[0]->code, "SE");

    n = codes_search(CODES_COUNTRY, "SE", out, 64);
    assert_true(n >= 1);
    assert_string_equal(out[0]->code, "SE");
    size_t n2 = codes_search(CODES_COUNTRY, "se", out + 32, 32);
    assert_int_equal(n2 > 32 ? 32 : n2, n > 32 ? 32 : n);
    assert_ptr_equal(out[32], out[0]);

    n = codes_search(CODES_COUNTRY, "Germ", out, 64);
    assert_true(n >= 1);
    assert_string_equal(out[0]->code, "DE");

    /* accent folding both ways */
    n = codes_search(CODES_COUNTRY, "reunion", out, 64);
    assert_true(n >= 1);
    assert_string_equal(out[0]->code, "RE");
    n = codes_search(CODES_COUNTRY, "RÉUNION", out, 64);
    assert_true(n >= 1);
    assert_string_equal(out[0]->code, "RE");
    n = codes_search(CODES_COUNTRY, "cote d", out, 64);
    assert_true(n >= 1);
    assert_string_equal(out[0]->code, "CI");

    /* HS: shrimps and prawns, in code order, 030617 among them */
    n = codes_search(CODES_HS, "shrimp", out, 64);
    assert_true(n >= 4);
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        assert_non_null(strstr(out[i]->name, "hrimp"));
        seen |= strcmp(out[i]->code, "030617") == 0;
        if (i)
            assert_true(strcmp(out[i - 1]->code, out[i]->code) < 0);
    }
    assert_true(seen);

    /* code prefix first: "0306" itself, then its subheadings */
    n = codes_search(CODES_HS, "0306", out, 64);
    assert_true(n > 1);
    assert_string_equal(out[0]->code, "0306");
    assert_string_equal(out[1]->code, "030611");

    n = codes_search(CODES_NACE, "46.6", out, 64);
    assert_string_equal(out[0]->code, "46.6");
    n = codes_search(CODES_NACE, "wholesale machinery", out, 64);
    assert_true(n >= 1);
    for (size_t i = 0; i < n; i++)
        assert_non_null(strstr(out[i]->name, "achinery"));

    n = codes_search(CODES_ISCED_F, "management", out, 64);
    assert_true(n >= 1);
    assert_string_equal(out[0]->code, "0413");

    n = codes_search(CODES_LANGUAGE, "swed", out, 64);
    assert_true(n >= 1);
    assert_string_equal(out[0]->code, "sv");

    n = codes_search(CODES_CURRENCY, "eur", out, 64);
    assert_string_equal(out[0]->code, "EUR");
}

static void search_edges(void **state)
{
    (void)state;
    const struct code_entry *out[16];
    /* empty query lists in code order */
    assert_int_equal(codes_search(CODES_CEFR, "", out, 16), 7);
    assert_string_equal(out[0]->code, "A1");
    assert_string_equal(out[6]->code, "native");
    assert_int_equal(codes_search(CODES_EQF, NULL, out, 16), 8);
    assert_string_equal(out[0]->code, "1");
    /* max is honoured */
    assert_int_equal(codes_search(CODES_HS, "", out, 3), 3);
    assert_int_equal(codes_search(CODES_HS, "of", out, 0), 0);
    /* no match, and queries made only of punctuation or too long */
    assert_int_equal(codes_search(CODES_COUNTRY, "qqqqzz", out, 16), 0);
    assert_int_equal(codes_search(CODES_COUNTRY, "%%%", out, 16), 0);
    char big[600];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(codes_search(CODES_COUNTRY, big, out, 16), 0);
    /* a lone UTF-8 lead byte at the end must not be read past */
    assert_int_equal(codes_search(CODES_COUNTRY, "sw\xC3", out, 16), 0);
    assert_int_equal(codes_search(CODES__MAX, "a", out, 16), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_use_from_threads_is_safe),
        cmocka_unit_test(list_names_map_both_ways),
        cmocka_unit_test(list_sizes),
        cmocka_unit_test(hierarchies_are_closed),
        cmocka_unit_test(known_entries),
        cmocka_unit_test(quoted_fields_are_unquoted),
        cmocka_unit_test(invalid_codes_are_refused),
        cmocka_unit_test(search_ranks_codes_then_names),
        cmocka_unit_test(search_edges),
    };
    return cmocka_run_group_tests_name("codes", tests, NULL, NULL);
}
