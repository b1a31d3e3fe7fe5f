/*
 * vcard.c - see vcard.h.
 */
#include "core/network/vcard.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
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

/* Component `index` of a structured value (between unescaped ';') into out
 * (at least strlen(v)+1 bytes). */
static char *component(const char *v, int index, char *out)
{
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

/* Every value is part of one unfolded line, so it decodes into
 * VCARD_MAX_LINE + 1 bytes: the reader's two scratch buffers. */
struct scratch {
    char *a, *b;
};

static void set_text(json_t *fields, const char *key, const char *v, int overwrite, char *t)
{
    if (!*v || (!overwrite && json_object_get(fields, key)))
        return;
    unescape(v, t, 0);
    for (char *p = t; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    if (*t)
        json_object_set_new(fields, key, json_string(t));
}

/* A comma-separated list value (CATEGORIES, LANG): appended to fields[key]. */
static void add_list(json_t *fields, const char *key, const char *v, int lower, char *item)
{
    json_t *list = json_object_get(fields, key);
    if (!list) {
        list = json_array();
        json_object_set_new(fields, key, list);
    }
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

/* Unfolds data into lines, carved from a: the texts go one after another
 * into one buffer of len + 1 bytes (unfolding only drops bytes, and each
 * line's NUL takes the place of its line break) and there are at most one
 * more lines than '\n's, so both are allocated once at their final size.
 * -1 on a line longer than VCARD_MAX_LINE, -2 when the arena is exhausted. */
static int unfold(struct arena *a, const char *data, size_t len, size_t max_lines, struct line **out, size_t *n,
                  long *bad_line)
{
    struct line *lines = arena_calloc(a, max_lines, sizeof *lines);
    char *w = arena_alloc(a, len + 1);
    size_t used = 0;
    long physical = 1, start = 1;
    *n = 0;
    *out = lines;
    *bad_line = 0;
    if (!lines || !w)
        return -2;
    for (size_t i = 0; i <= len; i++) {
        int eol = i == len || data[i] == '\n';
        if (!eol) {
            if (data[i] == '\r' && (i + 1 == len || data[i + 1] == '\n'))
                continue;
            if (used >= VCARD_MAX_LINE) {
                *bad_line = start;
                return -1;
            }
            w[used++] = data[i];
            continue;
        }
        if (i < len && i + 1 < len && (data[i + 1] == ' ' || data[i + 1] == '\t')) {
            i++;            /* a folded line goes on: drop the break and one blank */
            physical++;
            continue;
        }
        if (used) {
            w[used] = '\0';
            lines[*n].text = w;
            lines[(*n)++].number = start;
            w += used + 1;
        }
        used = 0;
        start = ++physical;
    }
    return 0;
}

static void one_line(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r')
            *s = ' ';   /* a name is one line, as FN's */
}

static void apply(json_t *fields, const char *name, const char *params, const char *value, const struct scratch *t)
{
    if (!strcmp(name, "FN")) {
        set_text(fields, "name", value, 1, t->a);
    } else if (!strcmp(name, "N") && !json_object_get(fields, "name")) {
        char *family = component(value, 0, t->a), *given = component(value, 1, t->b);
        one_line(family);
        one_line(given);
        if (*family || *given)
            json_object_set_new(fields, "name", json_sprintf("%s%s%s", given, *given && *family ? " " : "", family));
    } else if (!strcmp(name, "ORG")) {
        char *org = component(value, 0, t->a);
        if (*org)
            json_object_set_new(fields, "organisation", json_string(org));
    } else if (!strcmp(name, "TITLE") || !strcmp(name, "ROLE")) {
        set_text(fields, "roles", value, 0, t->a);
    } else if (!strcmp(name, "EMAIL")) {
        set_text(fields, "email", value, 0, t->a);
    } else if (!strcmp(name, "TEL")) {
        set_text(fields, "phone", !strncasecmp(value, "tel:", 4) ? value + 4 : value, 0, t->a);
    } else if (!strcmp(name, "ADR")) {
        char *city = component(value, 3, t->a), *country = component(value, 6, t->b);
        if (*city && !json_object_get(fields, "city"))
            json_object_set_new(fields, "city", json_string(city));
        if (strlen(country) == 2 && !json_object_get(fields, "country")) {
            country[0] = (char)(country[0] >= 'a' && country[0] <= 'z' ? country[0] - 32 : country[0]);
            country[1] = (char)(country[1] >= 'a' && country[1] <= 'z' ? country[1] - 32 : country[1]);
            json_object_set_new(fields, "country", json_string(country));
        }
    } else if (!strcmp(name, "LANG")) {
        add_list(fields, "languages", value, 1, t->a);
    } else if (!strcmp(name, "CATEGORIES")) {
        add_list(fields, "tags", value, 0, t->a);
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
    /* Everything the reader allocates, in one arena of checked size: the
     * lines, their texts and two scratch buffers; blocks round up, hence 2x. */
    size_t max_lines = 1, need, cap;
    for (size_t i = 0; i < len; i++)
        max_lines += data[i] == '\n';
    if (__builtin_mul_overflow(max_lines, sizeof(struct line), &need) ||
        __builtin_add_overflow(need, len + 1 + 2 * (VCARD_MAX_LINE + 1), &need) ||
        __builtin_mul_overflow(need, 2, &cap) || __builtin_add_overflow(cap, 64 * 1024, &cap))
        return TB_INTERNAL(err, "out of memory");
    struct arena *a = arena_new(cap);
    struct scratch t = {a ? arena_alloc(a, VCARD_MAX_LINE + 1) : NULL, a ? arena_alloc(a, VCARD_MAX_LINE + 1) : NULL};
    struct line *lines = NULL;
    size_t n = 0;
    long bad = 0;
    int rc = t.a && t.b ? unfold(a, data, len, max_lines, &lines, &n, &bad) : -2;
    if (rc < 0) {
        arena_free(a);
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
        apply(card, name, params, value, &t);
    }
    if (card) {
        add_error(*errors, begin, "file", "BEGIN:VCARD without END:VCARD");
        json_decref(card);
    }
    arena_free(a);
    if (!json_array_size(*cards) && !json_array_size(*errors))
        return TB_INVALID(err, "file", "file: no vCard in it (BEGIN:VCARD ... END:VCARD)");
    return 0;
}

/* ---- writing ---- */

/* The text grows in one heap abuf (checked sizes, a failure sticks); content
 * lines are written a character at a time and folded as they go. */
struct out {
    struct abuf b;
    size_t col;   /* octets on the current physical line */
};

static void put(struct out *o, const char *s, size_t n)
{
    abuf_append(&o->b, s, n);
}

/* One character (n octets) of a content line, folded at 75 octets. */
static void ch(struct out *o, const char *c, size_t n)
{
    if (o->col + n > 75) {
        put(o, "\r\n ", 3);
        o->col = 1;
    }
    put(o, c, n);
    o->col += n;
}

static size_t char_len(const char *s)
{
    size_t n = 1;
    while (s[n] && ((unsigned char)s[n] & 0xC0) == 0x80)
        n++;
    return n;
}

/* text as part of a content line; with `special`, those characters
 * backslash-escaped, line breaks written as \n, carriage returns dropped. */
static void text(struct out *o, const char *t, const char *special)
{
    while (t && *t) {
        size_t n = char_len(t);
        if (special && *t == '\r') {
            t++;
            continue;
        }
        if (special && *t == '\n') {
            ch(o, "\\", 1);
            ch(o, "n", 1);
            t++;
            continue;
        }
        if (special && strchr(special, *t))
            ch(o, "\\", 1);
        ch(o, t, n);
        t += n;
    }
}

static void end_line(struct out *o)
{
    put(o, "\r\n", 2);
    o->col = 0;
}

static void line(struct out *o, const char *t)
{
    text(o, t, NULL);
    end_line(o);
}

/* NAME:escaped value (',' ';' '\\' and newlines escaped). */
static void prop(struct out *o, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    text(o, name, NULL);
    ch(o, ":", 1);
    text(o, value, "\\,;");
    end_line(o);
}

/* CATEGORIES: a list; each value escaped, joined by unescaped commas (no
 * line when the list would be empty: one tag with nothing to write). */
static void categories(struct out *o, const json_t *tags)
{
    int any = json_array_size(tags) > 1;
    for (size_t k = 0; k < json_array_size(tags) && !any; k++)
        for (const char *t = json_string_value(json_array_get(tags, k)); t && *t && !any; t++)
            any = *t != '\r';
    if (!any)
        return;
    text(o, "CATEGORIES:", NULL);
    for (size_t k = 0; k < json_array_size(tags); k++) {
        if (k)
            ch(o, ",", 1);
        text(o, json_string_value(json_array_get(tags, k)), ",;\\");
    }
    end_line(o);
}

static const char *str(const json_t *c, const char *k)
{
    return json_string_value(json_object_get(c, k));
}

char *vcard_write(const json_t *contacts, size_t *len)
{
    struct out o = {.col = 0};
    size_t i;
    json_t *c;
    abuf_init_heap(&o.b, SIZE_MAX / 4);
    json_array_foreach(contacts, i, c) {
        line(&o, "BEGIN:VCARD");
        line(&o, "VERSION:4.0");
        const char *kind = str(c, "kind");
        line(&o, kind && !strcmp(kind, "organisation") ? "KIND:org" : "KIND:individual");
        prop(&o, "FN", str(c, "name"));
        prop(&o, "ORG", str(c, "organisation"));
        prop(&o, "TITLE", str(c, "roles"));
        prop(&o, "EMAIL", str(c, "email"));
        prop(&o, "TEL", str(c, "phone"));
        if (str(c, "city") || str(c, "country")) {
            /* ADR: PO box; extended; street; locality; region; postal code; country.
             * Each component escaped once here; the separators stay bare. */
            text(&o, "ADR:;;;", NULL);
            text(&o, str(c, "city"), "\\,;");
            text(&o, ";;;", NULL);
            text(&o, str(c, "country"), "\\,;");
            end_line(&o);
        }
        json_t *langs = json_object_get(c, "languages");
        for (size_t k = 0; k < json_array_size(langs); k++)
            prop(&o, "LANG", json_string_value(json_array_get(langs, k)));   /* one language a line */
        categories(&o, json_object_get(c, "tags"));
        line(&o, "END:VCARD");
    }
    *len = o.b.len;
    return abuf_take(&o.b);   /* NULL after a failure */
}
