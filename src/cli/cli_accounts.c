/*
 * cli_accounts.c - `org`, `user` and `token`: what the server's operator
 * does from a shell (first admin, new operators, lost passwords, script
 * tokens). Acts as the system, across tenants; every change is audited.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/auth.h"
#include "core/codes.h"
#include "core/validate.h"
#include "service/account_service.h"
#include "service/pages.h"

struct common {
    const char *db, *name, *country, *org, *role, *scope, *days;
    int foundation, password_stdin, json;
};

static int parse(const char *cmd, int argc, char **argv, struct common *o, const char *help)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"name", required_argument, NULL, 'n'},
        {"country", required_argument, NULL, 'c'}, {"org", required_argument, NULL, 'o'},
        {"role", required_argument, NULL, 'r'}, {"foundation", no_argument, NULL, 'F'},
        {"password-stdin", no_argument, NULL, 'p'}, {"json", no_argument, NULL, 'j'},
        {"scope", required_argument, NULL, 's'}, {"expires-in-days", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'}, {0}};
    memset(o, 0, sizeof *o);
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'n': o->name = optarg; break;
        case 'c': o->country = optarg; break;
        case 'o': o->org = optarg; break;
        case 'r': o->role = optarg; break;
        case 'F': o->foundation = 1; break;
        case 'p': o->password_stdin = 1; break;
        case 'j': o->json = 1; break;
        case 's': o->scope = optarg; break;
        case 'e': o->days = optarg; break;
        case 'h': fputs(help, stdout); return -2;
        default:
            cli_usage(cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
            return -1;
        }
    }
    return optind;
}

typedef int (*list_fn)(struct store *, const struct tb_actor *, const struct list_query *, struct list_page *,
                       struct tb_err *);

struct list_ctx {
    struct store *st;
    const struct tb_actor *a;
    list_fn list;
};

static int list_page(void *ctx, const struct list_query *q, struct list_page *page, struct tb_err *err)
{
    const struct list_ctx *c = ctx;
    return c->list(c->st, c->a, q, page, err);
}

/* Every page of a list, as one array. */
static int all_pages(struct store *st, const struct tb_actor *a, list_fn list, json_t **out, struct tb_err *err)
{
    struct list_ctx c = {st, a, list};
    return service_all_pages(list_page, &c, NULL, out, err);
}

/* The shared front of `org` and `user`: help, the verb, then its options.
 * Returns -1 with *rc set when that already answered the command. */
static int verb_front(const char *cmd, int argc, char **argv, const char *help, struct common *o,
                      const char **verb, char ***args, int *nargs, int *rc)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(help, argc < 2 ? stderr : stdout);
        *rc = argc < 2 ? EXIT_USAGE : EXIT_OK;
        return -1;
    }
    *verb = argv[1];
    int first = parse(cmd, argc - 1, argv + 1, o, help);
    if (first < 0) {
        *rc = first == -2 ? EXIT_OK : EXIT_USAGE;
        return -1;
    }
    *nargs = argc - 1 - first;
    *args = argv + 1 + first;
    return 0;
}

static const char org_help[] =
    "usage: tradebridge org add NAME --country CC [--db PATH]\n"
    "       tradebridge org add NAME --foundation [--db PATH]\n"
    "       tradebridge org list [--json] [--db PATH]\n\n"
    "Organizations are tenants: the foundation (one, the umbrella body) and the\n"
    "national operators under it. CC is an ISO 3166-1 alpha-2 country code.\n";

int cli_org_main(int argc, char **argv)
{
    const char *verb;
    struct common o;
    char **args;
    int nargs, rc_front;
    if (verb_front("org", argc, argv, org_help, &o, &verb, &args, &nargs, &rc_front) < 0)
        return rc_front;
    struct tb_err err = {0};
    if (!strcmp(verb, "add")) {
        if (nargs != 1)
            return cli_usage("org add", "expected one NAME");
        if (!o.foundation && !o.country)
            return cli_usage("org add", "--country is required for a national operator");
        if (o.country && !codes_find(CODES_COUNTRY, o.country))
            return cli_usage("org add", "--country: '%s' is not an ISO 3166-1 alpha-2 code", o.country);
        if (utf8_chars(args[0]) < 2 || utf8_chars(args[0]) > 120)
            return cli_usage("org add", "NAME must be 2 to 120 characters");
        struct store *st = cli_create_store("org add", cli_db_path(o.db));
        if (!st)
            return EXIT_RUNTIME;
        struct tb_actor sys = actor_system();
        int64_t parent = 0, id;
        int rc = 0;
        if (!o.foundation)
            rc = store_org_foundation_id(st, &parent, &err);
        if (rc == 0)
            rc = store_org_create(st, &sys, o.foundation ? "foundation" : "operator", args[0],
                                  o.foundation ? NULL : o.country, parent, &id, &err);
        store_close(st);
        if (rc < 0)
            return cli_fail("org add", &err);
        printf("%lld\t%s\n", (long long)id, args[0]);
        return EXIT_OK;
    }
    if (!strcmp(verb, "list")) {
        if (nargs)
            return cli_usage("org list", "unexpected argument '%s'", args[0]);
        struct store *st = cli_open_store("org list", cli_db_path(o.db));
        if (!st)
            return EXIT_RUNTIME;
        struct tb_actor sys = actor_system();
        int rc = EXIT_OK;
        json_t *all = NULL;
        if (all_pages(st, &sys, store_org_list, &all, &err) < 0)
            rc = cli_fail("org list", &err);
        if (rc == EXIT_OK) {
            if (o.json) {
                json_dumpf(all, stdout, JSON_INDENT(2));
                putchar('\n');
            } else {
                size_t i;
                json_t *row;
                json_array_foreach(all, i, row)
                    printf("%lld\t%s\t%s\t%s\n", (long long)json_integer_value(json_object_get(row, "id")),
                           json_string_value(json_object_get(row, "kind")),
                           json_string_value(json_object_get(row, "country")) ?: "-",
                           json_string_value(json_object_get(row, "name")));
            }
        }
        json_decref(all);
        store_close(st);
        return rc;
    }
    return cli_usage("org", "unknown action '%s' (add or list)", verb);
}

