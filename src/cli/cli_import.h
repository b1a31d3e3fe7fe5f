/*
 * cli_import.h - `tradebridge import companies|graduates FILE --org ORG
 * [--dry-run] [--db PATH]` (cli_import.c). Exit 0 imported (or a clean dry
 * run), 1 when rows have errors or the run failed, 2 on usage.
 */
#ifndef TB_CLI_IMPORT_H
#define TB_CLI_IMPORT_H

int cli_import_main(int argc, char **argv);

#endif
