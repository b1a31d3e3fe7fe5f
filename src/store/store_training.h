/*
 * store_training.h - training (issue 12): curricula and versions, learning
 * plans, deliverables with versions, files, reviews and review links, test
 * attempts, competency ratings, progress. Every change is audited. Records
 * hanging off a placement are read only after the placement itself was read
 * through the entity scope (a trainee their own, a company its own, a
 * mentor those they supervise), so the row scope is the placement's.
 */
#ifndef TB_STORE_TRAINING_H
#define TB_STORE_TRAINING_H

#include "store/store.h"

/* ---- curricula ---- */
int store_curriculum_list(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err);
/* The curriculum with "versions": [{id, number, ref, status, cohorts, ...}]. */
int store_curriculum_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                         struct tb_err *err);
/* A new curriculum and its version 1 (a draft); content already validated. */
int store_curriculum_create(struct store *st, const struct tb_actor *a, int64_t org_id, const char *code,
                            const char *title, const json_t *content, int64_t *id, int64_t *version_id,
                            struct tb_err *err);
/* Import: a new curriculum, or a new version of the operator's curriculum with
 * that code (none when the latest version has the same content). *out: the version. */
int store_curriculum_import(struct store *st, const struct tb_actor *a, int64_t org_id, const char *code,
                            const char *title, const json_t *content, json_t **out, struct tb_err *err);
int store_cversion_add(struct store *st, const struct tb_actor *a, int64_t curriculum_id, const json_t *content,
                       int64_t *version_id, struct tb_err *err);
/* A version with "content" as structure. */
int store_cversion_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err);
/* "CODE@N" as an operator's cohort names it; 404 when unknown. */
int store_cversion_by_ref(struct store *st, const struct tb_actor *a, int64_t org_id, const char *ref,
                          json_t **out, struct tb_err *err);
/* Edits a draft (412 on a stale version); a frozen version is left as it is and
 * the edit becomes a new draft (*new_id set, else 0). */
int store_cversion_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                          const json_t *content, int64_t *new_id, struct tb_err *err);
int store_cversion_freeze(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err);

/* ---- learning plans ---- */
/* Creates the plan of a placement from its cohort's curriculum version
 * (modules with dates spread over the placement, deliverables as the
 * curriculum words them, electives not chosen). *created = 0 when the
 * cohort names no curriculum version or the plan exists. */
int store_plan_create(struct store *st, const struct tb_actor *a, int64_t placement_id, int *created,
                      struct tb_err *err);
/* The plan follows the placement's cohort into another curriculum version:
 * modules with the same code keep their dates, adapted deliverable, state and
 * work (position, title, mandatory and weights from the new version); new
 * ones are added as store_plan_create words them; the others are dropped, or,
 * where work was done in them, kept out of the plan (not chosen). Audited on
 * the learning plan. *changed = 0 when there is no plan, the cohort names no
 * curriculum version, or the plan follows that version already. */
int store_plan_rebase(struct store *st, const struct tb_actor *a, int64_t placement_id, int *changed,
                      struct tb_err *err);
/* {"plan": {...} | null, "modules": [...]} of a placement the actor may read. */
int store_plan_get(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                   struct tb_err *err);
/* A plan module the actor may read (the placement's scope). */
int store_plan_module_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                          struct tb_err *err);
/* changes: planned_start, due_date, deliverable, selected. */
int store_plan_module_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                             const json_t *changes, json_t **out, struct tb_err *err);

/* ---- the plan in the signed agreement (agreement_plan_terms) ---- */
/* The plan's terms as all three parties accepted them (at signing, or an amendment). */
int store_plan_accepted_set(struct store *st, const struct tb_actor *a, int64_t placement_id, const json_t *terms,
                            const char *hash, struct tb_err *err);
/* A party's acceptance of the amended plan (409 already_accepted); audited. */
int store_plan_acceptance_add(struct store *st, const struct tb_actor *a, int64_t org_id, int64_t placement_id,
                              const char *party, const char *plan_hash, struct tb_err *err);
int store_plan_acceptance_list(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                               struct tb_err *err);
int store_plan_acceptance_clear(struct store *st, const struct tb_actor *a, int64_t placement_id, struct tb_err *err);

/* ---- deliverables ---- */
int store_deliverable_submit(struct store *st, const struct tb_actor *a, int64_t module_id, const char *body,
                             const json_t *links, int64_t *version_id, struct tb_err *err);
