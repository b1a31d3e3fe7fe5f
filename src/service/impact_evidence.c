/*
 * impact_evidence.c - see impact_evidence.h.
 */
#include "service/impact_evidence.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/csv_import.h"
#include "core/market/fx.h"
#include "core/trade/csvrows.h"
#include "store/impact_evidence.h"
#include "store/market.h"

static int64_t ival(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static const char *sval(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* ---- export sales from CSV ---- */

/* The company by company_id or, where that column is absent or empty, by
 * its registration_number. */
enum { C_COMPANY, C_MARKET, C_YEAR, C_CURRENCY, C_AMOUNT, C_REGNO, C__N };
static const char *const sales_cols[C__N] = {"company_id", "market", "year", "currency", "amount",
                                             "registration_number"};

struct sales_csv {
    json_t *rows, *seen;   /* seen: "company/market/year" -> row number */
    int col[C__N];
};

__attribute__((format(printf, 4, 5))) static int row_err(struct tb_err *err, int k, long line, const char *fmt, ...)
{
    char why[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return TB_INVALID(err, sales_cols[k], "row %ld, column %s: %s", line, sales_cols[k], why);
}

static int sales_row(void *vctx, char **f, int n, long line, struct tb_err *err)
{
    struct sales_csv *c = vctx;
    if (line == 1) {
        for (int k = 0; k < C__N; k++) {
            c->col[k] = -1;
            for (int i = 0; i < n; i++)
                if (!strcmp(f[i], sales_cols[k]))
                    c->col[k] = i;
        }
        for (int k = 0; k < C__N; k++)
            if (c->col[k] < 0 && k != C_REGNO && (k != C_COMPANY || c->col[C_REGNO] < 0))
                return TB_INVALID(err, sales_cols[k], "row 1: the header needs the columns company_id (or "
                                  "registration_number), market, year, currency, amount (no column '%s')", sales_cols[k]);
        return 0;
    }
    const char *v[C__N];
    for (int k = 0; k < C__N; k++)
        v[k] = c->col[k] >= 0 && c->col[k] < n ? f[c->col[k]] : "";
    int by_regno = !*v[C_COMPANY] && c->col[C_REGNO] >= 0;
    for (int k = 0; k < C_REGNO; k++)
        if (!*v[k] && !(k == C_COMPANY && by_regno))
            return row_err(err, k, line, "empty");
    if (by_regno && !*v[C_REGNO])
        return row_err(err, C_REGNO, line, "empty (and no company_id)");
    char *end;
    long long company = 0;
    if (!by_regno) {
        company = strtoll(v[C_COMPANY], &end, 10);
        if (*end || company <= 0)
            return row_err(err, C_COMPANY, line, "'%s' is not a company id", v[C_COMPANY]);
    }
    if (!codes_known(CODES_COUNTRY, v[C_MARKET]))
        return row_err(err, C_MARKET, line, "'%s' is not an ISO 3166-1 alpha-2 country",
                       v[C_MARKET]);
    long year = strtol(v[C_YEAR], &end, 10);
    if (*end || year < 1990 || year > 2100)
        return row_err(err, C_YEAR, line, "'%s' is not a year (1990-2100)", v[C_YEAR]);
    int digits = codes_currency_minor_units(v[C_CURRENCY]);
    if (digits < 0)
        return row_err(err, C_CURRENCY, line, "'%s' is not an ISO 4217 currency",
                       v[C_CURRENCY]);
    long long minor;
    char why[120];
    if (v[C_AMOUNT][0] == '-')
        return row_err(err, C_AMOUNT, line, "export sales cannot be negative");
    if (csv_money_parse(v[C_AMOUNT], digits, &minor, why, sizeof why) < 0)
        return row_err(err, C_AMOUNT, line, "%s", why);
    char key[200], who[120];
    if (by_regno)
        snprintf(who, sizeof who, "registration number %s", v[C_REGNO]);
    else
        snprintf(who, sizeof who, "company %lld", company);
    snprintf(key, sizeof key, "%s/%s/%ld", who, v[C_MARKET], year);
    json_t *prev = json_object_get(c->seen, key);
    if (prev)
        return TB_INVALID(err, sales_cols[C_MARKET], "row %ld, column market: %s, market %s, year %ld is already on "
                          "row %lld", line, who, v[C_MARKET], year, (long long)json_integer_value(prev));
    json_object_set_new(c->seen, key, json_integer(line));
    json_t *row = json_pack("{s:I, s:s, s:i, s:s, s:I, s:i, s:s}", "company_id", (json_int_t)company, "market",
                            v[C_MARKET], "year", (int)year, "currency", v[C_CURRENCY], "amount_minor",
                            (json_int_t)minor, "row", (int)line, "who", who);
    if (by_regno)
        json_object_set_new(row, "registration_number", json_string(v[C_REGNO]));
    json_array_append_new(c->rows, row);
    return 0;
}

/* Distinct companies named in the rows. */
static size_t companies(const json_t *rows)
{
    json_t *set = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
        json_object_set_new(set, json_string_value(json_object_get(r, "who")), json_true());
    size_t n = json_object_size(set);
    json_decref(set);
    return n;
}

int impact_sales_csv(struct store *st, const struct tb_actor *a, const char *buf, size_t len, int *count,
                     struct tb_err *err)
{
    struct sales_csv c = {.rows = json_array(), .seen = json_object()};
    int rc = csvrows_each(buf, len, ',', sales_row, &c, err);
    if (rc == 0 && !json_array_size(c.rows))
        rc = TB_INVALID(err, "", "no rows after the header");
    /* Every currency needs the ECB yearly average of its year (422 naming the row). */
    struct fx_table fx;
    fx_init(&fx);
    if (rc == 0) {
        json_t *curs = json_array();
        size_t i;
        json_t *r;
        json_array_foreach(c.rows, i, r)
            json_array_append_new(curs, json_string(sval(r, "currency")));
        rc = store_fx_load(st, curs, &fx, err);
        json_decref(curs);
        json_array_foreach(c.rows, i, r) {
            double rate;
            char field[48];
            snprintf(field, sizeof field, "row %lld, column currency", (long long)ival(r, "row"));
            if (rc < 0)
                break;
            if (strcmp(sval(r, "currency"), "EUR"))
                rc = fx_period_average(&fx, sval(r, "currency"), (int)ival(r, "year"), 0, &rate, field, err);
        }
    }
    fx_free(&fx);
    if (rc == 0)
        rc = store_begin(st, err);
    if (rc == 0) {
        size_t i;
        json_t *r;
        json_array_foreach(c.rows, i, r) {
            if (store_impact_sales_put(st, a, r, err) < 0) {
                const char *col = sval(r, "registration_number") ? "registration_number" : "company_id";
                rc = err->status == 404 ? TB_INVALID(err, col, "row %lld, column %s: no %s at this operator (or more "
                                                     "than one)", (long long)ival(r, "row"), col, sval(r, "who"))
                                        : -1;
                break;
            }
        }
        /* One audit record per file, under the importing operator: how many
         * rows for how many companies (the amounts are in the table). */
        if (rc == 0) {
            json_t *changes = json_pack("{s:{s:I}, s:{s:I}}", "rows", "new", (json_int_t)json_array_size(c.rows),
                                        "companies", "new", (json_int_t)companies(c.rows));
            rc = store_audit_add(st, a, a->tenant_id, "update", "impact_export_sales", 0, changes, err);
            json_decref(changes);
        }
        if (rc < 0 || store_commit(st, err) < 0) {
            store_rollback(st);
            rc = -1;
        }
    }
    if (rc == 0)
        *count = (int)json_array_size(c.rows);
    json_decref(c.rows);
    json_decref(c.seen);
    return rc;
}

/* ---- the history in the report currency ---- */

const struct hist_company *impact_history_company(const struct impact_history *h, int64_t company_id)
{
    size_t lo = 0, hi = h->n;   /* sorted by company_id (the statement's order) */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (h->c[mid].company_id < company_id)
            lo = mid + 1;
        else if (h->c[mid].company_id > company_id)
            hi = mid;
        else
            return &h->c[mid];
    }
    return NULL;
}

int impact_history_load(struct store *st, const struct tb_actor *a, int64_t org_id, const char *currency,
                        struct impact_history *h, struct tb_err *err)
{
    memset(h, 0, sizeof *h);
    json_t *rows;
    if (store_impact_sales_years(st, a, org_id, &rows, err) < 0)
        return -1;
    json_t *curs = json_pack("[s]", currency);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
        json_array_append_new(curs, json_string(sval(r, "currency")));
    struct fx_table fx;
    fx_init(&fx);
    int rc = json_array_size(rows) ? store_fx_load(st, curs, &fx, err) : 0;
    json_decref(curs);
    h->c = calloc(json_array_size(rows) + 1, sizeof *h->c);
    /* First pass: one entry per company with its span of years. */
    json_array_foreach(rows, i, r) {
        int64_t id = ival(r, "company_id");
        int y = (int)ival(r, "year");
        struct hist_company *c = h->n && h->c[h->n - 1].company_id == id ? &h->c[h->n - 1] : NULL;
        if (!c) {
            c = &h->c[h->n++];
            c->company_id = id;
            c->employees = ival(r, "employees");
            c->applied_year = (int)ival(r, "applied_year");
            c->placed = (int)ival(r, "placed");
            c->first = c->last = y;
            snprintf(c->nace, sizeof c->nace, "%s", sval(r, "nace") ? sval(r, "nace") : "");
            snprintf(c->country, sizeof c->country, "%s", sval(r, "country") ? sval(r, "country") : "");
        }
        c->last = y;
    }
    for (size_t k = 0; k < h->n; k++) {
        struct hist_company *c = &h->c[k];
        size_t span = (size_t)(c->last - c->first + 1);
        c->by_year = malloc(span * sizeof *c->by_year);
        for (size_t y = 0; y < span; y++)
            c->by_year[y] = NAN;
    }
    /* A year the report currency has no rate for (one not published yet)
     * is left out of the history - counted, never a zero - rather than
     * failing the whole report over supplementary figures. */
    json_array_foreach(rows, i, r) {
        if (rc < 0)
            break;
        struct hist_company *c = (struct hist_company *)impact_history_company(h, ival(r, "company_id"));
        int y = (int)ival(r, "year");
        int64_t v;
        struct tb_err e = {0};
        if (fx_convert_period(&fx, ival(r, "total"), sval(r, "currency"), currency, y, 0, &v, "currency", &e) < 0) {
            h->unconverted++;
            continue;
        }
        double *slot = &c->by_year[y - c->first];
        *slot = (isnan(*slot) ? 0 : *slot) + (double)v;
    }
    fx_free(&fx);
    json_decref(rows);
    if (rc < 0)
        impact_history_free(h);
    return rc;
}

void impact_history_free(struct impact_history *h)
{
    for (size_t k = 0; k < h->n; k++)
        free(h->c[k].by_year);
    free(h->c);
    memset(h, 0, sizeof *h);
}

static double value_of(const struct hist_company *c, int year)
{
    return !c || year < c->first || year > c->last ? NAN : c->by_year[year - c->first];
}

double impact_history_value(const struct impact_history *h, int64_t company_id, int year)
{
    return value_of(impact_history_company(h, company_id), year);
}

json_t *impact_applicant_firms(const struct impact_history *h, const char *currency)
{
    json_t *firms = json_array();
    for (size_t k = 0; k < h->n; k++) {
        const struct hist_company *c = &h->c[k];
        if (c->placed || !c->applied_year)
            continue;
        double b = value_of(c, c->applied_year - 1), f = value_of(c, c->applied_year);
        if (isnan(b) || isnan(f))
            continue;
        char ref[40];
        snprintf(ref, sizeof ref, "applicant:%lld", (long long)c->company_id);
        json_t *firm = json_pack("{s:s, s:s, s:I, s:s, s:i, s:I, s:I}", "ref", ref, "source", "applicant", "employees",
                                 (json_int_t)c->employees, "currency", currency, "base_year", c->applied_year - 1,
                                 "baseline_minor", (json_int_t)llround(b), "followup_minor", (json_int_t)llround(f));
        json_object_set_new(firm, "nace", c->nace[0] ? json_string(c->nace) : json_null());
        json_array_append_new(firms, firm);
    }
    return firms;
}

#define REL_MIN (-6)
#define REL_MAX 3

json_t *impact_trend_years(const struct impact_history *h, const struct impact_participant *p, size_t n)
{
    double sum[2][REL_MAX - REL_MIN + 1] = {{0}};
    int cnt[2][REL_MAX - REL_MIN + 1] = {{0}};
    /* Participants: each company once, anchored on its baseline year. */
    json_t *seen = json_object();
    for (size_t i = 0; i < n; i++) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)p[i].company_id);
        const struct hist_company *c = impact_history_company(h, p[i].company_id);
        if (!c || json_object_get(seen, key))
            continue;
        json_object_set_new(seen, key, json_true());
        int base = p[i].base_year;
        for (int rel = REL_MIN; rel <= REL_MAX; rel++) {
            double v = value_of(c, base + rel);
            if (!isnan(v)) {
                sum[1][rel - REL_MIN] += v;
                cnt[1][rel - REL_MIN]++;
            }
        }
    }
    json_decref(seen);
    for (size_t k = 0; k < h->n; k++) {
        const struct hist_company *c = &h->c[k];
        if (c->placed || !c->applied_year)
            continue;
        for (int rel = REL_MIN; rel <= REL_MAX; rel++) {
            double v = value_of(c, c->applied_year - 1 + rel);
            if (!isnan(v)) {
                sum[0][rel - REL_MIN] += v;
                cnt[0][rel - REL_MIN]++;
            }
        }
    }
    json_t *out = json_array();
    int periods = 0;
    for (int rel = REL_MIN; rel <= REL_MAX; rel++) {
        int t = cnt[1][rel - REL_MIN], u = cnt[0][rel - REL_MIN];
        if (!t && !u)
            continue;
        periods++;
        json_array_append_new(out, json_pack("{s:i, s:o, s:i, s:o, s:i}", "year", rel, "treated_mean",
                                             t ? json_real(sum[1][rel - REL_MIN] / t) : json_null(), "treated_n", t,
                                             "comparison_mean", u ? json_real(sum[0][rel - REL_MIN] / u) : json_null(),
                                             "comparison_n", u));
    }
    if (periods <= 2) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* ---- training records and introductions ---- */

