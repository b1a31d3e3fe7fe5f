/*
 * jsonld_context.c - JSON-LD 1.1 context processing (API section 4.1), term
 * definition creation (4.2), IRI expansion (5.2) and RFC 3986 reference
 * resolution. Active contexts are immutable once built; contexts derived from
 * loader-owned input are cached in the loader, keyed by parent and input.
 */
#include "jsonld_int.h"

#include "core/json_arena.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static const char *const keywords[] = {
    "@base", "@container", "@context", "@direction", "@graph", "@id", "@import",
    "@included", "@index", "@json", "@language", "@list", "@nest", "@none", "@prefix",
    "@propagate", "@protected", "@reverse", "@set", "@type", "@value", "@version",
    "@vocab", NULL};

int jl_is_keyword_at(const char *s)
{
    /* Compare only against keywords sharing the second character. */
    for (const char *const *k = keywords; *k; k++)
        if ((*k)[1] == s[1] && strcmp(*k, s) == 0)
            return 1;
    return 0;
}

/* "@" followed by ALPHA only: reserved for future keywords, so ignored. */
int jl_looks_like_keyword(const char *s)
{
    if (!s || s[0] != '@' || !s[1])
        return 0;
    for (const char *p = s + 1; *p; p++)
        if (!isalpha((unsigned char)*p))
            return 0;
    return 1;
}

/* ASCII classes without <ctype.h>: an IRI scheme is ASCII whatever the
 * locale, and these run for every IRI toRdf emits. */
static int ascii_alpha(unsigned char c) { return (unsigned)((c | 0x20) - 'a') < 26; }
static int ascii_digit(unsigned char c) { return (unsigned)(c - '0') < 10; }

int jl_is_absolute_iri(const char *s)
{
    if (!s || !ascii_alpha((unsigned char)s[0]))
        return 0;
    const unsigned char *p = (const unsigned char *)s + 1;
    while (ascii_alpha(*p) || ascii_digit(*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    return *p == ':';
}

int jl_is_iri_or_bnode(const char *s)
{
    return s && ((s[0] == '_' && s[1] == ':') || jl_is_absolute_iri(s));
}

int jl_is_wellformed_iri(const char *s)
{
    if (!jl_is_absolute_iri(s))
        return 0;
    /* A table, not strchr per byte: this runs for every IRI of every quad. */
    static const unsigned char bad[256] = {
        [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
        [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1,
        [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1,
        [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1,
        [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, [' '] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1,
        ['{'] = 1, ['}'] = 1, ['|'] = 1, ['\\'] = 1, ['^'] = 1, ['`'] = 1, ['#'] = 2};
    int hashes = 0;
    const unsigned char *p = (const unsigned char *)s;
#ifdef __SSE2__
    /* Sixteen bytes a step where the CPU has SSE2 (every x86-64): a quad has
     * three or four IRIs of 40-80 bytes, and this check was 9% of toRdf. */
    size_t n = strlen(s), i = 0;
    const __m128i space = _mm_set1_epi8(' ');
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i hit = _mm_cmpeq_epi8(_mm_min_epu8(x, space), x);   /* controls and space */
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, _mm_set1_epi8('<')));
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, _mm_set1_epi8('>')));
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, _mm_set1_epi8('{')));
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, _mm_set1_epi8('}')));
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, _mm_set1_epi8('|')));
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, _mm_set1_epi8('^')));
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, _mm_set1_epi8('`')));
        if (_mm_movemask_epi8(hit))
            return 0;
        unsigned h = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('#')));
        if (h && ((h & (h - 1)) || ++hashes > 1))   /* at most one fragment */
            return 0;
    }
    p += i;
#endif
    for (; *p; p++) {
        unsigned char b = bad[*p];
        if (__builtin_expect(b != 0, 0) && (b == 1 || ++hashes > 1))
            return 0;
    }
    return 1;
}

/* ---- RFC 3986 section 5.2 --------------------------------------------- */

struct uri {
    const char *scheme; size_t scheme_n;
    const char *auth; size_t auth_n; int has_auth;
    const char *path; size_t path_n;
    const char *query; size_t query_n; int has_query;
    const char *frag; size_t frag_n; int has_frag;
};

static void uri_parse(const char *s, struct uri *u)
{
    memset(u, 0, sizeof *u);
    if (jl_is_absolute_iri(s)) {
        const char *c = strchr(s, ':');
        u->scheme = s;
        u->scheme_n = (size_t)(c - s);
        s = c + 1;
    }
    if (s[0] == '/' && s[1] == '/') {
        s += 2;
        size_t n = strcspn(s, "/?#");
        u->auth = s;
        u->auth_n = n;
        u->has_auth = 1;
        s += n;
    }
    size_t n = strcspn(s, "?#");
    u->path = s;
    u->path_n = n;
    s += n;
    if (*s == '?') {
        s++;
        n = strcspn(s, "#");
        u->query = s;
        u->query_n = n;
        u->has_query = 1;
        s += n;
    }
    if (*s == '#') {
        s++;
        u->frag = s;
        u->frag_n = strlen(s);
        u->has_frag = 1;
    }
}

/* remove_dot_segments over in[0..n) into out (which has room for n+1). */
static size_t remove_dots(const char *in, size_t n, char *out)
{
    size_t o = 0;
    size_t i = 0;
    while (i < n) {
        const char *p = in + i;
        size_t left = n - i;
        if (left >= 3 && memcmp(p, "../", 3) == 0) {
            i += 3;
        } else if (left >= 2 && memcmp(p, "./", 2) == 0) {
            i += 2;
        } else if (left >= 3 && memcmp(p, "/./", 3) == 0) {
            i += 2;
        } else if (left == 2 && memcmp(p, "/.", 2) == 0) {
            /* "/." at the end becomes "/" */
            out[o++] = '/';
            i += 2;
        } else if ((left >= 4 && memcmp(p, "/../", 4) == 0) ||
                   (left == 3 && memcmp(p, "/..", 3) == 0)) {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            if (left == 3) {
                out[o++] = '/';
                i += 3;
            } else {
                i += 3;
            }
        } else if ((left == 1 && p[0] == '.') || (left == 2 && memcmp(p, "..", 2) == 0)) {
            i += left;
        } else {
            size_t k = (p[0] == '/') ? 1 : 0;
            while (k < left && p[k] != '/')
                k++;
            memcpy(out + o, p, k);
            o += k;
            i += k;
        }
    }
    return o;
}

