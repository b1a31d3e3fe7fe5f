/*
 * fuzz_rdf.h - a property shared by the RDF targets: a dataset written as
 * N-Quads reads back as the same dataset (same quads, same text again).
 */
#ifndef TB_FUZZ_RDF_H
#define TB_FUZZ_RDF_H
#include <string.h>

#include "core/cred/nquads.h"
#include "fuzz.h"

static inline void fuzz_nquads_roundtrip(const struct rdf_dataset *d, struct arena *a)
{
    struct abuf once, twice;
    abuf_init(&once, a, 0);
    for (size_t i = 0; i < d->len; i++)
        if (nquads_write_quad(&once, &d->quads[i]) < 0)
            return;   /* the arena's cap: not a finding */
    struct rdf_dataset back;
    rdf_dataset_init(&back, a);
    struct tb_err err = {0};
    const char *text = abuf_cstr(&once);
    if (nquads_parse(text, once.len, &back, &err) < 0) {
        if (!strcmp(err.code, "nquads_syntax"))
            fprintf(stderr, "re-reading our own N-Quads failed: %s\n%s", err.message, text);
        FUZZ_ASSERT(strcmp(err.code, "nquads_syntax"));
        return;
    }
    FUZZ_ASSERT(back.len == d->len);
    abuf_init(&twice, a, 0);
    for (size_t i = 0; i < back.len; i++)
        if (nquads_write_quad(&twice, &back.quads[i]) < 0)
            return;
    FUZZ_ASSERT(twice.len == once.len && (!once.len || !memcmp(twice.data, once.data, once.len)));
}

#endif
