/*
 * baci.c - one BACI row "t,i,j,k,v,q" into integers.
 *
 * Hand-written rather than libcsv: BACI rows are six unquoted numbers, and
 * libcsv's per-field callbacks plus strtol/strtod measured 2.1 M rows/s on
 * this 2-core machine against 19.7 M rows/s here on the same 11 M rows in
 * memory (bench/trade/bench_parse.c); libcsv alone would eat half of the
 * 1 M rows/s budget before inflate and the table build. The small files
 * (dictionaries, GeoDist, World Bank) go through libcsv (csvrows.c).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/trade/trade.h"

static const char *skip_sp(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '"'))
        p++;
    return p;
}

/* Non-negative integer; returns the end of the field or NULL. */
static const char *parse_int(const char *p, const char *end, long *out, int max_digits)
{
    p = skip_sp(p, end);
    long v = 0;
    int nd = 0;
    while (p < end && (unsigned)(*p - '0') < 10) {
        v = v * 10 + (*p - '0');
        p++;
        if (++nd > max_digits)
            return NULL;
    }
    if (nd == 0)
        return NULL;
    p = skip_sp(p, end);
    *out = v;
    return p;
}

/* Slow path for exponents and other rare spellings. */
static const char *parse_dec_slow(const char *start, const char *end, int64_t *out)
{
    char tmp[64];
    const char *stop = memchr(start, ',', (size_t)(end - start));
    if (!stop)
        stop = end;
    size_t n = (size_t)(stop - start);
    if (n >= sizeof tmp)
        return NULL;
    memcpy(tmp, start, n);
    tmp[n] = '\0';
    char *e;
    double d = strtod(tmp, &e);
    while (*e == ' ' || *e == '"' || *e == '\r')
        e++;
    if (e == tmp || *e || !isfinite(d) || d < 0 || d * 1000.0 > 9e18)
        return NULL;
    *out = (int64_t)llround(d * 1000.0);
    return stop;
}

/* Decimal to thousandths, rounding half up on the fourth decimal. */
static const char *parse_dec(const char *p, const char *end, int64_t *out)
{
    p = skip_sp(p, end);
    const char *start = p;
    int64_t ip = 0;
    int nd = 0, fd = 0, round = 0;
    int64_t frac = 0;
    while (p < end && (unsigned)(*p - '0') < 10) {
        if (++nd > 15)
            return NULL;
        ip = ip * 10 + (*p++ - '0');
    }
    if (p < end && *p == '.') {
        p++;
        while (p < end && (unsigned)(*p - '0') < 10) {
            if (fd < 3)
                frac = frac * 10 + (*p - '0');
            else if (fd == 3)
                round = *p >= '5';
            fd++;
            p++;
        }
    }
    if (p < end && (*p == 'e' || *p == 'E'))
        return parse_dec_slow(start, end, out);
    if (nd == 0 && fd == 0)
        return NULL;
    for (int f = fd; f < 3; f++)
        frac *= 10;
    *out = ip * 1000 + frac + round;
    return skip_sp(p, end);
}

int baci_parse_line(const char *p, const char *end, struct baci_row *r, const char **why)
{
    long t, i, j, k;
    if (end > p && end[-1] == '\r')
        end--;
    if (!(p = parse_int(p, end, &t, 4)) || p >= end || *p++ != ',')
        return *why = "column t (year) is not a number", -1;
    if (!(p = parse_int(p, end, &i, 4)) || p >= end || *p++ != ',')
        return *why = "column i (exporter) is not a country code", -1;
    if (!(p = parse_int(p, end, &j, 4)) || p >= end || *p++ != ',')
        return *why = "column j (importer) is not a country code", -1;
    if (!(p = parse_int(p, end, &k, 6)) || p >= end || *p++ != ',')
        return *why = "column k (product) is not an HS6 code of up to 6 digits", -1;
    if (skip_sp(p, end) < end && *skip_sp(p, end) == '-')
        return *why = "column v (value) is negative", -1;
    if (!(p = parse_dec(p, end, &r->v)) || p >= end || *p++ != ',')
        return *why = "column v (value) is not a number", -1;
    const char *q = skip_sp(p, end);
    if (q == end) {
        r->q = TRADE_Q_NA;
    } else if (end - q >= 2 && q[0] == 'N' && q[1] == 'A' && skip_sp(q + 2, end) == end) {
        r->q = TRADE_Q_NA;
    } else if (*q == '-') {
        return *why = "column q (quantity) is negative", -1;
    } else if (!(q = parse_dec(q, end, &r->q)) || q != end) {
        return *why = "column q (quantity) is not a number, NA or empty", -1;
    }
    r->t = (int)t;
    r->i = (int)i;
    r->j = (int)j;
    r->k = (uint32_t)k;
    return 0;
}

int baci_is_header(const char *p, const char *end)
{
    static const char want[] = "tijkvq";
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    int n = 0;
    while (p < end && n < 6) {
        p = skip_sp(p, end);
        if (p >= end || *p != want[n])
            return 0;
        p = skip_sp(p + 1, end);
        n++;
        if (n < 6) {
            if (p >= end || *p != ',')
                return 0;
            p++;
        }
    }
    while (p < end && (*p == '\r' || *p == ' '))
        p++;
    return n == 6 && p == end;
}

int baci_revision_from_name(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    for (const char *s = base; (s = strstr(s, "HS")) != NULL; s += 2) {
        if (isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
            !isdigit((unsigned char)s[4]))
            return (s[2] - '0') * 10 + (s[3] - '0');
    }
    return -1;
}
