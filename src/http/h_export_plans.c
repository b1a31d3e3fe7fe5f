/*
 * h_export_plans.c - the export plan as a living record (issue 13):
 *   GET/POST /api/v1/export-plans, GET/PUT /api/v1/export-plans/{id},
 *   POST .../{id}/actuals (JSON) and .../{id}/actuals.csv, GET .../{id}/versions[/{v}],
 *   .../{id}/diff?from=&to=, .../{id}/progress?currency=, .../{id}/plan.pdf|plan.xlsx,
 *   GET /api/v1/export-plan-counts (a funder's view), GET /api/v1/fx (ECB rates).
 * Staff and the placement's trainee write the plan; the company enters its
 * actuals; every write is a new version (If-Match), audited; the store binds
 * tenant and role scope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/csv_import.h"
#include "core/market/plan.h"
#include "core/trade/csvrows.h"
#include "http/entity_http.h"
#include "http/export.h"
#include "http/handlers.h"
#include "http/plan_ranking.h"
#include "http/plan_xlsx.h"
#include "http/training.h"
#include "store/entity.h"
#include "store/store_training.h"
#include "store/market.h"

/* ---- declared fields ---- */
#define MONEY(n, req, cap) {.name = n, .type = FT_INT, .required = req, .min = 0, .max = cap}
#define NUM(n, lo, hi) {.name = n, .type = FT_NUMBER, .min = lo, .max = hi}
static const struct field_spec ranking_fields[] = {
    {.name = "rank", .type = FT_INT, .min = 1, .max = 100000}, {.name = "of", .type = FT_INT, .min = 1, .max = 100000},
    NUM("score", 0, 100), NUM("import_value", 0, 1000000000000LL), NUM("home_exports", 0, 1000000000000LL),
    NUM("home_share", 0, 1), NUM("potential", 0, 1000000000000LL), NUM("untapped", 0, 1000000000000LL),
    NUM("import_cagr", -1, 100), NUM("distw_km", 0, 40000), {.name = "suppliers", .type = FT_INT, .min = 0, .max = 1000},
    NUM("hhi", 0, 1), {.name = "home", .type = FT_STRING, .max = 3}, {.name = "years", .type = FT_STRING, .max = 20},
    {.name = "explanation", .type = FT_STRING, .max = 400}, {.name = "rank_explanation", .type = FT_STRING, .max = 400},
    {.name = "weights_source", .type = FT_STRING, .max = 20}, {.name = "taken_on", .type = FT_DATE},
    {.name = "synthetic", .type = FT_BOOL},
    /* set by the server (a client's snapshot is replaced): plan_ranking.c */
    {.name = "data_stamp", .type = FT_STRING, .max = 32}, {.name = "data_imported_at", .type = FT_STRING, .max = 40},
    {.name = "computed_by", .type = FT_STRING, .max = 20}, {.name = "unavailable", .type = FT_STRING, .max = 300},
    {.name = "data_changed", .type = FT_BOOL}, {.name = "data_imported_now", .type = FT_STRING, .max = 40},
    {0},
};
static const struct field_spec price_line_fields[] = {
    {.name = "label", .type = FT_STRING, .required = 1, .min = 1, .max = 120},
    {.name = "stage", .type = FT_ENUM, .required = 1, .allowed = plan_cost_stages},
    MONEY("amount_minor", 1, 10000000000000LL),
    {.name = "currency", .type = FT_CODE, .code_list = CODES_CURRENCY}, {0},
};
static const struct field_spec price_line_item = {.type = FT_OBJECT, .items = price_line_fields};
static const struct field_spec price_fields[] = {
    {.name = "currency", .type = FT_CODE, .required = 1, .code_list = CODES_CURRENCY},
    {.name = "unit", .type = FT_STRING, .min = 1, .max = 40},
    MONEY("ex_works_minor", 1, 10000000000000LL),
    {.name = "lines", .type = FT_ARRAY, .max = 30, .items = &price_line_item}, {0},
};
static const struct field_spec target_fields[] = {
    {.name = "quarter", .type = FT_STRING, .required = 1, .min = 1, .max = 7},
    MONEY("amount_minor", 1, 1000000000000000LL), {0},
};
static const struct field_spec target_item = {.type = FT_OBJECT, .items = target_fields};
static const struct field_spec contact_id_item = {.type = FT_INT, .min = 1, .max = INT64_MAX};
static const struct field_spec partner_contact_fields[] = {
    {.name = "id", .type = FT_INT, .min = 1, .max = INT64_MAX}, {.name = "name", .type = FT_STRING, .max = 300},
    {.name = "organisation", .type = FT_STRING, .max = 300}, {.name = "category", .type = FT_STRING, .max = 40},
    {.name = "country", .type = FT_STRING, .max = 2}, {0},
};
static const struct field_spec partner_contact_item = {.type = FT_OBJECT, .items = partner_contact_fields};
static const struct field_spec market_fields[] = {
    {.name = "country", .type = FT_CODE, .required = 1, .code_list = CODES_COUNTRY},
    {.name = "product", .type = FT_CODE, .required = 1, .code_list = CODES_HS},
    {.name = "rationale", .type = FT_TEXT, .required = 1, .min = 1, .max = 5000},
    {.name = "ranking", .type = FT_OBJECT, .items = ranking_fields},
    {.name = "entry_mode", .type = FT_ENUM, .required = 1, .allowed = plan_entry_modes},
    {.name = "incoterm", .type = FT_ENUM, .required = 1, .allowed = plan_incoterms},
    {.name = "named_place", .type = FT_STRING, .required = 1, .min = 1, .max = 200},
    {.name = "channel_partners", .type = FT_TEXT, .max = 5000},   /* free text: partners not in the directory */
    /* contacts of the operator's network directory; the store checks them and
     * keeps their name and organisation in channel_partner_contacts (a client
     * sending that back has it replaced) */
    {.name = "channel_partner_contact_ids", .type = FT_ARRAY, .max = 20, .items = &contact_id_item},
    {.name = "channel_partner_contacts", .type = FT_ARRAY, .max = 20, .items = &partner_contact_item},
    {.name = "price", .type = FT_OBJECT, .items = price_fields},
    {.name = "targets", .type = FT_ARRAY, .max = 40, .items = &target_item}, {0},
};
static const struct field_spec market_item = {.type = FT_OBJECT, .items = market_fields};
static const struct field_spec budget_fields[] = {
    {.name = "label", .type = FT_STRING, .required = 1, .min = 1, .max = 120},
    MONEY("amount_minor", 1, 10000000000000LL), {0},
};
static const struct field_spec budget_item = {.type = FT_OBJECT, .items = budget_fields};
static const struct field_spec milestone_fields[] = {
    {.name = "title", .type = FT_STRING, .required = 1, .min = 1, .max = 200},
    {.name = "owner", .type = FT_STRING, .required = 1, .min = 1, .max = 200},
    {.name = "due", .type = FT_DATE, .required = 1},
    {.name = "done", .type = FT_BOOL}, {0},
};
static const struct field_spec milestone_item = {.type = FT_OBJECT, .items = milestone_fields};
static const struct field_spec actual_fields[] = {
    {.name = "market", .type = FT_CODE, .required = 1, .code_list = CODES_COUNTRY},
    {.name = "quarter", .type = FT_STRING, .required = 1, .min = 1, .max = 7},
    {.name = "currency", .type = FT_CODE, .required = 1, .code_list = CODES_CURRENCY},
    MONEY("amount_minor", 1, 1000000000000000LL), {0},
};
static const struct field_spec actual_item = {.type = FT_OBJECT, .items = actual_fields};

