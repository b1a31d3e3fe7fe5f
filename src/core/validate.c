/*
 * validate.c - declared-field validation for JSON bodies.
 */
#include "validate.h"

#include <stdio.h>
#include <string.h>

static code_checker_fn code_checker;

void validate_set_code_checker(code_checker_fn fn)
{
    code_checker = fn;
}

int valid_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        size_t n;
        unsigned min;
        if (c < 0x80) { p++; continue; }
        else if ((c & 0xE0) == 0xC0) { n = 1; c &= 0x1F; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { n = 2; c &= 0x0F; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { n = 3; c &= 0x07; min = 0x10000; }
        else return 0;
        if ((size_t)(end - p) <= n)
            return 0;
        for (size_t i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
            c = (c << 6) | (p[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        p += n + 1;
    }
    return 1;
}

size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            n++;
    return n;
}

size_t utf8_cut(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t lead = len;
    /* back over at most three continuation bytes to the last lead byte */
    while (lead > 0 && len - lead < 4 && (p[lead - 1] & 0xC0) == 0x80)
        lead--;
    if (lead == 0)
        return 0;   /* nothing but continuation bytes */
    unsigned c = p[lead - 1];
    size_t need = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    return len - (lead - 1) >= need ? len : lead - 1;
}

int utf8_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
    int n = vsnprintf(buf, cap, fmt, ap);
    if (cap && n >= 0 && (size_t)n >= cap)
        buf[utf8_cut(buf, cap - 1)] = '\0';
    return n;
}

int utf8_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = utf8_vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

int valid_email(const char *s)
{
    size_t len = strlen(s);
    if (len < 3 || len > 254)
        return 0;
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@'))
        return 0;
    const char *domain = at + 1;
    const char *dot = strrchr(domain, '.');
    if (!dot || dot == domain || dot[1] == '\0' || domain[0] == '.')
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == '<' || *p == '>' || *p == ',' || *p == ';' || *p == '"')
            return 0;
    if (strstr(domain, ".."))
        return 0;
    return 1;
}

int valid_date(const char *s)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return 0;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = days[m - 1] + (m == 2 && leap);
    return d <= max;
}

int valid_url(const char *s)
{
    const char *rest;
    if (!strncmp(s, "https://", 8))
        rest = s + 8;
    else if (!strncmp(s, "http://", 7))
        rest = s + 7;
    else
        return 0;
    if (!*rest || *rest == '/' || strlen(s) > 2000)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return 0;
    return 1;
}

static int check_value(const json_t *v, const struct field_spec *f, const char *path,
                       struct tb_err *err);
static int validate_at(const json_t *obj, const struct field_spec *fields, int partial, const char *prefix,
                       struct tb_err *err);

static int check_string(const json_t *v, const struct field_spec *f, const char *path,
                        struct tb_err *err)
{
    if (!json_is_string(v))
        return TB_INVALID(err, path, "%s: expected a string", path);
    const char *s = json_string_value(v);
    size_t blen = json_string_length(v);
    if (strlen(s) != blen || !valid_utf8(s, blen))
        return TB_INVALID(err, path, "%s: not valid UTF-8 text", path);
    if (f->type != FT_TEXT && f->type != FT_PASSWORD)
        for (const unsigned char *p = (const unsigned char *)s; *p; p++)
            if (*p < ' ' || *p == 0x7F)
                return TB_INVALID(err, path, "%s: control characters are not allowed", path);
    size_t chars = utf8_chars(s);
    long long min = f->min, max = f->max;
    if (max == 0)
        max = f->type == FT_TEXT ? 20000 : 500;
    if ((long long)chars < min) {
        if (min == 1)
            return TB_INVALID(err, path, "%s: must not be empty", path);
        return TB_INVALID(err, path, "%s: must be at least %lld characters", path, min);
    }
    if ((long long)chars > max)
        return TB_INVALID(err, path, "%s: must be at most %lld characters", path, max);
    switch (f->type) {
    case FT_EMAIL:
        if (!valid_email(s))
            return TB_INVALID(err, path, "%s: not a valid address", path);
        break;
    case FT_DATE:
        if (!valid_date(s))
            return TB_INVALID(err, path, "%s: expected a date as YYYY-MM-DD", path);
        break;
    case FT_URL:
        if (!valid_url(s))
            return TB_INVALID(err, path, "%s: expected an http(s) URL", path);
        break;
    case FT_ENUM: {
        for (const char *const *a = f->allowed; a && *a; a++)
            if (!strcmp(*a, s))
                return 0;
        char list[200] = "";
        for (const char *const *a = f->allowed; a && *a; a++) {
            if (strlen(list) + strlen(*a) + 3 >= sizeof list)
                break;
            strcat(list, list[0] ? ", " : "");
            strcat(list, *a);
        }
        return TB_INVALID(err, path, "%s: must be one of %s", path, list);
    }
    case FT_CODE:
        if (!code_checker || !code_checker(f->code_list, s))
            return TB_INVALID(err, path, "%s: '%s' is not a known code", path, s);
        break;
    default:
        break;
    }
    return 0;
}

