/*
 * impact_service.c - see impact_service.h. Money is kept in minor units as
 * entered and converted to the report's currency with ECB yearly average
 * rates (core/market/fx.h) of the year each amount is for; the estimators
 * are core/impact (bootstrap BCa intervals, difference-in-differences with
 * CR1 clustered errors, small-cell suppression).
 */
#include "service/impact_service.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/codes.h"
#include "core/csv_import.h"
#include "core/trade/csvrows.h"
#include "core/impact/impact.h"
#include "core/impact/regions.h"
#include "core/json_arena.h"
#include "core/market/fx.h"
#include "core/msg.h"
#include "core/validate.h"
#include "store/entity.h"
#include "store/impact.h"
#include "store/market.h"
#include "service/impact_evidence.h"
#include "store/store_notify.h"

const char *const impact_waves[] = {"end", "m6", "m12", "m24", NULL};
const char *const impact_respondents[] = {"company", "trainee", NULL};
static const char *const satisfactions[] = {"exceeded", "met", "below", NULL};
static const char *const job_statuses[] = {"employed", "self_employed", "studying", "unemployed", "other", NULL};

static const struct field_spec sale_item = {.type = FT_OBJECT, .items = (const struct field_spec[]){
    {.name = "market", .type = FT_CODE, .required = 1, .code_list = CODES_COUNTRY},
    {.name = "amount_minor", .type = FT_INT, .required = 1, .min = 0, .max = INT64_MAX / 4},
    {.name = "currency", .type = FT_CODE, .required = 1, .code_list = CODES_CURRENCY},
    {.name = "year", .type = FT_INT, .required = 1, .min = 1999, .max = 2100},
    {0}}};
static const struct field_spec company_answers[] = {
    {.name = "export_sales", .type = FT_ARRAY, .required = 1, .max = 300, .items = &sale_item},
    {.name = "jobs_created_fte", .type = FT_NUMBER, .required = 1, .min = 0, .max = 100000},
    {.name = "jobs_kept_fte", .type = FT_NUMBER, .required = 1, .min = 0, .max = 100000},
    {.name = "kept_on", .type = FT_BOOL, .required = 1},
    {.name = "attribution_pct", .type = FT_INT, .required = 1, .min = 0, .max = 100},
    {.name = "satisfaction", .type = FT_ENUM, .required = 1, .allowed = satisfactions},
    {.name = "nps", .type = FT_INT, .required = 1, .min = 0, .max = 10},
    {0}};
static const struct field_spec trainee_answers[] = {
    {.name = "job_status", .type = FT_ENUM, .required = 1, .allowed = job_statuses},
    {.name = "role", .type = FT_STRING, .max = 200},
    {.name = "export_job", .type = FT_BOOL, .required = 1},
    {.name = "country", .type = FT_CODE, .required = 1, .code_list = CODES_COUNTRY},
    {.name = "satisfaction", .type = FT_ENUM, .required = 1, .allowed = satisfactions},
    {.name = "nps", .type = FT_INT, .required = 1, .min = 0, .max = 10},
    {0}};

/* Every question of either survey, none required: what the route accepts
 * before the survey's own rules apply. */
const struct field_spec impact_any_answer[] = {
    {.name = "export_sales", .type = FT_ARRAY, .max = 300, .items = &sale_item},
    {.name = "jobs_created_fte", .type = FT_NUMBER, .min = 0, .max = 100000},
    {.name = "jobs_kept_fte", .type = FT_NUMBER, .min = 0, .max = 100000},
    {.name = "kept_on", .type = FT_BOOL},
    {.name = "attribution_pct", .type = FT_INT, .min = 0, .max = 100},
    {.name = "satisfaction", .type = FT_ENUM, .allowed = satisfactions},
    {.name = "nps", .type = FT_INT, .min = 0, .max = 10},
    {.name = "job_status", .type = FT_ENUM, .allowed = job_statuses},
    {.name = "role", .type = FT_STRING, .max = 200},
    {.name = "export_job", .type = FT_BOOL},
    {.name = "country", .type = FT_CODE, .code_list = CODES_COUNTRY},
    {0}};

static const char *const sources[] = {"applicant", "register", NULL};
static const struct field_spec firm_item = {.type = FT_OBJECT, .items = (const struct field_spec[]){
    {.name = "ref", .type = FT_STRING, .required = 1, .min = 1, .max = 100},
    {.name = "source", .type = FT_ENUM, .required = 1, .allowed = sources},
    {.name = "nace", .type = FT_CODE, .code_list = CODES_NACE},
    {.name = "employees", .type = FT_INT, .required = 1, .min = 0, .max = 10000000},
    {.name = "currency", .type = FT_CODE, .required = 1, .code_list = CODES_CURRENCY},
    {.name = "base_year", .type = FT_INT, .required = 1, .min = 2000, .max = 2100},
    {.name = "baseline_minor", .type = FT_INT, .required = 1, .min = 0, .max = INT64_MAX / 4},
    {.name = "followup_minor", .type = FT_INT, .required = 1, .min = 0, .max = INT64_MAX / 4},
    {.name = "jobs_base", .type = FT_NUMBER, .min = 0, .max = 10000000},
    {.name = "jobs_followup", .type = FT_NUMBER, .min = 0, .max = 10000000},
    {0}}};
const struct field_spec impact_comparison_fields[] = {
    {.name = "org_id", .type = FT_INT, .min = 1, .max = INT64_MAX},
    {.name = "firms", .type = FT_ARRAY, .required = 1, .min = 1, .max = 100000, .items = &firm_item}, {0}};

static int64_t ival(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static const char *sval(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* Every rate the currencies need: loaded once per call. */
static int load_rates(struct store *st, const char *const *cur, int n, struct fx_table *fx, struct tb_err *err)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        if (cur[i])
            json_array_append_new(list, json_string(cur[i]));
    fx_init(fx);
    int rc = store_fx_load(st, list, fx, err);
    json_decref(list);
    return rc;
}

/* minor units of `from` for `year` into `to` (yearly average rates). */
static int convert(const struct fx_table *fx, int64_t minor, const char *from, const char *to, int year,
                   double *out, const char *field, struct tb_err *err)
{
    int64_t v;
    if (fx_convert_period(fx, minor, from, to, year, 0, &v, field, err) < 0)
        return -1;
    *out = (double)v;
    return 0;
}

/* A currency must have a yearly average for `year`; 422 naming field. */
static int rate_exists(struct store *st, const char *cur, int year, const char *field, struct tb_err *err)
{
    if (!strcmp(cur, "EUR"))
        return 0;
    struct fx_table fx;
    const char *c[] = {cur};
    double r;
    int rc = load_rates(st, c, 1, &fx, err);
    if (rc == 0)
        rc = fx_period_average(&fx, cur, year, 0, &r, field, err);
    fx_free(&fx);
    return rc;
}

/* ---- baselines and costs ---- */

int impact_baseline_put(struct store *st, const struct tb_actor *a, int64_t company_id, const json_t *body,
                        json_t **out, struct tb_err *err)
{
    int64_t year = ival(body, "year");
    const char *cur = sval(body, "currency");
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(body, "sales"), i, s) {
        char field[48];
        snprintf(field, sizeof field, "sales[%zu].year", i);
        int64_t y = ival(s, "year");
        if (y != year && y != year - 1)
            return TB_INVALID(err, field, "%s: the baseline covers %lld and %lld", field, (long long)year - 1,
                              (long long)year);
    }
    for (int64_t y = year - 1; y <= year; y++)
        if (rate_exists(st, cur, (int)y, "currency", err) < 0)
            return -1;
    json_t *b = json_deep_copy(body);
    int rc = store_impact_baseline_put(st, a, company_id, b, err);
    json_decref(b);
    return rc < 0 ? -1 : store_impact_baseline_get(st, a, company_id, out, err);
}

int impact_cost_put(struct store *st, const struct tb_actor *a, int64_t placement_id, const json_t *body,
                    json_t **out, struct tb_err *err)
{
    if (store_impact_cost_put(st, a, placement_id, body, err) < 0)
        return -1;
    return store_impact_cost_get(st, a, placement_id, out, err);
}

