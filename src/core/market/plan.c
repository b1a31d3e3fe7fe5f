/*
 * plan.c - the export plan's checks and computed parts (see plan.h).
 */
#include "core/market/plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"

const char *const plan_statuses[] = {"draft", "active", "under_review", "closed", NULL};
const char *const plan_entry_modes[] = {"direct_export", "agent", "distributor", "e_commerce",
                                        "licensing", "joint_venture", "subsidiary", NULL};
const char *const plan_incoterms[] = {"EXW", "FCA", "FAS", "FOB", "CFR", "CIF",
                                      "CPT", "CIP", "DAP", "DPU", "DDP", NULL};
const char *const plan_cost_stages[] = {"export_clearance", "pre_carriage", "origin_terminal",
                                        "main_carriage", "insurance", "on_carriage", "unloading",
                                        "import_clearance", "duties", NULL};

/* Which cost stages the seller pays under each rule (bit = stage above), a
 * simplification of Incoterms 2020 documented in docs/market-selection.md:
 * FCA/FAS to the named place or ship's side, FOB on board, C rules add the
 * main carriage (CIF/CIP insurance), D rules carry to the named place (DPU
 * unloads, DDP clears import and pays duties); D rules include the seller's
 * own insurance when a line is given. */
#define S(i) (1u << (i))
static const unsigned seller_pays[] = {
    0,                                                   /* EXW */
    S(0) | S(1),                                         /* FCA */
    S(0) | S(1),                                         /* FAS */
    S(0) | S(1) | S(2),                                  /* FOB */
    S(0) | S(1) | S(2) | S(3),                           /* CFR */
    S(0) | S(1) | S(2) | S(3) | S(4),                    /* CIF */
    S(0) | S(1) | S(2) | S(3),                           /* CPT */
    S(0) | S(1) | S(2) | S(3) | S(4),                    /* CIP */
    S(0) | S(1) | S(2) | S(3) | S(4) | S(5),             /* DAP */
    S(0) | S(1) | S(2) | S(3) | S(4) | S(5) | S(6),      /* DPU */
    S(0) | S(1) | S(2) | S(3) | S(4) | S(5) | S(7) | S(8), /* DDP */
};
#undef S

static int index_of(const char *const *list, const char *s)
{
    for (int i = 0; s && list[i]; i++)
        if (!strcmp(list[i], s))
            return i;
    return -1;
}

int plan_quarter(const char *s, int *year, int *quarter)
{
    int y, q, n = 0;
    if (!s || strlen(s) != 7 || sscanf(s, "%4d-Q%1d%n", &y, &q, &n) != 2 || n != 7 || y < 2000 ||
        y > 2100 || q < 1 || q > 4)
        return -1;
    *year = y;
    *quarter = q;
    return 0;
}

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int check_quarter(const char *q, const char *path, struct tb_err *err)
{
    int y, n;
    if (plan_quarter(q, &y, &n) < 0)
        return TB_INVALID(err, path, "%s: '%s' is not a quarter such as 2025-Q3 (years 2000 to 2100)", path,
                          q ? q : "");
    return 0;
}

static int check_market(const json_t *m, size_t i, struct tb_err *err)
{
    char path[96];
    const json_t *targets = json_object_get(m, "targets");
    size_t k, j;
    json_t *t, *u;
    json_array_foreach(targets, k, t) {
        snprintf(path, sizeof path, "markets[%zu].targets[%zu].quarter", i, k);
        if (check_quarter(str(t, "quarter"), path, err) < 0)
            return -1;
        for (j = 0; j < k; j++) {
            u = json_array_get(targets, j);
            if (!strcmp(str(t, "quarter"), str(u, "quarter")))
                return TB_INVALID(err, path, "%s: %s has a target already (targets[%zu])", path,
                                  str(t, "quarter"), j);
        }
    }
    const json_t *price = json_object_get(m, "price");
    const char *pc = str(price, "currency");
    json_array_foreach(json_object_get(price, "lines"), k, t) {
        const char *lc = str(t, "currency");
        if (lc && pc && strcmp(lc, pc)) {
            snprintf(path, sizeof path, "markets[%zu].price.lines[%zu].currency", i, k);
            return TB_INVALID(err, path, "%s: %s differs from the price's currency %s; enter every line "
                              "in %s", path, lc, pc, pc);
        }
    }
    return 0;
}