/* Versions (each with "files") and reviews of a module. */
int store_deliverable_history(struct store *st, const struct tb_actor *a, int64_t module_id, json_t **versions,
                              json_t **reviews, struct tb_err *err);
int store_deliverable_version_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                                  struct tb_err *err);
int store_deliverable_file_add(struct store *st, const struct tb_actor *a, int64_t version_id, const char *name,
                               const char *mime, const void *data, size_t len, int64_t *id, struct tb_err *err);
/* *data malloc'd; *meta: {id, version_id, name, mime, size, sha256, plan_module_id}. */
int store_deliverable_file_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **meta, void **data,
                               size_t *len, struct tb_err *err);
struct review_in {
    int64_t reviewer_id;        /* 0 for a review link */
    const char *reviewer_name;
    const char *via;            /* mentor, coordinator, link */
    const char *decision;       /* approve, request_changes */
    const json_t *comments;     /* [{"on","text"}] */
    const json_t *rubric;       /* {"criterion id": level index} or NULL */
    int rubric_percent;         /* -1 when no rubric */
};
/* Reviews the version (only the latest, only once); moves the module. */
int store_deliverable_review(struct store *st, const struct tb_actor *a, int64_t version_id,
                             const struct review_in *rv, struct tb_err *err);
int store_review_link_create(struct store *st, const struct tb_actor *a, int64_t version_id, const char *email,
                             const char *name, const char *token_hash, int64_t expires_at, struct tb_err *err);
/* The link's row (id, org_id, version_id, email, name) without using it;
 * 404/410 with the reason when unknown, used or expired. */
int store_review_link_peek(struct store *st, const char *token_hash, json_t **out, struct tb_err *err);
int store_review_link_claim(struct store *st, const char *token_hash, json_t **out, struct tb_err *err);

/* ---- tests ---- */
int store_attempt_start(struct store *st, const struct tb_actor *a, int64_t module_id, int64_t seed,
                        const json_t *order, int64_t deadline, int64_t *id, struct tb_err *err);
int store_attempt_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err);
int store_attempt_list(struct store *st, const struct tb_actor *a, int64_t module_id, json_t **out,
                       struct tb_err *err);
/* state: passed, failed or grading; updates the module's test state and result. */
int store_attempt_submit(struct store *st, const struct tb_actor *a, int64_t id, const json_t *answers, int score,
                         int max_score, const char *state, struct tb_err *err);

/* A person's points for the short answers: passed or failed by the final score. */
int store_attempt_grade(struct store *st, const struct tb_actor *a, int64_t id, const json_t *graded, int score,
                        const char *state, struct tb_err *err);

/* ---- competency ratings ---- */
int store_rating_put(struct store *st, const struct tb_actor *a, int64_t placement_id, const char *competency,
                     const char *kind, int level, struct tb_err *err);
int store_rating_list(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                      struct tb_err *err);

/* ---- progress ---- */
/* The cohort grid, one row per trainee and module, by trainee then plan
 * position; the strings live until fn returns. fn returns -1 to stop. */
struct grid_row {
    int64_t placement_id;
    const char *trainee, *code, *state, *test_state, *last_activity;
    int has_result, result, selected, late;
};
typedef int (*grid_row_fn)(void *ctx, const struct grid_row *row);
int store_progress_grid(struct store *st, const struct tb_actor *a, int64_t cohort_id, grid_row_fn fn, void *ctx,
                        struct tb_err *err);
int store_progress_counts(struct store *st, const struct tb_actor *a, json_t **rows, struct tb_err *err);

/* ---- due-date reminders ---- */
/* Modules due within `days` or late, not done, not reminded today:
 * [{id, org_id, code, title, due_date, state, trainee, email}]. */
int store_reminders_due(struct store *st, const struct tb_actor *a, int days, json_t **out, struct tb_err *err);
int store_reminder_sent(struct store *st, const struct tb_actor *a, int64_t module_id, struct tb_err *err);

/* A notice about a training record, filed under the record's operator
 * org_id: to an address, or to the user or trainee the record names, whose
 * address the store reads (with the elevation ELEV_TRAINING_NOTICE). No
 * address: nothing queued, 0. */
struct notice_to {
    const char *email;
    int64_t user_id, graduate_id;
};
int store_training_notice(struct store *st, const struct tb_actor *a, int64_t org_id, const struct notice_to *to,
                          const char *subject, const char *body, struct tb_err *err);

#endif
