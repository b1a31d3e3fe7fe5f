/*
 * impact_evidence.h - impact's evidence beyond the surveys (issue 14): export
 * sales per company, market and year imported from CSV (baselines, the years
 * before for pre-period trends, and the firms that applied but were never
 * placed as comparison firms), learning (L2) and behaviour (L3) from the
 * training records, and introductions' outcomes from the trade network.
 */
#ifndef TB_IMPACT_EVIDENCE_H
#define TB_IMPACT_EVIDENCE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/auth.h"
#include "core/error.h"
#include "store/store.h"

/* CSV with the header company_id (or registration_number, used where
 * company_id is absent or empty), market, year, currency, amount (major
 * units; other columns are ignored). Checked whole - errors name the row
 * (as in a spreadsheet: the header is row 1) and the column - then stored in
 * one transaction (a later import of the same company, market and year
 * replaces the amount). */
int impact_sales_csv(struct store *st, const struct tb_actor *a, const char *buf, size_t len, int *count,
                     struct tb_err *err);

/* Yearly export sales per company in the report currency (minor units). */
struct impact_history {
    struct hist_company *c;
    size_t n;
    size_t unconverted;   /* company-years left out: no rate into the report currency */
};
struct hist_company {
    int64_t company_id, employees;
    int applied_year, placed, first, last;   /* first..last: years with sales */
    char nace[8], country[3];
    double *by_year;                          /* [year - first]; NAN where no row */
};

int impact_history_load(struct store *st, const struct tb_actor *a, int64_t org_id, const char *currency,
                        struct impact_history *h, struct tb_err *err);
void impact_history_free(struct impact_history *h);
const struct hist_company *impact_history_company(const struct impact_history *h, int64_t company_id);
/* The company's exports in `year` (report currency) or NAN. */
double impact_history_value(const struct impact_history *h, int64_t company_id, int year);
/* Companies that applied (submitted a position) and never had a placement,
 * with sales the year before they applied and the year they applied: firm
 * objects as the comparison group stores them (source applicant, amounts in
 * the report currency). */
json_t *impact_applicant_firms(const struct impact_history *h, const char *currency);
/* Mean exports by year relative to each firm's base year (participants: the
 * baseline year, else the year before the placement started; applicants:
 * the year before they applied), for participants and applicants, for every
 * relative year either has; NULL when neither has more than two. */
struct impact_participant {
    int64_t company_id;
    int base_year;   /* the baseline year, else the year before the placement started */
};
/* p[0..n-1]: the placements in placement order (a company's first one anchors it). */
json_t *impact_trend_years(const struct impact_history *h, const struct impact_participant *p, size_t n);
/* For funders: a mean over fewer than k firms becomes null (suppressed). */
void impact_trend_suppress(json_t *trends, unsigned k);

/* {learning: placement_id -> gain, behaviour: placement_id -> rating} lookups. */
int impact_training_load(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **out,
                         struct tb_err *err);
/* {n, companies, by_state: {state: n}, meetings, deals_started, deals_closed} */
int impact_introductions(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **out,
                         struct tb_err *err);

#endif
