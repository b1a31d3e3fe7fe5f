/*
 * jsonld_int.h - shared between jsonld_*.c only: the active context, term
 * definitions, the per-call state and the loader's internals.
 */
#ifndef TB_JSONLD_INT_H
#define TB_JSONLD_INT_H

#include <pthread.h>
#include <stdint.h>

#include "core/cred/jsonld.h"

#define JL_ABUF_MAX ((size_t)1 << 30)   /* strings built here are bounded by the input anyway */

/* Container mapping bits. */
enum {
    JC_LIST = 1, JC_SET = 2, JC_INDEX = 4, JC_LANGUAGE = 8, JC_ID = 16, JC_TYPE = 32,
    JC_GRAPH = 64
};

/* String-keyed open-addressing hash map of pointers (no deletion needed). */
struct jl_map {
    struct jl_slot { const char *key; void *val; uint32_t hash; } *slots;
    size_t cap, len;
};
void *jl_map_get(const struct jl_map *m, const char *key);
/* The same with key's jl_key_hash() already computed: expansion looks one key
 * up in several contexts (scoped-context revert, @type scan, the entry). */
uint32_t jl_key_hash(const char *key);
void *jl_map_get_h(const struct jl_map *m, const char *key, uint32_t hash);
int jl_map_put(struct jl_map *m, struct arena *a, const char *key, void *val);
int jl_map_copy(struct jl_map *dst, const struct jl_map *src, struct arena *a);

struct jl_term {
    const char *key;
    const char *iri;          /* NULL when the term maps to null */
    const char *type;         /* type mapping, NULL for none */
    const char *language;     /* valid when has_language; NULL = explicit null */
    const char *direction;    /* valid when has_direction; NULL = explicit null */
    const char *index;        /* @index mapping */
    const char *nest;
    const json_t *context;    /* scoped context (borrowed), valid when has_context */
    const char *base_url;     /* URL the scoped context is resolved against */
    unsigned container;
    unsigned has_language : 1, has_direction : 1, has_context : 1, prefix : 1,
        protected_ : 1, reverse : 1, cacheable : 1;
};

struct jl_ctx {
    const char *base;           /* NULL: no base IRI */
    const char *original_base;
    const char *vocab;
    const char *language;
    const char *direction;
    const struct jl_ctx *previous;
    struct jl_map terms;
    unsigned mode10 : 1, cached : 1, has_protected : 1;
};

/* Derived-context cache entry for a context value identified by address. */
struct jl_pslot {
    const void *active, *local;
    const char *base_url;
    unsigned flags;
    const struct jl_ctx *result;
};

struct jsonld_loader {
    pthread_mutex_t mu;          /* recursive: context processing re-enters */
    struct arena *arena;         /* cached contexts live here */
    json_t *docs;                /* url -> parsed document */
    struct jl_map cache;         /* derived-context cache */
    struct jl_pslot *pcache;     /* the same results, keyed by pointers (see jl_process_context) */
    size_t pcache_cap, pcache_len;
    const struct jsonld_loader *fallback;   /* the default loader, or NULL */
    jsonld_fetch_fn fetch;
    void *fetch_user;
    size_t cache_entries;
};

struct jl_state {
    struct jsonld_loader *loader;
    struct arena *a;          /* per-call temporaries */
    struct arena *ca;         /* where contexts being built are allocated */
    struct tb_err *err;
    const struct jsonld_opts *opts;
    unsigned long bnode_counter;
    int depth;
    json_t *keep;             /* per-call JSON that contexts point into (@import merges) */
};

/* loader */
const json_t *jl_loader_get(struct jl_state *st, const char *url);
void *jl_cache_get(struct jsonld_loader *l, const char *key);
void jl_cache_put(struct jsonld_loader *l, const char *key, void *val);
/* 1 while the cache may grow (callers hold l->mu). */
int jl_cache_room(const struct jsonld_loader *l);
/* Callers hold l->mu. */
const struct jl_ctx *jl_pcache_get(const struct jsonld_loader *l, const struct jl_pslot *key);
void jl_pcache_put(struct jsonld_loader *l, const struct jl_pslot *entry);

/* iri helpers */
int jl_is_absolute_iri(const char *s);
/* Absolute, and free of characters IRIs cannot hold (spaces, <>"{}|\^`, controls). */
int jl_is_wellformed_iri(const char *s);
int jl_is_keyword_at(const char *s);   /* s starts with '@' */
/* Hot (every key, every expanded IRI), and nearly always false at the first byte. */
static inline int jl_is_keyword(const char *s)
{
    return s && s[0] == '@' && jl_is_keyword_at(s);
}
int jl_looks_like_keyword(const char *s);
char *jl_resolve(struct arena *a, const char *base, const char *ref);

/* context */
const struct jl_ctx *jl_initial_ctx(struct jl_state *st);
int jl_process_context(struct jl_state *st, const struct jl_ctx *active, const json_t *local,
                       const char *base_url, int override_protected, int propagate,
                       int validate_scoped, int cacheable_value,
                       const struct jl_ctx **out);
/* IRI expansion against an active context (no local context). Returns NULL
 * for a null mapping; sets *failed on error. */
const char *jl_expand_iri(struct jl_state *st, const struct jl_ctx *ctx, const char *value,
                          int doc_relative, int vocab, int *failed);
static inline const struct jl_term *jl_term_get(const struct jl_ctx *c, const char *k)
{
    return jl_map_get(&c->terms, k);
}
static inline const struct jl_term *jl_term_get_h(const struct jl_ctx *c, const char *k, uint32_t h)
{
    return jl_map_get_h(&c->terms, k, h);
}

/* expansion */
int jl_expand_document(struct jl_state *st, const json_t *doc, json_t **out);

int jl_fail(struct jl_state *st, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Safe-mode refusal: what is the key/value that would be lost. */
int jl_unsafe(struct jl_state *st, const char *what, const char *why);
/* 1 when s is an absolute IRI or a blank node identifier. */
int jl_is_iri_or_bnode(const char *s);
int jl_oom(struct jl_state *st);

#endif