char *jl_resolve(struct arena *a, const char *base, const char *ref)
{
    if (!base)
        return arena_strdup(a, ref);
    struct uri b, r;
    uri_parse(base, &b);
    uri_parse(ref, &r);
    struct abuf out;
    abuf_init(&out, a, JL_ABUF_MAX);
    size_t cap = strlen(base) + strlen(ref) + 4;
    char *path = arena_alloc(a, cap);
    char *merged = arena_alloc(a, cap);
    if (!path || !merged)
        return NULL;
    const char *scheme, *auth = NULL, *query = NULL;
    size_t scheme_n, auth_n = 0, query_n = 0, path_n;
    int has_auth = 0, has_query = 0;
    if (r.scheme) {
        scheme = r.scheme; scheme_n = r.scheme_n;
        auth = r.auth; auth_n = r.auth_n; has_auth = r.has_auth;
        path_n = remove_dots(r.path, r.path_n, path);
        query = r.query; query_n = r.query_n; has_query = r.has_query;
    } else {
        scheme = b.scheme; scheme_n = b.scheme_n;
        if (r.has_auth) {
            auth = r.auth; auth_n = r.auth_n; has_auth = 1;
            path_n = remove_dots(r.path, r.path_n, path);
            query = r.query; query_n = r.query_n; has_query = r.has_query;
        } else {
            auth = b.auth; auth_n = b.auth_n; has_auth = b.has_auth;
            if (r.path_n == 0) {
                memcpy(path, b.path, b.path_n);
                path_n = b.path_n;
                if (r.has_query) {
                    query = r.query; query_n = r.query_n; has_query = 1;
                } else {
                    query = b.query; query_n = b.query_n; has_query = b.has_query;
                }
            } else {
                if (r.path[0] == '/') {
                    path_n = remove_dots(r.path, r.path_n, path);
                } else {
                    size_t m = 0;
                    if (b.has_auth && b.path_n == 0) {
                        merged[m++] = '/';
                    } else {
                        size_t k = b.path_n;
                        while (k > 0 && b.path[k - 1] != '/')
                            k--;
                        memcpy(merged, b.path, k);
                        m = k;
                    }
                    memcpy(merged + m, r.path, r.path_n);
                    m += r.path_n;
                    path_n = remove_dots(merged, m, path);
                }
                query = r.query; query_n = r.query_n; has_query = r.has_query;
            }
        }
    }
    if (scheme) {
        abuf_append(&out, scheme, scheme_n);
        abuf_append(&out, ":", 1);
    }
    if (has_auth) {
        abuf_append(&out, "//", 2);
        abuf_append(&out, auth, auth_n);
    }
    abuf_append(&out, path, path_n);
    if (has_query) {
        abuf_append(&out, "?", 1);
        abuf_append(&out, query, query_n);
    }
    if (r.has_frag) {
        abuf_append(&out, "#", 1);
        abuf_append(&out, r.frag, r.frag_n);
    }
    const char *s = abuf_cstr(&out);
    return (char *)s;
}

/* ---- contexts --------------------------------------------------------- */

static struct jl_ctx *ctx_copy(struct jl_state *st, const struct jl_ctx *src)
{
    struct jl_ctx *c = arena_alloc(st->ca, sizeof *c);
    if (!c)
        return NULL;
    *c = *src;
    c->cached = 0;
    if (jl_map_copy(&c->terms, &src->terms, st->ca))
        return NULL;
    return c;
}

const struct jl_ctx *jl_initial_ctx(struct jl_state *st)
{
    struct jsonld_loader *l = st->loader;
    const char *base = st->opts->base;
    int mode10 = st->opts->processing_mode_10;
    char key[64];
    pthread_mutex_lock(&l->mu);
    struct abuf kb;
    abuf_init(&kb, st->a, JL_ABUF_MAX);
    snprintf(key, sizeof key, "init|%d|", mode10);
    abuf_puts(&kb, key);
    abuf_puts(&kb, base ? base : "\x01");
    const char *k = abuf_cstr(&kb);
    struct jl_ctx *c = k ? jl_cache_get(l, k) : NULL;
    if (!c && k) {
        c = arena_calloc(l->arena, 1, sizeof *c);
        if (c) {
            c->base = base ? arena_strdup(l->arena, base) : NULL;
            c->original_base = c->base;
            c->mode10 = (unsigned)mode10;
            c->cached = 1;
            jl_cache_put(l, k, c);
        }
    }
    pthread_mutex_unlock(&l->mu);
    if (!c)
        jl_oom(st);
    return c;
}

struct remote_stack {
    const char *url;
    const struct remote_stack *up;
};

static int process_context(struct jl_state *st, const struct jl_ctx *active, const json_t *local,
                           const char *base_url, const struct remote_stack *remote,
                           int override_protected, int propagate, int validate_scoped,
                           const struct jl_ctx **out);

static const char *expand_iri_local(struct jl_state *st, struct jl_ctx *ctx, const char *value,
                                    int doc_relative, int vocab, const json_t *local,
                                    struct jl_map *defined, const char *base_url,
                                    const struct remote_stack *remote, int protected_,
                                    int override_protected, int *failed);

static int create_term(struct jl_state *st, struct jl_ctx *ctx, const json_t *local,
                       const char *term, struct jl_map *defined, const char *base_url,
                       const struct remote_stack *remote, int protected_,
                       int override_protected, int validate_scoped);