int plan_check(const json_t *doc, struct tb_err *err)
{
    const json_t *markets = json_object_get(doc, "markets");
    size_t i, j;
    json_t *m, *n;
    char path[96];
    json_array_foreach(markets, i, m) {
        for (j = 0; j < i; j++) {
            n = json_array_get(markets, j);
            if (!strcmp(str(m, "country"), str(n, "country")) && !strcmp(str(m, "product"), str(n, "product"))) {
                snprintf(path, sizeof path, "markets[%zu].country", i);
                return TB_INVALID(err, path, "%s: %s for product %s is in the plan already (markets[%zu])",
                                  path, str(m, "country"), str(m, "product"), j);
            }
        }
        if (check_market(m, i, err) < 0)
            return -1;
    }
    const json_t *actuals = json_object_get(doc, "actuals");
    json_array_foreach(actuals, i, m) {
        snprintf(path, sizeof path, "actuals[%zu].quarter", i);
        if (check_quarter(str(m, "quarter"), path, err) < 0)
            return -1;
        int found = 0;
        json_array_foreach(markets, j, n)
            found |= !strcmp(str(m, "market"), str(n, "country"));
        if (!found) {
            snprintf(path, sizeof path, "actuals[%zu].market", i);
            return TB_INVALID(err, path, "%s: %s is not one of the plan's markets", path, str(m, "market"));
        }
        for (j = 0; j < i; j++) {
            n = json_array_get(actuals, j);
            if (!strcmp(str(m, "market"), str(n, "market")) && !strcmp(str(m, "quarter"), str(n, "quarter")) &&
                !strcmp(str(m, "currency"), str(n, "currency"))) {
                snprintf(path, sizeof path, "actuals[%zu]", i);
                return TB_INVALID(err, path, "%s: %s %s in %s is entered twice (actuals[%zu])", path,
                                  str(m, "market"), str(m, "quarter"), str(m, "currency"), j);
            }
        }
    }
    return 0;
}

json_t *plan_price(const json_t *market)
{
    const json_t *price = json_object_get(market, "price");
    int rule = index_of(plan_incoterms, str(market, "incoterm"));
    if (!json_is_object(price) || rule < 0)
        return NULL;
    json_int_t total = json_integer_value(json_object_get(price, "ex_works_minor"));
    json_t *seller = json_array(), *buyer = json_array();
    size_t i;
    json_t *line;
    json_array_foreach(json_object_get(price, "lines"), i, line) {
        int stage = index_of(plan_cost_stages, str(line, "stage"));
        int paid = stage >= 0 && (seller_pays[rule] >> stage) & 1u;
        json_array_append(paid ? seller : buyer, line);
        if (paid)
            total += json_integer_value(json_object_get(line, "amount_minor"));
    }
    return json_pack("{s:s, s:s?, s:s?, s:O, s:o, s:o, s:I}", "rule", plan_incoterms[rule], "named_place",
                     str(market, "named_place"), "currency", str(price, "currency"), "ex_works_minor",
                     json_object_get(price, "ex_works_minor"), "seller_pays", seller, "buyer_pays", buyer,
                     "price_minor", total);
}

json_t *plan_decorate(const json_t *doc)
{
    json_t *out = json_deep_copy(doc);
    size_t i, k;
    json_t *m, *t;
    json_array_foreach(json_object_get(out, "markets"), i, m) {
        json_t *p = plan_price(m);
        if (p)
            json_object_set_new(m, "price_at_rule", p);
        json_int_t sum = 0;
        json_array_foreach(json_object_get(m, "targets"), k, t)
            sum += json_integer_value(json_object_get(t, "amount_minor"));
        json_object_set_new(m, "targets_total_minor", json_integer(sum));
    }
    return out;
}

/* ---- plan against actual ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every quarter that has a target or an actual, sorted. */
static json_t *quarters_of(const json_t *doc)
{
    const char *q[512];
    size_t n = 0, i, k;
    json_t *m, *t;
    json_array_foreach(json_object_get(doc, "markets"), i, m)
        json_array_foreach(json_object_get(m, "targets"), k, t)
            if (n < 512)
                q[n++] = str(t, "quarter");
    json_array_foreach(json_object_get(doc, "actuals"), i, t)
        if (n < 512)
            q[n++] = str(t, "quarter");
    qsort(q, n, sizeof *q, cmp_str);
    json_t *out = json_array();
    for (i = 0; i < n; i++)
        if (!i || strcmp(q[i], q[i - 1]))
            json_array_append_new(out, json_string(q[i]));
    return out;
}

static json_t *row(const char *quarter, json_int_t target, json_int_t actual, int has_actual)
{
    json_t *r = json_pack("{s:s, s:I, s:o, s:o, s:o}", "quarter", quarter, "target_minor", target,
                          "actual_minor", has_actual ? json_integer(actual) : json_null(),
                          "variance_minor", has_actual ? json_integer(actual - target) : json_null(),
                          "attainment", has_actual && target > 0 ? json_real(round(1e4 * (double)actual / (double)target) / 1e4)
                                                                 : json_null());
    return r;
}