#define PLAN_DOC_FIELDS \
    {.name = "title", .type = FT_STRING, .required = 1, .min = 1, .max = 200}, \
    {.name = "status", .type = FT_ENUM, .allowed = plan_statuses}, \
    {.name = "currency", .type = FT_CODE, .required = 1, .code_list = CODES_CURRENCY}, \
    {.name = "home", .type = FT_CODE, .code_list = CODES_COUNTRY}, \
    {.name = "synthetic", .type = FT_BOOL}, \
    {.name = "markets", .type = FT_ARRAY, .max = 30, .items = &market_item}, \
    {.name = "budget", .type = FT_ARRAY, .max = 50, .items = &budget_item}, \
    {.name = "milestones", .type = FT_ARRAY, .max = 100, .items = &milestone_item}, \
    {.name = "notes", .type = FT_TEXT, .max = 20000}, \
    {.name = "ranking_data_changed", .type = FT_INT, .min = 0, .max = 1000}
const struct field_spec export_plan_create_fields[] = {
    {.name = "company_id", .type = FT_INT, .min = 1, .max = INT64_MAX},
    {.name = "placement_id", .type = FT_INT, .min = 1, .max = INT64_MAX},
    PLAN_DOC_FIELDS, {0},
};
const struct field_spec export_plan_update_fields[] = {
    {.name = "version", .type = FT_INT, .min = 1, .max = INT64_MAX},
    PLAN_DOC_FIELDS, {0},
};
const struct field_spec export_plan_submit_fields[] = {
    {.name = "plan_module_id", .type = FT_INT, .required = 1, .min = 1, .max = INT64_MAX},
    {.name = "note", .type = FT_TEXT, .max = 5000}, {0},
};
const struct field_spec export_plan_refresh_fields[] = {
    {.name = "version", .type = FT_INT, .min = 1, .max = INT64_MAX}, {0},
};
const struct field_spec export_plan_actuals_fields[] = {
    {.name = "version", .type = FT_INT, .min = 1, .max = INT64_MAX},
    {.name = "actuals", .type = FT_ARRAY, .required = 1, .min = 1, .max = 400, .items = &actual_item}, {0},
};
#undef MONEY
#undef NUM