/* ---- surveys ---- */

/* The survey's mail in the respondent's language: a trainee's own choice,
 * else (a host company has no account here) the sender's. */
static int mail_link(struct store *st, const struct tb_actor *a, int64_t org_id, int64_t graduate_id, const char *email,
                     const char *respondent, const char *wave, const char *token, const char *public_url,
                     int reminder, struct tb_err *err)
{
    const char *lang = !strcmp(respondent, "trainee") ? store_locale_chosen_of_graduate(st, graduate_id) : NULL;
    lang = lang ? lang : store_locale_of(st, a->user_id);
    char who[40], when[40];
    snprintf(who, sizeof who, "mail.survey.who.%s", respondent);
    snprintf(when, sizeof when, "mail.survey.when.%s", wave);
    struct arena *ar = arena_new(0);
    const char *const vars[] = {"who", msg_text(lang, who), "when", msg_text(lang, when), "url",
                                ar ? arena_printf(ar, "%s/#/impact-survey?token=%s", public_url ? public_url : "", token)
                                   : NULL,
                                NULL};
    const char *subject, *body;
    int rc = !ar || !vars[5] || msg_mail(ar, lang, "mail.survey", vars, reminder, &subject, &body) < 0
                 ? TB_INTERNAL(err, "out of memory")
                 : store_outbox_add(st, a, org_id, email, subject, body, err);
    arena_free(ar);
    return rc;
}

/* The address a survey goes to when the coordinator names none. */
static char *default_address(struct store *st, const struct tb_actor *a, const json_t *p, const char *respondent,
                             struct tb_err *err)
{
    json_t *row = NULL;
    char *addr = NULL;
    if (!strcmp(respondent, "company")) {
        if (store_entity_get(st, a, ENT_COMPANY, ival(p, "company_id"), &row, err) < 0)
            return NULL;
        const char *e = sval(json_array_get(json_object_get(row, "contacts"), 0), "email");
        addr = e ? strdup(e) : NULL;
    } else {
        if (store_entity_get(st, a, ENT_GRADUATE, ival(p, "graduate_id"), &row, err) < 0)
            return NULL;
        addr = sval(row, "email") ? strdup(sval(row, "email")) : NULL;
    }
    json_decref(row);
    if (!addr)
        TB_INVALID(err, "email", "email: the %s has no address on record; give one", respondent);
    return addr;
}

int impact_survey_send(struct store *st, const struct tb_actor *a, int64_t placement_id, const char *respondent,
                       const char *wave, const char *email, const char *public_url, json_t **out,
                       struct tb_err *err)
{
    json_t *p;
    if (store_entity_get(st, a, ENT_PLACEMENT, placement_id, &p, err) < 0)
        return -1;
    char *addr = email ? strdup(email) : default_address(st, a, p, respondent, err);
    if (!addr) {
        json_decref(p);
        return -1;
    }
    char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
    auth_random_token(token);
    auth_token_hash(token, hash);
    int64_t expires = (int64_t)time(NULL) + IMPACT_LINK_TTL, id = 0;
    int rc = store_begin(st, err);
    if (rc == 0)
        rc = store_impact_survey_create(st, a, placement_id, respondent, wave, addr, hash, expires, &id, err);
    if (rc == 0)
        rc = mail_link(st, a, ival(p, "org_id"), ival(p, "graduate_id"), addr, respondent, wave, token, public_url, 0,
                       err);
    if (rc < 0 || store_commit(st, err) < 0) {
        store_rollback(st);
        rc = -1;
    }
    free(addr);
    json_decref(p);
    if (rc < 0)
        return -1;
    *out = json_pack("{s:I, s:I, s:s, s:s, s:I}", "id", (json_int_t)id, "placement_id", (json_int_t)placement_id,
                     "respondent", respondent, "wave", wave, "expires_at_unix", (json_int_t)expires);
    return 0;
}

int impact_survey_open(struct store *st, const char *token, json_t **out, struct tb_err *err)
{
    char hash[TOKEN_HASH_LEN + 1];
    auth_token_hash(token, hash);
    json_t *s;
    if (store_impact_survey_peek(st, hash, &s, err) < 0)
        return -1;
    const struct field_spec *q = !strcmp(sval(s, "respondent"), "company") ? company_answers : trainee_answers;
    json_t *questions = json_array();
    for (; q->name; q++) {
        json_t *item = json_pack("{s:s, s:b}", "name", q->name, "required", q->required);
        if (q->allowed) {
            json_t *opts = json_array();
            for (const char *const *x = q->allowed; *x; x++)
                json_array_append_new(opts, json_string(*x));
            json_object_set_new(item, "options", opts);
        }
        if (q->type == FT_INT || q->type == FT_NUMBER)
            json_object_set_new(item, "range", json_pack("[I, I]", (json_int_t)q->min, (json_int_t)q->max));
        json_array_append_new(questions, item);
    }
    *out = json_pack("{s:O, s:O, s:O, s:O, s:o}", "respondent", json_object_get(s, "respondent"), "wave",
                     json_object_get(s, "wave"), "answers", json_object_get(s, "answers"), "saved_at",
                     json_object_get(s, "saved_at"), "questions", questions);
    json_decref(s);
    return 0;
}

int impact_survey_answer(struct store *st, const char *token, const json_t *answers, int submit,
                         const char *client_addr, struct tb_err *err)
{
    char hash[TOKEN_HASH_LEN + 1];
    auth_token_hash(token, hash);
    json_t *s;
    if (store_impact_survey_peek(st, hash, &s, err) < 0)
        return -1;
    int company = !strcmp(sval(s, "respondent"), "company");
    json_decref(s);
    /* A save may leave questions out; a submission answers every required one.
     * Errors name the field as sent (answers.FIELD). */
    const struct field_spec *spec = company ? company_answers : trainee_answers;
    if (validate_object(answers, spec, !submit, err) < 0) {
        char field[sizeof err->field];
        snprintf(field, sizeof field, "answers.%.50s", err->field);
        memcpy(err->field, field, sizeof field);
        if (strncmp(err->message, "answers.", 8)) {
            char msg[sizeof err->message];
            snprintf(msg, sizeof msg, "answers.%.230s", err->message);
            memcpy(err->message, msg, sizeof msg);
        }
        return -1;
    }
    size_t i;
    json_t *sale;
    json_array_foreach(json_object_get(answers, "export_sales"), i, sale) {
        char field[64];
        snprintf(field, sizeof field, "answers.export_sales[%zu].currency", i);
        if (rate_exists(st, sval(sale, "currency"), (int)ival(sale, "year"), field, err) < 0)
            return -1;
    }
    return store_impact_survey_answered(st, hash, answers, submit, client_addr, err);
}

