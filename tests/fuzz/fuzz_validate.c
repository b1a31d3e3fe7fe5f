/*
 * fuzz_validate.c - a JSON request body through what the server does before a
 * handler sees it: UTF-8 check, jansson with duplicate names refused, then
 * validate_object() against the route's declared fields (code lists included).
 * Input: "METHOD /pattern\n" naming a route with a body (an unknown line picks
 * one by its bytes), then the body.
 */
#include <string.h>

#include "core/codes.h"
#include "core/validate.h"
#include "fuzz.h"
#include "http/http.h"

static int code_known(int list, const char *code)
{
    return codes_find((enum code_list)list, code) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct route *with_body[256];
    static int n;
    if (!n) {
        validate_set_code_checker(code_known);
        for (int i = 0; i < routes_count && n < 256; i++)
            if (routes[i].body)
                with_body[n++] = &routes[i];
    }
    const uint8_t *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)(nl - data) : 0;
    const struct route *route = NULL;
    unsigned sum = 0;
    for (size_t i = 0; i < head; i++)
        sum += data[i];
    for (int i = 0; i < n && !route; i++) {
        size_t ml = strlen(with_body[i]->method), pl = strlen(with_body[i]->pattern);
        if (head == ml + 1 + pl && !memcmp(data, with_body[i]->method, ml) && data[ml] == ' ' &&
            !memcmp(data + ml + 1, with_body[i]->pattern, pl))
            route = with_body[i];
    }
    if (!route)
        route = with_body[sum % (unsigned)n];
    const char *body = (const char *)data + (nl ? head + 1 : 0);
    size_t len = size - (nl ? head + 1 : 0);
    if (!valid_utf8(body, len))
        return 0;
    json_t *obj = len ? json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL) : json_object();
    if (!obj)
        return 0;
    struct tb_err err = {0};
    if (validate_object(obj, route->body, route->flags & ROUTE_PARTIAL, &err) < 0)
        FUZZ_ASSERT(err.status >= 400 && err.message[0]);
    json_decref(obj);
    return 0;
}