/* ---- helpers ---- */

/* The document part of a body: every declared field but the record's own. */
static json_t *doc_of(const json_t *body, const json_t *actuals)
{
    json_t *doc = json_deep_copy(body);
    json_object_del(doc, "company_id");
    json_object_del(doc, "placement_id");
    json_object_del(doc, "version");
    json_object_del(doc, "ranking_data_changed");
    if (!json_object_get(doc, "status"))
        json_object_set_new(doc, "status", json_string("draft"));
    json_object_set_new(doc, "actuals", actuals ? json_deep_copy(actuals) : json_array());
    return doc;
}

/* The plan's doc with what is computed on reading: prices at the rule,
 * totals, and whether newer trade data came in since each ranking snapshot. */
static void decorate(struct request *r, json_t *plan)
{
    json_t *doc = json_object_get(plan, "doc");
    if (doc) {
        json_t *d = plan_decorate(doc);
        plan_snapshot_freshness(r, d);
        json_object_set_new(plan, "doc", d);
    }
}

static int plan_reply(struct request *r, struct response *res, int status, json_t *plan)
{
    decorate(r, plan);
    return entity_reply(r, res, status, plan);
}

/* The rates of every currency a plan uses (its own, its actuals', `extra`). */
static int load_fx(struct request *r, const json_t *doc, const char *extra, struct fx_table *fx,
                   struct tb_err *err)
{
    json_t *cur = json_array();
    json_array_append_new(cur, json_string(json_string_value(json_object_get(doc, "currency"))));
    if (extra)
        json_array_append_new(cur, json_string(extra));
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(doc, "actuals"), i, a)
        json_array_append(cur, json_object_get(a, "currency"));
    fx_init(fx);
    int rc = store_fx_load(r->store, cur, fx, err);
    json_decref(cur);
    return rc;
}

/* Every actual must be convertible into the plan's currency in its quarter. */
static int check_rates(struct request *r, const json_t *doc, struct tb_err *err)
{
    struct fx_table fx;
    json_t *p = NULL;
    int rc = load_fx(r, doc, NULL, &fx, err);
    if (rc == 0)
        rc = plan_progress(doc, &fx, json_string_value(json_object_get(doc, "currency")), &p, err);
    json_decref(p);
    fx_free(&fx);
    return rc;
}

/* ---- the record ---- */

int h_export_plan_list(struct request *r, struct response *res, struct tb_err *err)
{
    struct list_query q;
    struct list_page page;
    enum export_format fmt;
    if (req_list_query(r, &q, "company_id", "status", NULL, err) < 0 || export_format_of(r, &fmt, err) < 0)
        return -1;
    if (fmt)   /* ?format=csv|xlsx: every page as a download */
        return export_store_list(r, res, fmt, "export-plans", store_export_plan_list, &q, err);
    if (store_export_plan_list(r->store, &r->actor, &q, &page, err) < 0)
        return -1;
    return respond_page(res, &page);
}