int impact_survey_remind(struct store *st, const struct tb_actor *a, int days, const char *public_url, int *sent,
                         struct tb_err *err)
{
    char before[32];
    time_t t = time(NULL) - (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(before, sizeof before, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *due;
    if (store_impact_survey_due(st, a, before, 3, &due, err) < 0)
        return -1;
    *sent = 0;
    size_t i;
    json_t *s;
    int rc = 0;
    json_array_foreach(due, i, s) {
        char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
        auth_random_token(token);
        auth_token_hash(token, hash);
        rc = store_begin(st, err);
        if (rc == 0)
            rc = store_impact_survey_renew(st, a, ival(s, "id"), hash, (int64_t)time(NULL) + IMPACT_LINK_TTL, err);
        if (rc == 0)
            rc = mail_link(st, a, ival(s, "org_id"), ival(s, "graduate_id"), sval(s, "email"), sval(s, "respondent"),
                           sval(s, "wave"), token, public_url, 1, err);
        if (rc < 0 || store_commit(st, err) < 0) {
            store_rollback(st);
            rc = -1;
            break;
        }
        ++*sent;
    }
    json_decref(due);
    return rc;
}

int impact_survey_send_due(struct store *st, const struct tb_actor *a, const char *public_url, int *sent,
                           int *skipped, struct tb_err *err)
{
    json_t *due;
    if (store_impact_surveys_unsent(st, a, &due, err) < 0)
        return -1;
    *sent = *skipped = 0;
    size_t i;
    json_t *d;
    json_array_foreach(due, i, d) {
        json_t *out = NULL;
        struct tb_err e = {0};
        /* One without an address on record is left for the coordinator. */
        if (impact_survey_send(st, a, ival(d, "placement_id"), sval(d, "respondent"), sval(d, "wave"), NULL, public_url,
                               &out, &e) == 0)
            ++*sent;
        else
            ++*skipped;
        json_decref(out);
    }
    json_decref(due);
    return 0;
}

int impact_comparison_put(struct store *st, const struct tb_actor *a, int64_t org_id, const json_t *firms,
                          int *count, struct tb_err *err)
{
    size_t i;
    json_t *f;
    json_array_foreach(firms, i, f) {
        char field[48];
        snprintf(field, sizeof field, "firms[%zu].currency", i);
        int y = (int)ival(f, "base_year");
        if (rate_exists(st, sval(f, "currency"), y, field, err) < 0 ||
            rate_exists(st, sval(f, "currency"), y + 1, field, err) < 0)
            return -1;
    }
    int rc = store_begin(st, err);
    json_array_foreach(firms, i, f) {
        if (rc < 0)
            break;
        rc = store_impact_comparison_put(st, a, org_id, f, err);
    }
    if (rc < 0 || store_commit(st, err) < 0) {
        store_rollback(st);
        return -1;
    }
    *count = (int)json_array_size(firms);
    return 0;
}

/* ---- measures ---- */

/* One placement, reduced to numbers in the report's currency; NAN = missing. */
struct unit {
    const char *group;
    int answered, asked, t_answered, t_asked, has_baseline;
    double base, follow, change, attributable, cost, created, kept, nps, t_nps;
    int kept_on, satisfaction, t_export_job, t_satisfaction;   /* -1 missing; satisfaction 0..2 */
    int sector, band;
    size_t order;   /* position in placement order */
    double employees, learning, behaviour;   /* learning: L2 self-assessed gain; behaviour: L3 mentor rating */
    int metro;                               /* 1 metropolitan, 0 periphery, -1 unclassified */
    int64_t company_id, placement_id;
    int year, base_year;                     /* the placement's start year; the baseline's (0: none) */
    /* Money as stored until the rates are loaded: units_money[money...] holds
     * the baseline (has_baseline), the cost (has_cost), then n_sales sales. */
    size_t money;
    int has_cost, n_sales;
    double attr_pct;
};

static int cmp_group(const void *a, const void *b)
{
    const struct unit *x = a, *y = b;
    int c = strcmp(x->group, y->group);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

static int sat_index(const char *s)
{
    for (int i = 0; s && satisfactions[i]; i++)
        if (!strcmp(s, satisfactions[i]))
            return i;
    return -1;
}

static int size_band(double employees)
{
    return employees < 10 ? 0 : employees < 50 ? 1 : employees < 250 ? 2 : 3;
}

static const char *group_key(const struct impact_row *r, const char *group, char *buf, size_t n)
{
    if (!strcmp(group, "cohort"))
        return r->cohort ? r->cohort : "(no cohort)";
    if (!strcmp(group, "year"))
        return snprintf(buf, n, "%d", r->year), buf;
    if (!strcmp(group, "country"))
        return r->country;
    if (!strcmp(group, "region"))
        return r->region ? r->region : "(no region)";
    if (!strcmp(group, "metro")) {
        const char *m = impact_region_class(r->country, r->region);
        return m ? m : "(unclassified)";
    }
    if (!strcmp(group, "sector"))
        return r->nace ? (snprintf(buf, n, "NACE %.2s", r->nace), buf) : "(no sector)";
    return "all";
}

/* A money amount as stored: converted once every row has been read. */
struct money {
    int64_t minor;
    int32_t year;
    char cur[4];
};

/* What the rows reduce to as they stream by from the store: the units, their
 * money in its own currency, the group keys and the currencies seen. */
struct unit_rows {
    struct unit *u;
    size_t n, cap;
    struct money *m;
    size_t nm, mcap;
    json_t *keys;   /* group keys as a set; the object owns the strings */
    json_t *curs;   /* currencies as a set */
    char last_cur[4];
    const char *group;
};

static int add_money(struct unit_rows *ur, int64_t minor, const char *cur, int year)
{
    if (ur->nm == ur->mcap) {
        size_t cap = ur->mcap ? 2 * ur->mcap : 1024;
        struct money *m = realloc(ur->m, cap * sizeof *m);
        if (!m)
            return -1;
        ur->m = m;
        ur->mcap = cap;
    }
    struct money *x = &ur->m[ur->nm++];
    x->minor = minor;
    x->year = year;
    size_t len = cur ? strnlen(cur, 3) : 0;
    memcpy(x->cur, cur ? cur : "", len);
    x->cur[len] = 0;
    if (strcmp(x->cur, ur->last_cur)) {
        struct json_arena_window win = json_arena_suspend();   /* kept after the row */
        json_object_set_new(ur->curs, x->cur, json_true());
        json_arena_resume(win);
        memcpy(ur->last_cur, x->cur, sizeof x->cur);
    }
    return 0;
}

/* Submitted answers (JSON text) parsed in the row's arena window; NULL when
 * there are none. */
static json_t *answers_of(const char *text)
{
    return text ? json_loads(text, 0, NULL) : NULL;
}

/* One placement's row into a unit (impact_row_fn). */
static int row_to_unit(void *ctx, const struct impact_row *r, struct tb_err *err)
{
    struct unit_rows *ur = ctx;
    if (ur->n == ur->cap) {
        size_t cap = ur->cap ? 2 * ur->cap : 256;
        struct unit *u = realloc(ur->u, (cap + 1) * sizeof *u);
        if (!u)
            return TB_INTERNAL(err, "out of memory for %zu placements", cap);
        ur->u = u;
        ur->cap = cap;
    }
    struct unit *u = &ur->u[ur->n++];
    memset(u, 0, sizeof *u);
    char buf[64];
    const char *key = group_key(r, ur->group, buf, sizeof buf);
    key = key ? key : "";
    void *it = json_object_iter_at(ur->keys, key);
    if (!it) {
        struct json_arena_window win = json_arena_suspend();   /* kept after the row */
        json_object_set_new(ur->keys, key, json_true());
        json_arena_resume(win);
        it = json_object_iter_at(ur->keys, key);
    }
    u->group = json_object_iter_key(it);
    u->base = u->follow = u->change = u->attributable = u->cost = u->created = u->kept = u->nps = u->t_nps = NAN;
    u->kept_on = u->satisfaction = u->t_export_job = u->t_satisfaction = -1;
    u->asked = r->company_asked > 0;
    u->t_asked = r->trainee_asked > 0;
    u->sector = r->nace ? (int)strtol(r->nace, NULL, 10) : -1;
    u->band = size_band((double)r->employees);
    u->employees = r->base_currency ? (double)r->employees : NAN;
    u->learning = u->behaviour = NAN;
    const char *m = impact_region_class(r->country, r->region);
    u->metro = m ? !strcmp(m, "metropolitan") : -1;
    u->company_id = r->company_id;
    u->placement_id = r->placement_id;
    u->year = r->year;
    u->base_year = r->base_year;
    u->money = ur->nm;
    int rc = 0;
    if (r->base_currency) {   /* the baseline year's sales, totalled when stored, one currency */
        u->has_baseline = 1;
        rc |= add_money(ur, (int64_t)r->base_total, r->base_currency, r->base_year);
    }
    if (r->cost_currency) {
        u->has_cost = 1;
        rc |= add_money(ur, r->operator_cost_minor + r->company_fee_minor, r->cost_currency, r->year);
    }
    json_t *ca = answers_of(r->company_answers);
    if (json_is_object(ca)) {
        u->answered = 1;
        size_t i;
        json_t *sale;
        json_array_foreach(json_object_get(ca, "export_sales"), i, sale) {
            rc |= add_money(ur, ival(sale, "amount_minor"), sval(sale, "currency"), (int)ival(sale, "year"));
            u->n_sales++;
        }
        u->attr_pct = (double)ival(ca, "attribution_pct");
        u->created = json_number_value(json_object_get(ca, "jobs_created_fte"));
        u->kept = json_number_value(json_object_get(ca, "jobs_kept_fte"));
        u->kept_on = json_is_true(json_object_get(ca, "kept_on"));
        u->satisfaction = sat_index(sval(ca, "satisfaction"));
        u->nps = (double)ival(ca, "nps");
    }
    json_decref(ca);
    json_t *ta = answers_of(r->trainee_answers);
    if (json_is_object(ta)) {
        u->t_answered = 1;
        u->t_export_job = json_is_true(json_object_get(ta, "export_job"));
        u->t_satisfaction = sat_index(sval(ta, "satisfaction"));
        u->t_nps = (double)ival(ta, "nps");
    }
    json_decref(ta);
    return rc ? TB_INTERNAL(err, "out of memory for the placements' amounts") : 0;
}

/* The unit's money into the report currency: the baseline at its year's
 * average rate, the cost at the placement year's, each follow-up sale at its
 * own year's. */
static int convert_unit(const struct fx_table *fx, const struct money *m, const char *to, struct unit *u,
                        struct tb_err *err)
{
    m += u->money;
    if (u->has_baseline && convert(fx, m->minor, m->cur, to, m->year, &u->base, "currency", err) < 0)
        return -1;
    m += u->has_baseline;
    if (u->has_cost && convert(fx, m->minor, m->cur, to, m->year, &u->cost, "currency", err) < 0)
        return -1;
    m += u->has_cost;
    if (u->answered) {
        u->follow = 0;
        for (int i = 0; i < u->n_sales; i++) {
            double v;
            if (convert(fx, m[i].minor, m[i].cur, to, m[i].year, &v, "currency", err) < 0)
                return -1;
            u->follow += v;
        }
        if (u->has_baseline) {
            u->change = u->follow - u->base;
            u->attributable = u->change * u->attr_pct / 100.0;
        }
    }
    return 0;
}

/* The figures with intervals: seven means (the survey's five, learning and
 * behaviour) and the ROI (a ratio of sums). */
enum { FIG_LEARNING = 5, FIG_BEHAVIOUR, FIG_MEANS, FIG_ROI = FIG_MEANS, FIG_N };
static const size_t fig_off[FIG_MEANS] = {offsetof(struct unit, change), offsetof(struct unit, attributable),
                                          offsetof(struct unit, follow), offsetof(struct unit, created),
                                          offsetof(struct unit, kept), offsetof(struct unit, learning),
                                          offsetof(struct unit, behaviour)};
static const char *const fig_name[FIG_N] = {"export_change", "attributable_change", "exports_followup",
                                            "jobs_created", "jobs_maintained", "learning", "behaviour", "roi"};

static double fig_value(const struct unit *u, int f)
{
    return *(const double *)((const char *)u + fig_off[f]);
}

/* Whether the unit counts in figure f: a mean's value is there; the ROI needs
 * the attributable gain and a positive cost. */
static int fig_has(const struct unit *u, int f)
{
    if (f == FIG_ROI)
        return !isnan(u->attributable) && !isnan(u->cost) && u->cost > 0;
    return !isnan(fig_value(u, f));
}

/* mean, median and the BCa 95% interval of the non-missing values x[0..m-1]
 * (b: the bootstrap, NULL when there is none), with n; null when no one
 * answered. */
static json_t *mean_figure(const double *x, size_t m, const struct boot_result *b, double *scratch)
{
    json_t *f = json_pack("{s:I}", "n", (json_int_t)m);
    if (!m)
        return f;
    double sum = 0;
    for (size_t i = 0; i < m; i++)
        sum += x[i];
    json_object_set_new(f, "mean", json_real(sum / (double)m));
    json_object_set_new(f, "total", json_real(sum));
    memcpy(scratch, x, m * sizeof *x);
    json_object_set_new(f, "median", json_real(impact_median(scratch, m)));
    if (b) {
        json_object_set_new(f, "ci_low", isfinite(b->bca_low) ? json_real(b->bca_low) : json_real(b->pct_low));
        json_object_set_new(f, "ci_high", isfinite(b->bca_high) ? json_real(b->bca_high) : json_real(b->pct_high));
    }
    return f;
}

/* ROI = (sum attributable gain - sum cost) / sum cost over the units with
 * both, bootstrapped as a ratio of sums. */
static json_t *roi_figure(const double *g, const double *c, size_t m, const struct boot_result *b)
{
    json_t *f = json_pack("{s:I}", "n", (json_int_t)m);
    if (b) {
        json_object_set_new(f, "estimate", json_real(b->estimate - 1));
        json_object_set_new(f, "ci_low", json_real((isfinite(b->bca_low) ? b->bca_low : b->pct_low) - 1));
        json_object_set_new(f, "ci_high", json_real((isfinite(b->bca_high) ? b->bca_high : b->pct_high) - 1));
    } else if (m == 1) {
        json_object_set_new(f, "estimate", json_real(g[0] / c[0] - 1));
    }
    return f;
}

/* The six figures of a group. Figures over the same units (usually all of
 * them: the answering companies with a baseline) are bootstrapped together
 * from one set of draws; each gets exactly what its own bootstrap would. */
static int interval_figures(const struct unit *u, size_t n, const struct impact_opts *o, json_t *fig[FIG_N])
{
    double *col = malloc((FIG_N + 2) * (n ? n : 1) * sizeof *col);   /* means, ROI gain and cost, scratch */
    if (!col)
        return -1;
    int done[FIG_N] = {0};
    for (int f = 0; f < FIG_N; f++) {
        if (done[f])
            continue;
        int batch[FIG_N], nb = 0;
        for (int g = f; g < FIG_N; g++) {
            size_t i = 0;
            if (done[g])
                continue;
            while (i < n && fig_has(&u[i], f) == fig_has(&u[i], g))
                i++;
            if (i == n) {
                batch[nb++] = g;
                done[g] = 1;
            }
        }
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (!fig_has(&u[i], f))
                continue;
            for (int k = 0; k < nb; k++) {
                int g = batch[k];
                if (g == FIG_ROI) {
                    col[FIG_ROI * n + m] = u[i].attributable;
                    col[(FIG_ROI + 1) * n + m] = u[i].cost;
                } else {
                    col[(size_t)g * n + m] = fig_value(&u[i], g);
                }
            }
            m++;
        }
        struct boot_col bc[FIG_N];
        struct boot_result br[FIG_N];
        /* The ROI's gain is the attributable change: summed once when both are here. */
        const double *gain = col + FIG_ROI * n;
        for (int k = 0; k < nb; k++)
            if (batch[k] == 1)
                gain = col + n;
        for (int k = 0; k < nb; k++) {
            int g = batch[k];
            bc[k] = g == FIG_ROI ? (struct boot_col){gain, col + (FIG_ROI + 1) * n, BOOT_RATIO}
                                 : (struct boot_col){col + (size_t)g * n, NULL, BOOT_MEAN};
        }
        struct tb_err e = {0};
        int ok = m >= 2 && impact_bootstrap_many(bc, (size_t)nb, m, o->resamples, o->seed, br, &e) == 0;
        for (int k = 0; k < nb; k++) {
            int g = batch[k];
            /* Together they failed (a ratio undefined): each on its own. */
            int own = ok || (m >= 2 && impact_bootstrap_many(&bc[k], 1, m, o->resamples, o->seed, &br[k], &e) == 0);
            fig[g] = g == FIG_ROI ? roi_figure(bc[k].x, bc[k].denom, m, own ? &br[k] : NULL)
                                  : mean_figure(bc[k].x, m, own ? &br[k] : NULL, col + (FIG_N + 1) * n);
        }
    }
    free(col);
    return 0;
}

static json_t *distribution(const struct unit *u, size_t n, int trainee)
{
    int c[3] = {0}, m = 0;
    for (size_t i = 0; i < n; i++) {
        int s = trainee ? u[i].t_satisfaction : u[i].satisfaction;
        if (s >= 0) {
            c[s]++;
            m++;
        }
    }
    return json_pack("{s:i, s:i, s:i, s:i}", "exceeded", c[0], "met", c[1], "below", c[2], "n", m);
}

static json_t *nps(const struct unit *u, size_t n, int trainee)
{
    int pro = 0, det = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        double v = trainee ? u[i].t_nps : u[i].nps;
        if (isnan(v))
            continue;
        m++;
        pro += v >= 9;
        det += v <= 6;
    }
    json_t *o = json_pack("{s:i, s:i, s:i, s:i}", "promoters", pro, "passives", m - pro - det, "detractors", det, "n", m);
    json_object_set_new(o, "score", m ? json_real(100.0 * (pro - det) / m) : json_null());
    return o;
}

static json_t *share(const struct unit *u, size_t n, size_t off)
{
    int yes = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        int v = *(const int *)((const char *)&u[i] + off);
        if (v >= 0) {
            m++;
            yes += v;
        }
    }
    json_t *o = json_pack("{s:i, s:i}", "yes", yes, "n", m);
    json_object_set_new(o, "share", m ? json_real((double)yes / m) : json_null());
    return o;
}