static const char user_help[] =
    "usage: tradebridge user add EMAIL --name NAME --org ORG --role ROLE [--password-stdin] [--db PATH]\n"
    "       tradebridge user passwd EMAIL [--password-stdin] [--db PATH]\n"
    "       tradebridge user list [--org ORG] [--json] [--db PATH]\n\n"
    "ORG is an organization's id or exact name. ROLE is admin (foundation only),\n"
    "coordinator, company, trainee, mentor or viewer. Without --password-stdin a\n"
    "random password is generated and printed once.\n";

static int obtain_password(const struct common *o, char *buf, size_t n, int *generated)
{
    *generated = 0;
    if (o->password_stdin) {
        if (cli_read_secret(buf, n) < 0)
            return -1;
        return 0;
    }
    char token[TOKEN_LEN + 1];
    auth_random_token(token);
    snprintf(buf, n, "%.20s", token);
    *generated = 1;
    return 0;
}

int cli_user_main(int argc, char **argv)
{
    const char *verb;
    struct common o;
    char **args;
    int nargs, rc_front;
    if (verb_front("user", argc, argv, user_help, &o, &verb, &args, &nargs, &rc_front) < 0)
        return rc_front;
    struct tb_err err = {0};
    if (auth_init() < 0)
        return EXIT_RUNTIME;
    if (!strcmp(verb, "add") || !strcmp(verb, "passwd")) {
        int add = !strcmp(verb, "add");
        const char *cmd = add ? "user add" : "user passwd";
        if (nargs != 1)
            return cli_usage(cmd, "expected one EMAIL");
        if (!valid_email(args[0]))
            return cli_usage(cmd, "'%s' is not a valid email address", args[0]);
        enum tb_role role = ROLE_VIEWER;
        if (add && (!o.name || !o.org || !o.role))
            return cli_usage(cmd, "--name, --org and --role are required");
        if (add && (!valid_utf8(o.name, strlen(o.name)) || !*o.name || utf8_chars(o.name) > USER_NAME_MAX))
            return cli_usage(cmd, "--name: must be UTF-8 text of 1 to %d characters", USER_NAME_MAX);
        if (add && role_parse(o.role, &role) < 0)
            return cli_usage(cmd, "--role: '%s' is not one of admin, coordinator, company, trainee, mentor, viewer", o.role);
        char password[PW_MAX_LEN + 2];
        int generated;
        if (obtain_password(&o, password, sizeof password, &generated) < 0)
            return cli_usage(cmd, "no password on standard input");
        if (auth_password_policy(password, &err) < 0)
            return cli_fail(cmd, &err);
        char hash[PW_HASH_MAX];
        if (auth_hash_password(password, hash, &err) < 0)
            return cli_fail(cmd, &err);
        struct store *st = cli_open_store(cmd, cli_db_path(o.db));
        if (!st)
            return EXIT_RUNTIME;
        struct tb_actor sys = actor_system();
        int64_t org_id = 0, user_id = 0;
        int rc;
        if (add) {
            rc = cli_resolve_org(st, o.org, &org_id, &err);
            sys.tenant_id = org_id;
            if (rc == 0)
                rc = account_create(st, &sys, args[0], o.name, hash, org_id, role, &user_id, &err);
        } else {
            struct user_auth u;
            rc = store_user_auth_by_email(st, args[0], &u, &err);
            if (rc == 0)
                rc = store_user_set_password(st, &sys, u.id, hash, &err);
            user_id = u.id;
        }
        store_close(st);
        if (rc < 0)
            return cli_fail(cmd, &err);
        if (generated)
            printf("%lld\t%s\tpassword: %s\n", (long long)user_id, args[0], password);
        else
            printf("%lld\t%s\n", (long long)user_id, args[0]);
        return EXIT_OK;
    }
    if (!strcmp(verb, "list")) {
        struct store *st = cli_open_store("user list", cli_db_path(o.db));
        if (!st)
            return EXIT_RUNTIME;
        struct tb_actor sys = actor_system();
        int rc = EXIT_OK;
        if (o.org) {
            if (cli_resolve_org(st, o.org, &sys.tenant_id, &err) < 0) {
                store_close(st);
                return cli_fail("user list", &err);
            }
            sys.all_tenants = 0;
        }
        json_t *all = NULL;
        if (all_pages(st, &sys, store_user_list, &all, &err) < 0)
            rc = cli_fail("user list", &err);
        size_t i;
        json_t *row;
        if (rc == EXIT_OK && o.json) {
            json_dumpf(all, stdout, JSON_INDENT(2));
            putchar('\n');
        } else if (rc == EXIT_OK) {
            json_array_foreach(all, i, row) {
                json_t *roles = NULL;
                store_user_roles(st, json_integer_value(json_object_get(row, "id")), &roles, &err);
                printf("%lld\t%s\t%s\t%s\t", (long long)json_integer_value(json_object_get(row, "id")),
                       json_string_value(json_object_get(row, "email")),
                       json_string_value(json_object_get(row, "status")),
                       json_string_value(json_object_get(row, "name")));
                size_t k;
                json_t *role;
                json_array_foreach(roles, k, role)
                    printf("%s%s@%s", k ? "," : "", json_string_value(json_object_get(role, "role")),
                           json_string_value(json_object_get(role, "org_name")));
                putchar('\n');
                json_decref(roles);
            }
        }
        json_decref(all);
        store_close(st);
        return rc;
    }
    return cli_usage("user", "unknown action '%s' (add, passwd or list)", verb);
}