int h_export_plan_counts(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *c;
    if (store_export_plan_counts(r->store, &r->actor, &c, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:o}", "export_plans", c));
}

int h_export_plan_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *plan;
    if (store_export_plan_get(r->store, &r->actor, r->ids[0], &plan, err) < 0)
        return -1;
    return plan_reply(r, res, 200, plan);
}

/* A plan is for a company, and for one of its placements when a trainee
 * writes it (a trainee names their placement; staff may name either). */
static int plan_owner(struct request *r, int64_t *org_id, int64_t *company_id, int64_t *placement_id,
                      struct tb_err *err)
{
    *company_id = json_integer_value(json_object_get(r->body, "company_id"));
    *placement_id = json_integer_value(json_object_get(r->body, "placement_id"));
    json_t *rec;
    if (*placement_id) {
        if (store_entity_get(r->store, &r->actor, ENT_PLACEMENT, *placement_id, &rec, err) < 0)
            return err->status == 404 ? TB_INVALID(err, "placement_id", "placement_id: no such placement") : -1;
        int64_t c = json_integer_value(json_object_get(rec, "company_id"));
        *org_id = json_integer_value(json_object_get(rec, "org_id"));
        json_decref(rec);
        if (*company_id && *company_id != c)
            return TB_INVALID(err, "company_id", "company_id: the placement is with another company");
        *company_id = c;
        return 0;
    }
    if (!is_staff(r))
        return TB_INVALID(err, "placement_id", "placement_id: is required (the placement the plan is for)");
    if (!*company_id)
        return TB_INVALID(err, "company_id", "company_id: is required (or placement_id)");
    if (store_entity_get(r->store, &r->actor, ENT_COMPANY, *company_id, &rec, err) < 0)
        return err->status == 404 ? TB_INVALID(err, "company_id", "company_id: no such company") : -1;
    *org_id = json_integer_value(json_object_get(rec, "org_id"));
    json_decref(rec);
    return 0;
}

int h_export_plan_create(struct request *r, struct response *res, struct tb_err *err)
{
    struct plan_write w = {.change = "created"};
    if (plan_owner(r, &w.org_id, &w.company_id, &w.placement_id, err) < 0)
        return -1;
    json_t *doc = doc_of(r->body, NULL);
    w.doc = doc;
    w.title = json_string_value(json_object_get(doc, "title"));
    w.status = json_string_value(json_object_get(doc, "status"));
    int64_t id;
    json_t *plan = NULL;
    int rc = plan_check(doc, err);
    if (rc == 0)
        rc = plan_snapshot_markets(r, doc, NULL, w.org_id, w.company_id, 0, err);
    if (rc == 0)
        rc = store_export_plan_create(r->store, &r->actor, &w, &id, err);
    json_decref(doc);
    if (rc < 0 || store_export_plan_get(r->store, &r->actor, id, &plan, err) < 0)
        return -1;
    res->location = arena_printf(r->arena, "/api/v1/export-plans/%lld", (long long)id);
    return plan_reply(r, res, 201, plan);
}

/* Writes a new version of the plan from `doc` (owned here). */
static int write_version(struct request *r, struct response *res, json_t *doc, const char *change,
                         int64_t version, struct tb_err *err)
{
    struct plan_write w = {.doc = doc, .change = change,
                           .title = json_string_value(json_object_get(doc, "title")),
                           .status = json_string_value(json_object_get(doc, "status"))};
    json_t *plan = NULL;
    int rc = plan_check(doc, err);
    if (rc == 0 && json_array_size(json_object_get(doc, "actuals")))
        rc = check_rates(r, doc, err);
    if (rc == 0)
        rc = store_export_plan_update(r->store, &r->actor, r->ids[0], version, &w, &plan, err);
    json_decref(doc);
    return rc < 0 ? -1 : plan_reply(r, res, 200, plan);
}

/* A new version with the ranking snapshots computed here: a chosen market
 * that is new (or every one, on refresh) gets the ranking's current word. */
static int write_snapshots(struct request *r, struct response *res, json_t *old, json_t *doc, const char *change,
                           int64_t version, int refresh, struct tb_err *err)
{
    int rc = plan_snapshot_markets(r, doc, json_object_get(old, "doc"), json_integer_value(json_object_get(old, "org_id")),
                                   json_integer_value(json_object_get(old, "company_id")), refresh, err);
    json_decref(old);
    if (rc < 0) {
        json_decref(doc);
        return -1;
    }
    return write_version(r, res, doc, change, version, err);
}

