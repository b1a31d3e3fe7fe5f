/* Unit tests: a matching run from programme records - scores, locks and
 * vetoes, both engines, explanations in words, input hash stability. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/codes.h"
#include "core/match_run.h"

static json_t *cohort(const char *engine)
{
    json_error_t je;
    json_t *in = json_loads(
        "{\"options\":{},\"weights\":null,"
        "\"graduates\":["
        " {\"id\":1,\"name\":\"Anna Berg\",\"residence\":\"SE\",\"field\":\"0413\",\"consent\":{\"purpose\":\"x\"},"
        "  \"languages\":[{\"code\":\"sv\",\"level\":\"native\"},{\"code\":\"de\",\"level\":\"C1\"}],"
        "  \"countries\":[{\"country\":\"DE\",\"months\":12}],\"mobility\":[]},"
        " {\"id\":2,\"name\":\"Jonas Ek\",\"residence\":\"SE\",\"field\":\"0311\",\"consent\":{\"purpose\":\"x\"},"
        "  \"languages\":[{\"code\":\"sv\",\"level\":\"native\"},{\"code\":\"de\",\"level\":\"B2\"}],\"countries\":[],\"mobility\":[]},"
        " {\"id\":3,\"name\":\"Eva Lund\",\"residence\":\"SE\",\"consent\":{\"purpose\":\"x\"},"
        "  \"languages\":[{\"code\":\"sv\",\"level\":\"native\"},{\"code\":\"de\",\"level\":\"A2\"}],\"countries\":[],\"mobility\":[]}],"
        "\"positions\":["
        " {\"id\":10,\"title\":\"DACH trainee\",\"company_id\":5,\"company_name\":\"Nordic Pumps AB\",\"places\":1,"
        "  \"languages\":[{\"code\":\"de\",\"min_level\":\"B2\"}],\"target_markets\":[\"DE\",\"AT\"],\"fields\":[\"0413\"],"
        "  \"location_country\":\"SE\",\"products\":[\"841370\"]}],"
        "\"companies\":[{\"id\":5,\"nace\":\"28.13\"}],"
        "\"applications\":["
        " {\"id\":100,\"graduate_id\":1,\"position_id\":10,\"stage\":\"shortlisted\"},"
        " {\"id\":101,\"graduate_id\":2,\"position_id\":10,\"stage\":\"interview\"},"
        " {\"id\":102,\"graduate_id\":3,\"position_id\":10,\"stage\":\"applied\"}],"
        "\"constraints\":[]}",
        0, &je);
    assert_non_null(in);
    json_object_set_new(in, "engine", json_string(engine));
    return in;
}

static const json_t *graduate(const json_t *result, int id)
{
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(result, "graduates"), i, g)
        if (json_integer_value(json_object_get(g, "graduate_id")) == id)
            return g;
    return NULL;
}

static void best_candidate_wins_in_both_engines(void **state)
{
    (void)state;
    const char *engines[] = {"assign", "stable"};
    for (int e = 0; e < 2; e++) {
        json_t *in = cohort(engines[e]), *out;
        struct tb_err err;
        assert_int_equal(match_run_compute(in, &out, &err), 0);
        json_t *pairs = json_object_get(out, "pairs");
        assert_int_equal(json_array_size(pairs), 1);
        json_t *pair = json_array_get(pairs, 0);
        assert_int_equal(json_integer_value(json_object_get(pair, "graduate_id")), 1);
        assert_int_equal(json_integer_value(json_object_get(pair, "application_id")), 100);
        /* the contributions add up to the score */
        int sum = 0;
        size_t i;
        json_t *part;
        json_array_foreach(json_object_get(pair, "parts"), i, part)
            sum += (int)json_integer_value(json_object_get(part, "points"));
        assert_int_equal(sum, json_integer_value(json_object_get(pair, "score")));
        /* Eva's German is below the requirement: forbidden, with the reason in words */
        const char *why = json_string_value(json_object_get(graduate(out, 3), "explanation"));
        assert_non_null(strstr(why, "German A2 against required B2"));
        /* Jonas lost to a better candidate and is told so */
        why = json_string_value(json_object_get(graduate(out, 2), "explanation"));
        assert_true(strstr(why, "Anna Berg") || strstr(why, "ranked higher"));
        if (e == 1)
            assert_int_equal(json_integer_value(json_object_get(json_object_get(out, "summary"), "blocking_pairs")), 0);
        json_decref(out);
        json_decref(in);
    }
}