#define DEF_PENDING ((void *)1)
#define DEF_DONE ((void *)2)

static int is_gen_delim(char c)
{
    return c && strchr(":/?#[]@", c) != NULL;
}

static int str_eq_null(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* Same definition apart from @protected (4.2.2 step 27.1). Scoped contexts
 * compare by JSON equality. */
static int term_same(const struct jl_term *a, const struct jl_term *b)
{
    if (!str_eq_null(a->iri, b->iri) || !str_eq_null(a->type, b->type) ||
        a->has_language != b->has_language || !str_eq_null(a->language, b->language) ||
        a->has_direction != b->has_direction || !str_eq_null(a->direction, b->direction) ||
        !str_eq_null(a->index, b->index) || !str_eq_null(a->nest, b->nest) ||
        a->container != b->container || a->prefix != b->prefix || a->reverse != b->reverse ||
        a->has_context != b->has_context)
        return 0;
    if (a->has_context && !json_equal((json_t *)a->context, (json_t *)b->context))
        return 0;
    return 1;
}

static int parse_container(struct jl_state *st, const struct jl_ctx *ctx, const json_t *v,
                           unsigned *out)
{
    unsigned c = 0;
    size_t n = json_is_array(v) ? json_array_size(v) : 1;
    if (!json_is_array(v) && !json_is_string(v))
        return jl_fail(st, "invalid container mapping", "@container must be a string or array");
    if (json_is_array(v) && ctx->mode10)
        return jl_fail(st, "invalid container mapping", "@container array needs JSON-LD 1.1");
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
        const char *s = json_string_value(e);
        unsigned bit = 0;
        if (!s)
            return jl_fail(st, "invalid container mapping", "@container entries must be strings");
        if (!strcmp(s, "@list")) bit = JC_LIST;
        else if (!strcmp(s, "@set")) bit = JC_SET;
        else if (!strcmp(s, "@index")) bit = JC_INDEX;
        else if (!strcmp(s, "@language")) bit = JC_LANGUAGE;
        else if (!strcmp(s, "@id")) bit = JC_ID;
        else if (!strcmp(s, "@type")) bit = JC_TYPE;
        else if (!strcmp(s, "@graph")) bit = JC_GRAPH;
        if (!bit)
            return jl_fail(st, "invalid container mapping", "unknown container %s", s);
        if (ctx->mode10 && (bit == JC_ID || bit == JC_TYPE || bit == JC_GRAPH))
            return jl_fail(st, "invalid container mapping", "container %s needs JSON-LD 1.1", s);
        c |= bit;
    }
    /* Allowed combinations (4.2.2 step 19.2). */
    unsigned nos = c & ~JC_SET;
    int ok;
    if (c & JC_LIST)
        ok = (c == JC_LIST);
    else if (c & JC_GRAPH)
        ok = ((nos & ~(JC_GRAPH | JC_ID | JC_INDEX)) == 0) && !((nos & JC_ID) && (nos & JC_INDEX));
    else
        ok = (nos == 0 || nos == JC_INDEX || nos == JC_LANGUAGE || nos == JC_ID || nos == JC_TYPE);
    if (!ok)
        return jl_fail(st, "invalid container mapping", "invalid @container combination");
    *out = c;
    return 0;
}