int h_export_plan_update(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t version;
    json_t *old;
    if (req_version(r, &version, err) < 0 || store_export_plan_get(r->store, &r->actor, r->ids[0], &old, err) < 0)
        return -1;
    json_t *doc = doc_of(r->body, json_object_get(json_object_get(old, "doc"), "actuals"));
    return write_snapshots(r, res, old, doc, "updated", version, 0, err);
}

/* POST .../{id}/ranking-refresh: every chosen market's snapshot from the
 * data stored now (after a newer import), as a new version. */
int h_export_plan_ranking_refresh(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t version;
    json_t *old;
    if (req_version(r, &version, err) < 0 || store_export_plan_get(r->store, &r->actor, r->ids[0], &old, err) < 0)
        return -1;
    json_t *doc = json_deep_copy(json_object_get(old, "doc"));
    return write_snapshots(r, res, old, doc, "ranking", version, 1, err);
}

/* The entries replace those of the same market, quarter and currency. */
static int merge_actuals(struct request *r, struct response *res, const json_t *entries, struct tb_err *err)
{
    int64_t version;
    json_t *old;
    if (req_version(r, &version, err) < 0 || store_export_plan_get(r->store, &r->actor, r->ids[0], &old, err) < 0)
        return -1;
    json_t *doc = json_deep_copy(json_object_get(old, "doc"));
    json_decref(old);
    json_t *actuals = json_object_get(doc, "actuals");
    if (!json_is_array(actuals)) {
        actuals = json_array();
        json_object_set_new(doc, "actuals", actuals);
    }
    size_t i, k;
    json_t *e, *a;
    json_array_foreach(entries, i, e) {
        int replaced = 0;
        json_array_foreach(actuals, k, a)
            if (json_equal(json_object_get(a, "market"), json_object_get(e, "market")) &&
                json_equal(json_object_get(a, "quarter"), json_object_get(e, "quarter")) &&
                json_equal(json_object_get(a, "currency"), json_object_get(e, "currency"))) {
                json_array_set(actuals, k, e);
                replaced = 1;
                break;
            }
        if (!replaced)
            json_array_append(actuals, e);
    }
    return write_version(r, res, doc, "actuals", version, err);
}

int h_export_plan_actuals(struct request *r, struct response *res, struct tb_err *err)
{
    return merge_actuals(r, res, json_object_get(r->body, "actuals"), err);
}

/* actuals.csv: market,quarter,currency,amount (major units, "12500.50"). */
struct csv_ctx {
    json_t *rows;
    int col[4];
};

static int csv_row(void *vctx, char **f, int n, long line, struct tb_err *err)
{
    static const char *const names[4] = {"market", "quarter", "currency", "amount"};
    struct csv_ctx *c = vctx;
    if (line == 1) {
        for (int k = 0; k < 4; k++) {
            c->col[k] = -1;
            for (int i = 0; i < n; i++)
                if (!strcmp(f[i], names[k]))
                    c->col[k] = i;
            if (c->col[k] < 0)
                return TB_INVALID(err, names[k], "line 1: the header needs the columns market, quarter, currency, "
                                  "amount (no column '%s')", names[k]);
        }
        return 0;
    }
    for (int k = 0; k < 4; k++)
        if (c->col[k] >= n)
            return TB_INVALID(err, names[k], "line %ld: %s: missing", line, names[k]);
    const char *cur = f[c->col[2]];
    int digits = codes_currency_minor_units(cur);
    if (digits < 0)
        return TB_INVALID(err, "currency", "line %ld: currency: '%s' is not an ISO 4217 currency", line, cur);
    long long minor;
    char why[120];
    if (csv_money_parse(f[c->col[3]], digits, &minor, why, sizeof why) < 0)
        return TB_INVALID(err, "amount", "line %ld: amount: %s", line, why);
    json_array_append_new(c->rows, json_pack("{s:s, s:s, s:s, s:I}", "market", f[c->col[0]], "quarter",
                                             f[c->col[1]], "currency", cur, "amount_minor", (json_int_t)minor));
    return 0;
}

