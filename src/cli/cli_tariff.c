/*
 * cli_tariff.c - `tradebridge trade tariff set|list|import`: per-market
 * tariffs entered by a person (core/trade/tariff.h), for an operator or one
 * of its companies; `trade rank --org ORG [--company ID]` applies them. The
 * same checks as the API (trade_tariff_fields); an import is one transaction:
 * a bad row stops it with FILE:LINE and stores nothing.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_tariff.h"
#include "core/codes.h"
#include "core/trade/csvrows.h"
#include "core/trade/tariff.h"
#include "core/validate.h"
#include "store/market.h"

#define CMD "trade tariff"

/* A body from text values (command line or CSV): numbers parsed, empty = absent. */
static int put_field(json_t *o, const char *name, const char *v, struct tb_err *err)
{
    if (!v || !*v)
        return 0;
    if (!strcmp(name, "rate_pct") || !strcmp(name, "reference_pct") || !strcmp(name, "elasticity") ||
        !strcmp(name, "company_id")) {
        char *end;
        double d = strtod(v, &end);
        if (*end || end == v || !isfinite(d))
            return TB_INVALID(err, name, "%s: expected a number, not '%.20s'", name, v);
        json_object_set_new(o, name, !strcmp(name, "company_id") ? json_integer((json_int_t)d) : json_real(d));
        return 0;
    }
    json_object_set_new(o, name, json_string(v));
    return 0;
}

static int check(const json_t *o, struct tb_err *err)
{
    struct trade_tariff t;
    return validate_object(o, trade_tariff_fields, 0, err) < 0 ? -1 : trade_tariff_from_json(o, &t, err);
}

int cli_tariffs_load(struct store *st, int64_t org_id, int64_t company_id, struct trade_tariff **out, int *n,
                     struct tb_err *err)
{
    struct tb_actor sys = actor_system();
    json_t *rows;
    *out = NULL;
    *n = 0;
    if (store_tariff_list(st, &sys, org_id, company_id, 0, &rows, err) < 0)
        return -1;
    size_t i;
    json_t *row;
    *out = calloc(json_array_size(rows) + 1, sizeof **out);
    int rc = *out ? 0 : TB_INTERNAL(err, "out of memory");
    json_array_foreach(rows, i, row)
        if (rc == 0)
            rc = trade_tariff_from_json(row, &(*out)[(*n)++], err);
    json_decref(rows);
    return rc;
}

/* tariff import: header names the columns (any order). */
struct import_ctx {
    struct store *st;
    int64_t org_id;
    const char *file;
    char *names[16];
    int ncol;
    long stored;
};

static int import_row(void *vctx, char **f, int n, long line, struct tb_err *err)
{
    struct import_ctx *c = vctx;
    if (line == 1) {
        for (int i = 0; i < n && i < 16; i++) {
            int known = 0;
            for (const struct field_spec *fs = trade_tariff_fields; fs->name; fs++)
                known |= !strcmp(fs->name, f[i]);
            if (!known)
                return TB_INVALID(err, f[i], "%s:1: unknown column '%s' (market, product, rate_pct, source, as_of, "
                                  "origin, reference_pct, elasticity, company_id)", c->file, f[i]);
            c->names[c->ncol++] = strdup(f[i]);
        }
        return 0;
    }
    json_t *o = json_object();
    int rc = 0;
    for (int i = 0; i < n && i < c->ncol && rc == 0; i++)
        rc = put_field(o, c->names[i], f[i], err);
    struct tb_actor sys = actor_system();
    int64_t id;
    if (rc == 0)
        rc = check(o, err);
    if (rc == 0)
        rc = store_tariff_set(c->st, &sys, c->org_id, o, &id, err);
    json_decref(o);
    if (rc < 0) {
        char msg[sizeof err->message + 300];
        int k = snprintf(msg, sizeof msg, "%s:%ld: %s", c->file, line, err->message);
        if (k >= (int)sizeof err->message)
            msg[sizeof err->message - 1] = 0;
        memcpy(err->message, msg, sizeof err->message);
        return -1;
    }
    c->stored++;
    return 0;
}

static void print_list(const json_t *rows)
{
    printf("id,market,product,origin,rate_pct,reference_pct,elasticity,factor,company_id,source,as_of\n");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        struct trade_tariff t;
        struct tb_err ignored = {0};
        if (trade_tariff_from_json(row, &t, &ignored) < 0)
            continue;
        printf("%lld,%s,%s,%s,%g,", (long long)t.id, t.market, t.product, t.origin, t.rate);
        if (!isnan(t.reference))
            printf("%g", t.reference);
        printf(",%g,%.6f,", t.elasticity, trade_tariff_factor(&t));
        if (t.company_id)
            printf("%lld", (long long)t.company_id);
        printf(",\"");
        for (const char *p = t.source; *p; p++)
            fputs(*p == '"' ? "\"\"" : (char[]){*p, 0}, stdout);
        printf("\",%s\n", t.as_of);
    }
}

