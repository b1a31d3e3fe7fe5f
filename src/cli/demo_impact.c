/*
 * demo_impact.c - impact demonstration data (issue 14): three past cohorts
 * (2021-2023) per operator in Sweden and Slovenia with completed placements,
 * each company's baseline (export sales by market for the two years before),
 * the programme cost, follow-up surveys at the end of the placement and 12
 * (and 24) months after with skewed outcomes and some non-response, and a
 * register extract of firms that did not take part. SYNTHETIC figures,
 * deterministic from the seed.
 */
#include <stdio.h>
#include <string.h>

#include "cli/demo.h"
#include "cli/demo_programme.h"
#include "core/auth.h"
#include "store/entity.h"
#include "store/impact.h"
#include "store/impact_evidence.h"

#define PAST_PER_COHORT 6

struct home_impact {
    const char *org, *currency;
    long long scale;   /* minor units of a typical yearly export market */
    long long op_cost, fee, grant;
};

static const struct home_impact homes_impact[] = {
    {"ITM Sweden", "SEK", 400000000LL, 15000000LL, 3000000LL, 10000000LL},
    {"ITM Slovenia", "EUR", 40000000LL, 1400000LL, 300000LL, 900000LL},
};

static const char *const markets[] = {"DE", "NO", "DK", "FI", "PL", "US", "GB", "AT", "IT", "HR"};

/* A right-skewed multiplier in per cent: most firms grow a little, a few a lot. */
static int skewed_growth(struct rng *r)
{
    int x = demo_rnd(r, 0, 99);
    return x < 15 ? demo_rnd(r, -20, 0) : x < 75 ? demo_rnd(r, 0, 25) : x < 95 ? demo_rnd(r, 25, 80)
                                                                            : demo_rnd(r, 80, 300);
}

static json_t *sale(const char *market, int year, long long amount, const char *currency)
{
    json_t *s = json_pack("{s:s, s:i, s:I}", "market", market, "year", year, "amount_minor", (json_int_t)amount);
    if (currency)
        json_object_set_new(s, "currency", json_string(currency));
    return s;
}

/* A submitted survey (the link is made and answered at once). */
static int answered(struct store *st, const struct tb_actor *a, int64_t placement, const char *who, const char *wave,
                    json_t *answers, struct tb_err *err)
{
    char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
    auth_random_token(token);
    auth_token_hash(token, hash);
    int64_t id;
    int rc = store_impact_survey_create(st, a, placement, who, wave, NULL, hash, 4102444800LL, &id, err);
    if (rc == 0 && answers)
        rc = store_impact_survey_save(st, hash, answers, 1, err);
    json_decref(answers);
    return rc;
}

static json_t *company_answers(struct rng *r, json_t *base_sales, int base_year, int follow_year, const char *cur,
                               int growth, int years)
{
    json_t *sales = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(base_sales, i, s) {
        if (json_integer_value(json_object_get(s, "year")) != base_year)
            continue;
        long long v = json_integer_value(json_object_get(s, "amount_minor"));
        long long g = v + v * growth * years / 100;
        json_array_append_new(sales, sale(json_string_value(json_object_get(s, "market")), follow_year, g < 0 ? 0 : g,
                                          cur));
    }
    if (growth > 40)   /* a new market opened with the trainee */
        json_array_append_new(sales, sale(markets[demo_rnd(r, 0, 9)], follow_year,
                                          json_integer_value(json_object_get(json_array_get(base_sales, 0),
                                                                             "amount_minor")) / 3, cur));
    static const char *const sat[] = {"exceeded", "met", "below"};
    int x = demo_rnd(r, 0, 99);
    const char *satisfaction = sat[x < 48 ? 0 : x < 88 ? 1 : 2];
    int nps = x < 48 ? demo_rnd(r, 8, 10) : x < 88 ? demo_rnd(r, 6, 9) : demo_rnd(r, 2, 6);
    double created = growth > 40 ? demo_rnd(r, 10, 40) / 10.0 : growth > 10 ? demo_rnd(r, 0, 20) / 10.0 : 0;
    return json_pack("{s:o, s:f, s:f, s:b, s:i, s:s, s:i}", "export_sales", sales, "jobs_created_fte", created,
                     "jobs_kept_fte", demo_rnd(r, 0, 30) / 10.0, "kept_on", demo_rnd(r, 0, 99) < 55,
                     "attribution_pct", demo_rnd(r, 10, 60), "satisfaction", satisfaction, "nps", nps);
}

