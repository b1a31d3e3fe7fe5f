/*
 * cli_impact_report.c - `tradebridge impact report` (the measures of an
 * operator, or of every operator, as JSON; PDF and XLSX through the same
 * report) and `tradebridge impact remind` (new links for unanswered
 * follow-up surveys). The work is src/service/impact_service.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/codes.h"
#include "core/validate.h"
#include "service/impact_evidence.h"
#include "service/impact_service.h"
#include "service/impact_report.h"

static const char usage_report[] =
    "usage: tradebridge impact report --operator NAME|ID [--db PATH] [--format json|pdf|xlsx]\n"
    "           [--wave end|m6|m12|m24] [--group operator|cohort|year|country|region|metro|sector]\n"
    "           [--currency CUR] [--seed S] [--resamples N] [--funder] [--output FILE]\n\n"
    "The operator's impact measures: export change against baseline, attributable change,\n"
    "jobs (IRIS+ PI3687, PI5691, PI4874, PI5920), retention, satisfaction, NPS and ROI, each\n"
    "with N, response rate, median and a seeded bootstrap 95%% interval, the matched\n"
    "comparison group's difference-in-differences estimate and the headline sentence.\n"
    "--operator all: across operators. --funder: small cells suppressed, as a funder sees it.\n"
    "PDF and XLSX need --output. Exit: 0 ok, 1 failed, 2 usage.\n";
static const char usage_remind[] =
    "usage: tradebridge impact remind [--db PATH] [--days N] [--public-url URL]\n\n"
    "Sends the follow-up surveys each operator's schedule says are due (end of placement,\n"
    "+6, +12, +24 months; due within the last 60 days, not sent yet), then mails a new link\n"
    "for every unanswered survey last mailed N (default 7) or more days ago, at most three\n"
    "reminders per survey; the old link stops working. Run it daily (cron, systemd timer).\n";

static const char usage_comparison[] =
    "usage: tradebridge impact comparison-import FILE.csv --operator NAME|ID [--db PATH]\n\n"
    "Stores a register extract of firms that did not take part, the comparison group of the\n"
    "operator's impact measures. Columns: ref, employees, currency, base_year, baseline,\n"
    "followup (export sales in major units of the currency, the base year and the year after),\n"
    "optional source (register|applicant), nace, jobs_base, jobs_followup. A bad row refuses\n"
    "the whole file; a ref seen before is replaced.\n";
static const char usage_sales[] =
    "usage: tradebridge impact baseline-import FILE.csv [--db PATH]\n\n"
    "Stores export sales per company, market and year: baselines, the years before them (the\n"
    "pre-period trends) and the sales of firms that applied but were never placed (the\n"
    "comparison group). Columns: company_id (or registration_number), market (ISO 3166-1),\n"
    "year, currency (ISO 4217), amount (major units, not negative). A bad row refuses the\n"
    "whole file, naming the row and the column; a company, market and year seen before is\n"
    "replaced.\n";

static int operator_id(struct store *st, const char *op, int64_t *id, struct tb_err *err)
{
    char *end;
    long long v = strtoll(op, &end, 10);
    if (!*end && v > 0) {
        *id = v;
        return 0;
    }
    if (!strcmp(op, "all")) {
        *id = 0;
        return 0;
    }
    return store_org_by_name(st, op, id, err);
}

int cli_impact_report_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"operator", required_argument, 0, 'o'},
        {"format", required_argument, 0, 'f'}, {"wave", required_argument, 0, 'w'},
        {"group", required_argument, 0, 'g'}, {"currency", required_argument, 0, 'c'},
        {"seed", required_argument, 0, 's'}, {"resamples", required_argument, 0, 'r'},
        {"funder", no_argument, 0, 'F'}, {"output", required_argument, 0, 'O'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *db = NULL, *op = NULL, *format = "json", *output = NULL;
    struct impact_opts o = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'o': op = optarg; break;
        case 'f': format = optarg; break;
        case 'w': o.wave = optarg; break;
        case 'g': o.group = optarg; break;
        case 'c': o.currency = optarg; break;
        case 's': o.seed = strtoul(optarg, NULL, 10); break;
        case 'r': o.resamples = strtoul(optarg, NULL, 10); break;
        case 'F': o.suppress = 1; break;
        case 'O': output = optarg; break;
        case 'h': fputs(usage_report, stdout); return EXIT_OK;
        default: return cli_usage("impact report", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (!op)
        return cli_usage("impact report", "--operator NAME|ID|all is required");
    enum impact_format fmt = !strcmp(format, "json") ? IMPACT_JSON : !strcmp(format, "pdf") ? IMPACT_PDF
                             : !strcmp(format, "xlsx") ? IMPACT_XLSX : IMPACT_FORMAT_NONE;
    if (fmt == IMPACT_FORMAT_NONE)
        return cli_usage("impact report", "--format: expected json, pdf or xlsx, got '%s'", format);
    if (fmt != IMPACT_JSON && !output)
        return cli_usage("impact report", "--format %s writes a file: give --output FILE", format);
    if (o.resamples && (o.resamples < 100 || o.resamples > 100000))
        return cli_usage("impact report", "--resamples: expected 100 to 100000");
    if (codes_init() < 0)
        return EXIT_RUNTIME;
    struct store *st = cli_open_store("impact report", cli_db_path(db));
    if (!st)
        return EXIT_RUNTIME;
    struct tb_err err = {0};
    struct tb_actor a = actor_system();
    json_t *report = NULL;
    char *data = NULL;
    size_t len = 0;
    int rc = operator_id(st, op, &o.org_id, &err);
    if (rc == 0)
        rc = impact_measures(st, &a, &o, &report, &err);
    if (rc == 0)
        rc = impact_report_render(report, fmt, &data, &len, &err);
    store_close(st);
    json_decref(report);
    if (rc < 0)
        return cli_fail("impact report", &err);
    FILE *f = output ? fopen(output, "wb") : stdout;
    if (!f || fwrite(data, 1, len, f) != len || (output && fclose(f) != 0)) {
        fprintf(stderr, "tradebridge impact report: cannot write %s\n", output ? output : "the output");
        free(data);
        return EXIT_RUNTIME;
    }
    free(data);
    return EXIT_OK;
}

int cli_impact_remind_main(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'}, {"days", required_argument, 0, 'n'},
                                         {"public-url", required_argument, 0, 'u'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *url = getenv("TRADEBRIDGE_PUBLIC_URL");
    int days = 7, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'n': days = atoi(optarg); break;
        case 'u': url = optarg; break;
        case 'h': fputs(usage_remind, stdout); return EXIT_OK;
        default: return cli_usage("impact remind", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (days < 0 || days > 365)
        return cli_usage("impact remind", "--days: expected 0 to 365");
    struct store *st = cli_open_store("impact remind", cli_db_path(db));
    if (!st)
        return EXIT_RUNTIME;
    struct tb_err err = {0};
    struct tb_actor a = actor_system();
    int sent = 0, fresh = 0, skipped = 0;
    const char *base = url ? url : "http://localhost:8080";
    int rc = impact_survey_send_due(st, &a, base, &fresh, &skipped, &err);
    if (rc == 0)
        rc = impact_survey_remind(st, &a, days, base, &sent, &err);
    store_close(st);
    if (rc < 0)
        return cli_fail("impact remind", &err);
    printf("%d survey%s due sent (%d without an address on record), %d reminder%s queued\n", fresh,
           fresh == 1 ? "" : "s", skipped, sent, sent == 1 ? "" : "s");
    return EXIT_OK;
}

/* comparison-import (sales = 0) and baseline-import (sales = 1). */
static int csv_import_main(int argc, char **argv, int sales)
{
    const char *cmd = sales ? "impact baseline-import" : "impact comparison-import";
    static const struct option opts[] = {{"db", required_argument, 0, 'd'}, {"operator", required_argument, 0, 'o'},
                                         {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *db = NULL, *op = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'o': op = optarg; break;
        case 'h': fputs(sales ? usage_sales : usage_comparison, stdout); return EXIT_OK;
        default: return cli_usage(cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if ((!op && !sales) || optind != argc - 1)
        return cli_usage(cmd, sales ? "expected FILE.csv" : "expected FILE.csv and --operator NAME|ID");
    size_t len;
    char *text = cli_read_file(argv[optind], (size_t)64 << 20, &len);
    if (!text) {
        fprintf(stderr, "tradebridge %s: cannot read %s: %s\n", cmd, argv[optind], strerror(errno));
        return EXIT_RUNTIME;
    }
    if (codes_init() < 0) {
        free(text);
        return EXIT_RUNTIME;
    }
    validate_set_code_checker(codes_known);
    struct store *st = cli_open_store(cmd, cli_db_path(db));
    if (!st) {
        free(text);
        return EXIT_RUNTIME;
    }
    struct tb_err err = {0};
    struct tb_actor a = actor_system();
    int64_t org = 0;
    int n = 0;
    int rc = sales ? impact_sales_csv(st, &a, text, len, &n, &err) : operator_id(st, op, &org, &err);
    if (!sales && rc == 0 && org <= 0)
        rc = TB_INVALID(&err, "operator", "--operator: name one operator");
    if (!sales && rc == 0)
        rc = impact_comparison_csv(st, &a, org, text, len, &n, &err);
    store_close(st);
    free(text);
    if (rc < 0)
        return cli_fail(cmd, &err);
    printf(sales ? "%d export-sales row%s stored\n" : "%d comparison firm%s stored\n", n, n == 1 ? "" : "s");
    return EXIT_OK;
}

int cli_impact_comparison_main(int argc, char **argv)
{
    return csv_import_main(argc, argv, 0);
}

int cli_impact_baseline_main(int argc, char **argv)
{
    return csv_import_main(argc, argv, 1);
}
