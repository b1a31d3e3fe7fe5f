/*
 * fuzz_jsonld_tordf.c - a JSON-LD document through toRdf (what signing and
 * verifying with eddsa-rdfc-2022 do), plain and in safe mode; the statements
 * must be N-Quads our own parser reads back.
 */
#include "fuzz_jsonld.h"
#include "fuzz_rdf.h"

static void to_rdf(const json_t *doc, const struct jsonld_opts *o, struct arena *a)
{
    struct rdf_dataset d;
    rdf_dataset_init(&d, a);
    struct tb_err err = {0};
    if (jsonld_to_rdf_opts(doc, NULL, o, &d, &err) == 0)
        fuzz_nquads_roundtrip(&d, a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_jsonld_modes(data, size, to_rdf);
    return 0;
}
