/*
 * jsonld_rdf.c - from expanded JSON-LD to an RDF dataset: Node Map Generation
 * (API section 7.2) and Deserialize JSON-LD to RDF (8.1), with literal
 * conversion (canonical xsd:double, JCS for rdf:JSON, rdfDirection). Also the
 * public entry points jsonld_expand*() and jsonld_to_rdf*().
 */
#include "jsonld_int.h"

#include "core/json_arena.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define XSD_NS "http://www.w3.org/2001/XMLSchema#"

struct nm {
    struct jl_state *st;
    json_t *idmap;      /* old blank node id -> new */
    unsigned long counter;
};

static int over_limit(struct jl_state *st, const char *field, size_t limit)
{
    return tb_error(st->err, TB_E_LIMIT_EXCEEDED, field,
                   "credential: more %s than the %zu accepted", field, limit);
}

static const char *gen_bnode(struct nm *m, const char *old)
{
    if (old) {
        json_t *x = json_object_get(m->idmap, old);
        if (x)
            return json_string_value(x);
    }
    const struct jsonld_limits *lim = m->st->opts->limits;
    if (lim && lim->blank_nodes && m->counter >= lim->blank_nodes) {
        over_limit(m->st, "blank_nodes", lim->blank_nodes);
        return NULL;
    }
    /* key = "\x01" label: fresh labels stay alive in the map under a key no
     * input can use. Formatted by hand: snprintf showed in profiles. */
    char key[32], digits[24];
    size_t nd = 0;
    unsigned long c = m->counter++;
    do
        digits[nd++] = (char)('0' + c % 10);
    while ((c /= 10) != 0);
    char *buf = key + 1, *p = buf;
    *p++ = '_';
    *p++ = ':';
    *p++ = 'b';
    while (nd)
        *p++ = digits[--nd];
    *p = 0;
    json_t *s = json_stringn_nocheck(buf, (size_t)(p - buf));
    if (!s)
        return NULL;
    key[0] = '\x01';
    json_object_set_new_nocheck(m->idmap, old ? old : key, s);
    return json_string_value(s);
}

static int is_bnode(const char *s)
{
    return s && s[0] == '_' && s[1] == ':';
}

static const char *relabel(struct nm *m, const char *id)
{
    return (id && is_bnode(id)) ? gen_bnode(m, id) : id;
}

/* ---- literals ---------------------------------------------------------- */

static void fmt_double(char *buf, size_t n, double d)
{
    /* Canonical xsd:double: mantissa with trailing zeros trimmed (at least one
     * fractional digit), "E", exponent without "+" or leading zeros. */
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.15E", d);
    char *e = strchr(tmp, 'E');
    if (!e) {
        snprintf(buf, n, "%s", tmp);
        return;
    }
    int ex = atoi(e + 1);
    *e = 0;
    char *end = e - 1;
    while (end > tmp && *end == '0' && end[-1] != '.')
        *end-- = 0;
    snprintf(buf, n, "%.30sE%d", tmp, ex);
}

static int is_lang_tag(const char *s)
{
    size_t n = 0;
    const char *p = s;
    while (isalpha((unsigned char)*p)) {
        p++;
        n++;
    }
    if (n < 1 || n > 8)
        return 0;
    while (*p == '-') {
        p++;
        n = 0;
        while (isalnum((unsigned char)*p)) {
            p++;
            n++;
        }
        if (n < 1 || n > 8)
            return 0;
    }
    return *p == 0;
}

/* JSON Canonicalization Scheme (RFC 8785) for rdf:JSON literals. */
static int cmp_utf16(const char *a, const char *b);
static int jcs(struct abuf *b, const json_t *v);

