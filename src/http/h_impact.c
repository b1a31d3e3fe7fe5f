/*
 * h_impact.c - impact (issue 14): baselines, programme cost, follow-up
 * surveys (sent by a coordinator, answered by signed single-use link without
 * an account), the comparison group and the measures. The work is
 * src/service/impact_service.c; a funder (viewer) gets the measures with
 * small cells suppressed, always.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/codes.h"
#include "http/entity_http.h"
#include "http/handlers.h"
#include "service/impact_evidence.h"
#include "service/impact_report.h"
#include "service/impact_service.h"
#include "store/impact.h"

static const struct field_spec sale_item = {.type = FT_OBJECT, .items = (const struct field_spec[]){
    {.name = "market", .type = FT_CODE, .required = 1, .code_list = CODES_COUNTRY},
    {.name = "year", .type = FT_INT, .required = 1, .min = 1999, .max = 2100},
    {.name = "amount_minor", .type = FT_INT, .required = 1, .min = 0, .max = INT64_MAX / 4},
    {0}}};
const struct field_spec impact_baseline_fields[] = {
    {.name = "year", .type = FT_INT, .required = 1, .min = 2000, .max = 2100},
    {.name = "currency", .type = FT_CODE, .required = 1, .code_list = CODES_CURRENCY},
    {.name = "turnover_minor", .type = FT_INT, .required = 1, .min = 0, .max = INT64_MAX / 4},
    {.name = "employees", .type = FT_INT, .required = 1, .min = 0, .max = 10000000},
    {.name = "fte", .type = FT_NUMBER, .required = 1, .min = 0, .max = 10000000},
    {.name = "sales", .type = FT_ARRAY, .required = 1, .max = 600, .items = &sale_item},
    {0}};
#define MONEY(n) {.name = n, .type = FT_INT, .required = 1, .min = 0, .max = INT64_MAX / 4}
const struct field_spec impact_cost_fields[] = {
    {.name = "currency", .type = FT_CODE, .required = 1, .code_list = CODES_CURRENCY},
    MONEY("operator_cost_minor"), MONEY("company_fee_minor"), MONEY("grants_minor"), {0}};
#undef MONEY
const struct field_spec impact_survey_fields[] = {
    {.name = "respondent", .type = FT_ENUM, .required = 1, .allowed = impact_respondents},
    {.name = "wave", .type = FT_ENUM, .required = 1, .allowed = impact_waves},
    {.name = "email", .type = FT_EMAIL, .min = 3, .max = 254},
    {0}};
const struct field_spec impact_survey_open_fields[] = {
    {.name = "token", .type = FT_STRING, .required = 1, .min = 1, .max = 100}, {0}};
const struct field_spec impact_survey_answer_fields[] = {
    {.name = "token", .type = FT_STRING, .required = 1, .min = 1, .max = 100},
    {.name = "answers", .type = FT_OBJECT, .required = 1, .items = impact_any_answer},
    {.name = "submit", .type = FT_BOOL},
    {0}};
const struct field_spec impact_remind_fields[] = {
    {.name = "days", .type = FT_INT, .min = 0, .max = 365}, {0}};
const struct field_spec impact_settings_fields[] = {
    {.name = "currency", .type = FT_CODE, .required = 1, .code_list = CODES_CURRENCY},
    {.name = "min_cell", .type = FT_INT, .required = 1, .min = 3, .max = 100},
    {.name = "waves", .type = FT_ARRAY, .min = 1, .max = 4,
     .items = &(const struct field_spec){.type = FT_ENUM, .allowed = impact_waves}},
    {0}};

int h_impact_baseline_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *b;
    return store_impact_baseline_get(r->store, &r->actor, r->ids[0], &b, err) < 0 ? -1 : respond_json(res, 200, b);
}

int h_impact_baseline_put(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *b;
    return impact_baseline_put(r->store, &r->actor, r->ids[0], r->body, &b, err) < 0 ? -1 : respond_json(res, 200, b);
}

int h_impact_cost_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *c;
    return store_impact_cost_get(r->store, &r->actor, r->ids[0], &c, err) < 0 ? -1 : respond_json(res, 200, c);
}

int h_impact_cost_put(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *c;
    return impact_cost_put(r->store, &r->actor, r->ids[0], r->body, &c, err) < 0 ? -1 : respond_json(res, 200, c);
}

int h_impact_survey_send(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *out;
    if (impact_survey_send(r->store, &r->actor, r->ids[0], json_string_value(json_object_get(r->body, "respondent")),
                           json_string_value(json_object_get(r->body, "wave")),
                           json_string_value(json_object_get(r->body, "email")), r->cfg->public_url, &out, err) < 0)
        return -1;
    http_mail_wake();
    return respond_json(res, 201, out);
}

int h_impact_survey_list(struct request *r, struct response *res, struct tb_err *err)
{
    const char *p = req_query(r, "placement_id");
    char *end = NULL;
    long long id = p ? strtoll(p, &end, 10) : 0;
    if (p && (*end || id <= 0))
        return TB_INVALID(err, "placement_id", "placement_id: expected a placement id");
    json_t *items;
    if (store_impact_survey_list(r->store, &r->actor, id, &items, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:o}", "items", items));
}

int h_impact_survey_open(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *out;
    return impact_survey_open(r->store, json_string_value(json_object_get(r->body, "token")), &out, err) < 0
               ? -1
               : respond_json(res, 200, out);
}

int h_impact_survey_answer(struct request *r, struct response *res, struct tb_err *err)
{
    int submit = json_is_true(json_object_get(r->body, "submit"));
    if (impact_survey_answer(r->store, json_string_value(json_object_get(r->body, "token")),
                             json_object_get(r->body, "answers"), submit, r->client_addr, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:s}", "status", submit ? "submitted" : "saved"));
}

int h_impact_remind(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *d = json_object_get(r->body, "days");
    int sent = 0, fresh = 0, skipped = 0;
    if (impact_survey_send_due(r->store, &r->actor, r->cfg->public_url, &fresh, &skipped, err) < 0 ||
        impact_survey_remind(r->store, &r->actor, d ? (int)json_integer_value(d) : 7, r->cfg->public_url, &sent,
                             err) < 0)
        return -1;
    http_mail_wake();
    return respond_json(res, 200, json_pack("{s:i, s:i, s:i}", "sent", fresh, "without_address", skipped, "reminded",
                                            sent));
}

/* The operator a request is about: the actor's own, or (foundation) org_id. */
static int org_of(struct request *r, const json_t *v, int64_t *org, struct tb_err *err)
{
    *org = r->actor.tenant_id;
    if (json_is_integer(v) && json_integer_value(v) != r->actor.tenant_id) {
        if (!r->actor.all_tenants)
            return tb_error(err, TB_E_FORBIDDEN, "org_id", "org_id: you work for one operator only");
        *org = json_integer_value(v);
    }
    if (*org <= 0 && !r->actor.all_tenants)
        return TB_INVALID(err, "org_id", "org_id: name the operator");
    return 0;
}