/* A group's figures, or NULL when memory ran out. */
static json_t *group_figures(const char *key, const struct unit *u, size_t n, const struct impact_opts *o)
{
    json_t *fig[FIG_N];
    if (interval_figures(u, n, o, fig) < 0)
        return NULL;
    int answered = 0, asked = 0, t_answered = 0, t_asked = 0;
    for (size_t i = 0; i < n; i++) {
        answered += u[i].answered;
        asked += u[i].asked;
        t_answered += u[i].t_answered;
        t_asked += u[i].t_asked;
    }
    json_t *g = json_pack("{s:s, s:I, s:i, s:i, s:i, s:i}", "key", key, "placements", (json_int_t)n, "asked", asked,
                          "answered", answered, "trainees_asked", t_asked, "trainees_answered", t_answered);
    json_object_set_new(g, "response_rate", n ? json_real((double)answered / (double)n) : json_null());
    for (int f = 0; f < FIG_LEARNING; f++)
        json_object_set_new(g, fig_name[f], fig[f]);
    json_object_set_new(g, "retention", share(u, n, offsetof(struct unit, kept_on)));
    json_object_set_new(g, "satisfaction", distribution(u, n, 0));
    json_object_set_new(g, "nps", nps(u, n, 0));
    json_object_set_new(g, "roi", fig[FIG_ROI]);
    json_object_set_new(g, "learning", fig[FIG_LEARNING]);
    json_object_set_new(g, "behaviour", fig[FIG_BEHAVIOUR]);
    json_object_set_new(g, "trainees", json_pack("{s:o, s:o, s:o}", "export_job",
                                                 share(u, n, offsetof(struct unit, t_export_job)), "satisfaction",
                                                 distribution(u, n, 1), "nps", nps(u, n, 1)));
    return g;
}

