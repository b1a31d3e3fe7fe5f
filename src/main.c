/*
 * main.c - the tradebridge binary: one table of subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/training_cli.h"
#include "cli/cli_import.h"

#ifndef TB_VERSION
#define TB_VERSION "0.1.0"
#endif

static int version_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("tradebridge %s\n", TB_VERSION);
    return 0;
}

static const struct cli_subcommand subcommands[] = {
    {"serve", cli_serve_main, "run the HTTP server (JSON API and web UI)"},
    {"demo", cli_demo_main, "build a demonstration database and serve it"},
    {"migrate", cli_migrate_main, "apply database schema migrations"},
    {"org", cli_org_main, "add or list organizations (foundation, operators)"},
    {"user", cli_user_main, "add users, set passwords, list users"},
    {"token", cli_token_main, "create API tokens for scripts"},
    {"import", cli_import_main, "import companies or graduates from a CSV file (checked, all or nothing)"},
    {"backup", cli_backup_main, "write a consistent copy of the database (online)"},
    {"match", cli_match_main, "solve assignment and stable-matching problems from files"},
    {"credential", cli_credential_main, "sign, verify and canonicalize credentials"},
    {"impact", cli_impact_main, "impact: funder reports, survey reminders, baseline and comparison imports, estimators on files"},
    {"curriculum", cli_curriculum_main, "import or export a curriculum (JSON) of an operator"},
    {"training", cli_training_main, "queue due-date reminders of learning plans; export a cohort's results (CSV)"},
    {"routes", cli_routes_main, "print the HTTP route table with the roles each route admits"},
    {"trade", cli_trade_main, "import trade statistics (CEPII BACI) and rank export markets"},
    {"fx", cli_fx_main, "import ECB euro reference rates (export plans convert with them)"},
    {"openapi", cli_openapi_main, "print the OpenAPI 3.1 document of the HTTP API"},
    {"todo", cli_todo_main, "queue the to-do mail (new items, daily digests) in the outbox"},
    {"network", cli_network_main, "search the trade network's directory; remind introducers by mail"},
    {"db", cli_db_main, "copy an installation from SQLite to PostgreSQL, verified (db copy)"},
    {"version", version_main, "print the version"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: tradebridge COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        fprintf(f, "  %-12s %s\n", subcommands[i].name, subcommands[i].summary);
    fprintf(f, "\nRun 'tradebridge COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "man")) {   /* used by the build to make tradebridge.1 */
        cli_print_man(stdout, subcommands, sizeof subcommands / sizeof subcommands[0], TB_VERSION);
        return 0;
    }
    if (!strcmp(argv[1], "--version"))
        return version_main(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (!strcmp(argv[1], subcommands[i].name))
            return subcommands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "tradebridge: unknown command '%s' (try 'tradebridge --help')\n", argv[1]);
    return 2;
}
