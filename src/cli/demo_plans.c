/*
 * demo_plans.c - the market-selection part of the demo (issue 13): the real
 * CEPII BACI shrimp extract of data/trade (compiled in) imported next to the
 * demo database, a seafood exporter whose export plan cites the ranking
 * computed from it, and an export plan for every placement in several states
 * with targets and actuals. Sales targets and actuals are made up, and so is
 * every ranking snapshot of a product outside the extract: those plans carry
 * "synthetic": true and every page that shows them says so.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/demo.h"
#include "core/arena.h"
#include "core/embedded.h"
#include "core/trade/rank.h"
#include "store/entity.h"
#include "store/market.h"
#include "store/trade_files.h"

extern const struct embedded_file demo_trade_files[];

#define SEAFOOD_COMPANY "Bohus Skaldjur AB"

/* Synthetic BACI-shaped flows (2018, HS12) of the demo sectors' products
 * between 45 countries, from a fixed hash: for the explorer on products the
 * real extract lacks, answered with "synthetic": true (h_trade.c). */
static const char *const synth_products[] = {
    "841370", "841381", "841391", "841221", "841229", "848120", "820760", "820770", "820790", "730890",
    "730820", "732690", "731815", "761699", "940360", "940161", "940330", NULL,
};
static const int synth_countries[] = {
    276, 251, 842, 156, 392, 752, 705, 233, 826, 528, 56, 724, 616, 203, 40, 208, 246, 579, 757, 124, 484, 76,
    699, 410, 36, 710, 792, 348, 642, 300, 620, 372, 440, 428, 703, 191, 688, 784, 682, 360, 764, 704, 458, 380, 554,
};

static uint32_t mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    return x ^ (x >> 16);
}

static int write_synthetic(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "t,i,j,k,v,q\n");
    int n = (int)(sizeof synth_countries / sizeof synth_countries[0]);
    for (int p = 0; synth_products[p]; p++)
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                uint32_t h = mix((uint32_t)(p * 7919 + i * 104729 + j * 15485863));
                if (i == j || h % 100 < 35)
                    continue;   /* not every pair trades every product */
                /* bigger exporters and importers first in the list trade more */
                double v = (double)(h % 5000 + 50) * 40.0 / (double)((i + 3) * (j + 3)) * (1 + p % 3);
                fprintf(f, "2018,%d,%d,%s,%.3f,%.3f\n", synth_countries[i], synth_countries[j], synth_products[p], v,
                        v / (5.0 + (double)(h % 40)));
            }
    return fclose(f) == 0 ? 0 : -1;
}

/* The extract and GeoDist written to a temporary folder and imported with
 * `tradebridge trade import|import-geo`, as an operator would. */
int demo_trade_import(const char *db)
{
    char dir[] = "/tmp/tb-demo-trade-XXXXXX";
    if (!mkdtemp(dir))
        return -1;
    char paths[2][300];
    int rc = 0;
    for (int i = 0; demo_trade_files[i].name && i < 2; i++) {
        const char *base = strrchr(demo_trade_files[i].name, '/');
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir, base ? base + 1 : demo_trade_files[i].name);
        FILE *f = fopen(paths[i], "wb");
        if (!f || fwrite(demo_trade_files[i].data, 1, demo_trade_files[i].size, f) != demo_trade_files[i].size)
            rc = -1;
        if (f && fclose(f) != 0)
            rc = -1;
    }
    /* embedded in name order: baci/..., cepii/... */
    char *imp[] = {"trade", "import", "--db", (char *)db, "--quiet", paths[0], NULL};
    char *geo[] = {"trade", "import-geo", "--db", (char *)db, paths[1], NULL};
    if (rc == 0)
        rc = cli_trade_main(6, imp) == 0 && cli_trade_main(5, geo) == 0 ? 0 : -1;
    /* The synthetic set for the demo's other products, apart: DB.synthetic.trade/. */
    char synth_db[4096], synth[320];
    snprintf(synth_db, sizeof synth_db, "%s.synthetic", db);
    snprintf(synth, sizeof synth, "%s/BACI_HS12_Y2018_synthetic.csv", dir);
    char *simp[] = {"trade", "import", "--db", synth_db, "--quiet", synth, NULL};
    char *sgeo[] = {"trade", "import-geo", "--db", synth_db, paths[1], NULL};
    if (rc == 0 && write_synthetic(synth) == 0)
        rc = cli_trade_main(6, simp) == 0 && cli_trade_main(5, sgeo) == 0 ? 0 : -1;
    unlink(synth);
    unlink(paths[0]);
    unlink(paths[1]);
    rmdir(dir);
    return rc;
}