/* Participants who started in different years: the pooled estimate averages
 * over them and can be biased when the effect differs between start years or
 * changes with time (two-way fixed effects with staggered adoption). Adds
 * `staggered` {warning, start_years: [{year, treated, controls, estimate, se,
 * p, ci_low, ci_high}]} with the estimate per start year against the firms
 * matched to that year's participants (impact-statistics.md). Participants
 * are clusters 0..treated-1. k > 0: start years of fewer firms suppressed. */
static int staggered_starts(json_t *out, const struct did_obs *obs, size_t m, size_t clusters, const int *start,
                            const size_t *match, size_t treated, const size_t *ctrl_cluster, unsigned k,
                            struct tb_err *err)
{
    enum { MAX_YEARS = 64 };
    int year[MAX_YEARS];
    uint32_t count[MAX_YEARS + 1];
    size_t ny = 0;
    for (size_t c = 0; c < treated; c++) {
        size_t y = 0;
        while (y < ny && year[y] != start[c])
            y++;
        if (y == ny) {
            if (ny == MAX_YEARS)
                continue;
            year[ny] = start[c];
            count[ny++] = 0;
        }
        count[y]++;
    }
    if (ny < 2)
        return 0;
    for (size_t i = 1; i < ny; i++)   /* ascending years */
        for (size_t j = i; j > 0 && year[j - 1] > year[j]; j--) {
            int ty = year[j];
            uint32_t tc = count[j];
            year[j] = year[j - 1], count[j] = count[j - 1];
            year[j - 1] = ty, count[j - 1] = tc;
        }
    uint8_t mark[2 * (MAX_YEARS + 1)] = {0};
    if (k && impact_suppress(count, NULL, ny, 1, k, 0, mark, err) < 0)
        return -1;
    uint8_t *keep = calloc(clusters + 1, 1);
    if (!keep)
        return TB_INTERNAL(err, "out of memory for %zu firms", clusters);
    json_t *years = json_array();
    char text[2048];
    size_t len = 0;
    for (size_t y = 0; y < ny; y++) {
        if (mark[y * 2] != CELL_SHOWN) {
            json_array_append_new(years, json_pack("{s:i, s:s}", "year", year[y], "suppressed",
                                                   mark[y * 2] == CELL_PRIMARY ? "primary" : "secondary"));
            if (len < sizeof text)
                len += (size_t)snprintf(text + len, sizeof text - len, "%s%d: suppressed", y ? ", " : "", year[y]);
            continue;
        }
        memset(keep, 0, clusters + 1);
        size_t controls = 0;
        for (size_t c = 0; c < treated; c++)
            if (start[c] == year[y]) {
                keep[c] = 1;
                size_t cc = ctrl_cluster[match[c]];
                controls += !keep[cc];
                keep[cc] = 1;
            }
        json_t *e = json_pack("{s:i, s:i, s:I}", "year", year[y], "treated", (int)count[y], "controls",
                              (json_int_t)controls);
        struct did_result d;
        struct tb_err de = {0};
        if (impact_did_subset(obs, m, clusters, keep, &d, &de) == 0) {
            json_object_set_new(e, "estimate", json_real(d.estimate));
            json_object_set_new(e, "se", json_real(d.se));
            json_object_set_new(e, "p", json_real(d.p));
            json_object_set_new(e, "ci_low", json_real(d.ci_low));
            json_object_set_new(e, "ci_high", json_real(d.ci_high));
        } else {
            json_object_set_new(e, "estimate", json_null());
            json_object_set_new(e, "why", json_string(de.message));
        }
        json_array_append_new(years, e);
        if (len < sizeof text)
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%d: %u firm%s", y ? ", " : "", year[y],
                                    (unsigned)count[y], count[y] == 1 ? "" : "s");
    }
    free(keep);
    char warning[2600];
    snprintf(warning, sizeof warning,
             "Participants started in different years (%s). A difference-in-differences estimate that pools "
             "firms with different start years can be biased when the effect differs between start years or "
             "changes over time (two-way fixed effects with staggered adoption); the estimate per start year, "
             "each against the firms matched to that year's participants, is shown beside the pooled one.",
             text);
    json_object_set_new(out, "staggered", json_pack("{s:s, s:o}", "warning", warning, "start_years", years));
    return 0;
}

/* Participants who answered and have a baseline against comparison firms
 * matched exactly on sector and size band, nearest on log baseline exports
 * (with replacement); difference-in-differences of exports. */