int cli_trade_tariff_main(int argc, char **argv)
{
    static const struct { const char *flag, *field; } flags[] = {
        {"--market", "market"}, {"--product", "product"}, {"--rate", "rate_pct"}, {"--source", "source"},
        {"--date", "as_of"}, {"--origin", "origin"}, {"--reference", "reference_pct"},
        {"--elasticity", "elasticity"}, {"--company", "company_id"},
    };
    if (argc < 2)
        return cli_usage(CMD, "tariff set|list|import");
    const char *verb = argv[1], *db = NULL, *org = NULL, *file = NULL, *company = NULL, *format = "csv";
    struct tb_err err = {0};
    json_t *body = json_object();
    int rc = EXIT_OK;
    for (int i = 2; i < argc && rc == EXIT_OK; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (a[0] != '-') {
            if (file)
                rc = cli_usage(CMD, "unexpected argument %s", a);
            file = a;
            continue;
        }
        if (!v) {
            rc = cli_usage(CMD, "%s needs a value", a);
            break;
        }
        i++;
        int known = 0;
        if (!strcmp(a, "--db")) db = v, known = 1;
        else if (!strcmp(a, "--org")) org = v, known = 1;
        else if (!strcmp(a, "--format")) format = v, known = 1;
        for (size_t k = 0; !known && k < sizeof flags / sizeof flags[0]; k++)
            if (!strcmp(a, flags[k].flag)) {
                known = 1;
                if (!strcmp(a, "--company"))
                    company = v;
                if (put_field(body, flags[k].field, v, &err) < 0)
                    rc = cli_usage(CMD, "--%s", err.message);
            }
        if (!known)
            rc = cli_usage(CMD, "unknown option %s", a);
    }
    int set = !strcmp(verb, "set"), list = !strcmp(verb, "list"), import = !strcmp(verb, "import");
    if (rc == EXIT_OK && !set && !list && !import)
        rc = cli_usage(CMD, "unknown verb '%s' (set, list or import)", verb);
    if (rc == EXIT_OK && (!org || !*org))
        rc = cli_usage(CMD, "--org is required (the operator, by id or name)");
    if (rc == EXIT_OK && import && !file)
        rc = cli_usage(CMD, "import needs FILE.csv");
    if (rc == EXIT_OK && strcmp(format, "csv") && strcmp(format, "json"))
        rc = cli_usage(CMD, "--format is csv or json");
    validate_set_code_checker(codes_known);
    if (rc == EXIT_OK && set && check(body, &err) < 0)
        rc = cli_usage(CMD, "%s", err.message);
    if (rc != EXIT_OK) {
        json_decref(body);
        return rc;
    }
    size_t len = 0;
    char *data = NULL;
    if (import && !(data = cli_read_file(file, 16u << 20, &len))) {
        json_decref(body);
        tb_error(&err, TB_E_IO_ERROR, "FILE", "cannot read %s: %s", file,
                 errno == EFBIG ? "larger than 16 MiB" : strerror(errno));
        return cli_fail(CMD, &err);
    }
    struct store *st = cli_open_store(CMD, cli_db_path(db));
    if (!st) {
        free(data);
        json_decref(body);
        return EXIT_RUNTIME;
    }
    struct tb_actor sys = actor_system();
    int64_t org_id, id;
    int r = cli_resolve_org(st, org, &org_id, &err);
    if (r < 0 && err.status == 404)
        tb_error(&err, TB_E_NOT_FOUND, "org", "--org: no organization '%s'", org);
    if (r == 0 && set) {
        r = store_tariff_set(st, &sys, org_id, body, &id, &err);
        if (r == 0)
            printf("tariff %lld: %s %s %g%%\n", (long long)id, json_string_value(json_object_get(body, "market")),
                   json_string_value(json_object_get(body, "product")),
                   json_number_value(json_object_get(body, "rate_pct")));
    } else if (r == 0 && list) {
        json_t *rows;
        r = store_tariff_list(st, &sys, org_id, company ? strtoll(company, NULL, 10) : 0, !company, &rows, &err);
        if (r == 0 && !strcmp(format, "json")) {
            json_dumpf(rows, stdout, JSON_COMPACT);
            putchar('\n');
        } else if (r == 0) {
            print_list(rows);
        }
        if (r == 0)
            json_decref(rows);
    } else if (r == 0) {
        struct import_ctx c = {.st = st, .org_id = org_id, .file = file};
        r = store_begin(st, &err);
        if (r == 0)
            r = csvrows_each(data, len, ',', import_row, &c, &err);
        if (r == 0 && c.stored == 0)
            r = TB_INVALID(&err, "FILE", "%s: no rows after the header", file);
        if (r == 0)
            r = store_commit(st, &err);
        else
            store_rollback(st);
        for (int i = 0; i < c.ncol; i++)
            free(c.names[i]);
        if (r == 0)
            printf("%s: %ld tariffs stored\n", file, c.stored);
    }
    store_close(st);
    free(data);
    json_decref(body);
    return r < 0 ? cli_fail(CMD, &err) : EXIT_OK;
}