static void jcs_string(struct abuf *b, const char *s)
{
    abuf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': abuf_puts(b, "\\\""); break;
        case '\\': abuf_puts(b, "\\\\"); break;
        case '\b': abuf_puts(b, "\\b"); break;
        case '\f': abuf_puts(b, "\\f"); break;
        case '\n': abuf_puts(b, "\\n"); break;
        case '\r': abuf_puts(b, "\\r"); break;
        case '\t': abuf_puts(b, "\\t"); break;
        default:
            if (*p < 0x20)
                abuf_printf(b, "\\u%04x", *p);
            else
                abuf_append(b, p, 1);
        }
    }
    abuf_puts(b, "\"");
}

/* ECMAScript Number::toString for finite doubles. */
static void es_number(char *out, size_t n, double d)
{
    if (d == 0) {
        snprintf(out, n, "0");
        return;
    }
    char tmp[40];
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    /* tmp = [-]d.ddde[+-]XX; collect digits and exponent. */
    int neg = tmp[0] == '-';
    char digits[24];
    size_t k = 0;
    const char *p = tmp + neg;
    for (; *p && *p != 'e'; p++)
        if (isdigit((unsigned char)*p))
            digits[k++] = *p;
    digits[k] = 0;
    int ex = atoi(p + 1) + 1;   /* value = 0.digits * 10^ex */
    int kk = (int)k;
    char *o = out;
    size_t left = n;
#define PUT(...) do { int w = snprintf(o, left, __VA_ARGS__); if (w < 0 || (size_t)w >= left) return; o += w; left -= (size_t)w; } while (0)
    if (neg)
        PUT("-");
    if (kk <= ex && ex <= 21) {
        PUT("%s", digits);
        for (int i = 0; i < ex - kk; i++)
            PUT("0");
    } else if (0 < ex && ex <= 21) {
        PUT("%.*s.%s", ex, digits, digits + ex);
    } else if (-6 < ex && ex <= 0) {
        PUT("0.");
        for (int i = 0; i < -ex; i++)
            PUT("0");
        PUT("%s", digits);
    } else {
        int e = ex - 1;
        if (kk == 1)
            PUT("%se%c%d", digits, e < 0 ? '-' : '+', abs(e));
        else
            PUT("%c.%se%c%d", digits[0], digits + 1, e < 0 ? '-' : '+', abs(e));
    }
#undef PUT
}

static int cmp_utf16(const char *a, const char *b)
{
    /* Compare by UTF-16 code units: decode UTF-8 to code points and map
     * supplementary ones to surrogates. */
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    unsigned pend = 0, qend = 0;
    for (;;) {
        unsigned cp, cq;
#define NEXT(s, pendv, out) do { \
        if (pendv) { out = pendv; pendv = 0; } \
        else if (!*s) out = 0; \
        else { unsigned c = *s++; unsigned cpv; \
            if (c < 0x80) cpv = c; \
            else if (c < 0xE0) { cpv = ((c & 0x1F) << 6) | (*s++ & 0x3F); } \
            else if (c < 0xF0) { cpv = ((c & 0x0F) << 12) | ((s[0] & 0x3F) << 6) | (s[1] & 0x3F); s += 2; } \
            else { cpv = ((c & 0x07) << 18) | ((s[0] & 0x3F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F); s += 3; } \
            if (cpv >= 0x10000) { cpv -= 0x10000; out = 0xD800 + (cpv >> 10); pendv = 0xDC00 + (cpv & 0x3FF); } \
            else out = cpv; } } while (0)
        NEXT(p, pend, cp);
        NEXT(q, qend, cq);
#undef NEXT
        if (cp != cq)
            return cp < cq ? -1 : 1;
        if (!cp)
            return 0;
    }
}

static int cmp_keys16(const void *a, const void *b)
{
    return cmp_utf16(*(const char *const *)a, *(const char *const *)b);
}

