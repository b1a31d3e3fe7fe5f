#include "rdf.h"

#include <string.h>

void rdf_dataset_init(struct rdf_dataset *d, struct arena *a)
{
    memset(d, 0, sizeof *d);
    d->arena = a;
}

static int str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
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

int rdf_dataset_add(struct rdf_dataset *d, const struct rdf_quad *q)
{
    /* Linear duplicate check: credentials hold tens of quads, not thousands;
     * the canonicalizer sorts anyway, so a hash set would not pay here. */
    for (size_t i = 0; i < d->len; i++)
        if (rdf_quad_equal(&d->quads[i], q))
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
    return 0;
}
