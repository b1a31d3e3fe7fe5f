/*
 * jcs.c - RFC 8785 serializer. Not jansson's JSON_SORT_KEYS|JSON_COMPACT: that
 * sorts keys by bytes (UTF-8 order differs from UTF-16 order above U+FFFF vs
 * U+E000..U+FFFF), prints reals with %.17g (not shortest round-trip) and
 * escapes differently. Here each piece follows the RFC.
 */
#include "core/cred/jcs.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

/* Next UTF-16 code unit of a valid UTF-8 string; *pending holds the low
 * surrogate of a supplementary character between calls. */
static unsigned next_unit(const unsigned char **p, const unsigned char *end, unsigned *pending)
{
    if (*pending) {
        unsigned u = *pending;
        *pending = 0;
        return u;
    }
    const unsigned char *s = *p;
    uint32_t cp;
    if (s[0] < 0x80) { cp = s[0]; *p += 1; }
    else if ((s[0] & 0xe0) == 0xc0 && s + 1 < end) { cp = ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f); *p += 2; }
    else if ((s[0] & 0xf0) == 0xe0 && s + 2 < end) {
        cp = ((uint32_t)(s[0] & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f); *p += 3;
    } else if (s + 3 < end) {
        cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
             ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
        *p += 4;
    } else {
        *p = end;
        return s[0];
    }
    if (cp >= 0x10000) {
        cp -= 0x10000;
        *pending = 0xdc00 | (cp & 0x3ff);
        return 0xd800 | (cp >> 10);
    }
    return cp;
}

int jcs_utf16_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    const unsigned char *pa = (const unsigned char *)a, *ea = pa + alen;
    const unsigned char *pb = (const unsigned char *)b, *eb = pb + blen;
    unsigned qa = 0, qb = 0;
    while ((pa < ea || qa) && (pb < eb || qb)) {
        unsigned ua = next_unit(&pa, ea, &qa), ub = next_unit(&pb, eb, &qb);
        if (ua != ub)
            return ua < ub ? -1 : 1;
    }
    int more_a = pa < ea || qa, more_b = pb < eb || qb;
    return more_a - more_b;
}

/*
 * ECMAScript Number::toString: the shortest decimal digits that read back as
 * the same double (found by trying %.{p}e for p = 1..17, each correctly
 * rounded by printf, so the first that round-trips is the shortest and the
 * closest), then laid out by the ES rules on the decimal exponent n.
 */