static int jcs(struct abuf *b, const json_t *v)
{
    char num[64];
    switch (json_typeof(v)) {
    case JSON_NULL: return abuf_puts(b, "null");
    case JSON_TRUE: return abuf_puts(b, "true");
    case JSON_FALSE: return abuf_puts(b, "false");
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return abuf_puts(b, num);
    case JSON_REAL:
        es_number(num, sizeof num, json_real_value(v));
        return abuf_puts(b, num);
    case JSON_STRING:
        jcs_string(b, json_string_value(v));
        return 0;
    case JSON_ARRAY: {
        abuf_puts(b, "[");
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                abuf_puts(b, ",");
            jcs(b, json_array_get(v, i));
        }
        return abuf_puts(b, "]");
    }
    case JSON_OBJECT: {
        size_t n = json_object_size(v), i = 0;
        const char **keys = arena_alloc(b->arena, (n + 1) * sizeof *keys);
        if (!keys)
            return -1;
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x) keys[i++] = k;
        qsort(keys, n, sizeof *keys, cmp_keys16);
        abuf_puts(b, "{");
        for (i = 0; i < n; i++) {
            if (i)
                abuf_puts(b, ",");
            jcs_string(b, keys[i]);
            abuf_puts(b, ":");
            jcs(b, json_object_get(v, keys[i]));
        }
        return abuf_puts(b, "}");
    }
    }
    return 0;
}

/* ---- deserialization --------------------------------------------------- */

struct rdfw {
    struct jl_state *st;
    struct nm *m;
    struct rdf_dataset *out;
    struct rdf_term graph;
    int suppress;   /* > 0: inside an ill-formed subject/predicate/graph, emit nothing */
    int oom;        /* a copy failed: the next statement fails the call */
    size_t nodes, quads;
};

/* Strings of the expanded form already live in the dataset's arena (it is
 * built in a JSON arena window on that arena): only others are copied. A
 * failed copy is remembered, so no statement goes out with a missing part. */
static const char *keep(struct rdfw *w, const char *s)
{
    if (!s || arena_owns(w->out->arena, s))
        return s;
    const char *c = arena_strdup(w->out->arena, s);
    if (!c)
        w->oom = 1;
    return c;
}

/* The keyword entries of an expanded object, found in one pass over its keys
 * (a value object has at most five, and a lookup by name hashes the key). */
struct kw {
    const json_t *id, *type, *value, *list, *language, *direction, *reverse, *graph, *included;
};

static void keywords_of(const json_t *o, struct kw *k)
{
    memset(k, 0, sizeof *k);
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)o, key, v) {
        if (key[0] != '@')
            continue;
        switch (key[1]) {
        case 'i':
            if (!strcmp(key, "@id"))
                k->id = v;
            else if (!strcmp(key, "@included"))
                k->included = v;
            break;
        case 't': if (!strcmp(key, "@type")) k->type = v; break;
        case 'v': if (!strcmp(key, "@value")) k->value = v; break;
        case 'l':
            if (!strcmp(key, "@list"))
                k->list = v;
            else if (!strcmp(key, "@language"))
                k->language = v;
            break;
        case 'd': if (!strcmp(key, "@direction")) k->direction = v; break;
        case 'r': if (!strcmp(key, "@reverse")) k->reverse = v; break;
        case 'g': if (!strcmp(key, "@graph")) k->graph = v; break;
        default: break;
        }
    }
}

static int id_term(struct rdfw *w, const char *id, struct rdf_term *t)
{
    memset(t, 0, sizeof *t);
    if (is_bnode(id)) {
        t->kind = RDF_BLANK;
        t->value = keep(w, id + 2);
    } else if (jl_is_wellformed_iri(id)) {
        t->kind = RDF_IRI;
        t->value = keep(w, id);
    } else if (w->st->opts->safe) {
        return jl_unsafe(w->st, id, "is not a well-formed absolute IRI");
    } else {
        return 0;   /* relative IRI: not well-formed, dropped */
    }
    return t->value ? 1 : -1;
}

static int emit(struct rdfw *w, const struct rdf_term *s, const struct rdf_term *p,
                const struct rdf_term *o)
{
    if (w->suppress)
        return 0;
    if (w->oom || !s->value || !p->value || !o->value)
        return jl_oom(w->st);
    const struct jsonld_limits *lim = w->st->opts->limits;
    if (lim && lim->quads && ++w->quads > lim->quads)
        return over_limit(w->st, "quads", lim->quads);
    struct rdf_quad q = {*s, *p, *o, w->graph};
    if (rdf_dataset_add(w->out, &q))
        return jl_oom(w->st);
    return 0;
}

