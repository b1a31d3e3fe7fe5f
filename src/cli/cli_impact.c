/*
 * cli_impact.c - `tradebridge impact did|bootstrap FILE.csv ...`: the impact
 * estimators on files, for evaluators who want to reproduce a figure and for
 * checking the engine against other packages. Reads the CSV, turns its
 * columns into numbers (naming the line and column of anything that is not
 * one), calls the core and prints text or JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/csv_columns.h"
#include "core/impact/impact.h"

#define IMPACT_MAX_FILE (512UL << 20)

static const char usage_top[] =
    "usage: tradebridge impact did PANEL.csv --outcome COL [--unit COL] [--period COL]\n"
    "                              [--treated COL] [--post COL] [--json]\n"
    "       tradebridge impact bootstrap FILE.csv --column COL [--stat mean|median]\n"
    "                              [--ratio-to COL] [--resamples N] [--seed S] [--json]\n"
    "       tradebridge impact report --operator NAME|ID [--format json|pdf|xlsx] ...\n"
    "       tradebridge impact remind [--days N]\n"
    "       tradebridge impact baseline-import FILE.csv\n"
    "       tradebridge impact comparison-import FILE.csv --operator NAME|ID\n"
    "Each subcommand's --help tells more; docs/impact.md has the methods and conventions.\n";

static const char usage_did[] =
    "usage: tradebridge impact did PANEL.csv --outcome COL [--unit COL] [--period COL]\n"
    "                              [--treated COL] [--post COL] [--json]\n"
    "Difference-in-differences on a panel with one row per unit and period:\n"
    "y = a + b*treated + c*post + d*treated*post, estimated by least squares; d is the\n"
    "effect. Standard errors are clustered by unit (CR1, as Stata and statsmodels);\n"
    "p and the 95% interval use Student's t with (units - 1) degrees of freedom.\n"
    "  --outcome COL   the outcome column (required); empty cells are missing, not 0\n"
    "  --unit COL      the unit (firm) column, default 'unit'\n"
    "  --period COL    the period column, default 'period' (one row per unit and period)\n"
    "  --treated COL   1 for units that took part, 0 otherwise, default 'treated'\n"
    "  --post COL      1 for periods after the start, 0 before, default 'post'\n"
    "  --json          print JSON (with the means per period and group for a trends chart)\n"
    "Exit: 0 ok, 1 the data cannot give an estimate, 2 usage or malformed input.\n";

static const char usage_boot[] =
    "usage: tradebridge impact bootstrap FILE.csv --column COL [--stat mean|median]\n"
    "                              [--ratio-to COL] [--resamples N] [--seed S] [--json]\n"
    "A 95% interval by resampling the rows (units) with replacement: percentile and\n"
    "BCa (bias-corrected and accelerated). Same file and seed, same interval.\n"
    "  --column COL     the figure (required); empty cells are missing and skipped\n"
    "  --stat S         mean (default) or median\n"
    "  --ratio-to COL   the ratio sum(COL of --column)/sum(this column) instead, e.g.\n"
    "                   attributable export gain to programme cost\n"
    "  --resamples N    100 to 1000000, default 10000\n"
    "  --seed S         seed of the xoshiro256** generator, default 1\n"
    "  --json           print JSON\n"
    "Exit: 0 ok, 1 the data cannot give an estimate, 2 usage or malformed input.\n";

static int usage(const char *sub, const char *fmt, const char *arg)
{
    fprintf(stderr, "tradebridge impact%s%s: ", sub ? " " : "", sub ? sub : "");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (try 'tradebridge impact%s%s --help')\n", sub ? " " : "", sub ? sub : "");
    return EXIT_USAGE;
}

static int fail(const char *sub, const struct tb_err *e)
{
    fprintf(stderr, "tradebridge impact %s: %s\n", sub, e->message);
    return e->status >= 500 || !strcmp(e->code, "validation_failed") ? (e->status >= 500 ? EXIT_RUNTIME : EXIT_USAGE)
                                                                   : EXIT_RUNTIME;
}

/* "" is missing (*missing = 1); anything else must be a finite number. */
static int parse_number(const char *s, double *v, int *missing, const char *col, size_t line, struct tb_err *err)
{
    while (*s == ' ')
        s++;
    *missing = !*s || !strcmp(s, "NA");
    if (*missing)
        return 0;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || errno == ERANGE || !isfinite(*v))
        return TB_INVALID(err, col, "line %zu, column %s: '%s' is not a number", line, col, s);
    return 0;
}

