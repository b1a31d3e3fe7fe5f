/*
 * h_trade.c - GET /api/v1/trade/rank?home=VN&product=030617[&years=2016-2020]
 * [&weights=size=0.4,distance=0][&sort=score][&limit=N][&per_product=1][&ease=gravity]:
 * the market ranking of the command line (`tradebridge trade rank`) as JSON,
 * for any signed-in user. Reads the year files next to the database (mapped
 * per request, read-only); an unknown field value is a 400 naming it.
 * Weights: the defaults, then the operator's stored weights (GET/PUT
 * /api/v1/trade/weights), then the request's own; the answer says which.
 * Tariffs entered by a person (GET/POST /api/v1/trade/tariffs, DELETE
 * .../{id}) apply where present: the operator's, and the company's own.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/trade/rank.h"
#include "http/entity_http.h"
#include "http/handlers.h"
#include "http/trade_rank.h"
#include "store/entity.h"
#include "store/market.h"
#include "store/trade_files.h"

#define WEIGHT(n) {.name = n, .type = FT_NUMBER, .min = 0, .max = 1000}
const struct field_spec trade_weight_fields[] = {
    WEIGHT("size"), WEIGHT("growth"), WEIGHT("untapped"), WEIGHT("share"), WEIGHT("distance"),
    WEIGHT("concentration"), WEIGHT("gdp_growth"), {0},
};
#undef WEIGHT

/* The weights in force for the actor's operator: defaults overlaid with the
 * stored ones. *source = "operator" when some are stored, else "default". */
static int operator_weights(struct request *r, int64_t org_id, struct trade_weights *w,
                            const char **source, struct tb_err *err)
{
    json_t *stored = NULL;
    trade_weights_default(w);
    *source = "default";
    if (org_id > 0 && store_trade_settings_get(r->store, &r->actor, org_id, &stored, err) < 0)
        return -1;
    int rc = stored ? trade_weights_from_json(w, stored, err) : 0;
    if (stored)
        *source = "operator";
    json_decref(stored);
    return rc;
}

/* The operator a ranking is for: the actor's own; the foundation's admin
 * names one with ?org_id= or gets the defaults. */
static int rank_operator(struct request *r, int64_t *org_id, struct tb_err *err)
{
    *org_id = 0;
    if (r->actor.all_tenants && !req_query(r, "org_id"))
        return 0;
    return req_operator(r, org_id, err);
}

/* The operator's tariffs (and the company's) as the ranking reads them. */
static int load_tariffs(struct request *r, int64_t org_id, int64_t company_id, const struct trade_tariff **out,
                        int *n, struct tb_err *err)
{
    json_t *rows = NULL;
    *out = NULL;
    *n = 0;
    if (org_id <= 0)
        return 0;
    if (store_tariff_list(r->store, &r->actor, org_id, company_id, 0, &rows, err) < 0)
        return -1;
    size_t cnt = json_array_size(rows), i;
    struct trade_tariff *t = arena_alloc(r->arena, (cnt + 1) * sizeof *t);
    json_t *row;
    int rc = t ? 0 : TB_INTERNAL(err, "out of memory");
    json_array_foreach(rows, i, row)
        if (rc == 0)
            rc = trade_tariff_from_json(row, &t[(*n)++], err);
    json_decref(rows);
    *out = t;
    return rc;
}

/* The ranking from the year files next to `db_path` (DB.trade/). */
static int rank_in(struct request *r, const char *db_path, const struct trade_params *par, struct trade_set *set,
                   const char *product, int per_product, int limit, const struct trade_tariff *tariffs,
                   int n_tariffs, struct abuf *text, json_t **body, struct tb_err *err)
{
    char dir[4096];
    memset(set, 0, sizeof *set);
    if (trade_dir(dir, sizeof dir, db_path, 0, err) < 0 || trade_set_open(dir, par->y1, par->y2, 1, set, err) < 0)
        return -1;
    struct trade_query q = {.years = set->y, .n_years = set->n, .home = par->home,
                            .ranges = par->ranges, .n_ranges = par->n_ranges,
                            .per_product = per_product, .sort = par->sort,
                            .ease_fallback = par->ease_fallback,
                            .geo = &set->geo, .wdi = &set->wdi, .weights = par->weights,
                            .tariffs = tariffs, .n_tariffs = n_tariffs};
    struct trade_result out;
    int rc = trade_rank(&q, r->arena, &out, err);
    *body = rc < 0 ? NULL : trade_result_json(&out, product, set->y[0]->revision, text ? 0 : limit);
    if (*body && text) {
        json_object_del(*body, "markets");
        text->len = 0;
        if (trade_markets_text(&out, limit, text) < 0) {
            json_decref(*body);
            *body = NULL;
            rc = TB_INTERNAL(err, "out of memory");
        }
    }
    if (*body) {   /* which import this was computed from (export plans compare it later) */
        char stamp[32], latest[32] = "";
        trade_data_stamp(dir, stamp, sizeof stamp, latest, sizeof latest);
        json_object_set_new(*body, "data_stamp", json_string(stamp));
        json_object_set_new(*body, "data_imported_at", json_string(latest));
    }
    trade_set_close(set);
    return rc;
}

