/*
 * rdf.h - RDF datasets as the credential engine passes them around:
 * JSON-LD toRdf produces one, RDFC-1.0 canonicalizes one, N-Quads reads and
 * writes one. All strings live in the dataset's arena.
 */
#ifndef TB_RDF_H
#define TB_RDF_H

#include <stddef.h>

#include "core/arena.h"

enum rdf_term_kind {
    RDF_NONE = 0,   /* only as a graph name: the default graph */
    RDF_IRI,
    RDF_BLANK,      /* value is the label without the "_:" prefix */
    RDF_LITERAL     /* value is the lexical form (unescaped UTF-8) */
};

struct rdf_term {
    enum rdf_term_kind kind;
    const char *value;
    const char *datatype;   /* literal only; NULL means xsd:string (or rdf:langString with language) */
    const char *language;   /* literal only; NULL when none */
};

struct rdf_quad {
    struct rdf_term subject, predicate, object, graph;
};

struct rdf_dataset {
    struct arena *arena;
    struct rdf_quad *quads;
    size_t len, cap;
    /* Open-addressing index of quads (slot = quad index + 1, 0 = empty) so
     * duplicate detection stays O(1) per add. Private to rdf.c. */
    size_t *index;
    size_t index_cap;
};

void rdf_dataset_init(struct rdf_dataset *d, struct arena *a);
/* Appends a copy of *q (strings are referenced, not copied: they must live in
 * d->arena or longer). Duplicate quads are dropped, as RDF datasets are sets.
 * Returns 0, or -1 when the arena is exhausted. */
int rdf_dataset_add(struct rdf_dataset *d, const struct rdf_quad *q);
int rdf_term_equal(const struct rdf_term *a, const struct rdf_term *b);
int rdf_quad_equal(const struct rdf_quad *a, const struct rdf_quad *b);
/* Datasets built without rdf_dataset_add (quads filled by hand) can be
 * deduplicated afterwards; returns 0 or -1 (arena exhausted). */
int rdf_dataset_dedup(struct rdf_dataset *d);

#endif
