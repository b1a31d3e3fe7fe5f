/*
 * plan_ranking.c - export plans' ranking snapshots (see plan_ranking.h).
 */
#include <string.h>
#include <time.h>

#include "http/entity_http.h"
#include "http/plan_ranking.h"
#include "http/trade_rank.h"
#include "store/entity.h"
#include "store/trade_files.h"

/* The figures a snapshot keeps of a ranking row. */
static const char *const kept[] = {"rank", "score", "import_value", "home_exports", "home_share", "potential",
                                   "untapped", "import_cagr", "distw_km", "suppliers", "hhi", "explanation",
                                   "rank_explanation", NULL};

static json_t *snapshot_of(const json_t *body, const json_t *row)
{
    json_t *s = json_object();
    for (int i = 0; kept[i]; i++) {
        json_t *v = json_object_get(row, kept[i]);
        if (v && !json_is_null(v))
            json_object_set(s, kept[i], v);
    }
    const json_t *years = json_object_get(body, "years");
    char y[24], today[11];
    snprintf(y, sizeof y, "%lld-%lld", (long long)json_integer_value(json_array_get(years, 0)),
             (long long)json_integer_value(json_array_get(years, 1)));
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    json_object_set(s, "of", json_object_get(body, "count"));
    json_object_set(s, "home", json_object_get(body, "home"));
    json_object_set_new(s, "years", json_string(y));
    json_object_set(s, "weights_source", json_object_get(body, "weights_source"));
    json_object_set(s, "synthetic", json_object_get(body, "synthetic"));
    json_object_set(s, "data_stamp", json_object_get(body, "data_stamp"));
    json_object_set(s, "data_imported_at", json_object_get(body, "data_imported_at"));
    json_object_set_new(s, "taken_on", json_string(today));
    json_object_set_new(s, "computed_by", json_string("server"));
    return s;
}

/* The plan's home country: its own "home", else the company's country. */
static int plan_home(struct request *r, const json_t *doc, int64_t company_id, char home[3], struct tb_err *err)
{
    const char *h = json_string_value(json_object_get(doc, "home"));
    json_t *c = NULL;
    if (!h && store_entity_get(r->store, &r->actor, ENT_COMPANY, company_id, &c, err) < 0) {
        if (err->status != 404)
            return -1;
        *err = (struct tb_err){0};   /* a trainee may not read the company: the plan's home then */
    }
    if (!h)
        h = json_string_value(json_object_get(c, "country"));
    snprintf(home, 3, "%s", h ? h : "");
    json_decref(c);
    return 0;
}

static const json_t *same_market(const json_t *old_doc, const json_t *m)
{
    size_t i;
    const json_t *o;
    json_array_foreach(json_object_get(old_doc, "markets"), i, o)
        if (json_equal(json_object_get(o, "country"), json_object_get(m, "country")) &&
            json_equal(json_object_get(o, "product"), json_object_get(m, "product")))
            return o;
    return NULL;
}

int plan_snapshot_markets(struct request *r, json_t *doc, const json_t *old_doc, int64_t org_id,
                          int64_t company_id, int refresh, struct tb_err *err)
{
    char home[3];
    if (plan_home(r, doc, company_id, home, err) < 0)
        return -1;
    int home_same = old_doc && json_equal(json_object_get(doc, "home"), json_object_get(old_doc, "home"));
    json_t *cache = json_object();   /* product -> ranking answer, or an error text */
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(doc, "markets"), i, m) {
        const json_t *o = home_same && !refresh ? same_market(old_doc, m) : NULL;
        json_t *prev = o ? json_object_get(o, "ranking") : NULL;
        if (prev && json_object_get(prev, "computed_by")) {   /* it justified the choice: kept */
            json_object_set(m, "ranking", prev);
            continue;
        }
        const char *product = json_string_value(json_object_get(m, "product"));
        json_t *body = json_object_get(cache, product);
        if (!body) {
            struct trade_request in = {.home = home, .product = product};
            struct trade_rank_opts opts = {.org_id = org_id, .company_id = company_id, .limit = -1};
            struct tb_err rank_err = {0};
            json_t *got = NULL;
            if (!home[0])
                snprintf(rank_err.message, sizeof rank_err.message, "the plan names no home country (home) and the company's is not known");
            else if (http_trade_rank(r, &in, &opts, &got, &rank_err) < 0 && rank_err.status >= 500) {
                json_decref(cache);
                *err = rank_err;
                return -1;
            }
            body = got ? got : json_string(rank_err.message);
            json_object_set_new(cache, product, body);
        }
        json_t *row = NULL;
        size_t k;
        json_t *x;
        json_array_foreach(json_object_get(body, "markets"), k, x)
            if (json_equal(json_object_get(x, "iso2"), json_object_get(m, "country")))
                row = x;
        if (row)
            json_object_set_new(m, "ranking", snapshot_of(body, row));
        else
            json_object_set_new(m, "ranking", json_pack("{s:s, s:s}", "computed_by", "server", "unavailable",
                json_is_string(body) ? json_string_value(body) : "the ranking does not list this market for this product"));
    }
    json_decref(cache);
    return 0;
}

void plan_snapshot_freshness(struct request *r, json_t *doc)
{
    char dir[4096], stamp[2][32] = {"", ""}, latest[2][32] = {"", ""};
    for (int synth = 0; synth < 2; synth++) {
        const char *db = synth ? arena_printf(r->arena, "%s.synthetic", r->cfg->db_path) : r->cfg->db_path;
        struct tb_err ignored = {0};
        if (db && trade_dir(dir, sizeof dir, db, 0, &ignored) == 0)
            trade_data_stamp(dir, stamp[synth], sizeof stamp[synth], latest[synth], sizeof latest[synth]);
    }
    int changed = 0;
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(doc, "markets"), i, m) {
        json_t *s = json_object_get(m, "ranking");
        const char *was = json_string_value(json_object_get(s, "data_stamp"));
        if (!was)
            continue;
        int synth = json_is_true(json_object_get(s, "synthetic"));
        int c = strcmp(was, stamp[synth]) != 0;
        json_object_set_new(s, "data_changed", json_boolean(c));
        if (c)
            json_object_set_new(s, "data_imported_now", json_string(latest[synth]));
        changed += c;
    }
    json_object_set_new(doc, "ranking_data_changed", json_integer(changed));
}