/* The real ranking row of `iso2` for Sweden and `product`, as a snapshot. */
static json_t *real_snapshot(const char *db, const char *product, const char *iso2)
{
    char dir[4096];
    struct tb_err err = {0};
    struct trade_set *set = calloc(1, sizeof *set);
    struct arena *a = arena_new(0);
    struct trade_request in = {"SE", product, NULL, NULL, NULL, NULL};
    struct trade_params par;
    json_t *snap = NULL;
    if (set && a && trade_params_parse(&in, &par, &err) == 0 && trade_dir(dir, sizeof dir, db, 0, &err) == 0 &&
        trade_set_open(dir, par.y1, par.y2, 1, set, &err) == 0) {
        struct trade_query q = {.years = set->y, .n_years = set->n, .home = par.home, .ranges = par.ranges,
                                .n_ranges = par.n_ranges, .geo = &set->geo, .wdi = &set->wdi,
                                .weights = par.weights};
        struct trade_result out;
        if (trade_rank(&q, a, &out, &err) == 0)
            for (int i = 0; i < out.n; i++)
                if (!strcmp(out.m[i].iso2, iso2)) {
                    char why[320], years[12];
                    snprintf(why, sizeof why, "rank %d of %d, score %.1f: %s", out.m[i].rank, out.n,
                             out.m[i].score, out.m[i].why);
                    snprintf(years, sizeof years, "%d", out.first_year);
                    snap = json_pack("{s:i, s:i, s:f, s:f, s:f, s:f, s:s, s:s, s:s, s:s, s:b}", "rank",
                                     out.m[i].rank, "of", out.n, "score", round(out.m[i].score * 10) / 10, "import_value",
                                     out.m[i].import_value, "home_share", out.m[i].home_share, "untapped",
                                     out.m[i].untapped, "explanation", out.m[i].explanation, "rank_explanation",
                                     why, "home", "SWE", "years", years, "synthetic", 0);
                }
        trade_set_close(set);
    }
    free(set);
    arena_free(a);
    return snap;
}

static const char *const demo_statuses[] = {"active", "draft", "under_review", "active", "closed"};
static const char *const demo_modes[] = {"distributor", "agent", "direct_export", "e_commerce"};
static const char *const demo_rules[] = {"FCA", "CIP", "DAP", "FOB", "EXW"};

static json_t *price(int64_t base)
{
    return json_pack("{s:s, s:s, s:I, s:[{s:s, s:s, s:I}, {s:s, s:s, s:I}, {s:s, s:s, s:I}, {s:s, s:s, s:I}]}",
                     "currency", "EUR", "unit", "unit", "ex_works_minor", (json_int_t)base, "lines", "label",
                     "Export clearance", "stage", "export_clearance", "amount_minor", (json_int_t)(base / 50),
                     "label", "Haulage to the port", "stage", "pre_carriage", "amount_minor", (json_int_t)(base / 25),
                     "label", "Main carriage", "stage", "main_carriage", "amount_minor", (json_int_t)(base / 12),
                     "label", "Cargo insurance", "stage", "insurance", "amount_minor", (json_int_t)(base / 200 + 1));
}

/* Targets 2024-Q1 .. 2025-Q2 in EUR (minor units), growing. */
static json_t *targets(int64_t q1)
{
    json_t *t = json_array();
    static const char *const qs[] = {"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"};
    for (int i = 0; i < 6; i++)
        json_array_append_new(t, json_pack("{s:s, s:I}", "quarter", qs[i], "amount_minor",
                                           (json_int_t)(q1 + q1 * i / 5)));
    return t;
}

static json_t *market(const char *country, const char *product, int k, json_t *snapshot, const char *rationale)
{
    json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "country", country, "product", product,
                          "rationale", rationale, "entry_mode", demo_modes[k % 4], "incoterm", demo_rules[k % 5],
                          "named_place", k % 5 == 4 ? "Our warehouse" : "Port of Gothenburg",
                          "channel_partners", k % 2 ? "Two importers contacted at the trade fair" : "",
                          "price", price(250000 + 1000 * k), "targets", targets(4000000 + 500000 * (k % 7)));
    if (snapshot)
        json_object_set_new(m, "ranking", snapshot);
    return m;
}

/* Actuals for the plan's markets in 2024-Q1..Q3 in `currency` (SEK or EUR),
 * around the target: some quarters above, some below. */
static json_t *actuals(const json_t *markets, const char *currency, int k, int quarters)
{
    json_t *a = json_array();
    static const char *const qs[] = {"2024-Q1", "2024-Q2", "2024-Q3"};
    double rate = strcmp(currency, "SEK") ? 1 : 11.4;
    size_t i;
    json_t *m;
    json_array_foreach(markets, i, m) {
        int64_t q1 = json_integer_value(json_object_get(json_array_get(json_object_get(m, "targets"), 0), "amount_minor"));
        for (int q = 0; q < quarters; q++) {
            double f = 0.6 + 0.1 * (double)((k + q + (int)i) % 7);
            json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I}", "market", json_string_value(json_object_get(m, "country")),
                                               "quarter", qs[q], "currency", currency, "amount_minor",
                                               (json_int_t)((double)q1 * f * rate)));
        }
    }
    return a;
}

