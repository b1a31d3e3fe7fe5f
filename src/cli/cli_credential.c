/* Temporary: replaced by the credential engine's CLI as it lands. */
#include <stdio.h>
#include "cli/cli.h"
int cli_credential_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "tradebridge credential: not available in this build\n");
    return 1;
}