static int check_value(const json_t *v, const struct field_spec *f, const char *path,
                       struct tb_err *err)
{
    switch (f->type) {
    case FT_INT: {
        if (!json_is_integer(v))
            return TB_INVALID(err, path, "%s: expected a whole number", path);
        long long n = json_integer_value(v);
        if ((f->min || f->max) && (n < f->min || n > f->max))
            return TB_INVALID(err, path, "%s: must be between %lld and %lld", path, f->min, f->max);
        return 0;
    }
    case FT_NUMBER: {
        if (!json_is_number(v))
            return TB_INVALID(err, path, "%s: expected a number", path);
        double d = json_number_value(v);
        if ((f->min || f->max) && !(d >= (double)f->min && d <= (double)f->max))
            return TB_INVALID(err, path, "%s: must be between %lld and %lld", path, f->min, f->max);
        return 0;
    }
    case FT_BOOL:
        if (!json_is_boolean(v))
            return TB_INVALID(err, path, "%s: expected true or false", path);
        return 0;
    case FT_ARRAY: {
        if (!json_is_array(v))
            return TB_INVALID(err, path, "%s: expected a list", path);
        long long n = (long long)json_array_size(v);
        long long max = f->max ? f->max : 100;
        if (n < f->min)
            return TB_INVALID(err, path, "%s: needs at least %lld item(s)", path, f->min);
        if (n > max)
            return TB_INVALID(err, path, "%s: at most %lld items", path, max);
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            char sub[64];
            utf8_snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            if (f->items && check_value(item, f->items, sub, err) < 0)
                return -1;
        }
        return 0;
    }
    case FT_OBJECT:
        if (!json_is_object(v))
            return TB_INVALID(err, path, "%s: expected an object", path);
        return validate_at(v, f->items, 0, path, err) < 0 ? -1 : 0;
    default:
        return check_string(v, f, path, err);
    }
}

/* prefix names where a nested object sits ("languages[1]"), so errors name
 * the exact place: "languages[1].level: ..." */
static int validate_at(const json_t *obj, const struct field_spec *fields, int partial, const char *prefix,
                       struct tb_err *err)
{
    char path[128];
#define PATH(name) (prefix ? (utf8_snprintf(path, sizeof path, "%s.%s", prefix, name), path) : name)
    if (!json_is_object(obj))
        return TB_INVALID(err, prefix ? prefix : "", "%s: expected a JSON object", prefix ? prefix : "body");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        const struct field_spec *f = fields;
        while (f && f->name && strcmp(f->name, key))
            f++;
        if (!f || !f->name) {
            const char *p = PATH(key);
            return TB_INVALID(err, p, "%s: unknown field", p);
        }
    }
    for (const struct field_spec *f = fields; f && f->name; f++) {
        v = json_object_get(obj, f->name);
        const char *p = PATH(f->name);
        if (!v || json_is_null(v)) {
            if (f->required && (!partial || v))
                return TB_INVALID(err, p, "%s: is required", p);
            continue;
        }
        if (check_value(v, f, p, err) < 0)
            return -1;
    }
#undef PATH
    return 0;
}

int validate_object(const json_t *obj, const struct field_spec *fields, int partial,
                    struct tb_err *err)
{
    return validate_at(obj, fields, partial, NULL, err);
}
