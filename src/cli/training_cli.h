/*
 * training_cli.h - the default curriculum (data/curriculum/default.json,
 * compiled in) imported into an operator; used by the CLI and the demo.
 */
#ifndef TB_TRAINING_CLI_H
#define TB_TRAINING_CLI_H

#include <jansson.h>

#include "core/auth.h"
#include "store/store.h"

/* *version: the imported (or unchanged) version, with its "ref". */
int training_import_default(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **version,
                            struct tb_err *err);
int cli_curriculum_main(int argc, char **argv);
int cli_training_main(int argc, char **argv);

#endif