int h_export_plan_actuals_csv(struct request *r, struct response *res, struct tb_err *err)
{
    const char *ct = req_header(r, "Content-Type");
    if (!ct || strncasecmp(ct, "text/csv", 8))
        return tb_error(err, TB_E_UNSUPPORTED_MEDIA_TYPE, "Content-Type", "Content-Type: send the actuals as text/csv");
    struct csv_ctx c = {.rows = json_array()};
    int rc = csvrows_each(r->raw_body, r->raw_len, ',', csv_row, &c, err);
    if (rc == 0 && !json_array_size(c.rows))
        rc = TB_INVALID(err, "", "body: no rows after the header");
    json_t *wrapped = rc == 0 ? json_pack("{s:O}", "actuals", c.rows) : NULL;
    if (wrapped)
        rc = validate_object(wrapped, export_plan_actuals_fields, 0, err);
    if (rc == 0)
        rc = merge_actuals(r, res, c.rows, err);
    json_decref(wrapped);
    json_decref(c.rows);
    return rc;
}

/* ---- versions ---- */

int h_export_plan_versions(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *v;
    if (store_export_plan_versions(r->store, &r->actor, r->ids[0], &v, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:o}", "items", v));
}

int h_export_plan_version_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *v;
    if (store_export_plan_version_get(r->store, &r->actor, r->ids[0], r->ids[1], &v, err) < 0)
        return -1;
    return respond_json(res, 200, v);
}

static int query_version(struct request *r, const char *name, int64_t *out, struct tb_err *err)
{
    const char *s = req_query(r, name);
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || *end || v < 1)
        return TB_INVALID(err, name, "%s: expected a version number", name);
    *out = v;
    return 0;
}

int h_export_plan_diff(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t from, to;
    json_t *a = NULL, *b = NULL;
    if (query_version(r, "from", &from, err) < 0 || query_version(r, "to", &to, err) < 0)
        return -1;
    if (store_export_plan_version_get(r->store, &r->actor, r->ids[0], from, &a, err) < 0 ||
        store_export_plan_version_get(r->store, &r->actor, r->ids[0], to, &b, err) < 0) {
        json_decref(a);
        return -1;
    }
    json_t *changes = plan_diff(json_object_get(a, "doc"), json_object_get(b, "doc"));
    json_t *out = json_pack("{s:I, s:I, s:O, s:O, s:o}", "from", (json_int_t)from, "to", (json_int_t)to,
                            "from_at", json_object_get(a, "changed_at"), "to_at", json_object_get(b, "changed_at"),
                            "changes", changes);
    json_decref(a);
    json_decref(b);
    return respond_json(res, 200, out);
}

/* ---- plan against actual, exports ---- */

static int progress_of(struct request *r, const json_t *plan, json_t **out, struct tb_err *err)
{
    const json_t *doc = json_object_get(plan, "doc");
    const char *cur = req_query(r, "currency");
    if (!cur)
        cur = json_string_value(json_object_get(doc, "currency"));
    if (!codes_find(CODES_CURRENCY, cur))
        return TB_INVALID(err, "currency", "currency: '%s' is not an ISO 4217 currency code", cur);
    struct fx_table fx;
    int rc = load_fx(r, doc, cur, &fx, err);
    if (rc == 0)
        rc = plan_progress(doc, &fx, cur, out, err);
    fx_free(&fx);
    return rc;
}

int h_export_plan_progress(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *plan, *p = NULL;
    if (store_export_plan_get(r->store, &r->actor, r->ids[0], &plan, err) < 0)
        return -1;
    int rc = progress_of(r, plan, &p, err);
    json_decref(plan);
    return rc < 0 ? -1 : respond_json(res, 200, p);
}

static int send_file(struct request *r, struct response *res, void *data, size_t len, const char *type,
                     const char *ext)
{
    res->status = 200;
    res->raw_owned = data;
    res->raw = data;
    res->raw_len = len;
    res->content_type = type;
    res->content_disposition = arena_printf(r->arena, "attachment; filename=\"export-plan-%lld.%s\"",
                                            (long long)r->ids[0], ext);
    res->cache_control = "private, no-store";
    return 0;
}

