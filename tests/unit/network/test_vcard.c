/* Unit tests: the vCard reader and writer (src/core/network/vcard.c) - what
 * they read and write, and that every allocation of the reader comes from its
 * arena: a failure at any one of them answers "out of memory" cleanly (no
 * crash, no leak under ASan), and a card too long for the line limit is
 * refused naming its line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "core/network/vcard.h"

static const char card[] = "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Doe;Jane;;;\r\nORG:Acme\\, Inc;Sales\r\n"
                           "ADR:;;;Malm\xc3\xb6;;;se\r\nLANG:en-GB,sv\r\nCATEGORIES:export,n\\,ordic\r\n"
                           "TITLE:Head of\r\n  exports\r\nEND:VCARD\r\n";

static void reads_and_writes_a_card(void **state)
{
    (void)state;
    json_t *cards, *errors;
    struct tb_err err = {0};
    assert_int_equal(vcard_read(card, strlen(card), &cards, &errors, &err), 0);
    assert_int_equal(json_array_size(cards), 1);
    assert_int_equal(json_array_size(errors), 0);
    json_t *f = json_object_get(json_array_get(cards, 0), "fields");
    char *got = json_dumps(f, JSON_SORT_KEYS);
    assert_string_equal(got, "{\"city\": \"Malm\xc3\xb6\", \"country\": \"SE\", \"languages\": [\"en\", \"sv\"], "
                             "\"name\": \"Jane Doe\", \"organisation\": \"Acme, Inc\", \"roles\": \"Head of exports\", "
                             "\"tags\": [\"export\", \"n,ordic\"]}");
    free(got);
    json_t *list = json_pack("[O]", f);
    size_t len;
    char *text = vcard_write(list, &len);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    assert_string_equal(text, "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:individual\r\nFN:Jane Doe\r\nORG:Acme\\, Inc\r\n"
                              "TITLE:Head of exports\r\nADR:;;;Malm\xc3\xb6;;;SE\r\nLANG:en\r\nLANG:sv\r\n"
                              "CATEGORIES:export,n\\,ordic\r\nEND:VCARD\r\n");
    free(text);
    json_decref(list);
    json_decref(cards);
    json_decref(errors);
}

/* A city with the characters vCard escapes comes back as it went out: each
 * ADR component is escaped once (it was escaped twice: "a,b" read back "a\,b"). */
static void an_address_with_separators_survives_a_round_trip(void **state)
{
    (void)state;
    json_t *list = json_pack("[{s:s, s:s, s:s}]", "name", "Ana", "city", "Frankfurt, am Main; Ost\\Nord",
                             "country", "DE");
    size_t len;
    char *text = vcard_write(list, &len);
    assert_non_null(text);
    assert_non_null(strstr(text, "\r\nADR:;;;Frankfurt\\, am Main\\; Ost\\\\Nord;;;DE\r\n"));
    json_t *cards, *errors;
    struct tb_err err = {0};
    assert_int_equal(vcard_read(text, len, &cards, &errors, &err), 0);
    json_t *f = json_object_get(json_array_get(cards, 0), "fields");
    assert_string_equal(json_string_value(json_object_get(f, "city")), "Frankfurt, am Main; Ost\\Nord");
    assert_string_equal(json_string_value(json_object_get(f, "country")), "DE");
    free(text);
    json_decref(list);
    json_decref(cards);
    json_decref(errors);
}

static void folds_long_lines_between_characters(void **state)
{
    (void)state;
    char name[200] = "";
    for (int i = 0; i < 50; i++)
        strcat(name, "\xc3\xa9");   /* 100 octets of two-octet characters */
    json_t *list = json_pack("[{s:s}]", "name", name);
    size_t len;
    char *text = vcard_write(list, &len);
    assert_non_null(text);
    /* "FN:" + 36 characters = 75 octets, then the fold */
    const char *fn = strstr(text, "FN:");
    assert_non_null(fn);
    assert_memory_equal(fn + 75, "\r\n ", 3);
    free(text);
    json_decref(list);
    json_t *empty = json_array();
    text = vcard_write(empty, &len);
    assert_non_null(text);
    assert_int_equal(len, 0);
    free(text);
    json_decref(empty);
}

static void every_reader_allocation_may_fail(void **state)
{
    (void)state;
    struct arena_fault probe = {0};
    if (arena_fault_arm(&probe) < 0)
        skip();   /* compiled out (release build) */
    json_t *cards, *errors;
    struct tb_err err = {0};
    assert_int_equal(vcard_read(card, strlen(card), &cards, &errors, &err), 0);
    arena_fault_arm(NULL);
    json_decref(cards);
    json_decref(errors);
    assert_true(probe.count >= 3);   /* the arena, its lines and texts, the scratch buffers */
    for (unsigned long k = 1; k <= probe.count; k++) {
        struct arena_fault f = {.fail_at = k};
        struct tb_err e = {0};
        arena_fault_arm(&f);
        int rc = vcard_read(card, strlen(card), &cards, &errors, &e);
        arena_fault_arm(NULL);
        assert_true(f.hit);
        assert_int_equal(rc, -1);
        assert_int_equal(e.status, 500);
        json_decref(cards);
        json_decref(errors);
    }
}

static void refuses_a_line_past_the_limit(void **state)
{
    (void)state;
    size_t n = VCARD_MAX_LINE + 64;
    char *big = malloc(n + 64);
    assert_non_null(big);
    strcpy(big, "BEGIN:VCARD\nVERSION:4.0\nFN:");
    size_t at = strlen(big);
    memset(big + at, 'a', n - at);
    strcpy(big + n, "\nEND:VCARD\n");
    json_t *cards, *errors;
    struct tb_err err = {0};
    assert_int_equal(vcard_read(big, strlen(big), &cards, &errors, &err), -1);
    assert_int_equal(err.status, 400);
    assert_string_equal(err.field, "file");
    assert_non_null(strstr(err.message, "line 3"));
    json_decref(cards);
    json_decref(errors);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_and_writes_a_card),
        cmocka_unit_test(an_address_with_separators_survives_a_round_trip),
        cmocka_unit_test(folds_long_lines_between_characters),
        cmocka_unit_test(every_reader_allocation_may_fail),
        cmocka_unit_test(refuses_a_line_past_the_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