static int parse_flag(const char *s, uint8_t *v, const char *col, size_t line, struct tb_err *err)
{
    static const char *const yes[] = {"1", "true", "yes", "TRUE", "True"};
    static const char *const no[] = {"0", "false", "no", "FALSE", "False"};
    for (size_t i = 0; i < 5; i++) {
        if (!strcmp(s, yes[i]))
            return *v = 1, 0;
        if (!strcmp(s, no[i]))
            return *v = 0, 0;
    }
    return TB_INVALID(err, col, "line %zu, column %s: expected 0 or 1, got '%s'", line, col, s);
}

static void print_json(json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    if (s)
        puts(s);
    free(s);
    json_decref(j);
}

/* ---- did ------------------------------------------------------------------ */

struct period_sum {
    double sum[2];
    size_t n[2];
};

/* (unit, period) of a row, to find a second row for the same pair by sorting. */
struct row_key {
    uint64_t key;
    uint32_t row;
};

static int cmp_row_key(const void *a, const void *b)
{
    const struct row_key *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* Index of `name` in `map` (GLib's hash table: well kept, already linked
 * through pango), adding it with the next index when new. */
static uint32_t intern(GHashTable *map, const char *name, uint32_t *count)
{
    gpointer v;
    if (g_hash_table_lookup_extended(map, name, NULL, &v))
        return (uint32_t)GPOINTER_TO_UINT(v);
    g_hash_table_insert(map, (gpointer)name, GUINT_TO_POINTER(*count));
    return (*count)++;
}

/* Periods in order: as numbers when both are (2019 < 2020, 9 < 10), else as text. */
struct period_rank {
    const char *name;
    uint32_t pi;
};

static int cmp_period(const void *a, const void *b)
{
    const struct period_rank *x = a, *y = b;
    char *ex, *ey;
    double vx = strtod(x->name, &ex), vy = strtod(y->name, &ey);
    if (ex != x->name && !*ex && ey != y->name && !*ey && vx != vy)
        return vx < vy ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Treated units whose first period with post = 1 differs (staggered
 * adoption): the pooled estimate can be biased, so each start period gets
 * its own estimate - its units against the units never treated, post = the
 * periods from that start on (the Callaway-Sant'Anna idea, without
 * weighting). NULL when every treated unit starts in the same period. */
static json_t *did_staggered(const struct did_obs *obs, const uint32_t *obs_period, size_t n, size_t clusters,
                             const uint32_t *cluster_unit, const uint8_t *unit_treated, const int32_t *unit_start,
                             const char **period_name, uint32_t nperiods, struct tb_err *err)
{
    struct period_rank *pr = malloc((nperiods + 1) * sizeof *pr);
    uint32_t *rank = malloc((nperiods + 1) * sizeof *rank);
    uint32_t *count = calloc(nperiods + 1, sizeof *count);
    uint8_t *keep = malloc(clusters + 1);
    struct did_obs *sub = malloc((n + 1) * sizeof *sub);
    json_t *out = NULL;
    if (!pr || !rank || !count || !keep || !sub) {
        TB_INTERNAL(err, "out of memory");
        goto done;
    }
    for (uint32_t i = 0; i < nperiods; i++)
        pr[i] = (struct period_rank){period_name[i], i};
    qsort(pr, nperiods, sizeof *pr, cmp_period);
    for (uint32_t i = 0; i < nperiods; i++)
        rank[pr[i].pi] = i;
    size_t never = 0, starts = 0;
    for (size_t c = 0; c < clusters; c++) {
        uint32_t ui = cluster_unit[c];
        if (!unit_treated[ui])
            never++;
        else if (unit_start[ui] >= 0 && count[rank[unit_start[ui]]]++ == 0)
            starts++;
    }
    out = json_object();
    if (starts < 2)
        goto done;
    json_t *list = json_array();
    GString *names = g_string_new(NULL);
    for (uint32_t r = 0; r < nperiods; r++) {
        if (!count[r])
            continue;
        for (size_t c = 0; c < clusters; c++) {
            uint32_t ui = cluster_unit[c];
            keep[c] = !unit_treated[ui] || (unit_start[ui] >= 0 && rank[unit_start[ui]] == r);
        }
        for (size_t i = 0; i < n; i++) {
            sub[i] = obs[i];
            sub[i].post = rank[obs_period[i]] >= r;
        }
        json_t *e = json_pack("{s:s, s:I, s:I}", "period", pr[r].name, "treated_units", (json_int_t)count[r],
                              "comparison_units", (json_int_t)never);
        struct did_result d;
        struct tb_err de = {0};
        if (impact_did_subset(sub, n, clusters, keep, &d, &de) == 0)
            json_object_update_new(e, json_pack("{s:f, s:f, s:f, s:[f,f]}", "estimate", d.estimate, "se", d.se, "p",
                                                d.p, "ci95", d.ci_low, d.ci_high));
        else
            json_object_update_new(e, json_pack("{s:n, s:s}", "estimate", "why", de.message));
        json_array_append_new(list, e);
        g_string_append_printf(names, "%s%s: %u unit%s", names->len ? ", " : "", pr[r].name, count[r],
                               count[r] == 1 ? "" : "s");
    }
    char *warning = g_strdup_printf(
        "treated units start in different periods (%s): a difference-in-differences estimate that pools them "
        "can be biased when the effect differs between start periods or changes over time (two-way fixed "
        "effects with staggered adoption); see the estimate per start period, each against the %zu units never "
        "treated",
        names->str, never);
    json_object_set_new(out, "warning", json_string(warning));
    json_object_set_new(out, "start_periods", list);
    g_free(warning);
    g_string_free(names, TRUE);
done:
    free(pr);
    free(rank);
    free(count);
    free(keep);
    free(sub);
    return out;
}

static int did_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"outcome", required_argument, NULL, 'o'}, {"unit", required_argument, NULL, 'u'},
        {"period", required_argument, NULL, 'p'},  {"treated", required_argument, NULL, 't'},
        {"post", required_argument, NULL, 'P'},    {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},          {0}};
    const char *cols[5] = {NULL, "unit", "period", "treated", "post"};   /* outcome first */
    int json_out = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'o': cols[0] = optarg; break;
        case 'u': cols[1] = optarg; break;
        case 'p': cols[2] = optarg; break;
        case 't': cols[3] = optarg; break;
        case 'P': cols[4] = optarg; break;
        case 'j': json_out = 1; break;
        case 'h': fputs(usage_did, stdout); return EXIT_OK;
        default: return usage("did", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return usage("did", "%s", optind < argc ? "expected one PANEL.csv" : "missing PANEL.csv");
    if (!cols[0])
        return usage("did", "%s", "--outcome COL is required");
    const char *path = argv[optind];
    size_t len;
    char *data = cli_read_file(path, IMPACT_MAX_FILE, &len);
    if (!data) {
        fprintf(stderr, "tradebridge impact did: cannot read %s: %s\n", path, strerror(errno));
        return EXIT_RUNTIME;
    }
    struct arena *a = cli_arena_new("impact", (size_t)4 << 30);
    struct tb_err err = {0};
    struct csv_columns t;
    GHashTable *units = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTable *periods = g_hash_table_new(g_str_hash, g_str_equal);
    struct did_obs *obs = NULL;
    struct period_sum *ps = NULL;
    struct row_key *keys = NULL;
    uint8_t *unit_treated = NULL;
    uint32_t *row_unit = NULL, *cluster_of = NULL;
    const char **period_name = NULL;
    uint32_t *obs_period = NULL, *cluster_unit = NULL;
    int32_t *unit_start = NULL;
    json_t *stag = NULL;
    int rc = EXIT_OK;
    if (!a) {
        TB_INTERNAL(&err, "out of memory");
        goto fail;
    }
    if (csv_columns_read(data, len, cols, 5, a, &t, &err) < 0)
        goto fail;
    if (t.nrows > UINT32_MAX) {
        TB_INVALID(&err, "file", "at most %u rows", UINT32_MAX);
        goto fail;
    }
    size_t rows = t.nrows ? t.nrows : 1;
    obs = malloc(rows * sizeof *obs);
    ps = calloc(rows, sizeof *ps);
    keys = malloc(rows * sizeof *keys);
    unit_treated = malloc(rows);
    row_unit = malloc(rows * sizeof *row_unit);
    cluster_of = malloc(rows * sizeof *cluster_of);
    period_name = malloc(rows * sizeof *period_name);
    obs_period = malloc(rows * sizeof *obs_period);
    cluster_unit = malloc(rows * sizeof *cluster_unit);
    unit_start = malloc(rows * sizeof *unit_start);
    if (!obs || !ps || !keys || !unit_treated || !row_unit || !cluster_of || !period_name || !obs_period ||
        !cluster_unit || !unit_start) {
        TB_INTERNAL(&err, "out of memory");
        goto fail;
    }
    uint32_t nunits = 0, nperiods = 0;
    size_t n = 0, missing = 0;
    for (size_t r = 0; r < t.nrows; r++) {
        size_t line = t.line[r];
        const char *unit = t.cell[1][r], *period = t.cell[2][r];
        if (!*unit || !*period) {
            TB_INVALID(&err, !*unit ? cols[1] : cols[2], "line %zu: the %s is empty", line, !*unit ? cols[1] : cols[2]);
            goto fail;
        }
        uint8_t treated, post;
        double y;
        int miss;
        if (parse_flag(t.cell[3][r], &treated, cols[3], line, &err) < 0 ||
            parse_flag(t.cell[4][r], &post, cols[4], line, &err) < 0 ||
            parse_number(t.cell[0][r], &y, &miss, cols[0], line, &err) < 0)
            goto fail;
        uint32_t before = nunits;
        uint32_t ui = intern(units, unit, &nunits);
        if (ui == before) {
            unit_treated[ui] = treated;
            unit_start[ui] = -1;
        } else if (unit_treated[ui] != treated) {
            TB_INVALID(&err, cols[3], "line %zu: unit '%s' is marked treated in some rows and not in others", line, unit);
            goto fail;
        }
        before = nperiods;
        uint32_t pi = intern(periods, period, &nperiods);
        if (pi == before)
            period_name[pi] = period;
        if (treated && post &&
            (unit_start[ui] < 0 || cmp_period(&(struct period_rank){period, 0},
                                              &(struct period_rank){period_name[unit_start[ui]], 0}) < 0))
            unit_start[ui] = (int32_t)pi;   /* the unit's first period after it started */
        keys[r] = (struct row_key){((uint64_t)ui << 32) | pi, (uint32_t)r};
        row_unit[r] = ui;
        if (miss) {
            missing++;
            continue;
        }
        ps[pi].sum[treated] += y;
        ps[pi].n[treated]++;
        obs_period[n] = pi;
        obs[n++] = (struct did_obs){.y = y, .cluster = ui, .treated = treated, .post = post};
    }
    qsort(keys, t.nrows, sizeof *keys, cmp_row_key);
    for (size_t i = 1; i < t.nrows; i++)
        if (keys[i].key == keys[i - 1].key) {
            uint32_t r = keys[i].row;
            TB_INVALID(&err, cols[2], "line %zu: a second row for unit '%s' in period '%s'", t.line[r], t.cell[1][r],
                       t.cell[2][r]);
            goto fail;
        }
    /* Clusters are the units with at least one outcome, numbered in order of appearance. */
    for (uint32_t i = 0; i < nunits; i++)
        cluster_of[i] = UINT32_MAX;
    size_t clusters = 0;
    for (size_t i = 0; i < n; i++) {
        if (cluster_of[obs[i].cluster] == UINT32_MAX) {
            cluster_unit[clusters] = obs[i].cluster;
            cluster_of[obs[i].cluster] = (uint32_t)clusters++;
        }
        obs[i].cluster = cluster_of[obs[i].cluster];
    }
    struct did_result res;
    if (impact_did(obs, n, clusters, &res, &err) < 0)
        goto fail;
    stag = did_staggered(obs, obs_period, n, clusters, cluster_unit, unit_treated, unit_start, period_name, nperiods,
                         &err);
    if (!stag)
        goto fail;

    if (json_out) {
        json_t *trend = json_array();
        for (uint32_t pi = 0; pi < nperiods; pi++) {
            struct period_sum *s = &ps[pi];
            json_array_append_new(trend, json_pack("{s:s, s:o, s:I, s:o, s:I}", "period", period_name[pi],
                "treated_mean", s->n[1] ? json_real(s->sum[1] / (double)s->n[1]) : json_null(), "treated_n",
                (json_int_t)s->n[1], "comparison_mean", s->n[0] ? json_real(s->sum[0] / (double)s->n[0]) : json_null(),
                "comparison_n", (json_int_t)s->n[0]));
        }
        json_t *doc = json_pack(
            "{s:s, s:s, s:f, s:f, s:f, s:f, s:i, s:[f,f], s:I, s:I, s:I, s:I, "
            "s:{s:{s:f,s:f}, s:{s:f,s:f}, s:{s:f,s:f}, s:{s:f,s:f}}, "
            "s:{s:{s:f,s:I}, s:{s:f,s:I}, s:{s:f,s:I}, s:{s:f,s:I}}, s:o}",
            "method", "2x2 difference-in-differences by OLS; standard errors clustered by unit (CR1); "
                      "p and interval from Student's t with units - 1 degrees of freedom",
            "outcome", cols[0], "estimate", res.estimate, "se", res.se, "t", res.t, "p", res.p, "df", res.df,
            "ci95", res.ci_low, res.ci_high, "units", (json_int_t)res.clusters, "observations", (json_int_t)res.obs,
            "rows", (json_int_t)t.nrows, "missing_outcome", (json_int_t)missing,
            "coefficients",
            "intercept", "estimate", res.coef[0], "se", res.coef_se[0],
            "treated", "estimate", res.coef[1], "se", res.coef_se[1],
            "post", "estimate", res.coef[2], "se", res.coef_se[2],
            "treated_post", "estimate", res.coef[3], "se", res.coef_se[3],
            "cells",
            "treated_pre", "mean", res.cell_mean[1][0], "n", (json_int_t)res.cell_n[1][0],
            "treated_post", "mean", res.cell_mean[1][1], "n", (json_int_t)res.cell_n[1][1],
            "comparison_pre", "mean", res.cell_mean[0][0], "n", (json_int_t)res.cell_n[0][0],
            "comparison_post", "mean", res.cell_mean[0][1], "n", (json_int_t)res.cell_n[0][1],
            "trends", trend);
        if (json_object_size(stag))
            json_object_set(doc, "staggered", stag);
        print_json(doc);
    } else {
        printf("difference-in-differences of %s (OLS, standard errors clustered by unit, CR1)\n", cols[0]);
        printf("estimate      %.6g\n", res.estimate);
        printf("std. error    %.6g\n", res.se);
        printf("t             %.4f\n", res.t);
        printf("p             %.4g  (Student's t, %d df = units - 1)\n", res.p, res.df);
        printf("95%% interval  %.6g to %.6g\n", res.ci_low, res.ci_high);
        printf("units         %zu\n", res.clusters);
        printf("observations  %zu", res.obs);
        if (missing)
            printf("  (%zu rows without %s left out, not counted as 0)", missing, cols[0]);
        printf("\nmeans         treated %.6g before, %.6g after; comparison %.6g before, %.6g after\n",
               res.cell_mean[1][0], res.cell_mean[1][1], res.cell_mean[0][0], res.cell_mean[0][1]);
        if (json_object_size(stag)) {
            printf("warning       %s\n", json_string_value(json_object_get(stag, "warning")));
            size_t i;
            json_t *e;
            json_array_foreach(json_object_get(stag, "start_periods"), i, e) {
                const json_t *est = json_object_get(e, "estimate");
                printf("  from %-8s %lld treated: ", json_string_value(json_object_get(e, "period")),
                       (long long)json_integer_value(json_object_get(e, "treated_units")));
                if (json_is_number(est))
                    printf("estimate %.6g, std. error %.6g, 95%% interval %.6g to %.6g\n", json_number_value(est),
                           json_number_value(json_object_get(e, "se")),
                           json_number_value(json_array_get(json_object_get(e, "ci95"), 0)),
                           json_number_value(json_array_get(json_object_get(e, "ci95"), 1)));
                else
                    printf("no estimate (%s)\n", json_string_value(json_object_get(e, "why")));
            }
        }
    }
    goto done;
fail:
    rc = fail("did", &err);
done:
    free(obs);
    free(ps);
    free(keys);
    free(unit_treated);
    free(row_unit);
    free(cluster_of);
    free(period_name);
    free(obs_period);
    free(cluster_unit);
    free(unit_start);
    json_decref(stag);
    g_hash_table_destroy(units);
    g_hash_table_destroy(periods);
    arena_free(a);
    free(data);
    return rc;
}