int http_trade_rank(struct request *r, const struct trade_request *req, const struct trade_rank_opts *o,
                    json_t **out, struct tb_err *err)
{
    struct trade_request in = *req;
    struct trade_params *par = arena_alloc(r->arena, sizeof *par);
    struct trade_set *set = arena_alloc(r->arena, sizeof *set);
    if (!par || !set)
        return TB_INTERNAL(err, "out of memory");
    const char *spec = in.weights, *source;
    int64_t org_id = o->org_id;
    in.weights = NULL;
    if (trade_params_parse(&in, par, err) < 0 || (!org_id && rank_operator(r, &org_id, err) < 0) ||
        operator_weights(r, org_id, &par->weights, &source, err) < 0)
        return -1;
    if (spec) {
        if (trade_weights_parse(&par->weights, spec, err) < 0)
            return -1;
        source = "request";
    }
    const struct trade_tariff *tariffs = NULL;
    int n_tariffs = 0;
    if (!o->no_tariffs && load_tariffs(r, org_id, o->company_id, &tariffs, &n_tariffs, err) < 0)
        return -1;
    json_t *body = NULL;
    if (rank_in(r, r->cfg->db_path, par, set, in.product, o->per_product, o->limit, tariffs, n_tariffs,
                o->markets_text, &body, err) < 0)
        return -1;
    if (!json_integer_value(json_object_get(body, "count"))) {
        /* No flows of the product: the demo's synthetic set, when there is one. */
        const char *synth = arena_printf(r->arena, "%s.synthetic", r->cfg->db_path);
        json_t *alt = NULL;
        struct tb_err ignored = {0};
        struct abuf alt_text;
        abuf_init(&alt_text, r->arena, SIZE_MAX / 4);
        if (synth && rank_in(r, synth, par, set, in.product, o->per_product, o->limit, tariffs, n_tariffs,
                             o->markets_text ? &alt_text : NULL, &alt, &ignored) == 0 &&
            json_integer_value(json_object_get(alt, "count"))) {
            json_decref(body);
            body = alt;
            if (o->markets_text)
                *o->markets_text = alt_text;
            json_object_set_new(body, "synthetic", json_true());
            json_object_set_new(body, "sources", json_string("SYNTHETIC demonstration data generated by "
                                                             "tradebridge demo (not trade statistics)"));
        } else {
            json_decref(alt);
        }
    }
    if (!json_object_get(body, "synthetic"))
        json_object_set_new(body, "synthetic", json_false());
    json_object_set_new(body, "weights", trade_weights_json(&par->weights));
    json_object_set_new(body, "weights_source", json_string(source));
    json_object_set_new(body, "tariffs", json_integer(n_tariffs));
    *out = body;
    return 0;
}

/* The company whose own tariffs apply besides the operator's: ?company_id=,
 * or a company user's own. */
static int tariff_company(struct request *r, int64_t *company_id, struct tb_err *err)
{
    const char *c = req_query(r, "company_id");
    *company_id = 0;
    if (c) {
        char *end;
        long long v = strtoll(c, &end, 10);
        if (*end || v <= 0)
            return TB_INVALID(err, "company_id", "company_id: expected a company id");
        *company_id = v;
    } else if (!is_staff(r) && actor_has(&r->actor, ROLE_BIT(ROLE_COMPANY))) {
        *company_id = r->actor.subject_id;
    }
    return 0;
}

int h_trade_rank(struct request *r, struct response *res, struct tb_err *err)
{
    struct trade_request in = {req_query(r, "home"), req_query(r, "product"),
                               req_query(r, "years"), req_query(r, "sort"),
                               req_query(r, "weights"), req_query(r, "ease")};
    struct trade_rank_opts o = {.limit = -1};
    const char *lt = req_query(r, "limit");
    if (lt) {
        char *end;
        long limit = strtol(lt, &end, 10);
        if (end == lt || *end || limit < 1 || limit > 10000)
            return TB_INVALID(err, "limit", "limit: must be a whole number from 1 to 10000");
        o.limit = (int)limit;
    }
    const char *pp = req_query(r, "per_product"), *tf = req_query(r, "tariffs");
    if (pp && strcmp(pp, "0") && strcmp(pp, "1"))
        return TB_INVALID(err, "per_product", "per_product: must be 0 or 1");
    if (tf && strcmp(tf, "none") && strcmp(tf, "entered"))
        return TB_INVALID(err, "tariffs", "tariffs: entered (the default) or none");
    o.per_product = pp && !strcmp(pp, "1");
    o.no_tariffs = tf && !strcmp(tf, "none");
    json_t *body, *company = NULL;
    if (tariff_company(r, &o.company_id, err) < 0)
        return -1;
    if (!in.home && o.company_id) {   /* the home country defaults to the company's */
        if (store_entity_get(r->store, &r->actor, ENT_COMPANY, o.company_id, &company, err) < 0)
            return err->status == 404 ? TB_INVALID(err, "company_id", "company_id: no such company") : -1;
        const char *cc = json_string_value(json_object_get(company, "country"));
        in.home = cc ? arena_strdup(r->arena, cc) : NULL;
        json_decref(company);
    }
    struct abuf markets;
    abuf_init(&markets, r->arena, SIZE_MAX / 4);
    o.markets_text = &markets;
    if (http_trade_rank(r, &in, &o, &body, err) < 0)
        return -1;
    /* The small envelope through jansson, the ~220 markets written directly
     * (3.2 ms of jansson values and "%.17g" per ranking down to ~0.2 ms). */
    char *env = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(body);
    struct abuf out;
    abuf_init(&out, r->arena, SIZE_MAX / 4);
    if (!env)
        return TB_INTERNAL(err, "out of memory");
    abuf_append(&out, env, strlen(env) - 1);   /* without its closing brace */
    abuf_puts(&out, ",\"markets\":");
    abuf_append(&out, markets.data, markets.len);
    abuf_puts(&out, "}");
    free(env);
    if (out.failed)
        return TB_INTERNAL(err, "out of memory");
    res->status = 200;
    res->raw = out.data;
    res->raw_len = out.len;
    res->content_type = "application/json";
    return 0;
}