static int create_term(struct jl_state *st, struct jl_ctx *ctx, const json_t *local,
                       const char *term, struct jl_map *defined, const char *base_url,
                       const struct remote_stack *remote, int protected_,
                       int override_protected, int validate_scoped)
{
    void *state = jl_map_get(defined, term);
    if (state == DEF_DONE)
        return 0;
    if (state == DEF_PENDING)
        return jl_fail(st, "cyclic IRI mapping", "cyclic IRI mapping for term %s", term);
    if (!term[0])
        return jl_fail(st, "invalid term definition", "the empty string is not a valid term");
    /* Callers may pass a temporary; keys stored in maps must live as long as
     * the context, like the local context's own key string does. */
    {
        void *it = json_object_iter_at((json_t *)local, term);
        if (it)
            term = json_object_iter_key(it);
    }
    if (jl_map_put(defined, st->a, term, DEF_PENDING))
        return jl_oom(st);
    const json_t *value = json_object_get(local, term);
    if (!strcmp(term, "@type") && !ctx->mode10 && json_is_object(value)) {
        /* Only {"@container":"@set"} and @protected may be given for @type. */
        const char *k;
        const json_t *v;
        int ok = json_object_size(value) > 0;
        json_object_foreach((json_t *)value, k, v) {
            if (!strcmp(k, "@container")) {
                if (!json_is_string(v) || strcmp(json_string_value(v), "@set"))
                    ok = 0;
            } else if (strcmp(k, "@protected")) {
                ok = 0;
            }
        }
        if (!ok)
            return jl_fail(st, "keyword redefinition", "invalid redefinition of @type");
    } else if (jl_is_keyword(term)) {
        return jl_fail(st, "keyword redefinition", "keyword %s cannot be redefined", term);
    } else if (jl_looks_like_keyword(term)) {
        jl_map_put(defined, st->a, term, DEF_DONE);
        return 0;   /* ignored, with a warning in other processors */
    }
    const struct jl_term *previous = jl_map_get(&ctx->terms, term);

    struct jl_term *d = arena_calloc(st->ca, 1, sizeof *d);
    if (!d)
        return jl_oom(st);
    d->key = term;
    d->cacheable = (st->ca == st->loader->arena);
    int simple = 0;
    json_t *tmp = NULL;   /* string form turned into a map */
    if (json_is_null(value)) {
        tmp = json_pack("{s:n}", "@id");
        value = tmp;
    } else if (json_is_string(value)) {
        tmp = json_pack("{s:O}", "@id", value);
        value = tmp;
        simple = 1;
    } else if (!json_is_object(value)) {
        return jl_fail(st, "invalid term definition", "term %s: definition must be a string, map or null", term);
    }
    int rc = -1;
    const json_t *v;
    const char *k;
    int failed = 0;
    /* Unknown entries are an error. */
    json_object_foreach((json_t *)value, k, v) {
        static const char *const ok_keys[] = {"@id", "@reverse", "@container", "@context",
                                             "@direction", "@index", "@language", "@nest",
                                             "@prefix", "@protected", "@type", NULL};
        int found = 0;
        for (const char *const *o = ok_keys; *o; o++)
            if (!strcmp(*o, k))
                found = 1;
        if (!found) {
            jl_fail(st, "invalid term definition", "term %s: unexpected entry %s", term, k);
            goto out;
        }
    }
    if ((v = json_object_get(value, "@protected"))) {
        if (ctx->mode10) {
            jl_fail(st, "invalid term definition", "@protected needs JSON-LD 1.1");
            goto out;
        }
        if (!json_is_boolean(v)) {
            jl_fail(st, "invalid @protected value", "@protected must be a boolean");
            goto out;
        }
        d->protected_ = json_is_true(v);
    } else {
        d->protected_ = (unsigned)protected_;
    }
    if ((v = json_object_get(value, "@type"))) {
        if (!json_is_string(v)) {
            jl_fail(st, "invalid type mapping", "term %s: @type must be a string", term);
            goto out;
        }
        const char *t = expand_iri_local(st, ctx, json_string_value(v), 0, 1, local, defined,
                                         base_url, remote, protected_, override_protected, &failed);
        if (failed)
            goto out;
        if (t && (!strcmp(t, "@json") || !strcmp(t, "@none")) && ctx->mode10) {
            jl_fail(st, "invalid type mapping", "%s needs JSON-LD 1.1", t);
            goto out;
        }
        if (!t || (strcmp(t, "@id") && strcmp(t, "@vocab") && strcmp(t, "@json") &&
                   strcmp(t, "@none") && !jl_is_absolute_iri(t))) {
            jl_fail(st, "invalid type mapping", "term %s: invalid @type", term);
            goto out;
        }
        d->type = t;
    }
    if ((v = json_object_get(value, "@reverse"))) {
        if (json_object_get(value, "@id") || json_object_get(value, "@nest")) {
            jl_fail(st, "invalid reverse property", "term %s: @reverse with @id or @nest", term);
            goto out;
        }
        if (!json_is_string(v)) {
            jl_fail(st, "invalid IRI mapping", "term %s: @reverse must be a string", term);
            goto out;
        }
        if (jl_looks_like_keyword(json_string_value(v))) {
            jl_map_put(defined, st->a, term, DEF_DONE);
            rc = 0;
            goto out;
        }
        const char *iri = expand_iri_local(st, ctx, json_string_value(v), 0, 1, local, defined,
                                           base_url, remote, protected_, override_protected, &failed);
        if (failed)
            goto out;
        if (!iri || (!jl_is_absolute_iri(iri) && strncmp(iri, "_:", 2))) {
            jl_fail(st, "invalid IRI mapping", "term %s: @reverse is not an IRI", term);
            goto out;
        }
        d->iri = iri;
        if ((v = json_object_get(value, "@container"))) {
            const char *c = json_string_value(v);
            if (!json_is_null(v) && (!c || (strcmp(c, "@set") && strcmp(c, "@index")))) {
                jl_fail(st, "invalid reverse property", "term %s: bad @container for @reverse", term);
                goto out;
            }
            if (c)
                d->container = !strcmp(c, "@set") ? JC_SET : JC_INDEX;
        }
        d->reverse = 1;
        goto index_part;   /* a reverse term may still name an @index property */
    }
    v = json_object_get(value, "@id");
    if (v && !(json_is_string(v) && !strcmp(json_string_value(v), term))) {
        if (json_is_null(v)) {
            d->iri = NULL;
        } else if (!json_is_string(v)) {
            jl_fail(st, "invalid IRI mapping", "term %s: @id must be a string", term);
            goto out;
        } else {
            const char *id = json_string_value(v);
            if (!jl_is_keyword(id) && jl_looks_like_keyword(id)) {
                jl_map_put(defined, st->a, term, DEF_DONE);
                rc = 0;
                goto out;
            }
            const char *iri = expand_iri_local(st, ctx, id, 0, 1, local, defined, base_url,
                                               remote, protected_, override_protected, &failed);
            if (failed)
                goto out;
            if (!iri || (!jl_is_keyword(iri) && !jl_is_absolute_iri(iri) && strncmp(iri, "_:", 2))) {
                jl_fail(st, "invalid IRI mapping", "term %s: @id does not expand to an IRI", term);
                goto out;
            }
            if (!strcmp(iri, "@context")) {
                jl_fail(st, "invalid keyword alias", "@context cannot be aliased");
                goto out;
            }
            d->iri = iri;
            size_t tl = strlen(term);
            const char *colon = strchr(term, ':');
            int inner_colon = colon && colon != term && (size_t)(colon - term) != tl - 1;
            if (inner_colon || strchr(term, '/')) {
                jl_map_put(defined, st->a, term, DEF_DONE);
                const char *e = expand_iri_local(st, ctx, term, 0, 1, local, defined, base_url,
                                                 remote, protected_, override_protected, &failed);
                if (failed)
                    goto out;
                if (!e || strcmp(e, iri)) {
                    jl_fail(st, "invalid IRI mapping", "term %s looks like an IRI but maps elsewhere", term);
                    goto out;
                }
                jl_map_put(defined, st->a, term, DEF_PENDING);
            }
            if (!strchr(term, ':') && !strchr(term, '/') && simple &&
                (is_gen_delim(iri[strlen(iri) - 1]) || !strncmp(iri, "_:", 2)))
                d->prefix = 1;
        }
    } else if (strchr(term + 1, ':')) {
        const char *colon = strchr(term + 1, ':');
        size_t pl = (size_t)(colon - term);
        char *prefix = arena_strndup(st->a, term, pl);
        if (!prefix) {
            jl_oom(st);
            goto out;
        }
        if (json_object_get(local, prefix) &&
            create_term(st, ctx, local, prefix, defined, base_url, remote, protected_,
                        override_protected, 1))
            goto out;
        const struct jl_term *pd = jl_map_get(&ctx->terms, prefix);
        if (pd && pd->iri)
            d->iri = arena_printf(st->ca, "%s%s", pd->iri, colon + 1);
        else
            d->iri = arena_strdup(st->ca, term);
    } else if (strchr(term, '/')) {
        const char *iri = expand_iri_local(st, ctx, term, 0, 1, NULL, NULL, base_url,
                                           remote, protected_, override_protected, &failed);
        if (failed)
            goto out;
        if (!iri || !jl_is_absolute_iri(iri)) {
            jl_fail(st, "invalid IRI mapping", "term %s is a relative IRI", term);
            goto out;
        }
        d->iri = iri;
    } else if (!strcmp(term, "@type")) {
        d->iri = "@type";
    } else if (ctx->vocab) {
        d->iri = arena_printf(st->ca, "%s%s", ctx->vocab, term);
    } else {
        jl_fail(st, "invalid IRI mapping", "term %s has no IRI and no @vocab is set", term);
        goto out;
    }
    if ((v = json_object_get(value, "@container"))) {
        if (parse_container(st, ctx, v, &d->container))
            goto out;
        if (d->container & JC_TYPE) {
            if (!d->type)
                d->type = "@id";
            else if (strcmp(d->type, "@id") && strcmp(d->type, "@vocab")) {
                jl_fail(st, "invalid type mapping", "type map needs @type @id or @vocab");
                goto out;
            }
        }
    }
index_part:
    if ((v = json_object_get(value, "@index"))) {
        if (ctx->mode10 || !(d->container & JC_INDEX) || !json_is_string(v)) {
            jl_fail(st, "invalid term definition", "term %s: invalid @index", term);
            goto out;
        }
        const char *ie = expand_iri_local(st, ctx, json_string_value(v), 0, 1, local, defined,
                                          base_url, remote, protected_, override_protected, &failed);
        if (failed)
            goto out;
        if (!ie || !jl_is_absolute_iri(ie)) {
            jl_fail(st, "invalid term definition", "term %s: @index is not an IRI", term);
            goto out;
        }
        d->index = json_string_value(v);
    }
    if (d->reverse)
        goto finish;
    if ((v = json_object_get(value, "@context"))) {
        if (ctx->mode10) {
            jl_fail(st, "invalid term definition", "scoped contexts need JSON-LD 1.1");
            goto out;
        }
        if (validate_scoped) {
            const struct jl_ctx *ignored;
            struct tb_err save = *st->err;
            if (process_context(st, ctx, v, base_url, remote, 1, 1, 0, &ignored)) {
                if (strcmp(st->err->code, "internal_error") &&
                    strcmp(st->err->code, "loading remote context failed"))
                    jl_fail(st, "invalid scoped context", "term %s: %s", term, st->err->message);
                goto out;
            }
            *st->err = save;
        }
        d->context = v;
        d->has_context = 1;
        d->base_url = base_url ? arena_strdup(st->ca, base_url) : NULL;
    }
    if ((v = json_object_get(value, "@language")) && !json_object_get(value, "@type")) {
        if (!json_is_null(v) && !json_is_string(v)) {
            jl_fail(st, "invalid language mapping", "term %s: @language must be a string or null", term);
            goto out;
        }
        d->has_language = 1;
        d->language = json_string_value(v);
    }
    if ((v = json_object_get(value, "@direction")) && !json_object_get(value, "@type")) {
        const char *s = json_string_value(v);
        if (!json_is_null(v) && (!s || (strcmp(s, "ltr") && strcmp(s, "rtl")))) {
            jl_fail(st, "invalid base direction", "term %s: bad @direction", term);
            goto out;
        }
        d->has_direction = 1;
        d->direction = s;
    }
    if ((v = json_object_get(value, "@nest"))) {
        const char *s = json_string_value(v);
        if (ctx->mode10) {
            jl_fail(st, "invalid term definition", "@nest needs JSON-LD 1.1");
            goto out;
        }
        if (!s || (jl_is_keyword(s) && strcmp(s, "@nest"))) {
            jl_fail(st, "invalid @nest value", "term %s: bad @nest", term);
            goto out;
        }
        d->nest = s;
    }
    if ((v = json_object_get(value, "@prefix"))) {
        if (ctx->mode10 || strchr(term, ':') || strchr(term, '/')) {
            jl_fail(st, "invalid term definition", "term %s: @prefix not allowed", term);
            goto out;
        }
        if (!json_is_boolean(v)) {
            jl_fail(st, "invalid @prefix value", "@prefix must be a boolean");
            goto out;
        }
        d->prefix = json_is_true(v);
        if (d->prefix && d->iri && jl_is_keyword(d->iri)) {
            jl_fail(st, "invalid term definition", "a keyword alias cannot be a prefix");
            goto out;
        }
    }
finish:
    if (!override_protected && previous && previous->protected_) {
        if (!term_same(d, previous)) {
            jl_fail(st, "protected term redefinition", "protected term %s cannot be redefined", term);
            goto out;
        }
        d = (struct jl_term *)previous;
    }
    if (d->protected_)
        ctx->has_protected = 1;
    if (jl_map_put(&ctx->terms, st->ca, term, d) || jl_map_put(defined, st->a, term, DEF_DONE)) {
        jl_oom(st);
        goto out;
    }
    rc = 0;
out:
    json_decref(tmp);
    return rc;
}