static json_t *trainee_answers(struct rng *r, const char *country)
{
    static const char *const status[] = {"employed", "employed", "employed", "self_employed", "studying", "unemployed"};
    int x = demo_rnd(r, 0, 99);
    return json_pack("{s:s, s:s, s:b, s:s, s:s, s:i}", "job_status", status[demo_rnd(r, 0, 5)], "role",
                     "Export coordinator", "export_job", x < 62, "country", country, "satisfaction",
                     x < 55 ? "exceeded" : x < 92 ? "met" : "below", "nps", x < 55 ? demo_rnd(r, 9, 10) : demo_rnd(r, 5, 9));
}

/* The same markets in the export-sales history for five years up to the
 * baseline year (the three before it a little lower each year), so the
 * report has pre-period trends. Deterministic: no draw from the rng. */
static int sales_history(struct store *st, const struct tb_actor *a, int64_t company, const json_t *sales,
                         int base_year, const char *cur, struct tb_err *err)
{
    size_t i;
    json_t *s;
    int rc = 0;
    json_array_foreach(sales, i, s) {
        int y = (int)json_integer_value(json_object_get(s, "year"));
        long long v = json_integer_value(json_object_get(s, "amount_minor"));
        for (int back = 0; rc == 0 && back <= (y == base_year - 1 ? 3 : 0); back++) {
            json_t *row = json_pack("{s:I, s:s, s:i, s:s, s:I}", "company_id", (json_int_t)company, "market",
                                    json_string_value(json_object_get(s, "market")), "year", y - back, "currency", cur,
                                    "amount_minor", (json_int_t)(v * (100 - 4 * back) / 100));
            rc = store_impact_sales_put(st, a, row, err);
            json_decref(row);
        }
    }
    return rc;
}

