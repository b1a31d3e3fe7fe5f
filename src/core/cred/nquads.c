/*
 * nquads.c - N-Quads parser and canonical writer.
 * Parsing is a hand-written scanner over one line at a time, since the grammar
 * is line-based; errors carry the line number so a user can find the quad.
 */
#include "core/cred/nquads.h"
#include "core/utf8.h"

#include <stdint.h>
#include <string.h>

struct scan {
    const char *p, *end;
    struct arena *a;
    struct abuf tmp;
    unsigned long line;
    struct tb_err *err;
};

static int syntax(struct scan *s, const char *what)
{
    return tb_error(s->err, TB_E_NQUADS_SYNTAX, "", "line %lu: %s", s->line, what);
}

static void skip_ws(struct scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t'))
        s->p++;
}

static int put_utf8(struct abuf *b, uint32_t cp)
{
    char o[4];
    size_t n;
    if (cp == 0) {
        /* Terms are C strings, so U+0000 is kept as the two-byte sequence
         * C0 80 ("modified UTF-8"); the writer turns it back into \u0000. */
        return abuf_append(b, "\xc0\x80", 2);
    }
    if (cp < 0x80) { o[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { o[0] = (char)(0xc0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3f)); n = 2; }
    else if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f)); n = 3;
    } else {
        o[0] = (char)(0xf0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); o[3] = (char)(0x80 | (cp & 0x3f)); n = 4;
    }
    return abuf_append(b, o, n);
}

/* After a backslash: \uXXXX or \UXXXXXXXX (and ECHAR when allow_echar). */
static int read_escape(struct scan *s, int allow_echar)
{
    if (s->p >= s->end)
        return syntax(s, "incomplete escape");
    char c = *s->p++;
    if (c == 'u' || c == 'U') {
        int nd = c == 'u' ? 4 : 8;
        uint32_t cp = 0;
        if (s->end - s->p < nd)
            return syntax(s, "incomplete \\u escape");
        for (int i = 0; i < nd; i++) {
            char h = *s->p++;
            int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                  : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
            if (v < 0)
                return syntax(s, "bad hex digit in \\u escape");
            cp = (cp << 4) | (uint32_t)v;
        }
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return syntax(s, "escape is not a Unicode scalar value");
        return put_utf8(&s->tmp, cp) ? syntax(s, "line too long") : 0;
    }
    if (allow_echar) {
        const char *from = "tbnrf\"'\\", *to = "\t\b\n\r\f\"'\\";
        const char *m = strchr(from, c);
        if (m && c)
            return abuf_append(&s->tmp, to + (m - from), 1) ? syntax(s, "line too long") : 0;
    }
    return syntax(s, "invalid escape");
}

static int read_iri(struct scan *s, const char **out)
{
    s->p++;  /* '<' */
    s->tmp.len = 0;
    for (;;) {
        if (s->p >= s->end)
            return syntax(s, "unterminated IRI");
        unsigned char c = (unsigned char)*s->p;
        if (c == '>')
            break;
        if (c == '\\') {
            s->p++;
            if (read_escape(s, 0))
                return -1;
            continue;
        }
        if (c <= 0x20 || strchr("<\"{}|^`", c))
            return syntax(s, "invalid character in IRI");
        if (abuf_append(&s->tmp, s->p, 1))
            return syntax(s, "line too long");
        s->p++;
    }
    s->p++;
    /* N-Quads IRIs are absolute: require a scheme. */
    const char *v = abuf_cstr(&s->tmp);
    const char *colon = strchr(v, ':');
    if (!colon || colon == v)
        return syntax(s, "IRI is not absolute");
    for (const char *q = v; q < colon; q++) {
        int ok = (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                 (q > v && ((*q >= '0' && *q <= '9') || *q == '+' || *q == '-' || *q == '.'));
        if (!ok)
            return syntax(s, "IRI is not absolute");
    }
    *out = arena_strndup(s->a, v, s->tmp.len);
    return *out ? 0 : syntax(s, "out of memory");
}

static int pn_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.' || c == ':' || c >= 0x80;
}

