/*
 * vcard.c - see vcard.h.
 */
#include "core/network/vcard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"

/* ---- reading ---- */

struct line {
    char *text;     /* unfolded, NUL-terminated */
    long number;    /* the first physical line */
};

static void add_error(json_t *errors, long line, const char *field, const char *msg)
{
    json_array_append_new(errors, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)line, "field", field, "message", msg));
}

/* Decodes a value's escapes into out (at least strlen(v)+1 bytes); stops at
 * an unescaped `stop` (',' or ';', 0 for none) and returns where it stopped. */
static const char *unescape(const char *v, char *out, char stop)
{
    while (*v && *v != stop) {
        if (*v == '\\' && v[1]) {
            char c = v[1];
            *out++ = c == 'n' || c == 'N' ? '\n' : c;
            v += 2;
        } else {
            *out++ = *v++;
        }
    }
    *out = '\0';
    return v;
}

/* The first component of a structured value (before an unescaped ';'). */
static char *component(const char *v, int index)
{
    char *out = malloc(strlen(v) + 1);
    if (!out)
        return NULL;
    for (int i = 0;; i++) {
        v = unescape(v, out, ';');
        if (i == index)
            return out;
        if (*v != ';') {
            out[0] = '\0';
            return out;
        }
        v++;
    }
}