static int one_home(struct store *st, struct rng *r, const struct home_impact *h, json_t *companies,
                    json_t *graduates, int *n_placements, struct tb_err *err)
{
    int64_t org;
    if (store_org_by_name(st, h->org, &org, err) < 0)
        return -1;
    struct tb_actor a = actor_system();
    json_t *settings = json_pack("{s:s, s:i, s:[s,s,s,s]}", "currency", h->currency, "min_cell", 5, "waves", "end",
                                 "m6", "m12", "m24");
    int rc = store_impact_settings_put(st, &a, org, settings, err);
    json_decref(settings);
    /* The operator's companies and graduates, in list order. */
    json_t *co = json_array(), *gr = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(companies, i, x)
        if (json_integer_value(json_object_get(x, "org_id")) == org)
            json_array_append(co, x);
    json_array_foreach(graduates, i, x)
        if (json_integer_value(json_object_get(x, "org_id")) == org)
            json_array_append(gr, x);
    size_t ci = 0, gi = json_array_size(gr) / 2;
    for (int year = 2021; rc == 0 && year <= 2023; year++) {
        char name[64], start[11], end[11];
        snprintf(name, sizeof name, "Cohort %d (past)", year);
        snprintf(start, sizeof start, "%d-02-01", year);
        snprintf(end, sizeof end, "%d-07-31", year);
        json_t *f = json_pack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)org, "name", name, "start_date", start,
                              "end_date", end);
        int64_t cohort;
        rc = store_entity_create(st, &a, ENT_COHORT, f, &cohort, err);
        json_decref(f);
        for (int k = 0; rc == 0 && k < PAST_PER_COHORT && ci < json_array_size(co); k++, ci++, gi++) {
            json_t *c = json_array_get(co, ci), *g = json_array_get(gr, gi % json_array_size(gr));
            int64_t company = json_integer_value(json_object_get(c, "id"));
            f = json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)org, "graduate_id",
                          json_integer_value(json_object_get(g, "id")), "company_id", (json_int_t)company, "cohort_id",
                          (json_int_t)cohort, "start_date", start, "end_date", end, "currency", h->currency, "status",
                          "completed");
            int64_t placement;
            rc = store_entity_create(st, &a, ENT_PLACEMENT, f, &placement, err);
            json_decref(f);
            if (rc < 0)
                break;
            (*n_placements)++;
            /* Baseline: the two full years before the placement, 2-3 markets. */
            json_t *sales = json_array();
            int nm = demo_rnd(r, 2, 3), m0 = demo_rnd(r, 0, 9);
            long long scale = h->scale * demo_rnd(r, 20, 300) / 100;
            for (int m = 0; m < nm; m++) {
                long long v = scale * demo_rnd(r, 30, 100) / 100;
                json_array_append_new(sales, sale(markets[(m0 + m) % 10], year - 2, v * 95 / 100, NULL));
                json_array_append_new(sales, sale(markets[(m0 + m) % 10], year - 1, v, NULL));
            }
            int employees = demo_rnd(r, 5, 120);
            json_t *b = json_pack("{s:i, s:s, s:I, s:i, s:f, s:O}", "year", year - 1, "currency", h->currency,
                                  "turnover_minor", (json_int_t)(scale * 4), "employees", employees, "fte",
                                  employees * 0.9, "sales", sales);
            rc = store_impact_baseline_put(st, &a, company, b, err);
            json_decref(b);
            if (rc == 0)
                rc = sales_history(st, &a, company, sales, year - 1, h->currency, err);
            json_t *cost = json_pack("{s:s, s:I, s:I, s:I}", "currency", h->currency, "operator_cost_minor",
                                     (json_int_t)h->op_cost, "company_fee_minor", (json_int_t)h->fee, "grants_minor",
                                     (json_int_t)h->grant);
            if (rc == 0)
                rc = store_impact_cost_put(st, &a, placement, cost, err);
            json_decref(cost);
            /* Follow-ups: the end (most answer), +12 months (about three in
             * four), +24 months for the older cohorts (fewer). */
            int growth = skewed_growth(r);
            const char *country = json_string_value(json_object_get(c, "country"));
            if (rc == 0)
                rc = answered(st, &a, placement, "company", "end",
                              demo_rnd(r, 0, 99) < 90 ? company_answers(r, sales, year - 1, year, h->currency, growth / 3, 1)
                                                      : NULL, err);
            if (rc == 0)
                rc = answered(st, &a, placement, "company", "m12",
                              demo_rnd(r, 0, 99) < 75 ? company_answers(r, sales, year - 1, year + 1, h->currency, growth, 1)
                                                      : NULL, err);
            if (rc == 0)
                rc = answered(st, &a, placement, "trainee", "m12",
                              demo_rnd(r, 0, 99) < 65 ? trainee_answers(r, country) : NULL, err);
            if (rc == 0 && year <= 2022)
                rc = answered(st, &a, placement, "company", "m24",
                              demo_rnd(r, 0, 99) < 55 ? company_answers(r, sales, year - 1, year + 2, h->currency, growth, 2)
                                                      : NULL, err);
            json_decref(sales);
        }
    }
    /* The comparison group: a register extract of similar firms that did
     * not take part, growing more slowly. */
    static const char *const naces[] = {"28.13", "46.69", "27.40", "31.09", "32.50", "20.42", "10.51", "27.12",
                                        "28.12", "25.11", "11.02"};
    for (int k = 0; rc == 0 && k < 60; k++) {
        char ref[32];
        snprintf(ref, sizeof ref, "REG-%s-%03d", h->currency, k + 1);
        long long base = h->scale * demo_rnd(r, 20, 400) / 100 * demo_rnd(r, 2, 3);
        long long follow = base + base * demo_rnd(r, -15, 30) / 100;
        json_t *f = json_pack("{s:s, s:s, s:s, s:i, s:s, s:i, s:I, s:I}", "ref", ref, "source", "register", "nace",
                              naces[k % 11], "employees", demo_rnd(r, 5, 120), "currency", h->currency, "base_year",
                              2020 + k % 3, "baseline_minor", (json_int_t)base, "followup_minor", (json_int_t)follow);
        rc = store_impact_comparison_put(st, &a, org, f, err);
        json_decref(f);
    }
    json_decref(co);
    json_decref(gr);
    return rc;
}

int demo_impact(struct store *st, uint64_t seed, int *n_placements, struct tb_err *err)
{
    struct tb_actor a = actor_system();
    struct rng r;
    demo_rng_seed(&r, seed ^ 0x14);
    struct list_query q = {.limit = 200};
    struct list_page companies, graduates;
    if (store_entity_list(st, &a, ENT_COMPANY, &q, NULL, &companies, err) < 0)
        return -1;
    if (store_entity_list(st, &a, ENT_GRADUATE, &q, NULL, &graduates, err) < 0) {
        list_page_free(&companies);
        return -1;
    }
    *n_placements = 0;
    int rc = 0;
    for (size_t h = 0; rc == 0 && h < sizeof homes_impact / sizeof homes_impact[0]; h++)
        rc = one_home(st, &r, &homes_impact[h], companies.items, graduates.items, n_placements, err);
    list_page_free(&companies);
    list_page_free(&graduates);
    return rc;
}
