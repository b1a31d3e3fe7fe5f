/*
 * cli_fx.c - `tradebridge fx import --db DB FILE...`: ECB euro reference
 * rates (the historical eurofxref-hist.csv or the one-day eurofxref.csv, as
 * the ECB publishes them) into the database, for converting export sales in
 * export plans; `tradebridge fx rate --db DB --from X --to Y --date D`.
 * A bad file stops with FILE:LINE and nothing stored.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/codes.h"
#include "core/embedded.h"
#include "core/market/fx.h"
#include "store/market.h"

extern const struct embedded_file fx_files[];

int cli_fx_load_embedded(struct store *st, struct tb_err *err)
{
    struct fx_table t;
    fx_init(&t);
    int rc = 0;
    for (const struct embedded_file *f = fx_files; rc == 0 && f->name; f++)
        if (strstr(f->name, ".csv"))
            rc = fx_parse_csv(&t, (const char *)f->data, f->size, f->name, err);
    if (rc == 0)
        rc = store_fx_put(st, &t, err);
    fx_free(&t);
    return rc;
}

static int usage(void)
{
    fprintf(stderr, "usage: tradebridge fx import [--db PATH] FILE...\n"
                    "       tradebridge fx rate [--db PATH] --from CUR --to CUR --date YYYY-MM-DD\n");
    return EXIT_USAGE;
}

int cli_fx_main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    const char *sub = argv[1], *db = NULL, *from = NULL, *to = NULL, *date = NULL;
    static const struct option opts[] = {{"db", required_argument, 0, 'd'}, {"from", required_argument, 0, 'f'},
                                         {"to", required_argument, 0, 't'}, {"date", required_argument, 0, 'D'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'D': date = optarg; break;
        default: return usage();
        }
    }
    int import = !strcmp(sub, "import");
    if ((import && optind >= argc) || (!import && (strcmp(sub, "rate") || !from || !to || !date)))
        return usage();
    if (codes_init() < 0)
        return EXIT_RUNTIME;
    struct store *st = cli_open_store("fx", cli_db_path(db));
    if (!st)
        return EXIT_RUNTIME;
    struct tb_err err = {0};
    struct fx_table t;
    fx_init(&t);
    int rc = 0;
    json_t *summary = NULL;
    if (import) {
        for (int i = optind; rc == 0 && i < argc; i++) {
            size_t len;
            char *text = cli_read_file(argv[i], 64u << 20, &len);
            if (!text) {
                fprintf(stderr, "tradebridge fx: %s: %s\n", argv[i], strerror(errno));
                rc = -2;
                break;
            }
            rc = fx_parse_csv(&t, text, len, argv[i], &err);
            free(text);
        }
        if (rc == 0)
            rc = store_fx_put(st, &t, &err);
        if (rc == 0 && store_fx_summary(st, &summary, &err) == 0)
            printf("fx: %d days of rates read; stored: %lld currencies, %lld days, %s to %s\n", t.n_days,
                   (long long)json_integer_value(json_object_get(summary, "currencies")),
                   (long long)json_integer_value(json_object_get(summary, "days")),
                   json_string_value(json_object_get(summary, "first")),
                   json_string_value(json_object_get(summary, "last")));
    } else {
        json_t *cur = json_pack("[s,s]", from, to);
        double rate;
        rc = store_fx_load(st, cur, &t, &err);
        json_decref(cur);
        if (rc == 0)
            rc = fx_cross(&t, from, to, date, &rate, "date", &err);
        if (rc == 0)
            printf("1 %s = %.6f %s on %s (ECB reference rates)\n", from, rate, to, date);
    }
    json_decref(summary);
    fx_free(&t);
    store_close(st);
    if (rc == -2)
        return EXIT_RUNTIME;
    return rc < 0 ? cli_fail("fx", &err) : EXIT_OK;
}