static const char token_help[] =
    "usage: tradebridge token add EMAIL --name NAME [--scope read|read_write]\n"
    "                             [--expires-in-days N] [--db PATH]\n\n"
    "Creates an API token for the user (for scripts: Authorization: Bearer TOKEN)\n"
    "and prints it once; only its hash is stored. Scope read_write (default) or\n"
    "read (GET only); it expires after N days (1-365, default 90) and when the\n"
    "user's password changes. Revoke it with DELETE /api/v1/tokens/{id}.\n";

int cli_token_main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(token_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "add"))
        return cli_usage("token", "unknown action '%s' (add)", argv[1]);
    struct common o;
    int first = parse("token", argc - 1, argv + 1, &o, token_help);
    if (first == -2)
        return EXIT_OK;
    if (first < 0)
        return EXIT_USAGE;
    if (argc - 1 - first != 1 || !o.name)
        return cli_usage("token add", "expected EMAIL and --name NAME");
    const char *scope = o.scope ? o.scope : "read_write";
    if (strcmp(scope, "read") && strcmp(scope, "read_write"))
        return cli_usage("token add", "--scope: must be read or read_write");
    char *end = NULL;
    long days = o.days ? strtol(o.days, &end, 10) : 90;
    if ((o.days && (!*o.days || *end)) || days < 1 || days > 365)
        return cli_usage("token add", "--expires-in-days: must be a number of days from 1 to 365");
    time_t until = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&until, &tm);
    char expires_at[32];
    strftime(expires_at, sizeof expires_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const char *email = argv[1 + first];
    struct tb_err err = {0};
    if (auth_init() < 0)
        return EXIT_RUNTIME;
    struct store *st = cli_open_store("token add", cli_db_path(o.db));
    if (!st)
        return EXIT_RUNTIME;
    struct user_auth u;
    struct tb_actor actor;
    int rc = store_user_auth_by_email(st, email, &u, &err);
    if (rc == 0)
        rc = store_actor_load(st, u.id, &actor, &err);
    if (rc == 0 && !actor.tenant_id)
        rc = tb_error(&err, TB_E_CONFLICT, "", "%s holds no role in any organization", email);
    char raw[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1], token[TOKEN_LEN + 4], prefix[12];
    int64_t id = 0;
    if (rc == 0) {
        auth_random_token(raw);
        snprintf(token, sizeof token, "tb_%s", raw);
        snprintf(prefix, sizeof prefix, "%.10s", token);
        auth_token_hash(token, hash);
        actor.client_addr = "cli";
        rc = store_token_create(st, &actor, o.name, hash, prefix, scope, expires_at, &id, &err);
    }
    store_close(st);
    if (rc < 0)
        return cli_fail("token add", &err);
    printf("%lld\t%s\n", (long long)id, token);
    return EXIT_OK;
}
