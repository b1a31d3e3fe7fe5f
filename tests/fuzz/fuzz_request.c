/*
 * fuzz_request.c - what the server parses of a request head itself
 * (libmicrohttpd splits the request line and headers): the path against every
 * route pattern, the If-Match ETag, and a list cursor. Input: three lines,
 * "path\nIf-Match value\ncursor" (missing lines are skipped).
 */
#include <string.h>

#include "fuzz.h"
#include "http/http.h"
#include "store/store_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    if (strlen(text) != size) {   /* libmicrohttpd hands over C strings */
        free(text);
        return 0;
    }
    char *line[3] = {NULL, NULL, NULL};
    char *p = text;
    for (int i = 0; i < 3 && p; i++) {
        line[i] = p;
        p = strchr(p, '\n');
        if (p)
            *p++ = '\0';
    }
    if (line[0]) {
        for (int i = 0; i < routes_count; i++) {
            int64_t ids[4];
            int nids = -1;
            if (http_route_match(routes[i].pattern, line[0], ids, &nids)) {
                FUZZ_ASSERT(nids >= 0 && nids <= 4);
                for (int k = 0; k < nids; k++)
                    FUZZ_ASSERT(ids[k] > 0);
            }
        }
    }
    int64_t v;
    if (line[1] && http_if_match_version(line[1], &v) == 0)
        FUZZ_ASSERT(v > 0);
    if (line[2]) {
        char *key = NULL;
        int64_t id;
        struct tb_err err = {0};
        if (st_cursor_parse(line[2], &key, &id, &err) == 0)
            FUZZ_ASSERT(id >= 0 && key != NULL);
        else
            FUZZ_ASSERT(err.status == 400);
        free(key);
    }
    free(text);
    return 0;
}