static json_t *comparison(struct store *st, const struct tb_actor *a, const struct fx_table *fx, const struct unit *u,
                          size_t n, const struct impact_opts *o, const char *cur, const json_t *applicants,
                          unsigned min_cell, struct tb_err *err)
{
    json_t *firms;
    if (store_impact_comparison_list(st, a, o->org_id, &firms, err) < 0)
        return NULL;
    size_t registered = json_array_size(firms);
    json_array_extend(firms, (json_t *)applicants);   /* applied, never placed: from the sales history */
    size_t nc = json_array_size(firms);
    double *cb = calloc(nc + 1, sizeof *cb), *cf = calloc(nc + 1, sizeof *cf);
    int *cs = calloc(nc + 1, sizeof *cs), *cbnd = calloc(nc + 1, sizeof *cbnd), *used = calloc(nc + 1, sizeof *used);
    struct did_obs *obs = calloc(2 * (n + nc) + 1, sizeof *obs);
    /* Per cluster: the start year of a participant's placement and the
     * firm matched to it; the firm's cluster (for the per-year estimates). */
    int *start = calloc(n + nc + 1, sizeof *start);
    size_t *match = calloc(n + 1, sizeof *match), *ctrl_cluster = calloc(nc + 1, sizeof *ctrl_cluster);
    int rc = 0;
    if (!cb || !cf || !cs || !cbnd || !used || !obs || !start || !match || !ctrl_cluster)
        rc = TB_INTERNAL(err, "out of memory for %zu comparison firms", nc);
    for (size_t i = 0; rc == 0 && i < nc; i++) {
        json_t *f = json_array_get(firms, i);
        int y = (int)ival(f, "base_year");
        rc = convert(fx, ival(f, "baseline_minor"), sval(f, "currency"), cur, y, &cb[i], "currency", err);
        if (rc == 0)
            rc = convert(fx, ival(f, "followup_minor"), sval(f, "currency"), cur, y + 1, &cf[i], "currency", err);
        cs[i] = sval(f, "nace") ? (int)strtol(sval(f, "nace"), NULL, 10) : -1;
        cbnd[i] = size_band((double)ival(f, "employees"));
    }
    json_t *out = NULL;
    if (rc < 0)
        goto done;
    size_t m = 0, treated = 0, clusters = 0;
    double tb = 0, ctrl_b = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(u[i].change))
            continue;
        long best = -1;
        double bd = INFINITY, lb = log1p(fmax(u[i].base, 0));
        for (size_t j = 0; j < nc; j++) {
            if (cs[j] != u[i].sector || cbnd[j] != u[i].band)
                continue;
            double d = fabs(log1p(cb[j]) - lb);
            if (d < bd) {
                bd = d;
                best = (long)j;
            }
        }
        if (best < 0)
            continue;
        obs[m++] = (struct did_obs){.y = u[i].base, .cluster = (uint32_t)clusters, .treated = 1, .post = 0};
        obs[m++] = (struct did_obs){.y = u[i].follow, .cluster = (uint32_t)clusters, .treated = 1, .post = 1};
        start[clusters] = u[i].year;
        match[clusters] = (size_t)best;
        clusters++;
        treated++;
        tb += u[i].base;
        used[best]++;
    }
    size_t controls = 0;
    for (size_t j = 0; j < nc; j++) {
        if (!used[j])
            continue;
        /* A firm matched to several participants counts with their weight
         * in the balance; it enters the panel once. */
        obs[m++] = (struct did_obs){.y = cb[j], .cluster = (uint32_t)clusters, .treated = 0, .post = 0};
        obs[m++] = (struct did_obs){.y = cf[j], .cluster = (uint32_t)clusters, .treated = 0, .post = 1};
        ctrl_cluster[j] = clusters;
        clusters++;
        controls++;
        ctrl_b += cb[j] * used[j];
    }
    out = json_pack("{s:s, s:I, s:I, s:I}", "method",
                    "difference-in-differences of export sales, matched exactly on sector (NACE division) and size "
                    "band, nearest on log baseline exports; CR1 errors clustered by firm, t with G-1 df",
                    "comparison_firms", (json_int_t)nc, "treated", (json_int_t)treated, "controls", (json_int_t)controls);
    json_object_set_new(out, "comparison_sources", json_pack("{s:I, s:I}", "stored", (json_int_t)registered,
                                                             "applicants_never_placed",
                                                             (json_int_t)(nc - registered)));
    if (treated)
        json_object_set_new(out, "balance", json_pack("{s:f, s:f}", "treated_baseline_mean", tb / (double)treated,
                                                      "matched_baseline_mean", ctrl_b / (double)treated));
    struct did_result d;
    struct tb_err e = {0};
    if (treated && controls && impact_did(obs, m, clusters, &d, &e) == 0) {
        json_object_set_new(out, "estimate", json_real(d.estimate));
        json_object_set_new(out, "se", json_real(d.se));
        json_object_set_new(out, "p", json_real(d.p));
        json_object_set_new(out, "ci_low", json_real(d.ci_low));
        json_object_set_new(out, "ci_high", json_real(d.ci_high));
        json_object_set_new(out, "trends", json_pack("{s:[f,f], s:[f,f]}", "treated", d.cell_mean[1][0],
                                                     d.cell_mean[1][1], "comparison", d.cell_mean[0][0],
                                                     d.cell_mean[0][1]));
    } else {
        json_object_set_new(out, "estimate", json_null());
        json_object_set_new(out, "why", json_string(e.message[0] ? e.message
                                                                   : "no participant has a matched comparison firm"));
    }
    if (staggered_starts(out, obs, m, clusters, start, match, treated, ctrl_cluster, min_cell,
                         err) < 0)
        rc = -1;
done:
    free(start);
    free(match);
    free(ctrl_cluster);
    free(cb);
    free(cf);
    free(cs);
    free(cbnd);
    free(used);
    free(obs);
    json_decref(firms);
    return rc < 0 ? NULL : out;
}

static json_t *iris(const json_t *total)
{
    json_t *jc = json_object_get(total, "jobs_created"), *jm = json_object_get(total, "jobs_maintained");
    json_t *ex = json_object_get(total, "exports_followup");
    double c = json_number_value(json_object_get(jc, "total")), k = json_number_value(json_object_get(jm, "total"));
    return json_pack("[{s:s, s:s, s:O, s:O}, {s:s, s:s, s:O, s:O}, {s:s, s:s, s:f, s:O}, {s:s, s:s, s:O, s:O}]",
                     "id", "PI3687", "name", "Jobs created at directly supported enterprises", "value",
                     json_object_get(jc, "total") ? json_object_get(jc, "total") : json_null(), "n",
                     json_object_get(jc, "n"), "id", "PI5691", "name", "Jobs maintained at directly supported enterprises",
                     "value", json_object_get(jm, "total") ? json_object_get(jm, "total") : json_null(), "n",
                     json_object_get(jm, "n"), "id", "PI4874", "name", "Jobs in directly supported enterprises", "value",
                     c + k, "n", json_object_get(jc, "n"), "id", "PI5920", "name", "Sales revenue: exports", "value",
                     json_object_get(ex, "total") ? json_object_get(ex, "total") : json_null(), "n",
                     json_object_get(ex, "n"));
}

/* Minor units of cur in major units. */
static double major(const json_t *v, const char *cur)
{
    int digits = codes_currency_minor_units(cur);
    return json_number_value(v) / pow(10, digits < 0 ? 2 : digits);
}

static void headline(json_t *out, const json_t *total, const json_t *cmp, const char *cur, const char *wave)
{
    const json_t *ec = json_object_get(total, "export_change"), *jc = json_object_get(total, "jobs_created");
    char text[2048];
    const char *when = !strcmp(wave, "m12") ? "In its first year after the placement"
                       : !strcmp(wave, "m24") ? "In two years after the placement"
                       : !strcmp(wave, "m6") ? "In six months after the placement" : "By the end of the placement";
    if (json_object_get(total, "suppressed")) {
        snprintf(text, sizeof text, "%s: too few companies have answered to publish the figures.", when);
    } else if (!json_object_get(ec, "mean")) {
        snprintf(text, sizeof text, "%s: no company has answered yet (N = 0 of %lld placements).", when,
                 (long long)ival(total, "placements"));
    } else {
        int len = snprintf(text, sizeof text,
                           "%s each trainee's company changed its exports by %.0f %s on average (95%% CI %.0f to %.0f, "
                           "median %.0f, N = %lld of %lld placements, response rate %.0f%%) and created %.1f jobs (FTE).",
                           when, major(json_object_get(ec, "mean"), cur), cur,
                           major(json_object_get(ec, "ci_low"), cur),
                           major(json_object_get(ec, "ci_high"), cur),
                           major(json_object_get(ec, "median"), cur), (long long)ival(ec, "n"),
                           (long long)ival(total, "placements"),
                           100 * json_number_value(json_object_get(total, "response_rate")),
                           json_number_value(json_object_get(jc, "mean")));
        if (cmp && json_is_number(json_object_get(cmp, "estimate")) && len > 0 && (size_t)len < sizeof text)
            snprintf(text + len, sizeof text - (size_t)len,
                     " Against matched firms that did not take part: %.0f %s (95%% CI %.0f to %.0f, %lld firms each side).",
                     major(json_object_get(cmp, "estimate"), cur), cur,
                     major(json_object_get(cmp, "ci_low"), cur),
                     major(json_object_get(cmp, "ci_high"), cur), (long long)ival(cmp, "treated"));
    }
    json_object_set_new(out, "headline", json_string(text));
}

