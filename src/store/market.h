/*
 * market.h - the store side of market selection (issue 13): an operator's
 * ranking weights and the export plans with their versions.
 */
#ifndef TB_STORE_MARKET_H
#define TB_STORE_MARKET_H

#include "store/store.h"

/* The operator's ranking weights as stored ({"size": 0.25, ...}), or
 * *out = NULL when the operator never set them (defaults apply). */
int store_trade_settings_get(struct store *st, const struct tb_actor *a, int64_t org_id,
                             json_t **out, struct tb_err *err);
int store_trade_settings_put(struct store *st, const struct tb_actor *a, int64_t org_id,
                             const json_t *weights, struct tb_err *err);

/* ---- tariffs entered by a person (core/trade/tariff.h) ----
 * Sets one (a checked body: market, product, rate_pct, source, as_of, origin?,
 * reference_pct?, elasticity?, company_id?), replacing the one with the same
 * operator, company, market, origin and product; audited. 404 when the
 * company is not the operator's (or not the actor's own). */
int store_tariff_set(struct store *st, const struct tb_actor *a, int64_t org_id, const json_t *t,
                     int64_t *id, struct tb_err *err);
/* The operator's tariffs and, with company_id, that company's; every=1 with
 * company_id 0 lists every company's as well. */
int store_tariff_list(struct store *st, const struct tb_actor *a, int64_t org_id, int64_t company_id, int every,
                      json_t **out, struct tb_err *err);
int store_tariff_delete(struct store *st, const struct tb_actor *a, int64_t org_id, int64_t id, struct tb_err *err);

/* ---- export plans ----
 * A plan row: {id, org_id, company_id, placement_id, title, status, doc,
 * created_at, updated_at, version, company_name}, doc as structure. Every
 * write also stores the new version whole (export_plan_versions) and audits
 * the change; the caller has checked the document. */
struct plan_write {
    int64_t org_id, company_id, placement_id;   /* create only; placement 0 = none */
    const char *title, *status;
    const json_t *doc;
    const char *change;                         /* created | updated | actuals */
};
int store_export_plan_create(struct store *st, const struct tb_actor *a, const struct plan_write *w,
                      int64_t *id, struct tb_err *err);
int store_export_plan_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                   struct tb_err *err);
/* f1 = company_id, f2 = status. */
int store_export_plan_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                    struct list_page *page, struct tb_err *err);
/* 412 when `version` is not the stored one. */
int store_export_plan_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                      const struct plan_write *w, json_t **out, struct tb_err *err);
/* {"draft": n, ...} over the actor's operator (what a funder sees). */
int store_export_plan_counts(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err);
/* The versions of a plan the actor can read: [{version, title, status, change,
 * changed_by, changed_by_name, changed_at}]; one version with its doc. */
int store_export_plan_versions(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                        struct tb_err *err);
int store_export_plan_version_get(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                           json_t **out, struct tb_err *err);

/* ---- ECB reference rates ---- */
struct fx_table;
/* Stores every rate of t (a later import replaces the same day's rate). */
int store_fx_put(struct store *st, const struct fx_table *t, struct tb_err *err);
/* The stored rates of the currencies named (a JSON array of codes). */
int store_fx_load(struct store *st, const json_t *currencies, struct fx_table *t, struct tb_err *err);
/* {currencies, days, first, last} */
int store_fx_summary(struct store *st, json_t **out, struct tb_err *err);

#endif