static int read_blank(struct scan *s, const char **out)
{
    if (s->end - s->p < 3 || s->p[1] != ':')
        return syntax(s, "expected blank node label");
    s->p += 2;
    const char *start = s->p;
    unsigned char first = (unsigned char)*s->p;
    if (!pn_char(first) || first == '-' || first == '.')
        return syntax(s, "bad blank node label");
    while (s->p < s->end && pn_char((unsigned char)*s->p))
        s->p++;
    while (s->p[-1] == '.')   /* a label cannot end with '.': it is the terminator */
        s->p--;
    *out = arena_strndup(s->a, start, (size_t)(s->p - start));
    return *out ? 0 : syntax(s, "out of memory");
}

static int read_literal(struct scan *s, struct rdf_term *t)
{
    s->p++;  /* '"' */
    s->tmp.len = 0;
    for (;;) {
        if (s->p >= s->end)
            return syntax(s, "unterminated literal");
        char c = *s->p;
        if (c == '"')
            break;
        if (c == '\\') {
            s->p++;
            if (read_escape(s, 1))
                return -1;
            continue;
        }
        if (c == '\n' || c == '\r')
            return syntax(s, "newline in literal");
        if (abuf_append(&s->tmp, s->p, 1))
            return syntax(s, "line too long");
        s->p++;
    }
    s->p++;
    t->kind = RDF_LITERAL;
    t->value = arena_strndup(s->a, abuf_cstr(&s->tmp), s->tmp.len);
    if (!t->value)
        return syntax(s, "out of memory");
    if (s->p < s->end && *s->p == '@') {
        const char *start = ++s->p;
        while (s->p < s->end && ((*s->p >= 'a' && *s->p <= 'z') || (*s->p >= 'A' && *s->p <= 'Z')))
            s->p++;
        if (s->p == start)
            return syntax(s, "empty language tag");
        while (s->p < s->end && *s->p == '-') {
            const char *sub = ++s->p;
            while (s->p < s->end && ((*s->p >= 'a' && *s->p <= 'z') || (*s->p >= 'A' && *s->p <= 'Z') ||
                                     (*s->p >= '0' && *s->p <= '9')))
                s->p++;
            if (s->p == sub)
                return syntax(s, "bad language tag");
        }
        t->language = arena_strndup(s->a, start, (size_t)(s->p - start));
        if (!t->language)
            return syntax(s, "out of memory");
    } else if (s->end - s->p >= 2 && s->p[0] == '^' && s->p[1] == '^') {
        s->p += 2;
        if (s->p >= s->end || *s->p != '<')
            return syntax(s, "expected datatype IRI after ^^");
        if (read_iri(s, &t->datatype))
            return -1;
        /* xsd:string is the default: keep one representation so equal
         * literals compare equal and serialize canonically. */
        if (!strcmp(t->datatype, RDF_XSD_STRING))
            t->datatype = NULL;
    }
    return 0;
}

static int read_term(struct scan *s, struct rdf_term *t, int allow_literal, int allow_blank)
{
    memset(t, 0, sizeof *t);
    skip_ws(s);
    if (s->p >= s->end)
        return syntax(s, "unexpected end of line");
    if (*s->p == '<') {
        t->kind = RDF_IRI;
        return read_iri(s, &t->value);
    }
    if (*s->p == '_' && allow_blank) {
        t->kind = RDF_BLANK;
        return read_blank(s, &t->value);
    }
    if (*s->p == '"' && allow_literal)
        return read_literal(s, t);
    return syntax(s, "unexpected character");
}

static int parse_line(struct scan *s, struct rdf_dataset *out)
{
    skip_ws(s);
    if (s->p >= s->end || *s->p == '#')
        return 0;
    struct rdf_quad q;
    memset(&q, 0, sizeof q);
    if (read_term(s, &q.subject, 0, 1) || read_term(s, &q.predicate, 0, 0) ||
        read_term(s, &q.object, 1, 1))
        return -1;
    skip_ws(s);
    if (s->p < s->end && *s->p != '.') {
        if (read_term(s, &q.graph, 0, 1))
            return -1;
        skip_ws(s);
    }
    if (s->p >= s->end || *s->p != '.')
        return syntax(s, "expected '.' at end of quad");
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p != '#')
        return syntax(s, "text after '.'");
    if (rdf_dataset_add(out, &q))
        return tb_error(s->err, TB_E_TOO_LARGE, "", "line %lu: dataset too large", s->line);
    return 0;
}

