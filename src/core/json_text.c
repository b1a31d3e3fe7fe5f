/*
 * json_text.c - JSON text into an abuf, as jansson dumps it (see json_text.h).
 * tests/unit/test_json_text.c compares every function with json_dumps.
 */
#include "core/json_text.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

#define JT_FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII)

/* The code point at s (valid UTF-8 of n bytes, checked by the caller) and its length. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] < 0xE0) {
        *cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if (s[0] < 0xF0) {
        *cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        return 3;
    }
    *cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 | (uint32_t)(s[2] & 0x3F) << 6 |
          (s[3] & 0x3F);
    return 4;
}

static int escape(struct abuf *b, uint32_t cp)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *short_form = NULL;
    switch (cp) {
    case '\\': short_form = "\\\\"; break;
    case '"': short_form = "\\\""; break;
    case '\b': short_form = "\\b"; break;
    case '\f': short_form = "\\f"; break;
    case '\n': short_form = "\\n"; break;
    case '\r': short_form = "\\r"; break;
    case '\t': short_form = "\\t"; break;
    default: break;
    }
    if (short_form)
        return abuf_append(b, short_form, 2);
    uint32_t units[2] = {cp, 0};
    int n = 1;
    if (cp >= 0x10000) {
        cp -= 0x10000;
        units[0] = 0xD800 | (cp >> 10);
        units[1] = 0xDC00 | (cp & 0x3FF);
        n = 2;
    }
    char seq[12];
    for (int i = 0; i < n; i++) {
        char *q = seq + 6 * i;
        q[0] = '\\';
        q[1] = 'u';
        for (int k = 0; k < 4; k++)
            q[2 + k] = hex[units[i] >> (12 - 4 * k) & 0xF];
    }
    return abuf_append(b, seq, (size_t)(6 * n));
}

int jt_string(struct abuf *b, const char *s, size_t n)
{
    if (!valid_utf8(s, n)) {
        b->failed = 1;
        return -1;
    }
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    abuf_append(b, "\"", 1);
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        abuf_append(b, run, (size_t)(p - run));
        if (p == end)
            break;
        uint32_t cp;
        p += decode(p, &cp);
        escape(b, cp);
    }
    return abuf_append(b, "\"", 1);
}

int jt_key(struct abuf *b, const char *key)
{
    jt_string(b, key, strlen(key));
    return abuf_append(b, ":", 1);
}

int jt_int(struct abuf *b, int64_t v)
{
    char digits[24], *q = digits + sizeof digits;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do
        *--q = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--q = '-';
    return abuf_append(b, q, (size_t)(digits + sizeof digits - q));
}

int jt_real(struct abuf *b, double v)
{
    json_t *r = json_real(v);   /* rare in rows: jansson's own formatting */
    int rc = r ? jt_value(b, r) : (b->failed = 1, -1);
    json_decref(r);
    return rc;
}

static int to_abuf(const char *buffer, size_t size, void *data)
{
    return abuf_append(data, buffer, size);
}

int jt_value(struct abuf *b, const json_t *v)
{
    if (json_dump_callback(v, to_abuf, b, JT_FLAGS | JSON_ENCODE_ANY) < 0) {
        b->failed = 1;
        return -1;
    }
    return b->failed ? -1 : 0;
}

/* 1 when text is what jansson's compact ASCII dump would give back: no byte
 * outside printable ASCII, no whitespace outside strings, no escape jansson
 * writes otherwise (\/, \u for a character it writes plainly or with a
 * short escape), and only integers (a real may come back otherwise: 1e2 as
 * 100.0). One pass; anything else goes the slow way. */
static int as_jansson_writes(const char *text, size_t n)
{
    int in_string = 0;
    unsigned char prev = 0;
    for (size_t i = 0; i < n; prev = (unsigned char)text[i++]) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c >= 0x7F)
            return 0;
        if (in_string) {
            if (c == '"') {
                in_string = 0;
            } else if (c == '\\') {
                if (++i == n || !strchr("\"\\bfnrt", text[i]))
                    return 0;   /* \u, \/: let jansson decide how it writes them */
            }
        } else if (c == '"') {
            in_string = 1;
        } else if (c == 't' || c == 'f' || c == 'n') {   /* only as true, false, null */
            const char *word = c == 't' ? "true" : c == 'f' ? "false" : "null";
            size_t len = strlen(word);
            if (n - i < len || memcmp(text + i, word, len))
                return 0;
            i += len - 1;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z' && c != 'E')) {
            return 0;
        } else if (c == ' ' || c == '.' || c == '+' || ((c == 'e' || c == 'E') && prev >= '0' && prev <= '9')) {
            return 0;
        }
    }
    return !in_string;
}

int jt_stored(struct abuf *b, const char *text, size_t n)
{
    if (as_jansson_writes(text, n))
        return abuf_append(b, text, n);
    json_error_t e;
    json_t *v = json_loadb(text, n, JSON_DECODE_ANY, &e);
    int rc = v ? jt_value(b, v) : abuf_append(b, "null", 4);
    json_decref(v);
    return rc;
}
