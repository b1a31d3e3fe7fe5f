/*
 * training.h - what the training handlers (issue 12) share with each other,
 * with h_cohorts.c and h_placements.c.
 */
#ifndef TB_TRAINING_H
#define TB_TRAINING_H

#include "http/http.h"
#include "service/deliverables_service.h"

/* A cohort naming "CODE@N": the version must exist for the operator; it is frozen. */
int training_cohort_curriculum(struct request *r, const json_t *body, const json_t *old, struct tb_err *err);

/* The curriculum's definition of a plan module (outcomes, competencies,
 * test settings with questions and keys, rubric), with "curriculum_ref". */
int training_module_definition(struct request *r, const json_t *module, json_t **def, struct tb_err *err);

/* A deliverable version of a plan module (the trainee's or staff's), with
 * an optional file, and the notice to the mentor: what
 * POST /api/v1/plan-modules/{id}/deliverable-versions does; the export plan
 * submits itself through it. */
int training_deliverable_submit(struct request *r, int64_t module_id, const char *body, const json_t *links,
                                const struct deliverable_file *file, int64_t *vid, struct tb_err *err);

#endif