/* ---- bootstrap ------------------------------------------------------------ */

static int parse_ulong(const char *s, unsigned long *v)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-')
        return -1;
    *v = strtoul(s, &end, 10);
    return *end || errno ? -1 : 0;
}

static int bootstrap_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"column", required_argument, NULL, 'c'}, {"stat", required_argument, NULL, 's'},
        {"ratio-to", required_argument, NULL, 'r'}, {"resamples", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 'S'},   {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},         {0}};
    const char *column = NULL, *ratio_to = NULL, *stat_name = "mean";
    unsigned long resamples = 10000, seed = 1;
    int json_out = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': column = optarg; break;
        case 's': stat_name = optarg; break;
        case 'r': ratio_to = optarg; break;
        case 'n':
            if (parse_ulong(optarg, &resamples) < 0 || resamples < 100 || resamples > 1000000)
                return usage("bootstrap", "--resamples: expected 100 to 1000000, got '%s'", optarg);
            break;
        case 'S':
            if (parse_ulong(optarg, &seed) < 0)
                return usage("bootstrap", "--seed: expected a non-negative integer, got '%s'", optarg);
            break;
        case 'j': json_out = 1; break;
        case 'h': fputs(usage_boot, stdout); return EXIT_OK;
        default: return usage("bootstrap", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return usage("bootstrap", "%s", optind < argc ? "expected one FILE.csv" : "missing FILE.csv");
    if (!column)
        return usage("bootstrap", "%s", "--column COL is required");
    enum boot_stat stat;
    if (!strcmp(stat_name, "mean"))
        stat = ratio_to ? BOOT_RATIO : BOOT_MEAN;
    else if (!strcmp(stat_name, "median"))
        stat = BOOT_MEDIAN;
    else
        return usage("bootstrap", "--stat: expected mean or median, got '%s'", stat_name);
    if (ratio_to && stat == BOOT_MEDIAN)
        return usage("bootstrap", "%s", "--ratio-to takes the ratio of sums; it does not go with --stat median");

    const char *path = argv[optind];
    size_t len;
    char *data = cli_read_file(path, IMPACT_MAX_FILE, &len);
    if (!data) {
        fprintf(stderr, "tradebridge impact bootstrap: cannot read %s: %s\n", path, strerror(errno));
        return EXIT_RUNTIME;
    }
    struct arena *a = cli_arena_new("impact", (size_t)4 << 30);
    struct tb_err err = {0};
    struct csv_columns t;
    const char *names[2] = {column, ratio_to};
    double *x = NULL, *d = NULL;
    int rc = EXIT_OK;
    if (!a) {
        TB_INTERNAL(&err, "out of memory");
        goto fail;
    }
    if (csv_columns_read(data, len, names, ratio_to ? 2 : 1, a, &t, &err) < 0)
        goto fail;
    x = malloc((t.nrows ? t.nrows : 1) * sizeof *x);
    d = malloc((t.nrows ? t.nrows : 1) * sizeof *d);
    if (!x || !d) {
        TB_INTERNAL(&err, "out of memory");
        goto fail;
    }
    size_t n = 0, missing = 0;
    for (size_t r = 0; r < t.nrows; r++) {
        int m1 = 0, m2 = 0;
        if (parse_number(t.cell[0][r], &x[n], &m1, column, t.line[r], &err) < 0 ||
            (ratio_to && parse_number(t.cell[1][r], &d[n], &m2, ratio_to, t.line[r], &err) < 0))
            goto fail;
        if (m1 || m2)
            missing++;
        else
            n++;
    }
    struct boot_result res;
    if (impact_bootstrap(x, ratio_to ? d : NULL, n, stat, resamples, seed, &res, &err) < 0)
        goto fail;
    const char *what = stat == BOOT_RATIO ? "ratio of sums" : stat_name;
    if (json_out) {
        print_json(json_pack("{s:s, s:s, s:s?, s:f, s:{s:[f,f], s:[f,f]}, s:f, s:f, s:f, s:I, s:I, s:I, s:I, s:s}",
            "statistic", what, "column", column, "ratio_to", ratio_to, "estimate", res.estimate,
            "ci95", "percentile", res.pct_low, res.pct_high, "bca", res.bca_low, res.bca_high,
            "bootstrap_se", res.boot_se, "z0", res.z0, "acceleration", res.accel,
            "n", (json_int_t)res.n, "missing", (json_int_t)missing, "resamples", (json_int_t)res.resamples,
            "seed", (json_int_t)res.seed, "generator", "xoshiro256** seeded by splitmix64, indices by Lemire multiply-and-shift on its 32-bit words"));
    } else {
        if (ratio_to)
            printf("ratio of sums %s / %s: %.6g", column, ratio_to, res.estimate);
        else
            printf("%s of %s: %.6g", stat_name, column, res.estimate);
        printf("  (n = %zu", res.n);
        if (missing)
            printf(", %zu rows with an empty cell left out, not counted as 0", missing);
        printf(")\n95%% interval, BCa:        %.6g to %.6g\n", res.bca_low, res.bca_high);
        printf("95%% interval, percentile: %.6g to %.6g\n", res.pct_low, res.pct_high);
        printf("%lu resamples of the rows, seed %lu (xoshiro256**)\n", res.resamples, res.seed);
    }
    goto done;
fail:
    rc = fail("bootstrap", &err);
done:
    free(x);
    free(d);
    arena_free(a);
    free(data);
    return rc;
}

int cli_impact_main(int argc, char **argv)
{
    if (argc < 2)
        return usage(NULL, "%s", "expected did, bootstrap, report, remind, baseline-import or comparison-import");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_top, stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "did"))
        return did_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "bootstrap"))
        return bootstrap_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "report"))
        return cli_impact_report_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "remind"))
        return cli_impact_remind_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "comparison-import"))
        return cli_impact_comparison_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "baseline-import"))
        return cli_impact_baseline_main(argc - 1, argv + 1);
    return usage(NULL, "unknown subcommand '%s': expected did, bootstrap, report, remind, baseline-import or comparison-import", argv[1]);
}
