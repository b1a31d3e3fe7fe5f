/*
 * impact.c - impact's store functions (store/impact.h); statements in
 * stmts_impact_sqlite.inc.
 */
#include "store/impact.h"

#include "core/json_arena.h"

#include <stdlib.h>
#include <string.h>

#include "store/entity.h"
#include "store/shared_int.h"

static void bind_json(struct store *st, struct st_q *s, const char *name, const json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    st_bind_text(st, s, name, text);
    free(text);
}

static int64_t int_of(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* Stepped to the end; 404 `missing` when no row changed. */
static int done_one(struct store *st, struct st_q *s, const char *what, const char *missing, struct tb_err *err)
{
    if (st_step_done(st, s, what, err) < 0)
        return -1;
    return st_changes(st) == 1 ? 0 : TB_NOT_FOUND(err, "%s", missing);
}

static int audited(struct store *st, const struct tb_actor *a, int rc, int64_t org_id, const char *entity,
                   int64_t id, json_t *changes, struct tb_err *err)
{
    if (rc == 0)
        rc = store_audit_add(st, a, org_id, "update", entity, id, changes, err);
    json_decref(changes);
    return rc;
}

static void decode(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    if (json_is_string(v))
        json_object_set_new(row, key, json_loads(json_string_value(v), 0, NULL));
}

static int one_by(struct store *st, const struct tb_actor *a, enum stmt id, const char *param, int64_t v,
                  const char *what, json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, id, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, param, v);
    return st_get_one(st, s, what, out, err);
}

/* ---- baselines and costs ---- */

int store_impact_baseline_put(struct store *st, const struct tb_actor *a, int64_t company_id, const json_t *b,
                              struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    struct st_q *s = st_stmt(st, STMT_IMPACT_BASELINE_PUT, a, err);
    int rc = -1;
    if (s) {
        st_bind_i64(st, s, ":company_id", company_id);
        st_bind_i64(st, s, ":year", int_of(b, "year"));
        st_bind_text(st, s, ":currency", json_string_value(json_object_get(b, "currency")));
        st_bind_i64(st, s, ":turnover_minor", int_of(b, "turnover_minor"));
        st_bind_i64(st, s, ":employees", int_of(b, "employees"));
        st_bind_double(st, s, ":fte", json_number_value(json_object_get(b, "fte")));
        bind_json(st, s, ":sales", json_object_get(b, "sales"));
        rc = done_one(st, s, "baseline", "company not found", err);
    }
    json_t *row = NULL;
    if (rc == 0)
        rc = store_impact_baseline_get(st, a, company_id, &row, err);
    rc = audited(st, a, rc, int_of(row, "org_id"), "impact_baseline", company_id,
                 json_pack("{s:{s:O}}", "baseline", "new", b), err);
    json_decref(row);
    return st_tx_end(st, owned, rc, err);
}

int store_impact_baseline_get(struct store *st, const struct tb_actor *a, int64_t company_id, json_t **out,
                              struct tb_err *err)
{
    if (one_by(st, a, STMT_IMPACT_BASELINE_GET, ":company_id", company_id, "baseline", out, err) < 0)
        return -1;
    decode(*out, "sales");
    return 0;
}

int store_impact_cost_put(struct store *st, const struct tb_actor *a, int64_t placement_id, const json_t *c,
                          struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    struct st_q *s = st_stmt(st, STMT_IMPACT_COST_PUT, a, err);
    int rc = -1;
    if (s) {
        st_bind_i64(st, s, ":placement_id", placement_id);
        st_bind_text(st, s, ":currency", json_string_value(json_object_get(c, "currency")));
        st_bind_i64(st, s, ":operator_cost_minor", int_of(c, "operator_cost_minor"));
        st_bind_i64(st, s, ":company_fee_minor", int_of(c, "company_fee_minor"));
        st_bind_i64(st, s, ":grants_minor", int_of(c, "grants_minor"));
        rc = done_one(st, s, "programme cost", "placement not found", err);
    }
    json_t *row = NULL;
    if (rc == 0)
        rc = store_impact_cost_get(st, a, placement_id, &row, err);
    rc = audited(st, a, rc, int_of(row, "org_id"), "impact_cost", placement_id,
                 json_pack("{s:{s:O}}", "cost", "new", c), err);
    json_decref(row);
    return st_tx_end(st, owned, rc, err);
}

int store_impact_cost_get(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                          struct tb_err *err)
{
    return one_by(st, a, STMT_IMPACT_COST_GET, ":placement_id", placement_id, "programme cost", out, err);
}

/* ---- surveys ---- */

