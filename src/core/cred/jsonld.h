/*
 * jsonld.h - JSON-LD 1.1 expansion and deserialization to RDF (toRdf), with
 * contexts resolved only from local documents (the npm-shipped contexts
 * embedded at build time, plus files or JSON a caller adds). Never touches the
 * network: a context URL the loader does not know is refused.
 *
 * Errors: tb_err.code carries the JSON-LD API error code string verbatim
 * ("invalid term definition", "loading remote context failed", ...), status 400;
 * out-of-memory is "internal_error"/500.
 */
#ifndef TB_JSONLD_H
#define TB_JSONLD_H

#include <jansson.h>

#include "core/arena.h"
#include "core/cred/rdf.h"
#include "core/error.h"

struct jsonld_loader;   /* resolves context URLs to local documents */

/* Process-wide, thread-safe, read-only: the embedded npm contexts. Never freed. */
struct jsonld_loader *jsonld_loader_default(void);
/* Starts with the embedded contexts; more can be added. Thread-safe once built. */
struct jsonld_loader *jsonld_loader_new(void);
void jsonld_loader_free(struct jsonld_loader *l);
/* Maps url to the JSON document in the local file at path (read now). */
int jsonld_loader_add_file(struct jsonld_loader *l, const char *url, const char *path,
                           struct tb_err *err);
/* Maps url to a copy of doc. A url already mapped keeps its document: the
 * same document again is accepted, another one refused ("context_conflict"). */
int jsonld_loader_add_json(struct jsonld_loader *l, const char *url, const json_t *doc,
                           struct tb_err *err);
/*
 * Optional last resort for URLs not added explicitly (used by the conformance
 * runner to map the test-suite URLs to its local files). Returns a new
 * reference, or NULL with *err filled. The loader keeps what it returns.
 */
typedef json_t *(*jsonld_fetch_fn)(void *user, const char *url, struct tb_err *err);
void jsonld_loader_set_fetch(struct jsonld_loader *l, jsonld_fetch_fn fn, void *user);
/* Names of the embedded context URLs, NULL-terminated (for docs and tests). */
const char *const *jsonld_embedded_urls(void);

/*
 * Work one call may do, for input nobody vouches for (public verification).
 * 0 = no limit. Exceeding one fails with status 422, code "limit_exceeded",
 * tb_err.field naming the limit ("@context", "depth", "values", "nodes",
 * "quads", "blank_nodes").
 */
struct jsonld_limits {
    size_t contexts;      /* @context entries anywhere in the input (array elements count one each) */
    size_t depth;         /* nesting of the input's arrays and objects */
    size_t values;        /* JSON values in the input */
    size_t nodes;         /* node objects after expansion */
    size_t quads;         /* RDF statements produced */
    size_t blank_nodes;   /* blank nodes produced */
};
/* Checks the input-side limits (contexts, depth, values) by one walk over doc,
 * before any JSON-LD work. 0 when within them (or lim is NULL). */
int jsonld_check_input(const json_t *doc, const struct jsonld_limits *lim, struct tb_err *err);

/* Options of the JSON-LD API that the test suites exercise. Zero = defaults. */
struct jsonld_opts {
    const char *base;                /* document base IRI, NULL for none */
    int processing_mode_10;          /* processingMode "json-ld-1.0" */
    int produce_generalized_rdf;     /* keep blank-node predicates */
    const char *rdf_direction;       /* NULL, "i18n-datatype" or "compound-literal" */
    const json_t *expand_context;    /* expandContext option (a context or {"@context":..}) */
    /* Safe mode (as Data Integrity requires): fail with code
     * "safe mode validation error" instead of silently dropping data - a key
     * no context defines, a relative or keyword-like @id/@type, an IRI or
     * language tag toRdf would drop. tb_err.field names the key or value. */
    int safe;
    const struct jsonld_limits *limits;   /* NULL = none (toRdf checks them all) */
};

/* Appends doc's statements to out. loader NULL = jsonld_loader_default().
 * Strings and this call's temporaries are allocated in out->arena (a few KB
 * for a credential), so the arena's cap also bounds the work. */
int jsonld_to_rdf(const json_t *doc, struct jsonld_loader *loader, struct rdf_dataset *out,
                  struct tb_err *err);
int jsonld_to_rdf_opts(const json_t *doc, struct jsonld_loader *loader,
                       const struct jsonld_opts *opts, struct rdf_dataset *out,
                       struct tb_err *err);
/* *out is a new jansson reference (the expanded array); a holds temporaries. */
int jsonld_expand(const json_t *doc, struct jsonld_loader *loader, struct arena *a,
                  json_t **out, struct tb_err *err);
int jsonld_expand_opts(const json_t *doc, struct jsonld_loader *loader,
                       const struct jsonld_opts *opts, struct arena *a, json_t **out,
                       struct tb_err *err);

#endif