static struct rdf_term iri_term(const char *iri)
{
    struct rdf_term t = {RDF_IRI, iri, NULL, NULL};
    return t;
}

static int object_to_rdf(struct rdfw *w, const json_t *item, struct rdf_term *o);
static int node_to_rdf_kw(struct rdfw *w, const json_t *node, const struct kw *k,
                          struct rdf_term *subj);
static int node_to_rdf(struct rdfw *w, const json_t *node, struct rdf_term *subj);

static int list_to_rdf(struct rdfw *w, const json_t *list, struct rdf_term *o)
{
    size_t n = json_array_size(list);
    if (n == 0) {
        *o = iri_term(RDF_NS "nil");
        return 1;
    }
    struct rdf_term *nodes = arena_alloc(w->st->a, n * sizeof *nodes);
    if (!nodes)
        return jl_oom(w->st);
    for (size_t i = 0; i < n; i++) {
        const char *b = gen_bnode(w->m, NULL);
        if (!b)
            return jl_oom(w->st);
        nodes[i] = (struct rdf_term){RDF_BLANK, keep(w, b + 2), NULL, NULL};
    }
    struct rdf_term first = iri_term(RDF_NS "first"), rest = iri_term(RDF_NS "rest");
    for (size_t i = 0; i < n; i++) {
        struct rdf_term obj;
        int r = object_to_rdf(w, json_array_get(list, i), &obj);
        if (r < 0)
            return -1;
        if (r > 0 && emit(w, &nodes[i], &first, &obj))
            return -1;
        struct rdf_term next = i + 1 < n ? nodes[i + 1] : iri_term(RDF_NS "nil");
        if (emit(w, &nodes[i], &rest, &next))
            return -1;
    }
    *o = nodes[0];
    return 1;
}

