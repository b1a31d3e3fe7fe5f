/*
 * fuzz_jsonld_expand.c - a JSON-LD document (a credential as received)
 * through expansion with the embedded contexts, plain and in safe mode.
 */
#include "fuzz_jsonld.h"

static void expand(const json_t *doc, const struct jsonld_opts *o, struct arena *a)
{
    json_t *out = NULL;
    struct tb_err err = {0};
    if (jsonld_expand_opts(doc, NULL, o, a, &out, &err) == 0)
        FUZZ_ASSERT(json_is_array(out));
    else
        FUZZ_ASSERT(err.code[0] && !out);
    json_decref(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_jsonld_modes(data, size, expand);
    return 0;
}
