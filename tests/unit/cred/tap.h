/*
 * tap.h - minimal TAP reporting for the conformance programs, which run a
 * data-driven list of cases (one TAP line each) rather than cmocka groups.
 */
#ifndef TB_TEST_TAP_H
#define TB_TEST_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_n, tap_pass, tap_todo_open;

__attribute__((format(printf, 2, 3), unused))
static void tap_ok(int ok, const char *fmt, ...)
{
    va_list ap;
    tap_n++;
    if (ok)
        tap_pass++;
    printf("%s %d - ", ok ? "ok" : "not ok", tap_n);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

/* A known gap: "not ok ... # TODO reason" while it fails (TAP does not count
 * it as a failure), plain "ok" once it works. */
__attribute__((format(printf, 3, 4), unused))
static void tap_todo(int ok, const char *reason, const char *fmt, ...)
{
    va_list ap;
    tap_n++;
    if (ok)
        tap_pass++;
    else
        tap_todo_open++;
    printf("%s %d - ", ok ? "ok" : "not ok", tap_n);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (!ok)
        printf(" # TODO %s", reason);
    printf("\n");
    fflush(stdout);
}

__attribute__((unused))
static int tap_done(void)
{
    printf("1..%d\n# passed %d of %d", tap_n, tap_pass, tap_n);
    if (tap_todo_open)
        printf(" (%d known gaps marked TODO)", tap_todo_open);
    printf("\n");
    return tap_pass + tap_todo_open == tap_n ? 0 : 1;
}

/* Reads a whole file into a malloc'd NUL-terminated buffer (NULL on error). */
__attribute__((unused))
static char *tap_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap *= 2;
            b = realloc(b, cap);
        }
        size_t r = fread(b + n, 1, cap - n - 1, f);
        if (r == 0)
            break;
        n += r;
    }
    fclose(f);
    b[n] = 0;
    if (len)
        *len = n;
    return b;
}

__attribute__((unused))
static const char *tap_vendor(void)
{
    const char *s = getenv("TB_VENDOR_DIR");
    return s ? s : "tests/vendor";
}

#endif
