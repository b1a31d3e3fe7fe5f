/*
 * rdfc.h - RDF Dataset Canonicalization (W3C RDFC-1.0).
 * Turns a dataset into canonical N-Quads (blank nodes relabelled _:c14nN,
 * lines sorted) so equal graphs hash equally, whatever their blank labels.
 */
#ifndef TB_CRED_RDFC_H
#define TB_CRED_RDFC_H

#include <stddef.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/cred/hash.h"
#include "core/cred/rdf.h"

/*
 * Work limit: the number of "Hash N-Degree Quads" invocations plus the
 * permutations they try. Ordinary credentials need 0; the suite's hardest
 * computable graphs ("poison - evil") need 3348; a 10-node clique
 * needs billions. The default refuses such inputs in milliseconds.
 */
#define RDFC_WORK_LIMIT_DEFAULT 25000UL
/* Bytes of scratch memory N-degree hashing may use; the rest of the scratch,
 * linear in the input, comes from the caller's arena. */
#define RDFC_MEMORY_LIMIT_DEFAULT (256u << 20)

struct rdfc_options {
    enum cred_hash_alg hash;      /* CRED_SHA256 (RDFC-1.0 default) or CRED_SHA384 */
    unsigned long work_limit;     /* 0 = RDFC_WORK_LIMIT_DEFAULT */
};

struct rdfc_result {
    const char *nquads;           /* canonical N-Quads, NUL-terminated, in the caller's arena */
    size_t len;
    /* Issued identifiers map: input_labels[i] (as in the input) -> canon_labels[i] ("c14nN"). */
    size_t nblank;
    const char **input_labels;
    const char **canon_labels;
    unsigned long work;           /* work units spent (see RDFC_WORK_LIMIT_DEFAULT) */
};

/* opt may be NULL (SHA-256, default limit). Fails with code "canon_work_limit"
 * (status 422) when the input exceeds the work limit. */
int rdfc_canonicalize(const struct rdf_dataset *in, const struct rdfc_options *opt,
                      struct arena *a, struct rdfc_result *out, struct tb_err *err);

#endif