static void locks_and_vetoes_are_obeyed(void **state)
{
    (void)state;
    json_t *in = cohort("assign"), *out;
    struct tb_err err;
    json_array_append_new(json_object_get(in, "constraints"),
                          json_pack("{s:i, s:i, s:s}", "graduate_id", 2, "position_id", 10, "kind", "lock"));
    assert_int_equal(match_run_compute(in, &out, &err), 0);
    json_t *pair = json_array_get(json_object_get(out, "pairs"), 0);
    assert_int_equal(json_integer_value(json_object_get(pair, "graduate_id")), 2);
    assert_true(json_is_true(json_object_get(pair, "locked")));
    json_decref(out);
    json_object_set_new(in, "constraints", json_pack("[{s:i, s:i, s:s}]", "graduate_id", 1, "position_id", 10, "kind", "forbid"));
    assert_int_equal(match_run_compute(in, &out, &err), 0);
    pair = json_array_get(json_object_get(out, "pairs"), 0);
    assert_int_equal(json_integer_value(json_object_get(pair, "graduate_id")), 2);
    assert_non_null(strstr(json_string_value(json_object_get(graduate(out, 1), "explanation")), "ruled this pair out"));
    json_decref(out);
    json_decref(in);
}

static void final_stages_take_no_part_and_hash_is_stable(void **state)
{
    (void)state;
    json_t *in = cohort("stable"), *out;
    struct tb_err err;
    json_object_set_new(json_array_get(json_object_get(in, "applications"), 0), "stage", json_string("withdrawn"));
    assert_int_equal(match_run_compute(in, &out, &err), 0);
    json_t *pair = json_array_get(json_object_get(out, "pairs"), 0);
    assert_int_equal(json_integer_value(json_object_get(pair, "graduate_id")), 2);
    json_decref(out);
    char h1[65], h2[65];
    match_run_input_hash(in, h1);
    json_t *copy = json_deep_copy(in);
    match_run_input_hash(copy, h2);
    assert_string_equal(h1, h2);
    json_object_set_new(copy, "engine", json_string("assign"));
    match_run_input_hash(copy, h2);
    assert_string_not_equal(h1, h2);
    json_decref(copy);
    json_object_set_new(in, "engine", json_string("magic"));
    assert_int_equal(match_run_compute(in, &out, &err), -1);
    assert_string_equal(err.field, "engine");
    json_decref(in);
}

static void weights_merge_defaults_and_validate(void **state)
{
    (void)state;
    json_t *stored = json_pack("{s:i}", "languages", 4000);
    json_t *eff = match_weights_effective(stored);
    assert_int_equal(json_integer_value(json_object_get(eff, "languages")), 4000);
    assert_int_equal(json_integer_value(json_object_get(eff, "availability")), 500);
    struct tb_err err;
    assert_int_equal(match_weights_validate(stored, &err), 0);
    json_object_set_new(stored, "charm", json_integer(1));
    assert_int_equal(match_weights_validate(stored, &err), -1);
    assert_string_equal(err.field, "charm");
    json_decref(eff);
    json_decref(stored);
}

/* The cohort of cohort() plus a second open position nobody applied to and
 * graduates outside the pool or without a fitting language. */
static json_t *pool_cohort(const char *engine)
{
    json_t *in = cohort(engine);
    json_object_set_new(json_object_get(in, "options"), "source", json_string("pool"));
    json_error_t je;
    json_t *more = json_loads(
        "[{\"id\":4,\"name\":\"Karl Holm\",\"residence\":\"SE\",\"languages\":[{\"code\":\"de\",\"level\":\"C2\"}]},"
        " {\"id\":5,\"name\":\"Lena Sten\",\"residence\":\"SE\",\"consent\":{\"purpose\":\"x\"},\"placed\":true,"
        "  \"languages\":[{\"code\":\"de\",\"level\":\"C2\"}]},"
        " {\"id\":6,\"name\":\"Mia Roth\",\"residence\":\"SE\",\"consent\":{\"purpose\":\"x\"},"
        "  \"languages\":[{\"code\":\"fr\",\"level\":\"C1\"}]}]", 0, &je);
    assert_non_null(more);
    json_array_extend(json_object_get(in, "graduates"), more);
    json_decref(more);
    json_t *pos = json_loads("{\"id\":11,\"title\":\"Export assistant\",\"company_id\":5,\"company_name\":\"Baltic Trade\","
                             "\"places\":1,\"languages\":[{\"code\":\"de\",\"min_level\":\"B1\"}],"
                             "\"target_markets\":[\"DE\"],\"location_country\":\"SE\"}", 0, &je);
    assert_non_null(pos);
    json_array_append_new(json_object_get(in, "positions"), pos);
    /* only Anna applied */
    json_array_remove(json_object_get(in, "applications"), 2);
    json_array_remove(json_object_get(in, "applications"), 1);
    return in;
}

static const json_t *pair_of(const json_t *result, int graduate_id)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(result, "pairs"), i, p)
        if (json_integer_value(json_object_get(p, "graduate_id")) == graduate_id)
            return p;
    return NULL;
}

static const char *why(const json_t *result, int graduate_id)
{
    return json_string_value(json_object_get(graduate(result, graduate_id), "explanation"));
}

