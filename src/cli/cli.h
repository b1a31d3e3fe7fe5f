/*
 * cli.h - subcommands of the tradebridge binary. Each takes argv with
 * argv[0] = the subcommand name and returns the process exit code:
 * 0 success, 1 runtime error, 2 usage error (one-line reason on stderr).
 */
#ifndef TB_CLI_H
#define TB_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <zlib.h>

#include "core/error.h"
#include "store/store.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

int cli_serve_main(int argc, char **argv);
int cli_migrate_main(int argc, char **argv);
int cli_demo_main(int argc, char **argv);
int cli_org_main(int argc, char **argv);
int cli_user_main(int argc, char **argv);
int cli_token_main(int argc, char **argv);
int cli_backup_main(int argc, char **argv);
int cli_match_main(int argc, char **argv);
int cli_credential_main(int argc, char **argv);
int cli_impact_main(int argc, char **argv);
int cli_impact_report_main(int argc, char **argv);   /* cli_impact_report.c (issue 14) */
int cli_impact_remind_main(int argc, char **argv);
int cli_impact_comparison_main(int argc, char **argv);
int cli_impact_baseline_main(int argc, char **argv);

/* The binary's subcommands, listed once in main.c for usage and the man page. */
struct cli_subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};
/* Writes the tradebridge(1) man page (roff) from the subcommand table and the
 * server's option table, so the page, --help and the README cannot drift. */
void cli_print_man(FILE *f, const struct cli_subcommand *cmds, size_t n, const char *version);
int cli_routes_main(int argc, char **argv);
int cli_trade_main(int argc, char **argv);
int cli_fx_main(int argc, char **argv);
int cli_todo_main(int argc, char **argv);   /* issue 17: to-do mail */
/* The ECB rates shipped in data/fx (compiled in) into the database. */
struct store;
struct tb_err;
int cli_fx_load_embedded(struct store *st, struct tb_err *err);

/* Shared by the subcommands (cli_common.c). */
const char *cli_db_path(const char *flag_value);   /* --db, else TRADEBRIDGE_DB, else default */
/* Opens and migrates an existing database; a missing file is an error. */
struct store *cli_open_store(const char *cmd, const char *db_path);
/* The same, creating the file when missing (commands that start an installation). */
struct store *cli_create_store(const char *cmd, const char *db_path);
/* 0 when the database file exists; else prints why and returns -1. */
int cli_db_must_exist(const char *cmd, const char *db_path);
/* Takes DB.lock for the rest of the process: one server (or demo build) per
 * database file. Other commands (backup, org list, ...) do not take it.
 * Prints a one-line reason and returns -1 when another process holds it. */
int cli_lock_db(const char *cmd, const char *db_path);
int cli_fail(const char *cmd, const struct tb_err *err);   /* prints, returns EXIT_RUNTIME */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reads one line (a password) from stdin without the newline. */
/* FILE, or stdin for "-", whole and NUL-terminated (malloc'd); NULL with errno
 * set (EFBIG past max bytes). */
char *cli_read_file(const char *path, size_t max, size_t *len);
/* The whole of a gzip (or plain) stream, at most max bytes, NUL-terminated
 * (malloc'd); NULL with *why (a one-line reason) otherwise. Closes gz. */
char *cli_gz_slurp(gzFile gz, size_t max, size_t *len, const char **why);
int cli_read_secret(char *buf, size_t n);
/* An operator named by its id or its name; -1 with err when there is none. */
int cli_resolve_org(struct store *st, const char *org, int64_t *id, struct tb_err *err);
/* arena_new for a subcommand. Allocation-failure policy of the command line:
 * a failure it cannot hand back (here, at the start of a command) ends the
 * process with a one-line reason and exit status 1. */
struct arena *cli_arena_new(const char *cmd, size_t cap_bytes);
/* Seconds on the monotonic clock, for the timings commands print. */
double cli_now(void);

/* tradebridge openapi (cli_routes.c): the OpenAPI document of the HTTP API */
int cli_openapi_main(int argc, char **argv);
/* the trade network (issue 15): cli_network.c */
int cli_network_main(int argc, char **argv);

int cli_db_main(int argc, char **argv);   /* cli_db.c: db copy (issue 18) */

#endif
