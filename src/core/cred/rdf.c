/*
 * rdf.c - RDF dataset container: an arena-backed quad array that behaves as a
 * set. Duplicate detection uses a hash index because the canonicalizer and the
 * JSON-LD emitter add every quad through here and a signing server does this
 * thousands of times a second.
 */
#include "core/cred/rdf.h"

#include <stdint.h>
#include <string.h>

void rdf_dataset_init(struct rdf_dataset *d, struct arena *a)
{
    memset(d, 0, sizeof *d);
    d->arena = a;
}

static int str_eq(const char *a, const char *b)
{
    if (a == b)
        return 1;
    if (!a || !b)
        return 0;
    return strcmp(a, b) == 0;
}

int rdf_term_equal(const struct rdf_term *a, const struct rdf_term *b)
{
    return a->kind == b->kind && str_eq(a->value, b->value) &&
           str_eq(a->datatype, b->datatype) && str_eq(a->language, b->language);
}

int rdf_quad_equal(const struct rdf_quad *a, const struct rdf_quad *b)
{
    return rdf_term_equal(&a->subject, &b->subject) &&
           rdf_term_equal(&a->predicate, &b->predicate) &&
           rdf_term_equal(&a->object, &b->object) &&
           rdf_term_equal(&a->graph, &b->graph);
}

/* Hash of a string from its length and its last 16 bytes, read as two 64-bit
 * words: IRIs of one document share long prefixes and differ at the end, and
 * equality is checked anyway, so hashing whole strings byte by byte (5% of
 * toRdf time) bought nothing. */
static uint64_t mix_str(uint64_t h, const char *s)
{
    if (!s)
        return (h ^ 0xff) * 0x9e3779b97f4a7c15ULL;
    size_t n = strlen(s);
    uint64_t w[2] = {0, 0};
    if (n >= 16)
        memcpy(w, s + n - 16, 16);
    else
        memcpy(w, s, n);
    h = (h ^ n ^ w[0]) * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
    h = (h ^ w[1]) * 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 32);
}

static uint64_t term_hash(uint64_t h, const struct rdf_term *t)
{
    h = (h ^ (uint64_t)t->kind) * 0x9e3779b97f4a7c15ULL;
    h = mix_str(h, t->value);
    if (t->kind == RDF_LITERAL) {
        h = mix_str(h, t->datatype);
        h = mix_str(h, t->language);
    }
    return h;
}

static uint64_t quad_hash(const struct rdf_quad *q)
{
    uint64_t h = 14695981039346656037ULL;
    h = term_hash(h, &q->subject);
    h = term_hash(h, &q->predicate);
    h = term_hash(h, &q->object);
    return term_hash(h, &q->graph);
}

static int rebuild_index(struct rdf_dataset *d, size_t want)
{
    size_t cap = 64;
    while (cap < want * 2)
        cap *= 2;
    size_t *ix = arena_calloc(d->arena, cap, sizeof *ix);
    if (!ix)
        return -1;
    for (size_t i = 0; i < d->len; i++) {
        size_t s = (size_t)quad_hash(&d->quads[i]) & (cap - 1);
        while (ix[s])
            s = (s + 1) & (cap - 1);
        ix[s] = i + 1;
    }
    d->index = ix;
    d->index_cap = cap;
    return 0;
}

int rdf_dataset_add(struct rdf_dataset *d, const struct rdf_quad *q)
{
    if ((d->len + 1) * 2 > d->index_cap && rebuild_index(d, d->len + 1))
        return -1;
    size_t mask = d->index_cap - 1;
    size_t s = (size_t)quad_hash(q) & mask;
    for (; d->index[s]; s = (s + 1) & mask)
        if (rdf_quad_equal(&d->quads[d->index[s] - 1], q))
            return 0;
    if (d->len == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 32;
        struct rdf_quad *nq = arena_realloc(d->arena, d->quads,
                                            d->cap * sizeof *nq, cap * sizeof *nq);
        if (!nq)
            return -1;
        d->quads = nq;
        d->cap = cap;
    }
    d->quads[d->len++] = *q;
    d->index[s] = d->len;
    return 0;
}

int rdf_dataset_dedup(struct rdf_dataset *d)
{
    struct rdf_quad *old = d->quads;
    size_t n = d->len;
    d->quads = NULL;
    d->len = d->cap = 0;
    d->index = NULL;
    d->index_cap = 0;
    for (size_t i = 0; i < n; i++)
        if (rdf_dataset_add(d, &old[i]))
            return -1;
    return 0;
}