int plan_progress(const json_t *doc, const struct fx_table *fx, const char *currency, json_t **out,
                  struct tb_err *err)
{
    const char *plan_cur = str(doc, "currency");
    json_t *quarters = quarters_of(doc);
    json_t *markets = json_array();
    size_t nq = json_array_size(quarters);
    json_int_t *tot_t = calloc(nq + 1, sizeof *tot_t), *tot_a = calloc(nq + 1, sizeof *tot_a);
    int *tot_has = calloc(nq + 1, sizeof *tot_has);
    int rc = tot_t && tot_a && tot_has ? 0 : TB_INTERNAL(err, "out of memory");
    size_t i, k, qi;
    json_t *m, *t;
    json_array_foreach(json_object_get(doc, "markets"), i, m) {
        if (rc < 0)
            break;
        json_t *rows = json_array();
        for (qi = 0; qi < nq && rc == 0; qi++) {
            const char *q = json_string_value(json_array_get(quarters, qi));
            int year, quarter;
            plan_quarter(q, &year, &quarter);
            json_int_t target = 0, actual = 0;
            int64_t v;
            int has = 0;
            json_array_foreach(json_object_get(m, "targets"), k, t)
                if (!strcmp(str(t, "quarter"), q)) {
                    char path[80];
                    snprintf(path, sizeof path, "markets[%zu].targets[%zu]", i, k);
                    if ((rc = fx_convert_period(fx, json_integer_value(json_object_get(t, "amount_minor")),
                                                plan_cur, currency, year, quarter, &v, path, err)) < 0)
                        break;
                    target += v;
                }
            /* Actuals are per market (country), shared by its products: they
             * count on the market's first product line only. */
            int first = 1;
            for (size_t j = 0; j < i; j++)
                first &= strcmp(str(json_array_get(json_object_get(doc, "markets"), j), "country"), str(m, "country")) != 0;
            json_array_foreach(json_object_get(doc, "actuals"), k, t)
                if (rc == 0 && first && !strcmp(str(t, "quarter"), q) && !strcmp(str(t, "market"), str(m, "country"))) {
                    char path[64];
                    snprintf(path, sizeof path, "actuals[%zu].currency", k);
                    if ((rc = fx_convert_period(fx, json_integer_value(json_object_get(t, "amount_minor")),
                                                str(t, "currency"), currency, year, quarter, &v, path, err)) < 0)
                        break;
                    actual += v;
                    has = 1;
                }
            if (rc < 0)
                break;
            json_array_append_new(rows, row(q, target, actual, has));
            tot_t[qi] += target;
            tot_a[qi] += actual;
            tot_has[qi] |= has;
        }
        json_array_append_new(markets, json_pack("{s:s, s:s, s:o}", "country", str(m, "country"), "product",
                                                 str(m, "product"), "rows", rows));
    }
    json_t *totals = json_array();
    for (qi = 0; rc == 0 && qi < nq; qi++)
        json_array_append_new(totals, row(json_string_value(json_array_get(quarters, qi)), tot_t[qi], tot_a[qi],
                                          tot_has[qi]));
    free(tot_t);
    free(tot_a);
    free(tot_has);
    if (rc < 0) {
        json_decref(quarters);
        json_decref(markets);
        json_decref(totals);
        return -1;
    }
    *out = json_pack("{s:s, s:s, s:o, s:o, s:o}", "currency", currency, "basis",
                     "ECB euro reference rates, average of the quarter's daily rates (cross rates through EUR)",
                     "quarters", quarters, "markets", markets, "totals", totals);
    return 0;
}

/* ---- versions compared ---- */

static void diff_at(const json_t *a, const json_t *b, const char *path, json_t *out)
{
    if (json_equal(a, b) || (!a && json_is_null(b)) || (!b && json_is_null(a)))
        return;
    char sub[256];
    if (json_is_object(a) && json_is_object(b)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)a, k, v) {
            utf8_snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", k);
            diff_at(v, json_object_get(b, k), sub, out);
        }
        json_object_foreach((json_t *)b, k, v)
            if (!json_object_get(a, k)) {
                utf8_snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", k);
                diff_at(NULL, v, sub, out);
            }
        return;
    }
    if (json_is_array(a) && json_is_array(b)) {
        size_t n = json_array_size(a) > json_array_size(b) ? json_array_size(a) : json_array_size(b);
        for (size_t i = 0; i < n; i++) {
            utf8_snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            diff_at(json_array_get(a, i), json_array_get(b, i), sub, out);
        }
        return;
    }
    json_array_append_new(out, json_pack("{s:s, s:O, s:O}", "path", path, "old", a ? a : json_null(), "new",
                                         b ? b : json_null()));
}

json_t *plan_diff(const json_t *a, const json_t *b)
{
    json_t *out = json_array();
    diff_at(a, b, "", out);
    return out;
}

void plan_partner_contacts(const json_t *market, char *buf, size_t n)
{
    size_t i, at = 0;
    json_t *c;
    buf[0] = '\0';
    json_array_foreach(json_object_get(market, "channel_partner_contacts"), i, c) {
        const char *name = json_string_value(json_object_get(c, "name"));
        const char *org = json_string_value(json_object_get(c, "organisation"));
        int w = snprintf(buf + at, n - at, "%s%s%s%s%s", i ? "; " : "", name ? name : "?", org && *org ? " (" : "",
                         org && *org ? org : "", org && *org ? ")" : "");
        if (w < 0 || (size_t)w >= n - at)
            break;
        at += (size_t)w;
    }
}
