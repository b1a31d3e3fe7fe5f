/*
 * fuzz_nquads.c - N-Quads text (`tradebridge credential canon --nquads`)
 * through the parser, the canonical writer (which must read back the same)
 * and RDFC-1.0 canonicalization under a small work limit.
 */
#include "core/cred/rdfc.h"
#include "fuzz_rdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new(32u << 20);
    struct rdf_dataset d;
    rdf_dataset_init(&d, a);
    struct tb_err err = {0};
    if (nquads_parse((const char *)data, size, &d, &err) == 0) {
        fuzz_nquads_roundtrip(&d, a);
        struct rdfc_options o = {.hash = CRED_SHA256, .work_limit = 2000};
        struct rdfc_result r;
        if (rdfc_canonicalize(&d, &o, a, &r, &err) == 0)
            FUZZ_ASSERT(r.nquads && r.len == strlen(r.nquads));
    }
    arena_free(a);
    return 0;
}