static void pool_proposes_suggestions_with_reasons(void **state)
{
    (void)state;
    const char *engines[] = {"assign", "stable"};
    for (int e = 0; e < 2; e++) {
        json_t *in = pool_cohort(engines[e]), *out;
        struct tb_err err;
        assert_int_equal(match_run_compute(in, &out, &err), 0);
        /* Anna and Jonas both get a position; a pair made of Anna's
         * application says so, the other one is a suggestion from the pool */
        const json_t *anna = pair_of(out, 1), *jonas = pair_of(out, 2);
        assert_non_null(anna);
        assert_non_null(jonas);
        int anna_applied = json_integer_value(json_object_get(anna, "position_id")) == 10;
        assert_string_equal(json_string_value(json_object_get(anna, "source")), anna_applied ? "application" : "suggestion");
        assert_int_equal(json_integer_value(json_object_get(anna, "application_id")), anna_applied ? 100 : 0);
        assert_string_equal(json_string_value(json_object_get(jonas, "source")), "suggestion");
        assert_int_equal(json_integer_value(json_object_get(jonas, "application_id")), 0);
        assert_true(json_array_size(json_object_get(jonas, "reasons")) > 0);
        if (e == 0)
            assert_non_null(strstr(why(out, 2), "(suggested)"));
        assert_int_equal(json_array_size(json_object_get(out, "pairs")), 2);
        /* why not, in words, for everyone else */
        assert_non_null(strstr(why(out, 3), "German A2 against required"));
        assert_non_null(strstr(why(out, 4), "no consent"));
        assert_non_null(strstr(why(out, 5), "already placed"));
        assert_non_null(strstr(why(out, 6), "language"));
        /* shortlists: both positions, best first, with reasons */
        json_t *lists = json_object_get(out, "shortlists");
        assert_int_equal(json_array_size(lists), 2);
        json_t *first = json_object_get(json_array_get(lists, 0), "shortlist");
        assert_true(json_array_size(first) >= 2);
        assert_int_equal(json_integer_value(json_object_get(json_array_get(first, 0), "rank")), 1);
        assert_true(json_integer_value(json_object_get(json_array_get(first, 0), "score")) >=
                    json_integer_value(json_object_get(json_array_get(first, 1), "score")));
        json_t *summary = json_object_get(out, "summary");
        assert_string_equal(json_string_value(json_object_get(summary, "source")), "pool");
        assert_int_equal(json_integer_value(json_object_get(json_object_get(summary, "pool"), "eligible")), 4);
        assert_int_equal(json_integer_value(json_object_get(summary, "suggestions")), anna_applied ? 1 : 2);
        json_decref(out);
        json_decref(in);
    }
}

static void bad_pool_input_is_refused_clearly(void **state)
{
    (void)state;
    struct tb_err err;
    json_t *in = pool_cohort("assign"), *out = NULL;
    /* nobody consented */
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(in, "graduates"), i, g)
        json_object_del(g, "consent");
    assert_int_equal(match_run_compute(in, &out, &err), -1);
    assert_int_equal(err.status, 422);
    assert_string_equal(err.code, "empty_pool");
    assert_non_null(strstr(err.message, "without consent"));
    json_decref(in);
    /* all weights 0 */
    in = pool_cohort("assign");
    json_object_set_new(in, "weights", json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "languages", 0,
                                                 "market_languages", 0, "market_experience", 0, "field", 0,
                                                 "sector", 0, "location", 0, "availability", 0));
    assert_int_equal(match_run_compute(in, &out, &err), -1);
    assert_string_equal(err.field, "weights");
    assert_int_equal(match_weights_validate(json_object_get(in, "weights"), &err), -1);
    assert_string_equal(err.field, "weights");
    json_decref(in);
    /* a position without any requirement still gets candidates, and says so */
    in = pool_cohort("assign");
    json_t *pos = json_array_get(json_object_get(in, "positions"), 1);
    json_object_set_new(pos, "languages", json_array());
    json_object_set_new(pos, "target_markets", json_array());
    json_object_del(pos, "location_country");
    assert_int_equal(match_run_compute(in, &out, &err), 0);
    json_t *summary = json_object_get(out, "summary");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(summary, "pool"),
                                                        "positions_without_requirements")), 1);
    assert_int_equal(json_array_size(json_object_get(out, "pairs")), 2);
    json_decref(out);
    json_decref(in);
}

int main(void)
{
    assert_int_equal(codes_init(), 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(best_candidate_wins_in_both_engines),
        cmocka_unit_test(locks_and_vetoes_are_obeyed),
        cmocka_unit_test(final_stages_take_no_part_and_hash_is_stable),
        cmocka_unit_test(weights_merge_defaults_and_validate),
        cmocka_unit_test(pool_proposes_suggestions_with_reasons),
        cmocka_unit_test(bad_pool_input_is_refused_clearly),
    };
    return cmocka_run_group_tests_name("match_run", tests, NULL, NULL);
}
