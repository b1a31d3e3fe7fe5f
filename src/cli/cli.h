/*
 * cli.h - subcommands of the tradebridge binary. Each takes argv with
 * argv[0] = the subcommand name and returns the process exit code:
 * 0 success, 1 runtime error, 2 usage error (one-line reason on stderr).
 */
#ifndef TB_CLI_H
#define TB_CLI_H

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
int cli_trade_main(int argc, char **argv);

/* Shared by the subcommands (cli_common.c). */
const char *cli_db_path(const char *flag_value);   /* --db, else TRADEBRIDGE_DB, else default */
/* Opens and migrates; prints the reason and returns NULL on failure. */
struct store *cli_open_store(const char *cmd, const char *db_path);
int cli_fail(const char *cmd, const struct tb_err *err);   /* prints, returns EXIT_RUNTIME */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reads one line (a password) from stdin without the newline. */
int cli_read_secret(char *buf, size_t n);

#endif