static const char *expand_iri_local(struct jl_state *st, struct jl_ctx *ctx, const char *value,
                                    int doc_relative, int vocab, const json_t *local,
                                    struct jl_map *defined, const char *base_url,
                                    const struct remote_stack *remote, int protected_,
                                    int override_protected, int *failed)
{
    if (!value || jl_is_keyword(value))
        return value;
    if (jl_looks_like_keyword(value))
        return NULL;
    if (local && json_object_get(local, value) && jl_map_get(defined, value) != DEF_DONE) {
        if (create_term(st, ctx, local, value, defined, base_url, remote, protected_,
                        override_protected, 1)) {
            *failed = 1;
            return NULL;
        }
    }
    const struct jl_term *t = jl_map_get(&ctx->terms, value);
    if (t && t->iri && jl_is_keyword(t->iri))
        return t->iri;
    if (vocab && t)
        return t->iri;
    const char *colon = value[0] ? strchr(value + 1, ':') : NULL;
    if (colon) {
        if ((colon - value == 1 && value[0] == '_') || (colon[1] == '/' && colon[2] == '/'))
            return value;
        char pbuf[128];
        size_t pl = (size_t)(colon - value);
        char *prefix = pl < sizeof pbuf ? pbuf : arena_strndup(st->a, value, pl);
        if (!prefix) {
            *failed = 1;
            jl_oom(st);
            return NULL;
        }
        if (prefix == pbuf) {
            memcpy(pbuf, value, pl);
            pbuf[pl] = 0;
        }
        if (local && json_object_get(local, prefix) && jl_map_get(defined, prefix) != DEF_DONE) {
            if (create_term(st, ctx, local, prefix, defined, base_url, remote, protected_,
                            override_protected, 1)) {
                *failed = 1;
                return NULL;
            }
        }
        const struct jl_term *pd = jl_map_get(&ctx->terms, prefix);
        if (pd && pd->iri && pd->prefix) {
            const char *r = arena_printf(st->ca, "%s%s", pd->iri, colon + 1);
            if (!r) {
                *failed = 1;
                jl_oom(st);
            }
            return r;
        }
        if (jl_is_absolute_iri(value))
            return value;
    }
    if (vocab && ctx->vocab) {
        const char *r = arena_printf(st->ca, "%s%s", ctx->vocab, value);
        if (!r) {
            *failed = 1;
            jl_oom(st);
        }
        return r;
    }
    if (doc_relative) {
        if (!ctx->base)
            return value;
        const char *r = jl_resolve(st->ca, ctx->base, value);
        if (!r) {
            *failed = 1;
            jl_oom(st);
        }
        return r;
    }
    return value;
}