int h_impact_comparison(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org;
    int n = 0;
    if (org_of(r, json_object_get(r->body, "org_id"), &org, err) < 0)
        return -1;
    if (org <= 0)
        return TB_INVALID(err, "org_id", "org_id: name the operator the firms compare with");
    if (impact_comparison_put(r->store, &r->actor, org, json_object_get(r->body, "firms"), &n, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:i}", "stored", n));
}

int h_impact_settings_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *s = NULL;
    if (!r->actor.all_tenants && r->ids[0] != r->actor.tenant_id)   /* not even the defaults of another operator */
        return TB_NOT_FOUND(err, "organization not found");
    if (store_impact_settings_get(r->store, &r->actor, r->ids[0], &s, err) < 0)
        return -1;
    return respond_json(res, 200, s ? s : json_pack("{s:s, s:i, s:[s,s,s,s]}", "currency", "EUR", "min_cell", 5,
                                                    "waves", "end", "m6", "m12", "m24"));
}

int h_impact_settings_put(struct request *r, struct response *res, struct tb_err *err)
{
    if (store_impact_settings_put(r->store, &r->actor, r->ids[0], r->body, err) < 0)
        return -1;
    return h_impact_settings_get(r, res, err);
}

/* The report's options from the query string: wave, currency, group, seed,
 * resamples, org_id (foundation), suppress (staff may preview what a funder
 * sees; a funder always gets it). */
