/*
 * cli_routes.c - `tradebridge routes [--json]`: the HTTP route table with
 * the roles each route admits. tests/api/authz_matrix.test.mjs reads it to
 * check that every route has a row in the authorization matrix.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "http/http.h"
#include "http/openapi.h"

static const char routes_help[] =
    "usage: tradebridge routes [--json]\n\n"
    "Prints every HTTP route: method, path and the roles allowed (\"public\":\n"
    "no sign-in). --json prints an array of {method, path, roles, public}.\n";

int cli_routes_main(int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(routes_help, stdout);
            return EXIT_OK;
        } else {
            return cli_usage("routes", "unknown option '%s'", argv[i]);
        }
    }
    json_t *all = json_array();
    for (int i = 0; i < routes_count; i++) {
        json_t *roles = json_array();
        char names[128] = "public";
        size_t used = 0;
        for (int role = 0; role < ROLE__MAX; role++)
            if (routes[i].roles & ROLE_BIT(role)) {
                const char *n = role_name((enum tb_role)role);
                json_array_append_new(roles, json_string(n));
                used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", used ? "," : "", n);
            }
        if (!json)
            printf("%-6s %-48s %s\n", routes[i].method, routes[i].pattern, names);
        json_array_append_new(all, json_pack("{s:s, s:s, s:o, s:b}", "method", routes[i].method, "path",
                                             routes[i].pattern, "roles", roles, "public",
                                             routes[i].roles == ROLES_PUBLIC));
    }
    if (json) {
        char *text = json_dumps(all, JSON_INDENT(1));
        puts(text);
        free(text);
    }
    json_decref(all);
    return EXIT_OK;
}

/* ---- tradebridge openapi ---------------------------------------------------- */

static const char openapi_help[] =
    "usage: tradebridge openapi\n\n"
    "Prints the OpenAPI 3.1 document of the HTTP API (the same as GET\n"
    "/api/v1/openapi.json), generated from the route table and the declared\n"
    "fields.\n";

int cli_openapi_main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(openapi_help, stdout);
            return EXIT_OK;
        }
        return cli_usage("openapi", "unknown option '%s'", argv[i]);
    }
    const char *doc = openapi_text();
    if (!doc) {
        fputs("tradebridge openapi: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    puts(doc);
    return EXIT_OK;
}
