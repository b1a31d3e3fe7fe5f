/* Temporary: replaced by the match engine's CLI as it lands. */
#include <stdio.h>
#include "cli/cli.h"
int cli_match_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "tradebridge match: not available in this build\n");
    return 1;
}