int nquads_parse(const char *text, size_t len, struct rdf_dataset *out, struct tb_err *err)
{
    if (!valid_utf8(text, len)) {
        unsigned long line = 1;
        /* Find the line of the first bad byte for the message. */
        size_t good = 0;
        for (size_t i = 0; i <= len; i++)
            if (i == len || text[i] == '\n') {
                if (!valid_utf8(text + good, i - good))
                    break;
                good = i + 1;
                line++;
            }
        return tb_error(err, TB_E_NQUADS_SYNTAX, "", "line %lu: invalid UTF-8", line);
    }
    struct scan s = {.a = out->arena, .err = err, .line = 0};
    abuf_init(&s.tmp, out->arena, 1u << 24);
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = p;
        while (nl < end && *nl != '\n' && *nl != '\r')
            nl++;
        s.line++;
        s.p = p;
        s.end = nl;
        if (memchr(p, 0, (size_t)(nl - p)))
            return syntax(&s, "NUL byte");
        if (parse_line(&s, out))
            return -1;
        p = nl;
        if (p < end && *p == '\r')
            p++;
        if (p < end && *p == '\n')
            p++;
    }
    return 0;
}

/* Bytes that end a run of literal text written as it is: the string's NUL,
 * controls, '"', '\\', DEL, and 0xC0, which may start C0 80 (U+0000, see
 * put_utf8). One lookup per byte: canonicalization writes every literal. */
static const unsigned char run_end[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\\'] = 1, [0x7f] = 1, [0xc0] = 1,
};

int nquads_write_escaped(struct abuf *b, const char *s)
{
    const char *run = s;
    for (;; s++) {
        while (!run_end[(unsigned char)*s])
            s++;
        unsigned char c = (unsigned char)*s;
        if (!c)
            break;
        if (c == 0xc0 && (unsigned char)s[1] != 0x80)
            continue;
        if (s > run && abuf_append(b, run, (size_t)(s - run)))
            return -1;
        run = s + 1;
        const char *e;
        char u[8];
        switch (c) {
        case '\b': e = "\\b"; break;
        case '\t': e = "\\t"; break;
        case '\n': e = "\\n"; break;
        case '\f': e = "\\f"; break;
        case '\r': e = "\\r"; break;
        case '"': e = "\\\""; break;
        case '\\': e = "\\\\"; break;
        case 0xc0:   /* C0 80: U+0000, see put_utf8 */
            s++;
            run = s + 1;
            e = "\\u0000";
            break;
        default: {
            static const char hx[] = "0123456789ABCDEF";
            u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
            u[4] = hx[c >> 4]; u[5] = hx[c & 15]; u[6] = 0;
            e = u;
        }
        }
        if (abuf_puts(b, e))
            return -1;
    }
    return s > run ? abuf_append(b, run, (size_t)(s - run)) : 0;
}

int nquads_write_term(struct abuf *b, const struct rdf_term *t)
{
    switch (t->kind) {
    case RDF_IRI:
        return abuf_append(b, "<", 1) || abuf_puts(b, t->value) || abuf_append(b, ">", 1) ? -1 : 0;
    case RDF_BLANK:
        return abuf_append(b, "_:", 2) || abuf_puts(b, t->value) ? -1 : 0;
    case RDF_LITERAL:
        if (abuf_append(b, "\"", 1) || nquads_write_escaped(b, t->value) || abuf_append(b, "\"", 1))
            return -1;
        if (t->language && *t->language)
            return abuf_append(b, "@", 1) || abuf_puts(b, t->language) ? -1 : 0;
        if (t->datatype && strcmp(t->datatype, RDF_XSD_STRING))
            return abuf_append(b, "^^<", 3) || abuf_puts(b, t->datatype) || abuf_append(b, ">", 1) ? -1 : 0;
        return 0;
    case RDF_NONE:
        break;
    }
    return 0;
}

int nquads_write_quad(struct abuf *b, const struct rdf_quad *q)
{
    if (nquads_write_term(b, &q->subject) || abuf_append(b, " ", 1) ||
        nquads_write_term(b, &q->predicate) || abuf_append(b, " ", 1) ||
        nquads_write_term(b, &q->object))
        return -1;
    if (q->graph.kind != RDF_NONE &&
        (abuf_append(b, " ", 1) || nquads_write_term(b, &q->graph)))
        return -1;
    return abuf_append(b, " .\n", 3);
}
