/*
 * impact.h - the store side of impact (issue 14): company baselines,
 * programme cost per placement, follow-up surveys answered by signed
 * single-use link, the comparison group, the operator's impact settings, and
 * the per-placement rows the measures are computed from. The caller
 * (src/service/impact_service.c) has checked every value.
 */
#ifndef TB_STORE_IMPACT_H
#define TB_STORE_IMPACT_H

#include "store/store.h"

/* b: {year, currency, turnover_minor, employees, fte, sales: [...]}; a
 * company user only its own company (404 otherwise). Audited. */
int store_impact_baseline_put(struct store *st, const struct tb_actor *a, int64_t company_id, const json_t *b,
                              struct tb_err *err);
int store_impact_baseline_get(struct store *st, const struct tb_actor *a, int64_t company_id, json_t **out,
                              struct tb_err *err);
/* c: {currency, operator_cost_minor, company_fee_minor, grants_minor}. Audited. */
int store_impact_cost_put(struct store *st, const struct tb_actor *a, int64_t placement_id, const json_t *c,
                          struct tb_err *err);
int store_impact_cost_get(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                          struct tb_err *err);

/* A survey of a placement for a respondent and wave (409 when one was sent
 * already: remind instead). Audited without the address. */
int store_impact_survey_create(struct store *st, const struct tb_actor *a, int64_t placement_id,
                               const char *respondent, const char *wave, const char *email,
                               const char *token_hash, int64_t expires_at, int64_t *id, struct tb_err *err);
/* The survey a link names: 404 unknown, 410 link_gone when submitted or expired. */
int store_impact_survey_peek(struct store *st, const char *token_hash, json_t **out, struct tb_err *err);
/* Saves the answers (submit: fixes them); 410 when the link was used or expired meanwhile. */
int store_impact_survey_save(struct store *st, const char *token_hash, const json_t *answers, int submit,
                             struct tb_err *err);
/* The same, audited (under the survey's operator, by the link) in one transaction. */
int store_impact_survey_answered(struct store *st, const char *token_hash, const json_t *answers, int submit,
                                 const char *client_addr, struct tb_err *err);
/* The surveys the actor may read (a company its own company's, a trainee
 * their own); placement_id 0 = all. */
int store_impact_survey_list(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                             struct tb_err *err);
/* Unanswered surveys last mailed before `before` (ISO time) with fewer than
 * max reminders; renew gives one a new link (the old one stops working). */
int store_impact_survey_due(struct store *st, const struct tb_actor *a, const char *before, int max,
                            json_t **out, struct tb_err *err);
int store_impact_survey_renew(struct store *st, const struct tb_actor *a, int64_t id, const char *token_hash,
                              int64_t expires_at, struct tb_err *err);

/* [{placement_id, org_id, wave, respondent}]: surveys the operator's
 * schedule says are due (within the last 60 days) and were not sent. */
int store_impact_surveys_unsent(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err);

/* Per placement (signed, completed, terminated) of org_id (0 = every
 * operator the actor reaches): cohort, year, country, region, nace,
 * baseline (its base-year export total as stored), cost, the submitted
 * answers of `wave` and how many were asked; only placements whose `wave`
 * follow-up is due (ended 0/6/12/24 months ago). Plain values, read from
 * the columns without building a JSON object per row; strings are valid
 * during the call, NULL when the column is. */
struct impact_row {
    int64_t placement_id, org_id, company_id;
    const char *cohort, *country, *region, *nace;
    int year;
    int base_year;                 /* 0: no baseline */
    const char *base_currency;     /* NULL: no baseline */
    double base_total;             /* minor units of base_currency */
    int64_t employees;
    const char *cost_currency;     /* NULL: no cost */
    int64_t operator_cost_minor, company_fee_minor;
    const char *company_answers, *trainee_answers;   /* JSON text of submitted answers, or NULL */
    int64_t company_asked, trainee_asked;
};

/* The rows one at a time, without holding them all: fn gets each row (valid
 * during the call); a negative return stops and is returned. fn runs inside
 * a JSON arena window (core/json_arena.h): JSON it keeps must be made under
 * json_arena_suspend(). */
typedef int (*impact_row_fn)(void *ctx, const struct impact_row *row, struct tb_err *err);
int store_impact_rows_each(struct store *st, const struct tb_actor *a, int64_t org_id, const char *wave,
                           impact_row_fn fn, void *ctx, struct tb_err *err);

/* row: {ref, source, nace, employees, currency, base_year, baseline_minor,
 * followup_minor, jobs_base?, jobs_followup?}; a later row of the same ref replaces it. */
int store_impact_comparison_put(struct store *st, const struct tb_actor *a, int64_t org_id, const json_t *row,
                                struct tb_err *err);
int store_impact_comparison_list(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **out,
                                 struct tb_err *err);

/* {waves: [...], min_cell, currency}; *out = NULL when never stored. */
int store_impact_settings_get(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **out,
                              struct tb_err *err);
int store_impact_settings_put(struct store *st, const struct tb_actor *a, int64_t org_id, const json_t *doc,
                              struct tb_err *err);

#endif
