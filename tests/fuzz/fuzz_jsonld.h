/*
 * fuzz_jsonld.h - shared by the JSON-LD targets: the input as a JSON document
 * handed to step() twice, plainly and in safe mode (as Data Integrity runs it),
 * each time with a fresh 16 MiB arena.
 */
#ifndef TB_FUZZ_JSONLD_H
#define TB_FUZZ_JSONLD_H
#include "core/cred/jsonld.h"
#include "fuzz.h"

typedef void (*fuzz_jsonld_step)(const json_t *doc, const struct jsonld_opts *o, struct arena *a);

static inline void fuzz_jsonld_modes(const uint8_t *data, size_t size, fuzz_jsonld_step step)
{
    json_t *doc = fuzz_json(data, size, 0);
    if (!doc)
        return;
    for (int safe = 0; safe < 2; safe++) {
        struct arena *a = arena_new(16u << 20);
        struct jsonld_opts o = {.safe = safe};
        step(doc, &o, a);
        arena_free(a);
    }
    json_decref(doc);
}

#endif