int store_impact_survey_create(struct store *st, const struct tb_actor *a, int64_t placement_id,
                               const char *respondent, const char *wave, const char *email,
                               const char *token_hash, int64_t expires_at, int64_t *id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    struct st_q *s = st_stmt(st, STMT_IMPACT_SURVEY_INSERT, a, err);
    int rc = -1;
    if (s) {
        st_bind_i64(st, s, ":placement_id", placement_id);
        st_bind_text(st, s, ":respondent", respondent);
        st_bind_text(st, s, ":wave", wave);
        st_bind_text(st, s, ":email", email);
        st_bind_text(st, s, ":token_hash", token_hash);
        st_bind_i64(st, s, ":expires_at", expires_at);
        rc = st_step_done(st, s, "survey", err);
        if (rc == 0 && st_changes(st) != 1)
            rc = tb_error(err, TB_E_CONFLICT, "wave",
                          "wave: the %s survey of this wave was sent already; send a reminder instead", respondent);
    }
    json_t *p = NULL;
    if (rc == 0) {
        *id = st_last_id(st);
        rc = store_entity_get(st, a, ENT_PLACEMENT, placement_id, &p, err);
    }
    rc = audited(st, a, rc, int_of(p, "org_id"), "impact_survey", rc == 0 ? *id : 0,
                 json_pack("{s:{s:I}, s:{s:s}, s:{s:s}}", "placement_id", "new", (json_int_t)placement_id,
                           "respondent", "new", respondent, "wave", "new", wave), err);
    json_decref(p);
    return st_tx_end(st, owned, rc, err);
}

static int survey_gone(struct tb_err *err, const char *why)
{
    return tb_error(err, TB_E_LINK_GONE, "token", "token: this survey link %s; ask the programme for a new one", why);
}

int store_impact_survey_peek(struct store *st, const char *token_hash, json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_IMPACT_SURVEY_PEEK, NULL, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":token_hash", token_hash);
    if (st_get_one(st, s, "survey", out, err) < 0)
        return err->status == 404 ? tb_error(err, TB_E_NOT_FOUND, "token",
                                             "token: this survey link is unknown; ask the programme for a new one")
                                  : -1;
    const char *why = json_is_string(json_object_get(*out, "submitted_at")) ? "was answered already"
                      : int_of(*out, "expired") ? "has expired" : NULL;
    if (why) {
        json_decref(*out);
        *out = NULL;
        return survey_gone(err, why);
    }
    decode(*out, "answers");
    return 0;
}

int store_impact_survey_save(struct store *st, const char *token_hash, const json_t *answers, int submit,
                             struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_IMPACT_SURVEY_SAVE, NULL, err);
    if (!s)
        return -1;
    bind_json(st, s, ":answers", answers);
    st_bind_i64(st, s, ":submit", submit != 0);
    st_bind_text(st, s, ":token_hash", token_hash);
    if (st_step_done(st, s, "survey", err) < 0)
        return -1;
    return st_changes(st) == 1 ? 0 : survey_gone(err, "was answered already or has expired");
}

int store_impact_survey_answered(struct store *st, const char *token_hash, const json_t *answers, int submit,
                                 const char *client_addr, struct tb_err *err)
{
    json_t *row;
    if (store_impact_survey_peek(st, token_hash, &row, err) < 0)
        return -1;
    /* Audited under the survey's operator, by nobody: the link's respondent. */
    struct tb_actor link = {.tenant_id = int_of(row, "org_id"), .client_addr = client_addr};
    int64_t id = int_of(row, "id");
    json_decref(row);
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = store_impact_survey_save(st, token_hash, answers, submit, err);
    rc = audited(st, &link, rc, link.tenant_id, "impact_survey", id,
                 json_pack("{s:{s:s}}", "answers", "new", submit ? "submitted by link" : "saved by link"), err);
    return st_tx_end(st, owned, rc, err);
}

int store_impact_survey_list(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                             struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_IMPACT_SURVEY_LIST, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":placement_id", placement_id);
    if (st_rows(st, s, out, err) < 0)
        return -1;
    size_t i;
    json_t *row;
    json_array_foreach(*out, i, row)
        decode(row, "answers");
    return 0;
}

int store_impact_survey_due(struct store *st, const struct tb_actor *a, const char *before, int max,
                            json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_IMPACT_SURVEY_DUE, a, err);
    if (!s)
        return -1;
    st_bind_text(st, s, ":before", before);
    st_bind_i64(st, s, ":max_reminders", max);
    return st_rows(st, s, out, err);
}

int store_impact_survey_renew(struct store *st, const struct tb_actor *a, int64_t id, const char *token_hash,
                              int64_t expires_at, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_IMPACT_SURVEY_RENEW, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", id);
    st_bind_text(st, s, ":token_hash", token_hash);
    st_bind_i64(st, s, ":expires_at", expires_at);
    return done_one(st, s, "survey", "survey not found", err);
}

/* ---- measures' rows, comparison group, settings ---- */

/* The IMPACT_ROWS columns, in order. */
enum {
    R_PLACEMENT, R_ORG, R_COMPANY, R_COHORT_ID, R_COHORT, R_YEAR, R_COUNTRY, R_REGION, R_NACE, R_BASE_YEAR,
    R_BASE_CURRENCY, R_BASE_TOTAL, R_EMPLOYEES, R_FTE, R_COST_CURRENCY, R_OPERATOR_COST, R_COMPANY_FEE, R_GRANTS,
    R_COMPANY_ANSWERS, R_TRAINEE_ANSWERS, R_COMPANY_ASKED, R_TRAINEE_ASKED, R__N
};

