/*
 * cli_serve.c - `serve` (the HTTP server) and `migrate` (schema upgrades).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/auth.h"
#include "core/codes.h"
#include "core/config.h"
#include "core/issuing.h"
#include "core/validate.h"
#include "http/server.h"

static const char *env_lookup(const char *name)
{
    return getenv(name);
}

int cli_serve_main(int argc, char **argv)
{
    struct config cfg;
    struct tb_err err = {0};
    int help;
    config_defaults(&cfg);
    if (config_parse(&cfg, argc, argv, env_lookup, &help, &err) < 0) {
        fprintf(stderr, "tradebridge serve: %s\n", err.message);
        return EXIT_USAGE;
    }
    if (help) {
        config_print_help(stdout, "tradebridge serve [OPTIONS]\n\nServes the JSON API under /api/v1 and the web UI under /.");
        return EXIT_OK;
    }
    if (auth_init() < 0 || codes_init() < 0) {
        fprintf(stderr, "tradebridge serve: cannot initialise the crypto library or code lists\n");
        return EXIT_RUNTIME;
    }
    validate_set_code_checker(codes_known);
    auth_set_pw_cost(!strcmp(cfg.password_cost, "min") ? PW_COST_MIN
                     : !strcmp(cfg.password_cost, "moderate") ? PW_COST_MODERATE : PW_COST_INTERACTIVE);
    if (cli_lock_db("serve", cfg.db_path) < 0)
        return EXIT_RUNTIME;
    struct store *st = cli_create_store("serve", cfg.db_path);
    if (!st)
        return EXIT_RUNTIME;
    /* Every statement compiles against this schema, or we say so now. */
    int ok = store_prepare_all(st, &err);
    store_close(st);
    if (ok < 0)
        return cli_fail("serve", &err);
    if (cfg.key_encryption_key && *cfg.key_encryption_key) {
        unsigned char kek[KEK_BYTES];
        if (kek_parse(cfg.key_encryption_key, kek, &err) < 0) {
            fprintf(stderr, "tradebridge serve: %s\n", err.message);
            return EXIT_USAGE;
        }
    }
    return http_serve(&cfg);
}

int cli_migrate_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"to", required_argument, NULL, 't'},
        {"status", no_argument, NULL, 's'}, {"help", no_argument, NULL, 'h'}, {0}};
    const char *db = NULL, *upto = NULL;
    int status_only = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 't': upto = optarg; break;
        case 's': status_only = 1; break;
        case 'h':
            printf("usage: tradebridge migrate [--db PATH] [--to VERSION] [--status]\n\n"
                   "Applies the schema migrations not yet applied (forward only), or up to\n"
                   "VERSION (e.g. 0001_accounts). --status lists what is applied.\n"
                   "The server also migrates at start-up.\n");
            return EXIT_OK;
        default:
            return cli_usage("migrate", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("migrate", "unexpected argument '%s'", argv[optind]);
    struct store *st;
    struct tb_err err = {0};
    if (status_only && cli_db_must_exist("migrate", cli_db_path(db)) < 0)
        return EXIT_RUNTIME;
    if (store_open(cli_db_path(db), &st, &err) < 0)
        return cli_fail("migrate", &err);
    int applied = 0, rc = EXIT_OK;
    if (!status_only && store_migrate(st, upto, &applied, &err) < 0) {
        rc = cli_fail("migrate", &err);
    } else {
        json_t *list = NULL;
        if (store_migrations_applied(st, &list, &err) < 0) {
            rc = cli_fail("migrate", &err);
        } else {
            size_t n = json_array_size(list);
            printf("%s: %d migration(s) applied now; schema at %s (%zu in all)\n", cli_db_path(db), applied,
                   n ? json_string_value(json_array_get(list, n - 1)) : "(empty)", n);
            json_decref(list);
        }
    }
    store_close(st);
    return rc;
}

int cli_backup_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {0}};
    const char *db = NULL;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'h') {
            printf("usage: tradebridge backup FILE [--db PATH]\n\n"
                   "Writes a consistent copy of the database to FILE with SQLite's online\n"
                   "backup API; safe while the server is running and writing.\n");
            return EXIT_OK;
        } else
            return cli_usage("backup", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind != argc - 1)
        return cli_usage("backup", "expected exactly one FILE to write");
    struct store *st;
    struct tb_err err = {0};
    if (cli_db_must_exist("backup", cli_db_path(db)) < 0)
        return EXIT_RUNTIME;
    if (store_open(cli_db_path(db), &st, &err) < 0)
        return cli_fail("backup", &err);
    int rc = store_backup(st, argv[optind], &err);
    store_close(st);
    if (rc < 0)
        return cli_fail("backup", &err);
    printf("backup written to %s\n", argv[optind]);
    return EXIT_OK;
}