int h_export_plan_pdf(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *plan, *p = NULL;
    if (store_export_plan_get(r->store, &r->actor, r->ids[0], &plan, err) < 0)
        return -1;
    decorate(r, plan);
    unsigned char *pdf = NULL;
    size_t len = 0;
    int rc = progress_of(r, plan, &p, err);
    if (rc == 0)
        rc = plan_pdf(plan, p, &pdf, &len, err);
    json_decref(plan);
    json_decref(p);
    return rc < 0 ? -1 : send_file(r, res, pdf, len, "application/pdf", "pdf");
}

int h_export_plan_xlsx(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *plan, *p = NULL;
    if (store_export_plan_get(r->store, &r->actor, r->ids[0], &plan, err) < 0)
        return -1;
    decorate(r, plan);
    void *data = NULL;
    size_t len = 0;
    int rc = progress_of(r, plan, &p, err);
    if (rc == 0)
        rc = plan_xlsx(plan, p, &data, &len, err);
    json_decref(plan);
    json_decref(p);
    return rc < 0 ? -1
                  : send_file(r, res, data, len, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                              "xlsx");
}

/* GET /api/v1/fx?from=SEK&to=USD&date=2024-10-11 | &year=2024[&quarter=3]:
 * a cross rate (units of `to` per unit of `from`) on a date or the period's
 * average. */
int h_fx(struct request *r, struct response *res, struct tb_err *err)
{
    const char *from = req_query(r, "from"), *to = req_query(r, "to"), *date = req_query(r, "date");
    const char *year = req_query(r, "year"), *quarter = req_query(r, "quarter");
    if (!from || !codes_find(CODES_CURRENCY, from))
        return TB_INVALID(err, "from", "from: expected an ISO 4217 currency code");
    if (!to || !codes_find(CODES_CURRENCY, to))
        return TB_INVALID(err, "to", "to: expected an ISO 4217 currency code");
    if (!date == !year)
        return TB_INVALID(err, "date", "date: give a date (YYYY-MM-DD) or a year (and quarter)");
    json_t *cur = json_pack("[s,s]", from, to);
    struct fx_table fx;
    fx_init(&fx);
    int rc = store_fx_load(r->store, cur, &fx, err);
    json_decref(cur);
    double rate = 0, a = 0, b = 0;
    if (rc == 0 && date) {
        rc = fx_cross(&fx, from, to, date, &rate, "date", err);
    } else if (rc == 0) {
        char *e1, *e2 = (char *)"";
        long y = strtol(year, &e1, 10), q = quarter ? strtol(quarter, &e2, 10) : 0;
        if (*e1 || *e2 || (quarter && (q < 1 || q > 4)))
            rc = TB_INVALID(err, *e1 ? "year" : "quarter", "%s: expected a year and a quarter 1-4",
                            *e1 ? "year" : "quarter");
        if (rc == 0 && (fx_period_average(&fx, from, (int)y, (int)q, &a, "from", err) < 0 ||
                        fx_period_average(&fx, to, (int)y, (int)q, &b, "to", err) < 0))
            rc = -1;
        rate = rc == 0 ? b / a : 0;
    }
    fx_free(&fx);
    if (rc < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:f, s:s}", "from", from, "to", to,
                                            "date", date, "year", year, "quarter", quarter, "rate", rate, "source",
                                            "ECB euro foreign exchange reference rates"));
}

/* ---- the plan as the deliverable of the market modules ---- */

/* The modules of the default curriculum (data/curriculum/default.json) whose
 * workplace deliverable the export plan is: market research, market entry. */
static const char *const market_modules[] = {"MR", "MES", NULL};

/* Whether the module is one of the plan's placement (or, for a plan without
 * one, of a placement with the plan's company). */
static int module_fits(struct request *r, const json_t *plan, const json_t *m, struct tb_err *err)
{
    const char *code = json_string_value(json_object_get(m, "code"));
    int market = 0;
    for (int i = 0; market_modules[i]; i++)
        market |= code && !strcmp(code, market_modules[i]);
    if (!market)
        return tb_error(err, TB_E_CONFLICT, "plan_module_id", "plan_module_id: module %s is not a market module "
                        "(MR market research or MES market entry); the export plan is their deliverable", code ? code : "?");
    int64_t pm = json_integer_value(json_object_get(m, "placement_id"));
    int64_t pp = json_integer_value(json_object_get(plan, "placement_id"));
    if (pp)
        return pm == pp ? 0 : tb_error(err, TB_E_CONFLICT, "plan_module_id",
                                       "plan_module_id: the module is of another placement than the plan's");
    json_t *pl;
    if (store_entity_get(r->store, &r->actor, ENT_PLACEMENT, pm, &pl, err) < 0)
        return -1;
    int same = json_integer_value(json_object_get(pl, "company_id")) == json_integer_value(json_object_get(plan, "company_id"));
    json_decref(pl);
    return same ? 0 : tb_error(err, TB_E_CONFLICT, "plan_module_id",
                               "plan_module_id: the module's placement is with another company than the plan's");
}