/* ---- tariffs entered by a person ---- */

/* GET /api/v1/trade/tariffs[?company_id=][&org_id=]: the operator's tariffs
 * and every company's (staff), or the company's own and the operator's. */
int h_trade_tariffs_list(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org_id, company_id;
    json_t *rows;
    if (req_operator(r, &org_id, err) < 0 || tariff_company(r, &company_id, err) < 0 ||
        store_tariff_list(r->store, &r->actor, org_id, company_id, company_id == 0, &rows, err) < 0)
        return -1;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {   /* each with its demand factor, as the ranking applies it */
        struct trade_tariff t;
        struct tb_err ignored = {0};
        if (trade_tariff_from_json(row, &t, &ignored) == 0)
            json_object_set_new(row, "factor", json_real(round(trade_tariff_factor(&t) * 1e6) / 1e6));
    }
    return respond_json(res, 200, json_pack("{s:o}", "items", rows));
}

/* POST /api/v1/trade/tariffs[?org_id=] {market, product, rate_pct, source,
 * as_of, origin?, reference_pct?, elasticity?, company_id?}: sets one,
 * replacing the same operator/company, market, origin and product. */
int h_trade_tariff_set(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org_id, id;
    struct trade_tariff t;
    if (trade_tariff_from_json(r->body, &t, err) < 0 || req_operator(r, &org_id, err) < 0)
        return -1;
    json_t *body = json_deep_copy(r->body);
    if (!json_object_get(body, "company_id") && !is_staff(r) && actor_has(&r->actor, ROLE_BIT(ROLE_COMPANY)))
        json_object_set_new(body, "company_id", json_integer(r->actor.subject_id));
    int rc = store_tariff_set(r->store, &r->actor, org_id, body, &id, err);
    if (rc == 0) {
        trade_tariff_from_json(body, &t, err);
        t.id = id;
    }
    json_decref(body);
    if (rc < 0)
        return -1;
    res->location = arena_printf(r->arena, "/api/v1/trade/tariffs/%lld", (long long)id);
    return respond_json(res, 201, trade_tariff_json(&t));
}

/* DELETE /api/v1/trade/tariffs/{id} */
int h_trade_tariff_delete(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org_id;
    if (req_operator(r, &org_id, err) < 0 || store_tariff_delete(r->store, &r->actor, org_id, r->ids[0], err) < 0)
        return -1;
    res->status = 204;
    return 0;
}

/* GET /api/v1/trade/weights[?org_id=]: the operator's ranking weights in force. */
int h_trade_weights_get(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org_id;
    struct trade_weights w;
    const char *source;
    if (req_operator(r, &org_id, err) < 0 || operator_weights(r, org_id, &w, &source, err) < 0)
        return -1;
    struct trade_weights d;
    trade_weights_default(&d);
    return respond_json(res, 200, json_pack("{s:I, s:o, s:s, s:o}", "org_id", (json_int_t)org_id,
                                            "weights", trade_weights_json(&w), "source", source,
                                            "defaults", trade_weights_json(&d)));
}

/* PUT /api/v1/trade/weights[?org_id=] {"size": 0.4, ...}: the weights named
 * replace the defaults for the operator's rankings; {} goes back to them. */
int h_trade_weights_put(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t org_id;
    struct trade_weights w;
    trade_weights_default(&w);
    if (trade_weights_from_json(&w, r->body, err) < 0 || req_operator(r, &org_id, err) < 0)
        return -1;
    json_t *all = trade_weights_json(&w);
    int rc = store_trade_settings_put(r->store, &r->actor, org_id, all, err);
    json_decref(all);
    return rc < 0 ? -1 : h_trade_weights_get(r, res, err);
}
