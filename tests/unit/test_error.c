/*
 * test_error.c - the closed set of error codes (src/core/error.h): the table
 * is consistent, tb_error answers with the table's status, and every code
 * the sources hand tb_fail() as text is in the table with the same status
 * (JSON-LD's own error strings, which contain spaces, excepted).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static void table_is_consistent(void **state)
{
    (void)state;
    for (int i = 0; i < TB_E__COUNT; i++) {
        const char *w = tb_code_name((enum tb_code)i);
        int st = tb_code_status((enum tb_code)i);
        assert_true(st >= 400 && st <= 599);
        assert_true(strlen(w) > 0 && strlen(w) < sizeof ((struct tb_err *)0)->code);
        enum tb_code back;
        assert_int_equal(tb_code_parse(w, &back), 0);
        assert_int_equal(back, i);   /* wire names are unique */
        for (const char *p = w; *p; p++)
            assert_true(islower((unsigned char)*p) || *p == '_');
    }
    enum tb_code c;
    assert_int_equal(tb_code_parse("internal", &c), -1);   /* one name for it: internal_error */
}

static void tb_error_takes_status_from_table(void **state)
{
    (void)state;
    struct tb_err e;
    assert_int_equal(tb_error(&e, TB_E_VERSION_MISMATCH, "version", "version: %d", 3), -1);
    assert_int_equal(e.status, 412);
    assert_string_equal(e.code, "version_mismatch");
    assert_string_equal(e.field, "version");
    assert_string_equal(e.message, "version: 3");
    TB_INVALID(&e, "email", "email: not a valid address");
    assert_int_equal(e.status, 400);
    assert_string_equal(e.code, "validation_failed");
    TB_INTERNAL(&e, "out of memory");
    assert_int_equal(e.status, 500);
    assert_string_equal(e.code, "internal_error");
}

static int bad_codes;

/* tb_fail(ERR, STATUS, "code", ...) with a literal status and code. */
static void check_file(const char *path, const char *text)
{
    for (const char *p = strstr(text, "tb_fail("); p; p = strstr(p + 1, "tb_fail(")) {
        const char *q = p + 8;
        int depth = 0;
        while (*q && (depth || *q != ',')) {   /* the first argument */
            depth += *q == '(';
            depth -= *q == ')';
            q++;
        }
        if (*q != ',')
            continue;
        char *end;
        long status = strtol(q + 1, &end, 10);
        if (end == q + 1)
            continue;   /* a status computed at run time */
        q = end;
        while (isspace((unsigned char)*q))
            q++;
        if (*q++ != ',')
            continue;
        while (isspace((unsigned char)*q))
            q++;
        if (*q != '"')
            continue;   /* a code computed at run time (JSON-LD's) */
        const char *close = strchr(q + 1, '"');
        if (!close || close - q - 1 >= 40)
            continue;
        char code[40];
        memcpy(code, q + 1, (size_t)(close - q - 1));
        code[close - q - 1] = '\0';
        if (strchr(code, ' '))
            continue;   /* JSON-LD's error strings */
        enum tb_code c;
        if (tb_code_parse(code, &c) < 0 || tb_code_status(c) != status) {
            fprintf(stderr, "# %s: tb_fail(.., %ld, \"%s\") is not in src/core/error.h's table%s\n", path, status,
                    code, tb_code_parse(code, &c) < 0 ? "" : " with that status");
            bad_codes++;
        }
    }
}

static int visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)ftw;
    size_t n = strlen(path);
    if (type != FTW_F || n < 2 || strcmp(path + n - 2, ".c") || strstr(path, "/core/error.c"))
        return 0;
    FILE *f = fopen(path, "rb");
    char *text = f ? malloc((size_t)sb->st_size + 1) : NULL;
    if (text) {
        size_t got = fread(text, 1, (size_t)sb->st_size, f);
        text[got] = '\0';
        check_file(path, text);
    }
    free(text);
    if (f)
        fclose(f);
    return 0;
}

static void every_literal_code_is_in_the_table(void **state)
{
    (void)state;
    char src[4096];
    snprintf(src, sizeof src, "%s/src", TB_SOURCE_ROOT);
    bad_codes = 0;
    assert_int_equal(nftw(src, visit, 16, FTW_PHYS), 0);
    assert_int_equal(bad_codes, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_is_consistent),
        cmocka_unit_test(tb_error_takes_status_from_table),
        cmocka_unit_test(every_literal_code_is_in_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