static void set_text(json_t *fields, const char *key, const char *v, int overwrite)
{
    if (!*v || (!overwrite && json_object_get(fields, key)))
        return;
    char *t = malloc(strlen(v) + 1);
    if (!t)
        return;
    unescape(v, t, 0);
    for (char *p = t; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    if (*t)
        json_object_set_new(fields, key, json_string(t));
    free(t);
}

/* A comma-separated list value (CATEGORIES, LANG): appended to fields[key]. */
static void add_list(json_t *fields, const char *key, const char *v, int lower)
{
    json_t *list = json_object_get(fields, key);
    if (!list) {
        list = json_array();
        json_object_set_new(fields, key, list);
    }
    char *item = malloc(strlen(v) + 1);
    if (!item)
        return;
    while (*v) {
        v = unescape(v, item, ',');
        char *s = item;
        while (*s == ' ')
            s++;
        if (lower)
            for (char *p = s; *p; p++)
                *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        if (lower && strlen(s) > 2)
            s[2] = '\0';   /* "en-GB" -> "en" */
        if (*s)
            json_array_append_new(list, json_string(s));
        if (*v == ',')
            v++;
    }
    free(item);
}

/* Splits "group.NAME;PARAM=x;P2="a;b":value" into name (upper-cased, no
 * group), params (raw) and value. 0, or -1 when it is no content line. */
static int split(char *line, char **name, char **params, char **value)
{
    char *p = line;
    int quoted = 0;
    *params = NULL;
    for (; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && *p == ';' && !*params)
            *params = p;
        else if (!quoted && *p == ':')
            break;
    }
    if (!*p || p == line)
        return -1;
    *p = '\0';
    *value = p + 1;
    if (*params)
        *(*params)++ = '\0';
    char *dot = strrchr(line, '.');
    *name = dot ? dot + 1 : line;
    if (!**name)
        return -1;
    for (char *q = *name; *q; q++) {
        if (!((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '-'))
            return -1;
        *q = (char)(*q >= 'a' && *q <= 'z' ? *q - 'a' + 'A' : *q);
    }
    return 0;
}

/* Unfolds data into lines; -1 on a line longer than VCARD_MAX_LINE. */
static int unfold(const char *data, size_t len, struct line **out, size_t *n, long *bad_line)
{
    size_t cap = 64;
    struct line *lines = malloc(cap * sizeof *lines);
    char *buf = malloc(VCARD_MAX_LINE + 1);
    size_t used = 0;
    long physical = 1, start = 1;
    *n = 0;
    if (!lines || !buf)
        goto oom;
    for (size_t i = 0; i <= len; i++) {
        int eol = i == len || data[i] == '\n';
        if (!eol) {
            if (data[i] == '\r' && (i + 1 == len || data[i + 1] == '\n'))
                continue;
            if (used >= VCARD_MAX_LINE) {
                *bad_line = start;
                free(buf);
                *out = lines;
                return -1;
            }
            buf[used++] = data[i];
            continue;
        }
        if (i < len && i + 1 < len && (data[i + 1] == ' ' || data[i + 1] == '\t')) {
            i++;            /* a folded line goes on: drop the break and one blank */
            physical++;
            continue;
        }
        if (used) {
            if (*n == cap) {
                struct line *m = realloc(lines, 2 * cap * sizeof *lines);
                if (!m)
                    goto oom;
                lines = m;
                cap *= 2;
            }
            buf[used] = '\0';
            lines[*n].text = strdup(buf);
            lines[*n].number = start;
            if (!lines[(*n)++].text)
                goto oom;
        }
        used = 0;
        start = ++physical;
    }
    free(buf);
    *out = lines;
    return 0;
oom:
    free(buf);
    *out = lines;
    *bad_line = 0;
    return -2;
}

static void apply(json_t *fields, const char *name, const char *params, const char *value)
{
    if (!strcmp(name, "FN")) {
        set_text(fields, "name", value, 1);
    } else if (!strcmp(name, "N") && !json_object_get(fields, "name")) {
        char *family = component(value, 0), *given = component(value, 1);
        if (family && given) {
            char *both = malloc(strlen(family) + strlen(given) + 2);
            if (both) {
                sprintf(both, "%s%s%s", given, *given && *family ? " " : "", family);
                for (char *q = both; *q; q++)
                    if (*q == '\n' || *q == '\r')
                        *q = ' ';   /* a name is one line, as FN's */
                if (*both)
                    json_object_set_new(fields, "name", json_string(both));
                free(both);
            }
        }
        free(family);
        free(given);
    } else if (!strcmp(name, "ORG")) {
        char *org = component(value, 0);
        if (org && *org)
            json_object_set_new(fields, "organisation", json_string(org));
        free(org);
    } else if (!strcmp(name, "TITLE") || !strcmp(name, "ROLE")) {
        set_text(fields, "roles", value, 0);
    } else if (!strcmp(name, "EMAIL")) {
        set_text(fields, "email", value, 0);
    } else if (!strcmp(name, "TEL")) {
        set_text(fields, "phone", !strncasecmp(value, "tel:", 4) ? value + 4 : value, 0);
    } else if (!strcmp(name, "ADR")) {
        char *city = component(value, 3), *country = component(value, 6);
        if (city && *city && !json_object_get(fields, "city"))
            json_object_set_new(fields, "city", json_string(city));
        if (country && strlen(country) == 2 && !json_object_get(fields, "country")) {
            country[0] = (char)(country[0] >= 'a' && country[0] <= 'z' ? country[0] - 32 : country[0]);
            country[1] = (char)(country[1] >= 'a' && country[1] <= 'z' ? country[1] - 32 : country[1]);
            json_object_set_new(fields, "country", json_string(country));
        }
        free(city);
        free(country);
    } else if (!strcmp(name, "LANG")) {
        add_list(fields, "languages", value, 1);
    } else if (!strcmp(name, "CATEGORIES")) {
        add_list(fields, "tags", value, 0);
    } else if (!strcmp(name, "KIND")) {
        json_object_set_new(fields, "kind", json_string(!strcasecmp(value, "org") ? "organisation" : "person"));
    }
    (void)params;
}

int vcard_read(const char *data, size_t len, json_t **cards, json_t **errors, struct tb_err *err)
{
    *cards = json_array();
    *errors = json_array();
    if (len > (size_t)VCARD_MAX_BYTES)
        return tb_error(err, TB_E_PAYLOAD_TOO_LARGE, "file", "file: at most %ld MiB; split it", VCARD_MAX_BYTES >> 20);
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
        data += 3;
        len -= 3;
    }
    if (!valid_utf8(data, len) || memchr(data, '\0', len))
        return TB_INVALID(err, "file", "file: not UTF-8 text");
    struct line *lines = NULL;
    size_t n = 0;
    long bad = 0;
    int rc = unfold(data, len, &lines, &n, &bad);
    if (rc < 0) {
        for (size_t i = 0; i < n; i++)
            free(lines[i].text);
        free(lines);
        return rc == -2 ? TB_INTERNAL(err, "out of memory")
                        : TB_INVALID(err, "file", "line %ld: longer than %d bytes", bad, VCARD_MAX_LINE);
    }
    json_t *card = NULL;
    long begin = 0;
    int version = 0, broken = 0;
    for (size_t i = 0; i < n; i++) {
        char *name, *params, *value;
        long at = lines[i].number;
        if (split(lines[i].text, &name, &params, &value) < 0) {
            add_error(*errors, at, "file", "not a vCard line (NAME:value)");
            broken = 1;
            continue;
        }
        if (!strcmp(name, "BEGIN") && !strcasecmp(value, "VCARD")) {
            if (card) {
                add_error(*errors, begin, "file", "BEGIN:VCARD without END:VCARD");
                json_decref(card);
            }
            card = json_object();
            begin = at;
            version = broken = 0;
            continue;
        }
        if (!card) {
            add_error(*errors, at, "file", "outside BEGIN:VCARD ... END:VCARD");
            continue;
        }
        if (!strcmp(name, "END") && !strcasecmp(value, "VCARD")) {
            if (!version)
                add_error(*errors, begin, "version", "the card has no VERSION (3.0 or 4.0)");
            else if (!json_object_get(card, "name"))
                add_error(*errors, begin, "name", "the card has no FN (formatted name)");
            else if (!broken && json_array_size(*cards) < VCARD_MAX_CARDS)
                json_array_append_new(*cards, json_pack("{s:I, s:O}", "line", (json_int_t)begin, "fields", card));
            else if (!broken)
                add_error(*errors, begin, "file", "too many cards; split the file");
            json_decref(card);
            card = NULL;
            continue;
        }
        if (!strcmp(name, "VERSION")) {
            if (strcmp(value, "4.0") && strcmp(value, "3.0")) {
                add_error(*errors, at, "version", "only vCard 3.0 and 4.0 are read");
                broken = 1;
            }
            version = 1;
            continue;
        }
        apply(card, name, params, value);
    }
    if (card) {
        add_error(*errors, begin, "file", "BEGIN:VCARD without END:VCARD");
        json_decref(card);
    }
    for (size_t i = 0; i < n; i++)
        free(lines[i].text);
    free(lines);
    if (!json_array_size(*cards) && !json_array_size(*errors))
        return TB_INVALID(err, "file", "file: no vCard in it (BEGIN:VCARD ... END:VCARD)");
    return 0;
}

