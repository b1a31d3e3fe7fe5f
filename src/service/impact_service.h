/*
 * impact_service.h - impact (issue 14): baselines, programme cost, follow-up
 * surveys by signed single-use link (mail through the outbox, partial saves,
 * one answer per link, reminders) and the measures computed from them
 * (export change against baseline, attributable change, jobs as IRIS+
 * metrics, retention, satisfaction, NPS, ROI; bootstrap intervals and
 * medians; N and response rate on every figure; a matched comparison group
 * with difference-in-differences; small cells suppressed for funders).
 */
#ifndef TB_IMPACT_SERVICE_H
#define TB_IMPACT_SERVICE_H

#include <jansson.h>
#include <stdint.h>

#include "core/auth.h"
#include "core/error.h"
#include "core/validate.h"
#include "store/store.h"

#define IMPACT_LINK_TTL (30 * 86400)   /* a survey link works for 30 days */

extern const char *const impact_waves[];        /* end, m6, m12, m24 */
extern const char *const impact_respondents[];  /* company, trainee */
extern const struct field_spec impact_any_answer[];   /* every question of either survey, none required */

/* body: {year, currency, turnover_minor, employees, fte, sales:[{market, year, amount_minor}]};
 * sales years are `year` and the one before; the currency needs ECB rates for both. */
int impact_baseline_put(struct store *st, const struct tb_actor *a, int64_t company_id, const json_t *body,
                        json_t **out, struct tb_err *err);
int impact_cost_put(struct store *st, const struct tb_actor *a, int64_t placement_id, const json_t *body,
                    json_t **out, struct tb_err *err);
/* Mails the survey link (to `email`, or the company's first contact / the
 * trainee's address). *out: {id, placement_id, respondent, wave, expires_at}. */
int impact_survey_send(struct store *st, const struct tb_actor *a, int64_t placement_id, const char *respondent,
                       const char *wave, const char *email, const char *public_url, json_t **out,
                       struct tb_err *err);
/* What the link shows: {respondent, wave, answers, saved_at, questions}. */
int impact_survey_open(struct store *st, const char *token, json_t **out, struct tb_err *err);
/* Checks and saves answers (submit: complete and final). 400 naming
 * answers.FIELD, 422 no_exchange_rate, 410 link_gone; nothing stored on error.
 * Audited under the survey's operator (client_addr: the respondent's). */
int impact_survey_answer(struct store *st, const char *token, const json_t *answers, int submit,
                         const char *client_addr, struct tb_err *err);
/* New links for unanswered surveys last mailed `days` or more ago (at most
 * 3 reminders each); *sent = how many. */
int impact_survey_remind(struct store *st, const struct tb_actor *a, int days, const char *public_url, int *sent,
                         struct tb_err *err);
/* Sends every survey the operators' schedules say is due and was not sent
 * (to the company's first contact, the trainee's address); *skipped: those
 * without an address on record. */
int impact_survey_send_due(struct store *st, const struct tb_actor *a, const char *public_url, int *sent,
                           int *skipped, struct tb_err *err);
/* firms: [{ref, source, nace, employees, currency, base_year, baseline_minor, followup_minor}] */
int impact_comparison_put(struct store *st, const struct tb_actor *a, int64_t org_id, const json_t *firms,
                          int *count, struct tb_err *err);
/* The body of POST /impact/comparison: {org_id?, firms: [...]} (checked). */
extern const struct field_spec impact_comparison_fields[];
/* A register extract as CSV: header ref, source?, nace?, employees, currency,
 * base_year, baseline, followup (major units), jobs_base?, jobs_followup?;
 * checked whole (errors name the line), then stored as impact_comparison_put. */
int impact_comparison_csv(struct store *st, const struct tb_actor *a, int64_t org_id, const char *buf, size_t len,
                          int *count, struct tb_err *err);

struct impact_opts {
    int64_t org_id;         /* 0: every operator the actor reaches */
    const char *wave;       /* default m12 */
    const char *currency;   /* report currency; default the settings', else EUR */
    const char *group;      /* operator (default), cohort, year, country, region, sector */
    unsigned long seed;     /* default 20260101 */
    unsigned long resamples;/* default 10000 */
    int suppress;           /* funder-facing: small cells suppressed */
};
/* The report: {currency, wave, group, conversion, groups:[...], comparison, headline, iris}. */
int impact_measures(struct store *st, const struct tb_actor *a, const struct impact_opts *o, json_t **out,
                    struct tb_err *err);

#endif