/* POST /api/v1/export-plans/{id}/submit {plan_module_id, note?}: the plan's
 * current version as the deliverable of a market module - a deliverable
 * version (text naming the plan and version, with a link to it) with the
 * plan's PDF attached, reviewed like any other (h_deliverables.c). */
int h_export_plan_submit(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t module_id = json_integer_value(json_object_get(r->body, "plan_module_id")), vid;
    json_t *plan = NULL, *m = NULL, *p = NULL, *v = NULL;
    unsigned char *pdf = NULL;
    size_t len = 0;
    int rc = store_export_plan_get(r->store, &r->actor, r->ids[0], &plan, err);
    if (rc == 0 && (rc = store_plan_module_get(r->store, &r->actor, module_id, &m, err)) < 0 && err->status == 404)
        rc = TB_INVALID(err, "plan_module_id", "plan_module_id: no such module in a learning plan you can see");
    if (rc == 0)
        rc = module_fits(r, plan, m, err);
    if (rc == 0) {
        decorate(r, plan);
        rc = progress_of(r, plan, &p, err);
    }
    if (rc == 0)
        rc = plan_pdf(plan, p, &pdf, &len, err);
    if (rc == 0) {
        long long id = (long long)r->ids[0], ver = (long long)json_integer_value(json_object_get(plan, "version"));
        const json_t *doc = json_object_get(plan, "doc");
        char *text = arena_printf(r->arena, "Export plan \"%s\" (%s), version %lld, as the deliverable of %s %s.\n\n",
                                  json_string_value(json_object_get(plan, "title")),
                                  json_string_value(json_object_get(plan, "company_name")), ver,
                                  json_string_value(json_object_get(m, "code")), json_string_value(json_object_get(m, "title")));
        size_t i;
        json_t *mk;
        json_array_foreach(json_object_get(doc, "markets"), i, mk)
            text = arena_printf(r->arena, "%s- %s, HS %s: %s, Incoterms 2020 %s %s\n", text,
                                json_string_value(json_object_get(mk, "country")), json_string_value(json_object_get(mk, "product")),
                                json_string_value(json_object_get(mk, "entry_mode")), json_string_value(json_object_get(mk, "incoterm")),
                                json_string_value(json_object_get(mk, "named_place")));
        const char *note = json_string_value(json_object_get(r->body, "note"));
        text = arena_printf(r->arena, "%s\nThe plan with its versions and plan against actual: %s/#/export-plans/%lld "
                            "(this is version %lld; its PDF is attached).%s%s\n", text, r->cfg->public_url, id, ver,
                            note ? "\n\n" : "", note ? note : "");
        json_t *links = json_pack("[s]", arena_printf(r->arena, "%s/#/export-plans/%lld", r->cfg->public_url, id));
        struct deliverable_file f = {.name = arena_printf(r->arena, "export-plan-%lld-v%lld.pdf", id, ver),
                                     .mime = "application/pdf", .data = pdf, .len = len};
        rc = text && links && f.name ? training_deliverable_submit(r, module_id, text, links, &f, &vid, err)
                                     : TB_INTERNAL(err, "out of memory");
        json_decref(links);
    }
    if (rc == 0)
        rc = store_deliverable_version_get(r->store, &r->actor, vid, &v, err);
    json_decref(plan);
    json_decref(m);
    json_decref(p);
    free(pdf);
    if (rc < 0)
        return -1;
    res->location = arena_printf(r->arena, "/api/v1/deliverable-versions/%lld", (long long)vid);
    return respond_json(res, 201, json_pack("{s:o, s:I, s:I, s:s}", "deliverable_version", v, "plan_module_id",
                                            (json_int_t)module_id, "export_plan_id", (json_int_t)r->ids[0], "review",
                                            arena_printf(r->arena, "/#/plan-modules/%lld", (long long)module_id)));
}
