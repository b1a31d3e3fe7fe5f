/*
 * fuzz_codes_query.c - the code-list picker query (GET /api/v1/codes/{list}?q=)
 * and exact lookups: codes_search(), codes_find(), codes_country_by_alpha3().
 * Input: one byte choosing the list, then the query text.
 */
#include <string.h>

#include "core/codes.h"
#include "core/validate.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    enum code_list l = (enum code_list)(data[0] % CODES__MAX);
    char *q = fuzz_cstr(data + 1, size - 1);
    /* The server hands over only UTF-8 without NUL (query_text). */
    if (strlen(q) == size - 1 && valid_utf8(q, size - 1)) {
        const struct code_entry *out[64];
        size_t n = codes_search(l, q, out, 64);
        FUZZ_ASSERT(n <= 64);
        for (size_t i = 0; i < n; i++)
            FUZZ_ASSERT(out[i] && out[i]->code && out[i]->name);
        const struct code_entry *e = codes_find(l, q);
        FUZZ_ASSERT(!e || !strcmp(e->code, q));
        codes_country_by_alpha3(q);
    }
    free(q);
    return 0;
}
