/* Unit tests: JSON text written straight into a buffer must be the bytes
 * jansson's compact ASCII dump gives for the same values (the server's
 * answers are compared by clients, ETags and tests byte for byte). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/json_text.h"

static void same_as_jansson(const json_t *v, const char *written)
{
    char *dumped = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
    assert_non_null(dumped);
    assert_string_equal(written, dumped);
    free(dumped);
}

static void strings_escape_as_jansson_does(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "", "plain", "quote \" and \\ backslash", "tab\tnew\nline\rcr\bbs\fff",
        "\x01\x1f control", "slash / stays", "caf\xc3\xa9 \xe2\x82\xac", "emoji \xf0\x9f\x98\x80 pair",
        "del \x7f", NULL};
    struct arena *a = arena_new(0);
    for (int i = 0; cases[i]; i++) {
        struct abuf b;
        abuf_init(&b, a, SIZE_MAX);
        assert_int_equal(jt_string(&b, cases[i], strlen(cases[i])), 0);
        json_t *s = json_string(cases[i]);
        same_as_jansson(s, abuf_cstr(&b));
        json_decref(s);
    }
    struct abuf bad;
    abuf_init(&bad, a, SIZE_MAX);
    assert_int_equal(jt_string(&bad, "\xc3(", 2), -1);   /* not UTF-8: refused */
    arena_free(a);
}

static void numbers_as_jansson(void **state)
{
    (void)state;
    static const int64_t ints[] = {0, 1, -1, 942, INT64_MAX, INT64_MIN};
    static const double reals[] = {0.0, 1.5, -2.25, 1e300, 0.1};
    struct arena *a = arena_new(0);
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        struct abuf b;
        abuf_init(&b, a, SIZE_MAX);
        assert_int_equal(jt_int(&b, ints[i]), 0);
        json_t *v = json_integer(ints[i]);
        same_as_jansson(v, abuf_cstr(&b));
        json_decref(v);
    }
    for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
        struct abuf b;
        abuf_init(&b, a, SIZE_MAX);
        assert_int_equal(jt_real(&b, reals[i]), 0);
        json_t *v = json_real(reals[i]);
        same_as_jansson(v, abuf_cstr(&b));
        json_decref(v);
    }
    arena_free(a);
}

/* Stored JSON is copied when jansson would write it back the same, and goes
 * through jansson otherwise: the answer is the same either way. */
static void stored_json_comes_back_as_jansson_writes_it(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "[]", "{}", "[\"SE\",\"NO\"]", "{\"a\":[1,2,{\"b\":null}],\"c\":true}", "[1.5,2e3]",
        "[ \"spaced\" , 1 ]", "[\"caf\xc3\xa9\"]", "[\"\\u00e9\\/\"]", "\"scalar\"", "-3",
        "[\"a\\\"b\\\\c\\n\"]", "[true,false,null,{\"e\":-1}]", "[1E2]", NULL};
    struct arena *a = arena_new(0);
    for (int i = 0; cases[i]; i++) {
        struct abuf b;
        abuf_init(&b, a, SIZE_MAX);
        assert_int_equal(jt_stored(&b, cases[i], strlen(cases[i])), 0);
        json_t *v = json_loads(cases[i], JSON_DECODE_ANY, NULL);
        assert_non_null(v);
        same_as_jansson(v, abuf_cstr(&b));
        json_decref(v);
    }
    struct abuf b;
    abuf_init(&b, a, SIZE_MAX);
    assert_int_equal(jt_stored(&b, "not json", 8), 0);   /* as the tree path: null */
    assert_string_equal(abuf_cstr(&b), "null");
    abuf_init(&b, a, SIZE_MAX);
    assert_int_equal(jt_stored(&b, "[ture]", 6), 0);       /* not JSON either: never copied */
    assert_string_equal(abuf_cstr(&b), "null");
    abuf_init(&b, a, 4);                                  /* a full buffer fails */
    assert_int_equal(jt_key(&b, "longer"), -1);
    assert_true(b.failed);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strings_escape_as_jansson_does),
        cmocka_unit_test(numbers_as_jansson),
        cmocka_unit_test(stored_json_comes_back_as_jansson_writes_it),
    };
    return cmocka_run_group_tests_name("json_text", tests, NULL, NULL);
}
