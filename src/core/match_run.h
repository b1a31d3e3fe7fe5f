/*
 * match_run.h - one matching run of a cohort, from programme records to an
 * explained result: builds the explainable pair scores (match/score.h) for
 * every application, applies the coordinator's locks and vetoes, runs the
 * optimal assignment (match/assign.h) or stable matching (match/stable.h),
 * and explains every graduate's outcome in words.
 *
 * Pure: records in as JSON (the store's shapes), result out as JSON. The
 * same input gives the same result, and input_hash identifies the input.
 */
#ifndef TB_MATCH_RUN_H
#define TB_MATCH_RUN_H

#include <jansson.h>

#include "core/error.h"

/*
 * input: {"engine": "assign"|"stable",
 *         "options": {"mode": "full"|"partial"|"maxcard", "threshold": n,
 *                     "proposing": "candidates"|"positions", "tie_break": "id"|"lottery", "seed": n},
 *         "weights": {criterion: weight, ...} or null (defaults),
 *         "graduates": [...], "positions": [...], "applications": [...],
 *         "constraints": [{"graduate_id","position_id","kind": "lock"|"forbid"}]}
 * Applications in a final stage (accepted, declined, rejected, withdrawn) take
 * no part. *result receives {"summary", "pairs", "graduates", "forbidden"}.
 */
int match_run_compute(const json_t *input, json_t **result, struct tb_err *err);

/* SHA-256 (hex) of the canonical (sorted, compact) input. */
void match_run_input_hash(const json_t *input, char out[65]);

/* The score weights: defaults merged with an operator's {criterion: weight}. */
json_t *match_weights_effective(const json_t *stored);
/* Validates {criterion: weight 0..10000, "market_months_full", "start_grace_days"}. */
int match_weights_validate(const json_t *weights, struct tb_err *err);

#endif
