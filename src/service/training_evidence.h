/*
 * training_evidence.h - what a placement's learning plan says about the
 * qualification (issue 12): whether it is complete (every mandatory and chosen
 * module with its deliverable approved and, where tested, its test passed),
 * the evidence of each approved deliverable (title, date, SHA-256 of the
 * approved version, never its content) and the competencies with the level
 * reached (the mentor's rating, else the trainee's final self-assessment).
 */
#ifndef TB_TRAINING_EVIDENCE_H
#define TB_TRAINING_EVIDENCE_H

#include "store/store.h"

/* *out: {"has_plan": false} for a placement without a plan (its cohort names
 * no curriculum version); else {"has_plan": true, "complete", "missing": [code],
 * "evidence": [{type, id (ni:///sha-256;...), name, description, genre, sha256, date,
 * module}], "competencies": [{id, title, levels, reached}], "curriculum_ref",
 * "curriculum_title"}. */
int training_evidence(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                      struct tb_err *err);

#endif