int jcs_format_number(double d, char *buf, size_t size)
{
    if (isnan(d) || isinf(d))
        return -1;
    if (d == 0) {   /* also -0, which ES prints as "0" */
        snprintf(buf, size, "0");
        return 0;
    }
    char tmp[40];
    int p;
    for (p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    /* tmp = [-]D[.DDD]e[+-]X */
    char digits[24];
    int k = 0, neg = tmp[0] == '-';
    const char *s = tmp + neg;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            digits[k++] = *s;
    digits[k] = 0;
    while (k > 1 && digits[k - 1] == '0')
        digits[--k] = 0;
    int e = atoi(s + 1);
    int n = e + 1;   /* value = 0.DIGITS x 10^n */
    char out[64];
    size_t o = 0;
    if (neg)
        out[o++] = '-';
    if (k <= n && n <= 21) {
        memcpy(out + o, digits, (size_t)k); o += (size_t)k;
        for (int i = 0; i < n - k; i++) out[o++] = '0';
    } else if (0 < n && n <= 21) {
        memcpy(out + o, digits, (size_t)n); o += (size_t)n;
        out[o++] = '.';
        memcpy(out + o, digits + n, (size_t)(k - n)); o += (size_t)(k - n);
    } else if (-6 < n && n <= 0) {
        out[o++] = '0'; out[o++] = '.';
        for (int i = 0; i < -n; i++) out[o++] = '0';
        memcpy(out + o, digits, (size_t)k); o += (size_t)k;
    } else {
        out[o++] = digits[0];
        if (k > 1) {
            out[o++] = '.';
            memcpy(out + o, digits + 1, (size_t)(k - 1)); o += (size_t)(k - 1);
        }
        o += (size_t)snprintf(out + o, sizeof out - o, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
    }
    out[o] = 0;
    snprintf(buf, size, "%s", out);
    return 0;
}

static int put_string(struct abuf *b, const char *s, size_t n, struct tb_err *err)
{
    if (!valid_utf8(s, n))
        return tb_error(err, TB_E_JCS_INVALID, "", "string is not valid UTF-8");
    if (abuf_append(b, "\"", 1))
        return -1;
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (i > run && abuf_append(b, s + run, i - run))
            return -1;
        run = i + 1;
        char e[8];
        switch (c) {
        case '"': strcpy(e, "\\\""); break;
        case '\\': strcpy(e, "\\\\"); break;
        case '\b': strcpy(e, "\\b"); break;
        case '\f': strcpy(e, "\\f"); break;
        case '\n': strcpy(e, "\\n"); break;
        case '\r': strcpy(e, "\\r"); break;
        case '\t': strcpy(e, "\\t"); break;
        default: snprintf(e, sizeof e, "\\u%04x", c);
        }
        if (abuf_puts(b, e))
            return -1;
    }
    if (n > run && abuf_append(b, s + run, n - run))
        return -1;
    return abuf_append(b, "\"", 1);
}

struct member {
    const char *key;
    size_t len;
    json_t *val;
};

static int cmp_member(const void *x, const void *y)
{
    const struct member *a = x, *b = y;
    return jcs_utf16_cmp(a->key, a->len, b->key, b->len);
}

static int ser(const json_t *v, struct abuf *b, struct tb_err *err, int depth)
{
    if (depth > 200)
        return tb_error(err, TB_E_JCS_INVALID, "", "JSON nested too deeply");
    switch (json_typeof(v)) {
    case JSON_NULL: return abuf_append(b, "null", 4);
    case JSON_TRUE: return abuf_append(b, "true", 4);
    case JSON_FALSE: return abuf_append(b, "false", 5);
    case JSON_STRING: return put_string(b, json_string_value(v), json_string_length(v), err);
    case JSON_INTEGER: {
        json_int_t i = json_integer_value(v);
        char num[40];
        /* Integers beyond 2^53 are doubles in ECMAScript: format them as such. */
        if (i > 9007199254740992LL || i < -9007199254740992LL)
            jcs_format_number((double)i, num, sizeof num);
        else
            snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, i);
        return abuf_puts(b, num);
    }
    case JSON_REAL: {
        char num[40];
        if (jcs_format_number(json_real_value(v), num, sizeof num))
            return tb_error(err, TB_E_JCS_INVALID, "", "NaN and Infinity have no JSON form");
        return abuf_puts(b, num);
    }
    case JSON_ARRAY: {
        if (abuf_append(b, "[", 1))
            return -1;
        for (size_t i = 0; i < json_array_size(v); i++)
            if ((i && abuf_append(b, ",", 1)) || ser(json_array_get(v, i), b, err, depth + 1))
                return -1;
        return abuf_append(b, "]", 1);
    }
    case JSON_OBJECT: {
        size_t n = json_object_size(v), i = 0;
        struct member *m = arena_alloc(b->arena, sizeof *m * (n + 1));
        if (!m)
            return -1;
        const char *k;
        size_t klen;
        json_t *val;
        void *tmp;
        json_object_keylen_foreach_safe((json_t *)v, tmp, k, klen, val) {
            m[i].key = k;
            m[i].len = klen;
            m[i].val = val;
            i++;
        }
        qsort(m, n, sizeof *m, cmp_member);
        if (abuf_append(b, "{", 1))
            return -1;
        for (i = 0; i < n; i++) {
            if ((i && abuf_append(b, ",", 1)) || put_string(b, m[i].key, m[i].len, err) ||
                abuf_append(b, ":", 1) || ser(m[i].val, b, err, depth + 1))
                return -1;
        }
        return abuf_append(b, "}", 1);
    }
    }
    return -1;
}

int jcs_serialize(const json_t *v, struct abuf *out, struct tb_err *err)
{
    struct tb_err local;
    if (!err)
        err = &local;
    err->code[0] = 0;
    if (ser(v, out, err, 0)) {
        if (!err->code[0])
            tb_error(err, TB_E_TOO_LARGE, "", "canonical JSON too large");
        return -1;
    }
    return 0;
}