static int write_plan(struct store *st, const struct tb_actor *a, const json_t *placement, int64_t org_id,
                      int64_t company_id, const char *title, json_t *markets, const char *status, const char *currency,
                      int k, struct tb_err *err)
{
    json_t *doc = json_pack("{s:s, s:s, s:s, s:b, s:o, s:[{s:s, s:I}, {s:s, s:I}], s:[{s:s, s:s, s:s, s:b}, {s:s, s:s, s:s, s:b}], s:[]}",
                            "title", title, "status", status, "currency", "EUR", "synthetic", 1, "markets", markets,
                            "budget", "label", "Trade fair stand", "amount_minor", (json_int_t)1800000, "label",
                            "Samples and travel", "amount_minor", (json_int_t)900000, "milestones", "title",
                            "Market study signed off", "owner", "Trainee", "due", "2024-02-15", "done", 1, "title",
                            "First order shipped", "owner", "Export manager", "due", "2024-09-30", "done", k % 2 == 0,
                            "actuals");
    struct plan_write w = {.org_id = org_id, .company_id = company_id,
                           .placement_id = placement ? json_integer_value(json_object_get(placement, "id")) : 0,
                           .title = title, .status = status, .doc = doc, .change = "created"};
    int64_t id;
    json_t *out = NULL;
    int rc = store_export_plan_create(st, a, &w, &id, err);
    if (rc == 0 && strcmp(status, "draft")) {
        /* The company's sales so far: a second version. */
        json_object_set_new(doc, "actuals", actuals(markets, currency, k, strcmp(status, "closed") ? 2 + k % 2 : 3));
        w.change = "actuals";
        rc = store_export_plan_update(st, a, id, 1, &w, &out, err);
        json_decref(out);
    }
    json_decref(doc);
    return rc;
}

int demo_plans(struct store *st, const char *db, int *n_plans, struct tb_err *err)
{
    struct tb_actor a = actor_system();
    *n_plans = 0;
    /* The seafood exporter: a Swedish shrimp processor whose plan cites the
     * ranking computed from the real BACI extract. */
    int64_t se_org;
    if (store_org_by_name(st, "ITM Sweden", &se_org, err) < 0)
        return -1;
    json_t *co = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:[s,s], s:[s], s:[s,s,s]}", "org_id", (json_int_t)se_org,
                           "legal_name", SEAFOOD_COMPANY, "registration_number", "556677-1234", "country", "SE",
                           "city", "Smögen", "employees", 38, "currency", "SEK", "products", "030616", "160521",
                           "export_markets", "NO", "target_markets", "DK", "DE", "GB");
    int64_t seafood;
    int rc = store_entity_create(st, &a, ENT_COMPANY, co, &seafood, err);
    json_decref(co);
    if (rc < 0)
        return -1;
    static const char *const sea[] = {"DK", "DE", "GB"};
    json_t *markets = json_array();
    for (int i = 0; i < 3; i++)
        json_array_append_new(markets, market(sea[i], "030616", i, real_snapshot(db, "030616", sea[i]),
                                              "Chosen from the BACI ranking for cold-water shrimp (HS 030616)."));
    if (write_plan(st, &a, NULL, se_org, seafood, "Cold-water shrimp: first markets", markets, "active", "SEK", 1, err) < 0)
        return -1;
    (*n_plans)++;
    /* One plan per placement, in turn active, draft, under review, closed. */
    struct list_query q = {.limit = 200};
    struct list_page page;
    if (store_entity_list(st, &a, ENT_PLACEMENT, &q, NULL, &page, err) < 0)
        return -1;
    size_t i;
    json_t *p;
    json_array_foreach(page.items, i, p) {
        json_t *c;
        if (rc < 0 || store_entity_get(st, &a, ENT_COMPANY, json_integer_value(json_object_get(p, "company_id")), &c, err) < 0) {
            rc = -1;
            break;
        }
        const char *product = json_string_value(json_array_get(json_object_get(c, "products"), 0));
        json_t *tm = json_object_get(c, "target_markets");
        json_t *ms = json_array();
        for (size_t k = 0; k < json_array_size(tm) && k < 3; k++) {
            json_t *snap = json_pack("{s:i, s:i, s:f, s:s, s:b}", "rank", (int)(k + 1 + i % 4), "of", 180, "score",
                                     80.0 - 7.5 * (double)k, "rank_explanation",
                                     "synthetic demonstration ranking (no BACI data for this product in the demo)",
                                     "synthetic", 1);
            json_array_append_new(ms, market(json_string_value(json_array_get(tm, k)), product ? product : "841370",
                                             (int)(i + k), snap, "Neighbouring market that already buys the sector's products."));
        }
        char title[200];
        snprintf(title, sizeof title, "Export plan %s", json_string_value(json_object_get(c, "legal_name")));
        const char *cur = json_string_value(json_object_get(c, "currency"));
        rc = write_plan(st, &a, p, json_integer_value(json_object_get(p, "org_id")), json_integer_value(json_object_get(c, "id")),
                        title, ms, demo_statuses[i % 5], cur && !strcmp(cur, "SEK") ? "SEK" : "EUR", (int)i, err);
        json_decref(c);
        if (rc == 0)
            (*n_plans)++;
    }
    list_page_free(&page);
    return rc;
}