/* ---- writing ---- */

struct out {
    char *buf;
    size_t len, cap;
    int failed;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->failed)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = (o->cap ? o->cap * 2 : 4096) + n;
        char *b = realloc(o->buf, cap);
        if (!b) {
            o->failed = 1;
            return;
        }
        o->buf = b;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

/* One content line, folded at 75 octets without cutting a character. */
static void line(struct out *o, const char *text)
{
    size_t n = strlen(text), col = 0;
    for (size_t i = 0; i < n;) {
        size_t clen = 1;
        while (i + clen < n && ((unsigned char)text[i + clen] & 0xC0) == 0x80)
            clen++;
        if (col + clen > 75) {
            put(o, "\r\n ", 3);
            col = 1;
        }
        put(o, text + i, clen);
        col += clen;
        i += clen;
    }
    put(o, "\r\n", 2);
}

/* NAME:escaped value (',' ';' '\\' and newlines escaped). */
static void prop(struct out *o, const char *name, const char *value, int keep_semicolons)
{
    if (!value || !*value)
        return;
    size_t n = strlen(value);
    char *t = malloc(strlen(name) + 2 * n + 2);
    if (!t) {
        o->failed = 1;
        return;
    }
    char *p = t + sprintf(t, "%s:", name);
    for (const char *v = value; *v; v++) {
        if (*v == '\r')
            continue;   /* a line break is written as \n alone */
        if (*v == '\n') {
            *p++ = '\\';
            *p++ = 'n';
            continue;
        }
        if (*v == '\\' || *v == ',' || (*v == ';' && !keep_semicolons))
            *p++ = '\\';
        *p++ = *v;
    }
    *p = '\0';
    line(o, t);
    free(t);
}

