/*
 * fuzz_jcs.c - JSON through the JSON Canonicalization Scheme (eddsa-jcs-2022,
 * `tradebridge credential canon --jcs`): the output must be JSON whose
 * canonical form is itself (idempotence).
 */
#include <string.h>

#include "core/cred/jcs.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = fuzz_json(data, size, JSON_DECODE_ANY);
    if (!v)
        return 0;
    struct arena *a = arena_new(16u << 20);
    struct abuf once, twice;
    abuf_init(&once, a, 0);
    struct tb_err err = {0};
    if (jcs_serialize(v, &once, &err) == 0) {
        json_t *back = json_loadb(once.data, once.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        FUZZ_ASSERT(back);
        abuf_init(&twice, a, 0);
        FUZZ_ASSERT(jcs_serialize(back, &twice, &err) == 0);
        FUZZ_ASSERT(twice.len == once.len && (!once.len || !memcmp(twice.data, once.data, once.len)));
        json_decref(back);
    }
    arena_free(a);
    json_decref(v);
    return 0;
}
