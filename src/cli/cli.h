/*
 * cli.h - subcommands of the tradebridge binary. Each takes argv with
 * argv[0] = the subcommand name and returns the process exit code:
 * 0 success, 1 runtime error, 2 usage error (one-line reason on stderr).
 */
#ifndef TB_CLI_H
#define TB_CLI_H

int cli_match_main(int argc, char **argv);
int cli_credential_main(int argc, char **argv);

#endif