/* 1 with *o set, 0 when the item yields no object (ill-formed), -1 on error. */
static int object_to_rdf(struct rdfw *w, const json_t *item, struct rdf_term *o)
{
    memset(o, 0, sizeof *o);
    struct kw k;
    keywords_of(item, &k);
    if (k.list)
        return list_to_rdf(w, k.list, o);
    const json_t *value = k.value;
    if (!value)
        return node_to_rdf_kw(w, item, &k, o);
    const char *dt = json_string_value(k.type);
    const char *lang = json_string_value(k.language);
    const char *dir = json_string_value(k.direction);
    if (dt && strcmp(dt, "@json") && !jl_is_wellformed_iri(dt))
        return w->st->opts->safe ? jl_unsafe(w->st, dt, "is not a well-formed datatype IRI") : 0;
    if (lang && !is_lang_tag(lang))
        return w->st->opts->safe ? jl_unsafe(w->st, lang, "is not a well-formed language tag") : 0;
    char num[64];
    const char *lex;
    if (dt && !strcmp(dt, "@json")) {
        struct abuf b;
        abuf_init(&b, w->out->arena, JL_ABUF_MAX);
        if (jcs(&b, value))
            return jl_oom(w->st);
        lex = abuf_cstr(&b);
        dt = RDF_NS "JSON";
    } else if (json_is_boolean(value)) {
        lex = json_is_true(value) ? "true" : "false";
        if (!dt)
            dt = XSD_NS "boolean";
    } else if (json_is_number(value)) {
        double d = json_number_value(value);
        int is_double = (json_is_real(value) && (d != floor(d) || fabs(d) >= 1e21)) ||
                        (dt && !strcmp(dt, XSD_NS "double"));
        if (is_double) {
            fmt_double(num, sizeof num, d);
            if (!dt)
                dt = XSD_NS "double";
        } else {
            if (json_is_integer(value))
                snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
            else
                snprintf(num, sizeof num, "%.0f", d == 0 ? 0.0 : d);   /* no "-0" */
            if (!dt)
                dt = XSD_NS "integer";
        }
        lex = num;
    } else if (json_is_string(value)) {
        lex = json_string_value(value);
    } else {
        return 0;
    }
    const char *rd = w->st->opts->rdf_direction;
    if (dir && rd) {
        char *low = arena_strdup(w->st->a, lang ? lang : "");
        for (char *p = low; p && *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (!strcmp(rd, "i18n-datatype")) {
            o->kind = RDF_LITERAL;
            o->value = keep(w, lex);
            o->datatype = arena_printf(w->out->arena, "https://www.w3.org/ns/i18n#%s_%s", low, dir);
            return 1;
        }
        if (!strcmp(rd, "compound-literal")) {
            const char *b = gen_bnode(w->m, NULL);
            struct rdf_term bn = {RDF_BLANK, keep(w, b + 2), NULL, NULL};
            struct rdf_term p = iri_term(RDF_NS "value");
            struct rdf_term lit = {RDF_LITERAL, keep(w, lex), NULL, NULL};
            if (emit(w, &bn, &p, &lit))
                return -1;
            if (lang) {
                p = iri_term(RDF_NS "language");
                lit.value = keep(w, low);
                if (emit(w, &bn, &p, &lit))
                    return -1;
            }
            p = iri_term(RDF_NS "direction");
            lit.value = keep(w, dir);
            if (emit(w, &bn, &p, &lit))
                return -1;
            *o = bn;
            return 1;
        }
    }
    o->kind = RDF_LITERAL;
    o->value = keep(w, lex);
    if (lang && !(dt && strcmp(dt, RDF_NS "langString"))) {
        o->language = keep(w, lang);
        o->datatype = NULL;
    } else if (dt && strcmp(dt, XSD_NS "string")) {
        o->datatype = keep(w, dt);
    }
    return o->value ? 1 : jl_oom(w->st);
}

/* Emits the node's statements; *subj gets its subject (0 when the node has
 * no usable one). Nested nodes are walked even when this node's subject or a
 * predicate is not well-formed, as node-map flattening would keep them. This
 * walks the expanded tree directly instead of building the node map: merging
 * nodes by @id only removes duplicate statements, which the dataset does. */
static int node_to_rdf_kw(struct rdfw *w, const json_t *node, const struct kw *k,
                          struct rdf_term *subj)
{
    struct jl_state *st = w->st;
    const json_t *idv = k->id;
    struct rdf_term s;
    int sv;
    memset(subj, 0, sizeof *subj);
    const struct jsonld_limits *lim = st->opts->limits;
    if (lim && lim->nodes && ++w->nodes > lim->nodes)
        return over_limit(st, "nodes", lim->nodes);
    if (json_is_null(idv))
        return 0;   /* @id expanded to null (keyword-like IRI): nothing to state */
    if (json_is_string(idv)) {
        const char *id = relabel(w->m, json_string_value(idv));
        if (!id)
            return jl_oom(st);
        sv = id_term(w, id, &s);
    } else {
        const char *b = gen_bnode(w->m, NULL);
        if (!b)
            return jl_oom(st);
        s = (struct rdf_term){RDF_BLANK, keep(w, b + 2), NULL, NULL};
        sv = s.value ? 1 : -1;
    }
    if (sv < 0)
        return -1;
    if (!sv)
        w->suppress++;
    int rc = -1;
    const json_t *types = k->type;
    size_t i;
    const json_t *v;
    struct rdf_term type = iri_term(RDF_NS "type");
    json_array_foreach(types, i, v) {
        struct rdf_term o;
        const char *t = relabel(w->m, json_string_value(v));
        int r = t ? id_term(w, t, &o) : 0;
        if (r < 0 || (r > 0 && emit(w, &s, &type, &o)))
            goto out;
    }
    const char *p;
    const json_t *vals;
    json_object_foreach((json_t *)node, p, vals) {
        if (p[0] == '@')
            continue;
        struct rdf_term pt;
        int pv;
        if (is_bnode(p) && !st->opts->produce_generalized_rdf) {
            if (st->opts->safe) {
                jl_unsafe(st, p, "is a blank node predicate");
                goto out;
            }
            pv = 0;
        } else {
            const char *pl = relabel(w->m, p);
            pv = pl ? id_term(w, pl, &pt) : -1;
            if (pv < 0)
                goto out;
        }
        if (!pv)
            w->suppress++;
        json_array_foreach(vals, i, v) {
            struct rdf_term o;
            int r = object_to_rdf(w, v, &o);
            if (r < 0 || (r > 0 && emit(w, &s, &pt, &o))) {
                if (!pv)
                    w->suppress--;
                goto out;
            }
        }
        if (!pv)
            w->suppress--;
    }
    json_object_foreach((json_t *)k->reverse, p, vals) {
        struct rdf_term pt;
        int pv;
        if (is_bnode(p) && !st->opts->produce_generalized_rdf) {
            if (st->opts->safe) {
                jl_unsafe(st, p, "is a blank node predicate");
                goto out;
            }
            pv = 0;
        } else {
            const char *pl = relabel(w->m, p);
            pv = pl ? id_term(w, pl, &pt) : -1;
            if (pv < 0)
                goto out;
        }
        json_array_foreach(vals, i, v) {
            struct rdf_term s2;
            int r = node_to_rdf(w, v, &s2);
            if (r < 0)
                goto out;
            if (r > 0 && pv && sv && emit(w, &s2, &pt, &s))
                goto out;
        }
    }
    const json_t *g = k->graph;
    if (g) {
        struct rdf_term saved = w->graph;
        w->graph = s;
        json_array_foreach(g, i, v) {
            struct rdf_term ignored;
            if (node_to_rdf(w, v, &ignored) < 0) {
                w->graph = saved;
                goto out;
            }
        }
        w->graph = saved;
    }
    json_array_foreach(k->included, i, v) {
        struct rdf_term ignored;
        if (node_to_rdf(w, v, &ignored) < 0)
            goto out;
    }
    rc = sv;
    if (sv)
        *subj = s;
out:
    if (!sv)
        w->suppress--;
    return rc;
}

static int node_to_rdf(struct rdfw *w, const json_t *node, struct rdf_term *subj)
{
    struct kw k;
    keywords_of(node, &k);
    return node_to_rdf_kw(w, node, &k, subj);
}

static int to_rdf(struct rdfw *w, const json_t *expanded)
{
    size_t i;
    const json_t *v;
    json_array_foreach(expanded, i, v) {
        struct rdf_term ignored;
        if (!json_is_object(v))
            continue;
        struct kw k;
        keywords_of(v, &k);
        if (!k.value && !k.list && node_to_rdf_kw(w, v, &k, &ignored) < 0)
            return -1;
    }
    return 0;
}

/* ---- public API -------------------------------------------------------- */

struct input_count {
    const struct jsonld_limits *lim;
    size_t contexts, values;
    struct tb_err *err;
};

static int count_input(struct input_count *c, const json_t *v, size_t depth)
{
    const struct jsonld_limits *lim = c->lim;
    if (lim->values && ++c->values > lim->values)
        return tb_error(c->err, TB_E_LIMIT_EXCEEDED, "values",
                       "credential: more than %zu JSON values", lim->values);
    if (!json_is_object(v) && !json_is_array(v))
        return 0;
    if (lim->depth && depth >= lim->depth)
        return tb_error(c->err, TB_E_LIMIT_EXCEEDED, "depth",
                       "credential: nested more than %zu levels deep", lim->depth);
    const char *k;
    const json_t *e;
    size_t i;
    if (json_is_array(v)) {
        json_array_foreach(v, i, e)
            if (count_input(c, e, depth + 1))
                return -1;
        return 0;
    }
    json_object_foreach((json_t *)v, k, e) {
        if (!strcmp(k, "@context")) {
            c->contexts += json_is_array(e) ? json_array_size(e) : 1;
            if (lim->contexts && c->contexts > lim->contexts)
                return tb_error(c->err, TB_E_LIMIT_EXCEEDED, "@context",
                               "credential: more than %zu @context entries", lim->contexts);
        }
        if (count_input(c, e, depth + 1))
            return -1;
    }
    return 0;
}

int jsonld_check_input(const json_t *doc, const struct jsonld_limits *lim, struct tb_err *err)
{
    struct input_count c = {lim, 0, 0, err};
    return lim ? count_input(&c, doc, 0) : 0;
}

static const struct jsonld_opts no_opts;

static int run_expand(const json_t *doc, struct jsonld_loader *loader,
                      const struct jsonld_opts *opts, struct arena *a, json_t **out,
                      struct tb_err *err)
{
    struct tb_err dummy;
    if (!err)
        err = &dummy;
    tb_err_clear(err);
    if (!loader)
        loader = jsonld_loader_default();
    if (!loader)
        return tb_error(err, TB_E_INTERNAL_ERROR, "", "JSON-LD contexts unavailable");
    struct jl_state st = {0};
    st.loader = loader;
    st.a = a;
    st.ca = a;
    st.err = err;
    st.opts = opts ? opts : &no_opts;
    int rc = jl_expand_document(&st, doc, out);
    json_decref(st.keep);   /* the expanded output does not point into it */
    return rc;
}

int jsonld_expand_opts(const json_t *doc, struct jsonld_loader *loader,
                       const struct jsonld_opts *opts, struct arena *a, json_t **out,
                       struct tb_err *err)
{
    *out = NULL;
    return run_expand(doc, loader, opts, a, out, err);
}

int jsonld_expand(const json_t *doc, struct jsonld_loader *loader, struct arena *a,
                  json_t **out, struct tb_err *err)
{
    return jsonld_expand_opts(doc, loader, NULL, a, out, err);
}

int jsonld_to_rdf_opts(const json_t *doc, struct jsonld_loader *loader,
                       const struct jsonld_opts *opts, struct rdf_dataset *out,
                       struct tb_err *err)
{
    struct tb_err dummy;
    if (!err)
        err = &dummy;
    /* Temporaries go into the dataset's arena: they are small next to the
     * quads, and a fresh arena per call (malloc + free of its first block)
     * showed up in profiles of the signing loop. */
    struct arena *a = out->arena;
    /* The expanded form and the node map live only in this call: their JSON
     * goes into the arena too (json_arena.h). */
    if (opts && jsonld_check_input(doc, opts->limits, err))
        return -1;
    struct json_arena_window win = json_arena_push(a);
    json_t *expanded = NULL;
    int rc = run_expand(doc, loader, opts, a, &expanded, err);
    if (rc == 0) {
        struct jl_state st = {0};
        st.loader = loader ? loader : jsonld_loader_default();
        st.a = a;
        st.ca = a;
        st.err = err;
        st.opts = opts ? opts : &no_opts;
        struct nm m = {&st, json_object(), 0};
        rc = !m.idmap ? jl_oom(&st) : 0;
        if (rc == 0) {
            struct rdfw w = {&st, &m, out, {0}, 0, 0, 0, 0};
            rc = to_rdf(&w, expanded);
            if (rc == 0 && w.oom)
                rc = jl_oom(&st);
        }
        json_decref(m.idmap);
    }
    /* Released (a walk, no free: the arena holds the memory) so that the
     * window can check that nothing made in it is still alive. */
    json_decref(expanded);
    if (json_arena_pop(win) && rc == 0)
        rc = tb_error(err, TB_E_INTERNAL_ERROR, "", "a JSON value outlived its arena window");
    return rc;
}

int jsonld_to_rdf(const json_t *doc, struct jsonld_loader *loader, struct rdf_dataset *out,
                  struct tb_err *err)
{
    return jsonld_to_rdf_opts(doc, loader, NULL, out, err);
}
