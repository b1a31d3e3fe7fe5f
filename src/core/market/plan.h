/*
 * plan.h - the export plan (issue 13): its closed lists (entry modes,
 * Incoterms 2020 rules, cost stages, statuses), the checks a document needs
 * beyond its declared fields, the export price from ex-works to the chosen
 * rule, plan against actual in one currency, and the difference between two
 * versions. Money is in minor units of an ISO 4217 currency.
 */
#ifndef TB_MARKET_PLAN_H
#define TB_MARKET_PLAN_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "core/market/fx.h"

extern const char *const plan_statuses[];      /* draft, active, under_review, closed */
extern const char *const plan_entry_modes[];   /* direct_export, agent, distributor, ... */
extern const char *const plan_incoterms[];     /* the 11 rules of Incoterms 2020 */
extern const char *const plan_cost_stages[];   /* export_packaging ... duties, in order */

/* "2025-Q3" -> 2025, 3; -1 when malformed. */
int plan_quarter(const char *s, int *year, int *quarter);

/* Checks of a plan document that its field list cannot say: quarters as
 * YYYY-Qn, one entry per market and product, one target per quarter, price
 * lines in the price's currency, actuals only for the plan's markets and one
 * per (market, quarter, currency). Errors name the field
 * ("markets[1].targets[0].quarter"). */
int plan_check(const json_t *doc, struct tb_err *err);

/* The export price of one market at its Incoterms rule: {rule, currency,
 * ex_works_minor, seller_pays: [lines], buyer_pays: [lines], price_minor}.
 * NULL when the market has no price. */
json_t *plan_price(const json_t *market);
/* The document with each market's computed "price_at_rule" and its targets'
 * total ("targets_total_minor"), for display and exports. */
json_t *plan_decorate(const json_t *doc);

/* Plan against actual per market and quarter in `currency`, converting each
 * actual with the quarter's average ECB rates: {currency, basis, quarters:
 * [..], markets: [{country, product, rows: [{quarter, target_minor,
 * actual_minor, variance_minor, attainment}]}], totals: [..]}. A currency
 * without a rate in a quarter is an error naming the actual. */
int plan_progress(const json_t *doc, const struct fx_table *fx, const char *currency, json_t **out,
                  struct tb_err *err);

/* What changed from a to b: [{path, old, new}] (absent = null), paths like
 * "markets[0].incoterm". */
/* A market's channel partners from the network directory as one line,
 * "Name (Organisation); Name" (its channel_partner_contacts); "" when none. */
void plan_partner_contacts(const json_t *market, char *buf, size_t n);

json_t *plan_diff(const json_t *a, const json_t *b);

/* The plan as PDF (A4, cairo/pango, with the plan-vs-actual chart). `plan`
 * is the stored record; progress may be NULL (no chart). *pdf is malloc'd. */
int plan_pdf(const json_t *plan, const json_t *progress, unsigned char **pdf, size_t *len,
             struct tb_err *err);

#endif
