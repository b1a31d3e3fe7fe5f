/*
 * cli_credential_store.c - `tradebridge credential issue|revoke|suspend|
 * reinstate|show|keys`: the stored credentials of an installation, for the
 * server's operator (same issuing service as the API; TRADEBRIDGE_KEK and
 * TRADEBRIDGE_PUBLIC_URL as for `serve`).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/issuing.h"
#include "service/issuing_service.h"

static const char usage_text[] =
    "usage: tradebridge credential issue --graduate ID --achievement ID --placement ID [--db PATH]\n"
    "       tradebridge credential revoke|suspend|reinstate ID [--reason TEXT] [--db PATH]\n"
    "       tradebridge credential show ID [--db PATH]        (prints the signed credential JSON)\n"
    "       tradebridge credential keys --org ORG [--rotate] [--db PATH]\n\n"
    "Works on the credentials stored in the database. Signing needs TRADEBRIDGE_KEK (the\n"
    "key-encryption key the server uses); links use TRADEBRIDGE_PUBLIC_URL (default\n"
    "http://127.0.0.1:8080), which must be the server's public address.\n";

struct opts {
    const char *db, *reason;
    long long graduate, achievement, placement, org;
    int rotate;
};

static int parse(int argc, char **argv, struct opts *o)
{
    static const struct option long_opts[] = {
        {"db", required_argument, NULL, 'd'}, {"reason", required_argument, NULL, 'r'},
        {"graduate", required_argument, NULL, 'g'}, {"achievement", required_argument, NULL, 'a'},
        {"placement", required_argument, NULL, 'p'}, {"org", required_argument, NULL, 'o'},
        {"rotate", no_argument, NULL, 'R'}, {"help", no_argument, NULL, 'h'}, {0}};
    memset(o, 0, sizeof *o);
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
        char *end = NULL;
        long long *target = c == 'g' ? &o->graduate : c == 'a' ? &o->achievement : c == 'p' ? &o->placement
                            : c == 'o' ? &o->org : NULL;
        if (target) {
            *target = strtoll(optarg, &end, 10);
            if (*end || *target <= 0)
                return cli_usage("credential", "--%s: expected a positive id, got '%s'",
                                 c == 'g' ? "graduate" : c == 'a' ? "achievement" : c == 'p' ? "placement" : "org",
                                 optarg);
            continue;
        }
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'r': o->reason = optarg; break;
        case 'R': o->rotate = 1; break;
        case 'h': fputs(usage_text, stdout); return -2;
        default: return cli_usage("credential", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    return optind;
}

int cli_credential_stored(int argc, char **argv)
{
    const char *verb = argv[0];
    struct opts o;
    int first = parse(argc, argv, &o);
    if (first == -2)
        return EXIT_OK;
    if (first < 0)
        return EXIT_USAGE;
    int nargs = argc - first;
    char **args = argv + first;
    const char *url = getenv("TRADEBRIDGE_PUBLIC_URL");
    if (!url || !*url)
        url = "http://127.0.0.1:8080";
    struct tb_err err = {0};
    long long id = 0;
    if (strcmp(verb, "issue") && strcmp(verb, "keys")) {
        char *end = NULL;
        if (nargs != 1 || (id = strtoll(args[0], &end, 10)) <= 0 || *end)
            return cli_usage("credential", "%s needs one credential ID", verb);
    } else if (nargs) {
        return cli_usage("credential", "unexpected argument '%s'", args[0]);
    }
    if (!strcmp(verb, "issue") && (!o.graduate || !o.achievement || !o.placement))
        return cli_usage("credential", "issue needs --graduate, --achievement and --placement");
    if (!strcmp(verb, "keys") && !o.org)
        return cli_usage("credential", "keys needs --org");
    struct store *st = cli_open_store("credential", cli_db_path(o.db));
    if (!st)
        return EXIT_RUNTIME;
    struct tb_actor sys = actor_system();
    struct arena *arena = cli_arena_new("credential", 0);
    struct issuing_ctx c = {st, &sys, url, getenv("TRADEBRIDGE_KEK"), arena};
    int rc = 0;
    if (!strcmp(verb, "issue")) {
        int64_t cid;
        rc = issuing_issue(&c, o.graduate, o.achievement, o.placement, NULL, &cid, &err);
        if (rc == 0)
            printf("%lld\tissued\n", (long long)cid);
    } else if (!strcmp(verb, "show")) {
        json_t *cred;
        rc = store_entity_get(st, &sys, ENT_CREDENTIAL, id, &cred, &err);
        if (rc == 0) {
            json_dumpf(json_object_get(cred, "document"), stdout, JSON_INDENT(2));
            putchar('\n');
            json_decref(cred);
        }
    } else if (!strcmp(verb, "keys")) {
        json_t *keys = NULL;
        if (o.rotate)
            rc = issuing_rotate_key(&c, o.org, &err);
        if (rc == 0)
            rc = store_issuer_keys_public(st, o.org, &keys, &err);
        if (rc == 0) {
            printf("did\t%s\n", issuer_did(arena, url, o.org));
            size_t i;
            json_t *k;
            json_array_foreach(keys, i, k)
                printf("key-%lld\t%s\t%s\n", (long long)json_integer_value(json_object_get(k, "id")),
                       json_string_value(json_object_get(k, "public_key")),
                       json_is_string(json_object_get(k, "retired_at")) ? "retired" : "current");
            json_decref(keys);
        }
    } else {
        const char *to = !strcmp(verb, "revoke") ? "revoked" : !strcmp(verb, "suspend") ? "suspended" : "active";
        rc = issuing_change_status(&c, id, to, o.reason, &err);
        if (rc == 0)
            printf("%lld\t%s\n", id, to);
    }
    arena_free(arena);
    store_close(st);
    return rc < 0 ? cli_fail("credential", &err) : EXIT_OK;
}