static const char *str(const json_t *c, const char *k)
{
    return json_string_value(json_object_get(c, k));
}

char *vcard_write(const json_t *contacts, size_t *len)
{
    struct out o = {0};
    size_t i;
    json_t *c;
    json_array_foreach(contacts, i, c) {
        line(&o, "BEGIN:VCARD");
        line(&o, "VERSION:4.0");
        const char *kind = str(c, "kind");
        line(&o, kind && !strcmp(kind, "organisation") ? "KIND:org" : "KIND:individual");
        prop(&o, "FN", str(c, "name"), 0);
        prop(&o, "ORG", str(c, "organisation"), 0);
        prop(&o, "TITLE", str(c, "roles"), 0);
        prop(&o, "EMAIL", str(c, "email"), 0);
        prop(&o, "TEL", str(c, "phone"), 0);
        if (str(c, "city") || str(c, "country")) {
            /* ADR: PO box; extended; street; locality; region; postal code; country */
            char adr[1024];
            char city[400] = "", *p = city;
            for (const char *v = str(c, "city") ? str(c, "city") : ""; *v && p < city + sizeof city - 3; v++) {
                if (*v == ',' || *v == ';' || *v == '\\')
                    *p++ = '\\';
                *p++ = *v;
            }
            *p = '\0';
            snprintf(adr, sizeof adr, ";;;%s;;;%s", city, str(c, "country") ? str(c, "country") : "");
            prop(&o, "ADR", adr, 1);
        }
        json_t *langs = json_object_get(c, "languages"), *tags = json_object_get(c, "tags");
        for (size_t k = 0; k < json_array_size(langs); k++)
            prop(&o, "LANG", json_string_value(json_array_get(langs, k)), 0);   /* one language a line */
        if (json_array_size(tags)) {
            /* CATEGORIES: a list; each value escaped, joined by unescaped commas */
            struct out v = {0};
            for (size_t k = 0; k < json_array_size(tags); k++) {
                const char *tag = json_string_value(json_array_get(tags, k));
                if (k)
                    put(&v, ",", 1);
                for (; tag && *tag; tag++) {
                    if (*tag == '\r')
                        continue;
                    if (*tag == '\n') {
                        put(&v, "\\n", 2);
                        continue;
                    }
                    if (*tag == ',' || *tag == ';' || *tag == '\\')
                        put(&v, "\\", 1);
                    put(&v, tag, 1);
                }
            }
            if (v.failed)
                o.failed = 1;
            else if (v.buf) {
                char *t = malloc(v.len + 12);
                if (t) {
                    sprintf(t, "CATEGORIES:%s", v.buf);
                    line(&o, t);
                    free(t);
                } else {
                    o.failed = 1;
                }
            }
            free(v.buf);
        }
        line(&o, "END:VCARD");
    }
    if (o.failed) {
        free(o.buf);
        return NULL;
    }
    if (!o.buf)
        o.buf = calloc(1, 1);
    *len = o.len;
    return o.buf;
}