int impact_training_load(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **out,
                         struct tb_err *err)
{
    json_t *rows;
    if (store_impact_training(st, a, org_id, &rows, err) < 0)
        return -1;
    json_t *learning = json_object(), *behaviour = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)ival(r, "placement_id"));
        if (json_is_number(json_object_get(r, "learning_gain")))
            json_object_set(learning, key, json_object_get(r, "learning_gain"));
        if (json_is_number(json_object_get(r, "mentor_rating")))
            json_object_set(behaviour, key, json_object_get(r, "mentor_rating"));
    }
    json_decref(rows);
    *out = json_pack("{s:o, s:o}", "learning", learning, "behaviour", behaviour);
    return 0;
}

int impact_introductions(struct store *st, const struct tb_actor *a, int64_t org_id, json_t **out,
                         struct tb_err *err)
{
    json_t *rows;
    if (store_impact_introductions(st, a, org_id, &rows, err) < 0)
        return -1;
    /* A later state passed through the earlier ones: a closed deal had a meeting. */
    static const char *const meet[] = {"meeting_held", "deal_started", "deal_closed", NULL};
    json_t *by = json_object();
    json_int_t n = 0, meetings = 0, started = 0, closed = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        json_int_t k = ival(r, "n");
        const char *s = sval(r, "state");
        json_object_set_new(by, s, json_integer(k));
        n += k;
        for (int m = 0; meet[m]; m++)
            if (!strcmp(s, meet[m]))
                meetings += k;
        started += !strcmp(s, "deal_started") || !strcmp(s, "deal_closed") ? k : 0;
        closed += !strcmp(s, "deal_closed") ? k : 0;
    }
    json_decref(rows);
    *out = json_pack("{s:I, s:o, s:I, s:I, s:I}", "n", n, "by_state", by, "meetings", meetings, "deals_started",
                     started, "deals_closed", closed);
    return 0;
}

void impact_trend_suppress(json_t *trends, unsigned k)
{
    size_t i;
    json_t *y;
    json_array_foreach(trends, i, y) {
        static const char *const side[2][2] = {{"treated_n", "treated_mean"}, {"comparison_n", "comparison_mean"}};
        for (int s = 0; s < 2; s++)
            if (ival(y, side[s][0]) < (json_int_t)k && json_is_number(json_object_get(y, side[s][1]))) {
                json_object_set_new(y, side[s][1], json_null());
                json_object_set_new(y, "suppressed", json_string("primary"));
            }
    }
}