/* ---- evidence beyond the surveys (service/impact_evidence.h) ---- */

struct evidence {
    json_t *applicants, *trends, *introductions;
    size_t unconverted;
};

/* Baselines from the imported sales history where no baseline was entered
 * (the year before the placement started), the comparison firms that applied
 * but were never placed, the pre-period trends, learning and behaviour: from
 * the units (in placement order), not the rows they were streamed from. */
static int evidence_add(struct store *st, const struct tb_actor *a, const struct impact_opts *o, struct unit *u,
                        size_t n, struct evidence *ev, struct tb_err *err)
{
    struct impact_history h;
    if (impact_history_load(st, a, o->org_id, o->currency, &h, err) < 0)
        return -1;
    struct impact_participant *p = malloc((n + 1) * sizeof *p);
    if (!p) {
        impact_history_free(&h);
        return TB_INTERNAL(err, "out of memory for %zu placements", n);
    }
    for (size_t i = 0; i < n; i++) {
        p[i] = (struct impact_participant){u[i].company_id, u[i].base_year ? u[i].base_year : u[i].year - 1};
        const struct hist_company *c = impact_history_company(&h, u[i].company_id);
        double v = u[i].has_baseline || !c ? NAN : impact_history_value(&h, c->company_id, u[i].year - 1);
        if (isnan(v))
            continue;
        u[i].has_baseline = 1;
        u[i].base = v;
        u[i].employees = (double)c->employees;
        u[i].band = size_band((double)c->employees);
        if (u[i].answered) {
            u[i].change = u[i].follow - v;
            u[i].attributable = u[i].change * u[i].attr_pct / 100.0;
        }
    }
    ev->applicants = impact_applicant_firms(&h, o->currency);
    ev->trends = impact_trend_years(&h, p, n);
    ev->unconverted = h.unconverted;
    free(p);
    impact_history_free(&h);
    json_t *tr;
    if (impact_training_load(st, a, o->org_id, &tr, err) < 0)
        return -1;
    json_t *learning = json_object_get(tr, "learning"), *behaviour = json_object_get(tr, "behaviour");
    for (size_t i = 0; i < n; i++) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)u[i].placement_id);
        json_t *l = json_object_get(learning, key), *b = json_object_get(behaviour, key);
        u[i].learning = l ? json_number_value(l) : NAN;
        u[i].behaviour = b ? json_number_value(b) : NAN;
    }
    json_decref(tr);
    return impact_introductions(st, a, o->org_id, &ev->introductions, err);
}

static json_t *mean_of(const struct unit *u, size_t n, int answered, size_t off)
{
    double sum = 0;
    int m = 0;
    for (size_t i = 0; i < n; i++) {
        double v = *(const double *)((const char *)&u[i] + off);
        if (u[i].answered == answered && !isnan(v)) {
            sum += v;
            m++;
        }
    }
    return json_pack("{s:i, s:o}", "n", m, "mean", m ? json_real(sum / m) : json_null());
}

/* Respondents against non-respondents on what is known before the survey:
 * baseline exports, employees, the share in metropolitan regions. */
static json_t *nonresponse(const struct unit *u, size_t n, unsigned k)
{
    json_t *out = json_object();
    static const char *const side[2] = {"non_respondents", "respondents"};
    for (int s = 0; s < 2; s++) {
        int all = 0, metro = 0, classified = 0;
        for (size_t i = 0; i < n; i++) {
            if (u[i].answered != s)
                continue;
            all++;
            classified += u[i].metro >= 0;
            metro += u[i].metro == 1;
        }
        if (k && all < (int)k) {
            json_object_set_new(out, side[s], json_pack("{s:s}", "suppressed", "primary"));
            continue;
        }
        json_t *g = json_pack("{s:i, s:o, s:o}", "n", all, "baseline_exports",
                              mean_of(u, n, s, offsetof(struct unit, base)), "employees",
                              mean_of(u, n, s, offsetof(struct unit, employees)));
        json_object_set_new(g, "metropolitan", json_pack("{s:i, s:o}", "n", classified, "share",
                                                         classified ? json_real((double)metro / classified)
                                                                    : json_null()));
        json_object_set_new(out, side[s], g);
    }
    return out;
}

static void evidence_report(json_t *out, const struct evidence *ev, const struct unit *u, size_t n, unsigned k)
{
    json_object_set_new(out, "nonresponse", nonresponse(u, n, k));
    if (ev->unconverted)   /* company-years of the sales history without a rate into the report currency */
        json_object_set_new(out, "history_left_out", json_integer((json_int_t)ev->unconverted));
    json_object_set_new(out, "introductions", k && ival(ev->introductions, "n") < (json_int_t)k
                                                  ? json_pack("{s:s}", "suppressed", "primary")
                                                  : json_incref(ev->introductions));
}

static void evidence_free(struct evidence *ev)
{
    json_decref(ev->applicants);
    json_decref(ev->trends);
    json_decref(ev->introductions);
}