int impact_query_opts(struct request *r, struct impact_opts *o, struct tb_err *err)
{
    memset(o, 0, sizeof *o);
    static const char *const groups[] = {"operator", "cohort", "year", "country", "region", "metro", "sector", NULL};
    const char *w = req_query(r, "wave"), *g = req_query(r, "group"), *c = req_query(r, "currency");
    int ok = !w;
    for (int i = 0; w && impact_waves[i]; i++)
        ok |= !strcmp(w, impact_waves[i]);
    if (!ok)
        return TB_INVALID(err, "wave", "wave: must be one of end, m6, m12, m24");
    ok = !g;
    for (int i = 0; g && groups[i]; i++)
        ok |= !strcmp(g, groups[i]);
    if (!ok)
        return TB_INVALID(err, "group", "group: must be one of operator, cohort, year, country, region, metro, sector");
    if (c && !codes_find(CODES_CURRENCY, c))
        return TB_INVALID(err, "currency", "currency: '%s' is not an ISO 4217 currency code", c);
    static const char *const nums[] = {"seed", "resamples", "org_id", NULL};
    long long v[3] = {0};
    for (int i = 0; nums[i]; i++) {
        const char *s = req_query(r, nums[i]);
        char *end;
        if (s && ((v[i] = strtoll(s, &end, 10)) <= 0 || *end || (i == 1 && v[i] > 100000)))
            return TB_INVALID(err, nums[i], "%s: expected a positive whole number%s", nums[i],
                              i == 1 ? " up to 100000" : "");
    }
    int64_t org;
    json_t *ov = v[2] ? json_integer(v[2]) : NULL;
    int rc = org_of(r, ov, &org, err);
    json_decref(ov);
    if (rc < 0)
        return -1;
    o->org_id = r->actor.all_tenants ? v[2] : org;
    o->wave = w;
    o->group = g;
    o->currency = c;
    o->seed = (unsigned long)v[0];
    o->resamples = (unsigned long)v[1];
    const char *sp = req_query(r, "suppress");
    o->suppress = !is_staff(r) || (sp && !strcmp(sp, "1"));
    return 0;
}

int h_impact_measures(struct request *r, struct response *res, struct tb_err *err)
{
    struct impact_opts o;
    json_t *out;
    if (impact_query_opts(r, &o, err) < 0 || impact_measures(r->store, &r->actor, &o, &out, err) < 0)
        return -1;
    return respond_json(res, 200, out);
}

/* GET /api/v1/impact/report?format=json|pdf|xlsx and the measures' options. */
int h_impact_report(struct request *r, struct response *res, struct tb_err *err)
{
    const char *f = req_query(r, "format");
    enum impact_format fmt = !f || !strcmp(f, "json") ? IMPACT_JSON : !strcmp(f, "pdf") ? IMPACT_PDF
                             : !strcmp(f, "xlsx") ? IMPACT_XLSX : IMPACT_FORMAT_NONE;
    if (fmt == IMPACT_FORMAT_NONE)
        return TB_INVALID(err, "format", "format: must be one of json, pdf, xlsx");
    struct impact_opts o;
    json_t *out;
    if (impact_query_opts(r, &o, err) < 0 || impact_measures(r->store, &r->actor, &o, &out, err) < 0)
        return -1;
    char *data = NULL;
    size_t len = 0;
    int rc = impact_report_render(out, fmt, &data, &len, err);
    json_decref(out);
    if (rc < 0)
        return -1;
    static const char *const types[] = {[IMPACT_JSON] = "application/json", [IMPACT_PDF] = "application/pdf",
                                        [IMPACT_XLSX] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};
    static const char *const exts[] = {[IMPACT_JSON] = "json", [IMPACT_PDF] = "pdf", [IMPACT_XLSX] = "xlsx"};
    res->status = 200;
    res->raw_owned = data;
    res->raw = data;
    res->raw_len = len;
    res->content_type = types[fmt];
    res->content_disposition = arena_printf(r->arena, "attachment; filename=\"impact-report.%s\"", exts[fmt]);
    res->cache_control = "private, no-store";
    return 0;
}

/* POST /api/v1/impact/comparison.csv (text/csv; ?org_id= for the foundation). */
static int csv_body(struct request *r, const char *what, struct tb_err *err)
{
    const char *ct = req_header(r, "Content-Type");
    if (!ct || strncasecmp(ct, "text/csv", 8))
        return tb_error(err, TB_E_UNSUPPORTED_MEDIA_TYPE, "Content-Type", "Content-Type: send the %s as text/csv", what);
    return 0;
}

int h_impact_comparison_csv(struct request *r, struct response *res, struct tb_err *err)
{
    if (csv_body(r, "firms", err) < 0)
        return -1;
    const char *o = req_query(r, "org_id");
    json_t *ov = o ? json_integer(strtoll(o, NULL, 10)) : NULL;
    int64_t org;
    int n = 0, rc = org_of(r, ov, &org, err);
    json_decref(ov);
    if (rc == 0 && org <= 0)
        rc = TB_INVALID(err, "org_id", "org_id: name the operator the firms compare with");
    if (rc == 0)
        rc = impact_comparison_csv(r->store, &r->actor, org, r->raw_body, r->raw_len, &n, err);
    return rc < 0 ? -1 : respond_json(res, 200, json_pack("{s:i}", "stored", n));
}

/* POST /api/v1/impact/export-sales.csv (text/csv): export sales per company,
 * market and year (baselines, earlier years, applicants' sales). */
int h_impact_sales_csv(struct request *r, struct response *res, struct tb_err *err)
{
    int n = 0;
    if (csv_body(r, "export sales", err) < 0 ||
        impact_sales_csv(r->store, &r->actor, r->raw_body, r->raw_len, &n, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:i}", "stored", n));
}