const char *jl_expand_iri(struct jl_state *st, const struct jl_ctx *ctx, const char *value,
                          int doc_relative, int vocab, int *failed)
{
    /* Without a local context nothing is defined, so ctx is not written. */
    struct arena *save = st->ca;
    st->ca = st->a;
    const char *r = expand_iri_local(st, (struct jl_ctx *)ctx, value, doc_relative, vocab, NULL,
                                     NULL, NULL, NULL, 0, 0, failed);
    st->ca = save;
    return r;
}

static int process_one(struct jl_state *st, struct jl_ctx **resultp, const struct jl_ctx *active,
                       const json_t *context, const char *base_url,
                       const struct remote_stack *remote, int override_protected,
                       int propagate, int validate_scoped)
{
    struct jl_ctx *result = *resultp;
    if (json_is_null(context)) {
        if (!override_protected && result->has_protected)
            return jl_fail(st, "invalid context nullification", "cannot nullify a context with protected terms");
        struct jl_ctx *fresh = arena_calloc(st->ca, 1, sizeof *fresh);
        if (!fresh)
            return jl_oom(st);
        fresh->base = active->original_base;
        fresh->original_base = active->original_base;
        fresh->mode10 = active->mode10;
        fresh->previous = propagate ? NULL : result->previous;
        *resultp = fresh;
        return 0;
    }
    if (json_is_string(context)) {
        const char *url = jl_resolve(st->a, base_url, json_string_value(context));
        if (!url)
            return jl_oom(st);
        if (!jl_is_absolute_iri(url))
            return jl_fail(st, "loading remote context failed", "relative context URL %s without a base", url);
        if (!validate_scoped) {
            for (const struct remote_stack *r = remote; r; r = r->up)
                if (!strcmp(r->url, url))
                    return 0;
        }
        int n = 0;
        for (const struct remote_stack *r = remote; r; r = r->up)
            n++;
        if (n > 32)
            return jl_fail(st, "context overflow", "too many nested contexts at %s", url);
        const json_t *doc = jl_loader_get(st, url);
        if (!doc)
            return -1;
        const json_t *loaded = json_is_object(doc) ? json_object_get(doc, "@context") : NULL;
        if (!loaded)
            return jl_fail(st, "invalid remote context", "context %s has no @context", url);
        struct remote_stack top = {url, remote};
        const struct jl_ctx *r;
        if (process_context(st, result, loaded, url, &top, override_protected, 1,
                            validate_scoped, &r))
            return -1;
        *resultp = (struct jl_ctx *)r;
        return 0;
    }
    if (!json_is_object(context))
        return jl_fail(st, "invalid local context", "a context must be a map, string or null");
    /* The result may be shared (returned by a nested call): copy before writing. */
    if (result == active || result->cached) {
        result = ctx_copy(st, result);
        if (!result)
            return jl_oom(st);
        *resultp = result;
    }
    const json_t *v;
    json_t *merged = NULL;
    if ((v = json_object_get(context, "@version"))) {
        if (!json_is_number(v) || json_number_value(v) != 1.1)
            return jl_fail(st, "invalid @version value", "@version must be 1.1");
        if (result->mode10)
            return jl_fail(st, "processing mode conflict", "@version 1.1 in json-ld-1.0 mode");
    }
    if ((v = json_object_get(context, "@import"))) {
        if (result->mode10)
            return jl_fail(st, "invalid context entry", "@import needs JSON-LD 1.1");
        if (!json_is_string(v))
            return jl_fail(st, "invalid @import value", "@import must be a string");
        const char *url = jl_resolve(st->a, base_url, json_string_value(v));
        if (!url)
            return jl_oom(st);
        const json_t *doc = jl_loader_get(st, url);
        if (!doc)
            return -1;
        const json_t *imp = json_is_object(doc) ? json_object_get(doc, "@context") : NULL;
        if (!json_is_object(imp))
            return jl_fail(st, "invalid remote context", "imported context %s is not a map", url);
        if (json_object_get(imp, "@import"))
            return jl_fail(st, "invalid context entry", "imported context %s has @import", url);
        merged = json_copy((json_t *)imp);
        if (!merged || json_object_update(merged, (json_t *)context)) {
            json_decref(merged);
            return jl_oom(st);
        }
        context = merged;
    }
    int rc = -1;
    int failed = 0;
    if ((v = json_object_get(context, "@base")) && !remote) {
        if (json_is_null(v)) {
            result->base = NULL;
        } else if (!json_is_string(v)) {
            jl_fail(st, "invalid base IRI", "@base must be a string or null");
            goto out;
        } else if (jl_is_absolute_iri(json_string_value(v))) {
            result->base = arena_strdup(st->ca, json_string_value(v));
        } else if (result->base) {
            result->base = jl_resolve(st->ca, result->base, json_string_value(v));
        } else {
            jl_fail(st, "invalid base IRI", "relative @base without a base IRI");
            goto out;
        }
    }
    if ((v = json_object_get(context, "@vocab"))) {
        if (json_is_null(v)) {
            result->vocab = NULL;
        } else if (!json_is_string(v)) {
            jl_fail(st, "invalid vocab mapping", "@vocab must be a string or null");
            goto out;
        } else {
            const char *s = json_string_value(v);
            if (!jl_is_absolute_iri(s) && strncmp(s, "_:", 2) && result->mode10) {
                jl_fail(st, "invalid vocab mapping", "@vocab must be an absolute IRI");
                goto out;
            }
            const char *e = expand_iri_local(st, result, s, 1, 1, NULL, NULL, NULL, NULL, 0, 0, &failed);
            if (failed)
                goto out;
            if (!e || (!jl_is_absolute_iri(e) && strncmp(e, "_:", 2) && result->base)) {
                jl_fail(st, "invalid vocab mapping", "@vocab is not an IRI");
                goto out;
            }
            result->vocab = arena_strdup(st->ca, e);
        }
    }
    if ((v = json_object_get(context, "@language"))) {
        if (json_is_null(v))
            result->language = NULL;
        else if (!json_is_string(v)) {
            jl_fail(st, "invalid default language", "@language must be a string or null");
            goto out;
        } else
            result->language = json_string_value(v);
    }
    if ((v = json_object_get(context, "@direction"))) {
        const char *s = json_string_value(v);
        if (result->mode10) {
            jl_fail(st, "invalid context entry", "@direction needs JSON-LD 1.1");
            goto out;
        }
        if (!json_is_null(v) && (!s || (strcmp(s, "ltr") && strcmp(s, "rtl")))) {
            jl_fail(st, "invalid base direction", "@direction must be ltr, rtl or null");
            goto out;
        }
        result->direction = s;
    }
    if ((v = json_object_get(context, "@propagate"))) {
        if (result->mode10) {
            jl_fail(st, "invalid context entry", "@propagate needs JSON-LD 1.1");
            goto out;
        }
        if (!json_is_boolean(v)) {
            jl_fail(st, "invalid @propagate value", "@propagate must be a boolean");
            goto out;
        }
    }
    int prot = 0;
    if ((v = json_object_get(context, "@protected"))) {
        if (result->mode10) {
            jl_fail(st, "invalid context entry", "@protected needs JSON-LD 1.1");
            goto out;
        }
        if (!json_is_boolean(v)) {
            jl_fail(st, "invalid @protected value", "@protected must be a boolean");
            goto out;
        }
        prot = json_is_true(v);
    }
    {
        struct jl_map defined = {0};
        const char *k;
        json_object_foreach((json_t *)context, k, v) {
            if (!strcmp(k, "@base") || !strcmp(k, "@direction") || !strcmp(k, "@import") ||
                !strcmp(k, "@language") || !strcmp(k, "@propagate") || !strcmp(k, "@protected") ||
                !strcmp(k, "@version") || !strcmp(k, "@vocab"))
                continue;
            /* Keys must outlive a cached context: copy when the context is a
             * temporary (an @import merge). */
            const char *key = merged ? arena_strdup(st->ca, k) : k;
            if (!key) {
                jl_oom(st);
                goto out;
            }
            if (create_term(st, result, context, key, &defined, base_url, remote, prot,
                            override_protected, validate_scoped))
                goto out;
        }
    }
    rc = 0;
out:
    if (merged) {
        /* Term definitions may point into the merged map (scoped contexts,
         * strings): keep it as long as the context can live - the loader's
         * life for a cached context, else this call's. */
        if (st->ca == st->loader->arena) {
            pthread_mutex_lock(&st->loader->mu);
            char key[48];
            snprintf(key, sizeof key, "\x02merged%p", (void *)merged);
            json_object_set_new(st->loader->docs, key, merged);
            pthread_mutex_unlock(&st->loader->mu);
        } else {
            if (!st->keep)
                st->keep = json_array();
            if (!st->keep || json_array_append_new(st->keep, merged))
                rc = jl_oom(st);
        }
    }
    return rc;
}

