/* Unit tests (issue 17): the server's words in every language - each key in
 * each language with the same placeholders - and their formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/msg.h"

/* The placeholders of a text, sorted by first appearance, as "{a}{b}". */
static void placeholders(const char *s, char *out, size_t n)
{
    out[0] = '\0';
    for (const char *o = strchr(s, '{'); o; o = strchr(o + 1, '{')) {
        const char *c = strchr(o, '}');
        if (!c)
            break;
        char one[64];
        snprintf(one, sizeof one, "%.*s", (int)(c - o + 1), o);
        if (!strstr(out, one))
            strncat(out, one, n - strlen(out) - 1);
    }
}

static int cmp_sets(const char *a, const char *b)
{
    /* same placeholders in any order */
    for (const char *o = strchr(a, '{'); o; o = strchr(o + 1, '{')) {
        const char *c = strchr(o, '}');
        char one[64];
        snprintf(one, sizeof one, "%.*s", (int)(c - o + 1), o);
        if (!strstr(b, one))
            return 1;
    }
    return strlen(a) != strlen(b);
}

static void every_language_has_every_key(void **state)
{
    (void)state;
    static const char *const langs[] = MSG_LANGS;
    int n = 0;
    for (const char *const *k = msg_keys(); *k; k++, n++)
        for (int l = 0; langs[l]; l++) {
            const char *en = msg_text("en", *k), *t = msg_text(langs[l], *k);
            assert_true(t && *t);
            if (strcmp(langs[l], "en"))
                assert_ptr_not_equal(t, en);   /* its own text, not the English fallback */
            char pe[256], pt[256];
            placeholders(en, pe, sizeof pe);
            placeholders(t, pt, sizeof pt);
            if (cmp_sets(pe, pt))
                fail_msg("%s in %s: placeholders %s, English %s", *k, langs[l], pt, pe);
        }
    assert_true(n > 30);
}

static void formats_and_falls_back(void **state)
{
    (void)state;
    struct arena *a = arena_new(0);
    const char *const vars[] = {"title", "Anna", "detail", "Fjord; Export, AB", NULL};
    assert_string_equal(msg_format(a, "sv", "todo.agreement", vars), "Avtal att skriva under: Anna på Fjord; Export, AB");
    assert_string_equal(msg_format(a, "en", "todo.agreement", vars), "Agreement to sign: Anna at Fjord; Export, AB");
    assert_string_equal(msg_format(a, "de", "todo.agreement", vars), "Agreement to sign: Anna at Fjord; Export, AB");
    assert_string_equal(msg_format(a, "sv", "todo.due", NULL), "senast {date}");   /* unknown: left as written */
    assert_string_equal(msg_text("sv", "no.such.key"), "no.such.key");
    assert_string_equal(msg_date(a, "sv", "2027-02-01"), "1 februari 2027");
    assert_string_equal(msg_date(a, "en", "2027-12-31"), "31 December 2027");
    assert_string_equal(msg_date(a, "en", "soon"), "soon");
    assert_string_equal(msg_lang("sv-SE"), "sv");
    assert_string_equal(msg_lang(NULL), "en");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_language_has_every_key),
        cmocka_unit_test(formats_and_falls_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