int impact_measures(struct store *st, const struct tb_actor *a, const struct impact_opts *o_in, json_t **out,
                    struct tb_err *err)
{
    struct impact_opts o = *o_in;
    if (!o.wave)
        o.wave = "m12";
    if (!o.group)
        o.group = "operator";
    if (!o.seed)
        o.seed = 20260101;
    if (!o.resamples)
        o.resamples = 10000;
    json_t *settings = NULL;
    int64_t org = o.org_id ? o.org_id : a->tenant_id;
    if (org && store_impact_settings_get(st, a, org, &settings, err) < 0)
        return -1;
    if (!o.currency)
        o.currency = sval(settings, "currency") ? sval(settings, "currency") : "EUR";
    unsigned k = json_is_integer(json_object_get(settings, "min_cell")) ? (unsigned)ival(settings, "min_cell") : 5;
    /* The rows stream by once; their money waits for the rates of every
     * currency they use. */
    struct unit_rows ur = {.keys = json_object(), .curs = json_pack("{s:b}", o.currency, 1), .group = o.group};
    if (store_impact_rows_each(st, a, o.org_id, o.wave, row_to_unit, &ur, err) < 0) {
        free(ur.u);
        free(ur.m);
        json_decref(ur.keys);
        json_decref(ur.curs);
        json_decref(settings);
        return -1;
    }
    json_t *curs = ur.curs, *r;
    size_t i;
    json_t *firms = NULL;
    if (store_impact_comparison_list(st, a, o.org_id, &firms, err) == 0) {
        json_array_foreach(firms, i, r)
            json_object_set_new(curs, sval(r, "currency"), json_true());
        json_decref(firms);
    }
    const char *names[FX_MAX_CURRENCIES] = {0};
    int nc = 0;
    const char *key;
    json_t *v;
    json_object_foreach(curs, key, v)
        if (nc < FX_MAX_CURRENCIES)
            names[nc++] = key;
    struct fx_table fx;
    int rc = load_rates(st, names, nc, &fx, err);
    size_t n = ur.n;
    struct unit *u = ur.u ? ur.u : calloc(1, sizeof *u);
    for (i = 0; rc == 0 && i < n; i++)
        rc = convert_unit(&fx, ur.m, o.currency, &u[i], err);
    free(ur.m);
    struct evidence ev = {0};
    if (rc == 0)
        rc = evidence_add(st, a, &o, u, n, &ev, err);
    json_t *groups = json_array(), *total = NULL, *cmp = NULL;
    if (rc == 0) {
        /* Units of one group are contiguous once sorted by key (ties by
         * placement order, so the resamples see the same order every run). */
        struct unit *sorted = malloc((n + 1) * sizeof *sorted);
        size_t ng = 0, *bound = malloc((n + 1) * sizeof *bound);
        uint32_t *answered = calloc(n + 1, sizeof *answered);
        uint8_t *mark = calloc(2 * (n + 1), 1);
        if (!u || !sorted || !bound || !answered || !mark) {
            rc = TB_INTERNAL(err, "out of memory for %zu placements", n);
            n = 0;   /* nothing is sorted or grouped; the buffers are freed below */
        } else {
            memcpy(sorted, u, n * sizeof *u);
        }
        for (i = 0; i < n; i++)
            sorted[i].order = i;
        if (n)
            qsort(sorted, n, sizeof *sorted, cmp_group);
        /* The groups and how many answered in each; the suppressed ones
         * (when asked) are known before any figure is computed. */
        uint32_t answered_total = 0;
        for (size_t start = 0, end; start < n; start = end) {
            for (end = start + 1; end < n && !strcmp(sorted[end].group, sorted[start].group); end++)
                ;
            for (size_t j = start; j < end; j++)
                answered[ng] += (uint32_t)sorted[j].answered;
            answered_total += answered[ng];
            bound[ng++] = start;
        }
        if (bound)
            bound[ng] = n;
        if (o.suppress && rc == 0)
            rc = impact_suppress(answered, NULL, ng, 1, k, 0, mark, err);
        for (size_t g = 0; rc == 0 && g < ng; g++) {
            const char *gk = sorted[bound[g]].group;
            if (mark[g * 2] != CELL_SHOWN)
                json_array_append_new(groups, json_pack("{s:s, s:s}", "key", gk, "suppressed",
                                                        mark[g * 2] == CELL_PRIMARY ? "primary" : "secondary"));
            else if (json_array_append_new(groups, group_figures(gk, sorted + bound[g], bound[g + 1] - bound[g], &o)))
                rc = TB_INTERNAL(err, "out of memory for the figures of %s", gk);
        }
        free(sorted);
        free(bound);
        free(answered);
        free(mark);
        if (rc < 0) {
            /* refused below */
        } else if (o.suppress && answered_total < k) {
            total = json_pack("{s:s, s:s}", "key", "total", "suppressed", "primary");
        } else if (ng == 1 && !json_object_get(json_array_get(groups, 0), "suppressed")) {
            /* One group is the total: computed once. */
            total = json_deep_copy(json_array_get(groups, 0));
            json_object_set_new(total, "key", json_string("total"));
        } else if (!(total = group_figures("total", u, n, &o))) {
            rc = TB_INTERNAL(err, "out of memory for the total's figures");
        }
        if (rc == 0) {
            cmp = comparison(st, a, &fx, u, n, &o, o.currency, ev.applicants, o.suppress ? k : 0, err);
            if (!cmp)
                rc = -1;
            else if (ev.trends) {
                if (o.suppress)
                    impact_trend_suppress(ev.trends, k);
                json_object_set(cmp, "trend_years", ev.trends);
            }
        }
    }
    if (rc == 0) {
        *out = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:I}", "currency", o.currency, "wave", o.wave, "group",
                         o.group, "conversion",
                         "ECB euro reference rates, yearly average of the year each amount is for; cross rates through EUR",
                         "seed", (json_int_t)o.seed, "resamples", (json_int_t)o.resamples, "suppressed", o.suppress,
                         "min_cell", (json_int_t)k);
        json_object_set_new(*out, "interval", json_string("bootstrap BCa 95% (percentile where BCa is undefined)"));
        json_object_set_new(*out, "money_unit", json_string("minor units of the report currency"));
        json_object_set_new(*out, "iris", json_object_get(total, "suppressed") ? json_array() : iris(total));
        headline(*out, total, cmp, o.currency, o.wave);
        json_object_set_new(*out, "groups", groups);
        json_object_set_new(*out, "total", total);
        json_object_set_new(*out, "comparison", o.suppress && ival(cmp, "treated") < (json_int_t)k
                                                    ? json_pack("{s:s}", "suppressed", "primary")
                                                    : json_incref(cmp));
        evidence_report(*out, &ev, u, n, o.suppress ? k : 0);
    } else {
        json_decref(groups);
        json_decref(total);
    }
    json_decref(cmp);
    evidence_free(&ev);
    free(u);
    fx_free(&fx);
    json_decref(curs);
    json_decref(ur.keys);
    json_decref(settings);
    return rc;
}

/* ---- the comparison group from a CSV register extract ---- */

struct firm_csv {
    json_t *rows;
    int col[10];
};

static const char *const firm_cols[10] = {"ref", "source", "nace", "employees", "currency", "base_year", "baseline",
                                          "followup", "jobs_base", "jobs_followup"};

static int firm_row(void *vctx, char **f, int n, long line, struct tb_err *err)
{
    struct firm_csv *c = vctx;
    if (line == 1) {
        for (int k = 0; k < 10; k++) {
            c->col[k] = -1;
            for (int i = 0; i < n; i++)
                if (!strcmp(f[i], firm_cols[k]))
                    c->col[k] = i;
            if (c->col[k] < 0 && k != 1 && k != 2 && k < 8)
                return TB_INVALID(err, firm_cols[k], "line 1: the header needs the columns ref, employees, currency, "
                                  "base_year, baseline, followup (no column '%s')", firm_cols[k]);
        }
        return 0;
    }
    json_t *row = json_object();
    json_array_append_new(c->rows, row);
    json_object_set_new(row, "source", json_string("register"));
    const char *cur = c->col[4] < n ? f[c->col[4]] : "";
    for (int k = 0; k < 10; k++) {
        if (c->col[k] < 0 || c->col[k] >= n || !*f[c->col[k]])
            continue;
        const char *v = f[c->col[k]];
        char *end;
        if (k == 6 || k == 7) {   /* money in major units of the row's currency */
            int digits = codes_currency_minor_units(cur);
            long long minor;
            char why[120];
            if (digits < 0)
                return TB_INVALID(err, "currency", "line %ld: currency: '%s' is not an ISO 4217 currency", line, cur);
            if (csv_money_parse(v, digits, &minor, why, sizeof why) < 0)
                return TB_INVALID(err, firm_cols[k], "line %ld: %s: %s", line, firm_cols[k], why);
            char key[24];
            snprintf(key, sizeof key, "%s_minor", firm_cols[k]);
            json_object_set_new(row, key, json_integer(minor));
        } else if (k == 3 || k == 5) {
            long long x = strtoll(v, &end, 10);
            if (*end)
                return TB_INVALID(err, firm_cols[k], "line %ld: %s: expected a whole number", line, firm_cols[k]);
            json_object_set_new(row, firm_cols[k], json_integer(x));
        } else if (k >= 8) {
            double x = strtod(v, &end);
            if (*end)
                return TB_INVALID(err, firm_cols[k], "line %ld: %s: expected a number", line, firm_cols[k]);
            json_object_set_new(row, firm_cols[k], json_real(x));
        } else {
            json_object_set_new(row, firm_cols[k], json_string(v));
        }
    }
    return 0;
}

int impact_comparison_csv(struct store *st, const struct tb_actor *a, int64_t org_id, const char *buf, size_t len,
                          int *count, struct tb_err *err)
{
    struct firm_csv c = {.rows = json_array()};
    int rc = csvrows_each(buf, len, ',', firm_row, &c, err);
    if (rc == 0 && !json_array_size(c.rows))
        rc = TB_INVALID(err, "", "no rows after the header");
    json_t *wrapped = rc == 0 ? json_pack("{s:O}", "firms", c.rows) : NULL;
    if (wrapped)
        rc = validate_object(wrapped, impact_comparison_fields, 0, err);
    if (rc == 0)
        rc = impact_comparison_put(st, a, org_id, c.rows, count, err);
    json_decref(wrapped);
    json_decref(c.rows);
    return rc;
}