static const char *col_text(struct st_q *s, int i)
{
    return st_col_type(s, i) == ST_NULL ? NULL : st_col_text(s, i);
}

int store_impact_rows_each(struct store *st, const struct tb_actor *a, int64_t org_id, const char *wave,
                           impact_row_fn fn, void *ctx, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_IMPACT_ROWS, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    st_bind_text(st, s, ":wave", wave);
    /* Only placements whose follow-up is due (end, +6, +12, +24 months). */
    st_bind_i64(st, s, ":months", !strcmp(wave, "m6") ? 6 : !strcmp(wave, "m12") ? 12 : !strcmp(wave, "m24") ? 24 : 0);
    /* What fn parses of a row (the answers) lives in an arena window,
     * released at once after fn: 100,000 rows were as many small trees for
     * malloc to build and take apart. */
    struct arena *ar = arena_new(0);
    if (!ar) {
        st_reset(s);
        return TB_INTERNAL(err, "out of memory for the impact rows");
    }
    int rc, r = 0;
    while (r == 0 && (rc = st_step(st, s)) == ST_ROW) {
        if (st_col_count(s) != R__N) {
            r = TB_INTERNAL(err, "impact rows: %d columns, expected %d", st_col_count(s), R__N);
            break;
        }
        struct impact_row row = {
            .placement_id = st_col_i64(s, R_PLACEMENT), .org_id = st_col_i64(s, R_ORG),
            .company_id = st_col_i64(s, R_COMPANY), .cohort = col_text(s, R_COHORT),
            .year = (int)st_col_i64(s, R_YEAR), .country = col_text(s, R_COUNTRY), .region = col_text(s, R_REGION),
            .nace = col_text(s, R_NACE), .base_year = (int)st_col_i64(s, R_BASE_YEAR),
            .base_currency = col_text(s, R_BASE_CURRENCY), .base_total = st_col_double(s, R_BASE_TOTAL),
            .employees = st_col_i64(s, R_EMPLOYEES), .cost_currency = col_text(s, R_COST_CURRENCY),
            .operator_cost_minor = st_col_i64(s, R_OPERATOR_COST), .company_fee_minor = st_col_i64(s, R_COMPANY_FEE),
            .company_answers = col_text(s, R_COMPANY_ANSWERS), .trainee_answers = col_text(s, R_TRAINEE_ANSWERS),
            .company_asked = st_col_i64(s, R_COMPANY_ASKED), .trainee_asked = st_col_i64(s, R_TRAINEE_ASKED)};
        struct json_arena_window win = json_arena_push(ar);
        r = fn(ctx, &row, err);
        if (r == 0 && arena_failures(ar))
            r = TB_INTERNAL(err, "out of memory for an impact row");
        json_arena_pop(win);
        arena_reset(ar);
    }
    arena_free(ar);
    st_reset(s);
    if (r < 0)
        return r;
    return rc == ST_DONE ? 0 : st_db_fail(st, err, "impact rows");
}

int store_impact_comparison_put(struct store *st, const struct tb_actor *a, int64_t org_id, const json_t *row,
                                struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_IMPACT_COMPARISON_PUT, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    static const char *const texts[] = {"ref", "source", "nace", "currency", NULL};
    static const char *const ints[] = {"employees", "base_year", "baseline_minor", "followup_minor", NULL};
    for (int i = 0; texts[i]; i++) {
        char name[32];
        snprintf(name, sizeof name, ":%s", texts[i]);
        st_bind_text(st, s, name, json_string_value(json_object_get(row, texts[i])));
    }
    for (int i = 0; ints[i]; i++) {
        char name[32];
        snprintf(name, sizeof name, ":%s", ints[i]);
        st_bind_i64(st, s, name, int_of(row, ints[i]));
    }
    static const char *const reals[] = {"jobs_base", "jobs_followup", NULL};
    for (int i = 0; reals[i]; i++) {
        char name[32];
        snprintf(name, sizeof name, ":%s", reals[i]);
        json_t *v = json_object_get(row, reals[i]);
        if (json_is_number(v))
            st_bind_double(st, s, name, json_number_value(v));
        else
            st_bind_text(st, s, name, NULL);
    }
    return done_one(st, s, "comparison firm", "organization not found", err);
}

int store_impact_comparison_list(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **out,
                                 struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_IMPACT_COMPARISON_LIST, a, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":org_id", org_id);
    return st_rows(st, s, out, err);
}

int store_impact_settings_get(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **out,
                              struct tb_err *err)
{
    return st_settings_get(st, a, STMT_IMPACT_SETTINGS_GET, org_id, out, err);
}

int store_impact_settings_put(struct store *st, const struct tb_actor *a, int64_t org_id, const json_t *doc,
                              struct tb_err *err)
{
    return st_settings_put(st, a, STMT_IMPACT_SETTINGS_GET, STMT_IMPACT_SETTINGS_PUT, "impact_settings", org_id,
                           doc, err);
}

int store_impact_surveys_unsent(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err)
{
    struct st_q *s = st_stmt(st, STMT_IMPACT_SURVEYS_UNSENT, a, err);
    return s ? st_rows(st, s, out, err) : -1;
}
