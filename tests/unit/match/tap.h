/* tap.h - minimal TAP output for the matching tests (plan printed at the end). */
#ifndef TB_MATCH_TAP_H
#define TB_MATCH_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_count, tap_failed;

__attribute__((format(printf, 2, 3))) static int tap_ok(int ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%sok %d - ", ok ? "" : "not ", ++tap_count);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    if (!ok)
        tap_failed++;
    fflush(stdout);
    return ok;
}

static int tap_done(void)
{
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}

/* Deterministic generator for test instances. */
static inline unsigned long long tap_rng(unsigned long long *s)
{
    unsigned long long x = (*s += 0x9E3779B97F4A7C15ull);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static inline long long tap_range(unsigned long long *s, long long lo, long long hi)
{
    return lo + (long long)(tap_rng(s) % (unsigned long long)(hi - lo + 1));
}

#endif