static int process_context(struct jl_state *st, const struct jl_ctx *active, const json_t *local,
                           const char *base_url, const struct remote_stack *remote,
                           int override_protected, int propagate, int validate_scoped,
                           const struct jl_ctx **out)
{
    if (++st->depth > 64) {
        st->depth--;
        return jl_fail(st, "context overflow", "contexts nest too deeply");
    }
    struct jl_ctx *result = (struct jl_ctx *)active;
    const json_t *pv;
    if (json_is_object(local) && (pv = json_object_get(local, "@propagate"))) {
        if (!json_is_boolean(pv)) {
            st->depth--;
            return jl_fail(st, "invalid @propagate value", "@propagate must be a boolean");
        }
        propagate = json_is_true(pv);
    }
    if (!propagate && !active->previous) {
        result = ctx_copy(st, active);
        if (!result) {
            st->depth--;
            return jl_oom(st);
        }
        result->previous = active;
    }
    size_t n = json_is_array(local) ? json_array_size(local) : 1;
    for (size_t i = 0; i < n; i++) {
        const json_t *c = json_is_array(local) ? json_array_get(local, i) : local;
        if (process_one(st, &result, active, c, base_url, remote, override_protected, propagate,
                        validate_scoped)) {
            st->depth--;
            return -1;
        }
    }
    st->depth--;
    *out = result;
    return 0;
}

/* A context built for this call only, in its arena. */
static int process_uncached(struct jl_state *st, const struct jl_ctx *active, const json_t *local,
                            const char *base_url, int override_protected, int propagate,
                            int validate_scoped, const struct jl_ctx **out)
{
    struct arena *save = st->ca;
    st->ca = st->a;
    /* Contexts may add documents to the loader (@import, fetch hooks):
     * their JSON must come from the heap, not a caller's JSON arena. */
    struct json_arena_window win = json_arena_suspend();
    int rc = process_context(st, active, local, base_url, NULL, override_protected, propagate,
                             validate_scoped, out);
    json_arena_resume(win);
    st->ca = save;
    return rc;
}

int jl_process_context(struct jl_state *st, const struct jl_ctx *active, const json_t *local,
                       const char *base_url, int override_protected, int propagate,
                       int validate_scoped, int cacheable_value, const struct jl_ctx **out)
{
    (void)cacheable_value;
    struct jsonld_loader *l = st->loader;
    /* Cache key: parent context, flags and the context value. A value is
     * cacheable when it cannot change while the loader lives: URL strings, or
     * JSON owned by a loader document (cacheable_value != 0). */
    const char *key = NULL;
    struct jl_pslot pkey = {active, local, base_url,
                            (unsigned)(override_protected * 4 + propagate * 2 + validate_scoped), NULL};
    int by_address = active->cached && cacheable_value;
    if (by_address) {
        pthread_mutex_lock(&l->mu);
        const struct jl_ctx *hit = jl_pcache_get(l, &pkey);
        pthread_mutex_unlock(&l->mu);
        if (hit) {
            *out = hit;
            return 0;
        }
    }
    if (active->cached) {
        struct abuf kb;
        abuf_init(&kb, st->a, JL_ABUF_MAX);
        /* Hand-rolled hex: printf here showed up in profiles. */
        char head[64];
        size_t hn = 0;
        uintptr_t pv = (uintptr_t)active;
        for (int i = 0; i < (int)sizeof pv * 2; i++, pv >>= 4)
            head[hn++] = "0123456789abcdef"[pv & 15];
        head[hn++] = (char)('0' + override_protected * 4 + propagate * 2 + validate_scoped);
        head[hn++] = '|';
        if (cacheable_value) {
            head[hn++] = 'j';
            pv = (uintptr_t)local;
            for (int i = 0; i < (int)sizeof pv * 2; i++, pv >>= 4)
                head[hn++] = "0123456789abcdef"[pv & 15];
            head[hn++] = '|';
        }
        abuf_append(&kb, head, hn);
        if (base_url)
            abuf_puts(&kb, base_url);
        abuf_puts(&kb, "|");
        int ok = 1;
        if (cacheable_value) {
            /* identified by pointer above */
        } else if (json_is_string(local)) {
            abuf_puts(&kb, json_string_value(local));
        } else if (json_is_array(local)) {
            size_t i;
            const json_t *e;
            json_array_foreach(local, i, e) {
                if (!json_is_string(e)) {
                    ok = 0;
                    break;
                }
                abuf_puts(&kb, json_string_value(e));
                abuf_puts(&kb, "\n");
            }
        } else {
            ok = 0;
        }
        if (ok)
            key = abuf_cstr(&kb);
    }
    if (!key)
        return process_uncached(st, active, local, base_url, override_protected, propagate,
                                validate_scoped, out);
    pthread_mutex_lock(&l->mu);
    struct jl_ctx *hit = jl_cache_get(l, key);
    if (hit) {
        if (by_address) {
            pkey.result = hit;
            jl_pcache_put(l, &pkey);
        }
        pthread_mutex_unlock(&l->mu);
        *out = hit;
        return 0;
    }
    if (!jl_cache_room(l)) {
        /* The cache is full (its entries live as long as the process, and
         * each new sequence of context URLs would add one): build this one
         * for this call only. */
        pthread_mutex_unlock(&l->mu);
        return process_uncached(st, active, local, base_url, override_protected, propagate,
                                validate_scoped, out);
    }
    struct arena *save = st->ca;
    st->ca = l->arena;
    const struct jl_ctx *r;
    size_t failures = arena_failures(l->arena) + arena_failures(st->a);
    struct json_arena_window win = json_arena_suspend();   /* as above: cached for good */
    int rc = process_context(st, active, local, base_url, NULL, override_protected, propagate,
                             validate_scoped, &r);
    json_arena_resume(win);
    st->ca = save;
    if (arena_failures(l->arena) + arena_failures(st->a) != failures) {
        /* An allocation failed: the context may lack a term, and must not
         * be cached (or used) that way. */
        pthread_mutex_unlock(&l->mu);
        if (st->err)
            st->err->status = 0;   /* whatever it caused is not the cause */
        return jl_oom(st);
    }
    if (rc == 0) {
        if (r != active) {
            ((struct jl_ctx *)r)->cached = 1;
        }
        if (r->cached) {
            jl_cache_put(l, key, (void *)r);
            if (by_address) {
                pkey.result = r;
                jl_pcache_put(l, &pkey);
            }
        }
        *out = r;
    }
    pthread_mutex_unlock(&l->mu);
    return rc;
}
