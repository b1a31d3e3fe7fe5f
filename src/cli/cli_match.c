/*
 * cli_match.c - `tradebridge match assign|stable FILE ...`: batch front end of
 * the matching engine. The only part of it that does I/O: reads FILE (or stdin,
 * gzip or plain, through zlib), hands the bytes to the core parser and solver,
 * prints pairs or a JSON summary, and maps errors to exit codes 0/1/2.
 */
#include <errno.h>
#include <jansson.h>
#include <sys/resource.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/match/assign.h"
#include "core/match/parse.h"
#include "core/match/stable.h"
#include "core/match_run.h"

static const char usage_top[] =
    "usage: tradebridge match assign FILE [--mode full|partial|maxcard] [--threshold N] [--json]\n"
    "       tradebridge match stable FILE [--proposing candidates|positions]\n"
    "                                     [--tie-break id|lottery:SEED] [--explain ID] [--json]\n"
    "       tradebridge match run FILE.json [--summary]\n"
    "FILE may be '-' for stdin and may be gzip-compressed. See docs/matching.md.\n";

static const char usage_run[] =
    "usage: tradebridge match run FILE.json [--summary]\n"
    "A whole match run (what POST /api/v1/match-runs computes) on a JSON input:\n"
    "{engine, options {source: applications|pool, mode, ...}, weights, graduates, positions,\n"
    " companies, applications, constraints}. Prints the result JSON, or with --summary\n"
    "its summary with parse_seconds, compute_seconds (wall), compute_cpu_seconds and max_rss_kb.\n"
    "Exit: 0 ok, 1 runtime error, 2 usage or malformed input.\n";

static const char usage_assign[] =
    "usage: tradebridge match assign FILE [--mode full|partial|maxcard] [--threshold N] [--json]\n"
    "Optimal assignment of a dense, sparse or OR-Library file (exact on integers).\n"
    "  --mode full      every row of the smaller side assigned, else exit 1 (default)\n"
    "  --mode partial   pairs are made only where they improve the total\n"
    "  --mode maxcard   as many pairs as possible, then the best total\n"
    "  --threshold N    forbid pairs worse than N (below N when maximising, above when minimising)\n"
    "  --json           print a JSON summary instead of 'row col' lines and the total\n"
    "Output: one 'row col' line per row ('row -' when unassigned), then 'total T'.\n"
    "Exit: 0 ok, 1 infeasible or runtime error, 2 usage or malformed input.\n";

static const char usage_stable[] =
    "usage: tradebridge match stable FILE [--proposing candidates|positions]\n"
    "                                     [--tie-break id|lottery:SEED] [--explain ID] [--json]\n"
    "Stable matching (deferred acceptance) of an 'hr' file with capacities.\n"
    "  --proposing S    candidates (default: best for graduates) or positions\n"
    "  --tie-break R    id (lower id first, default) or lottery:SEED (seeded draw)\n"
    "  --explain ID     print why candidate ID is where it is, instead of the pairs\n"
    "  --json           print a JSON summary (with the explanation when asked)\n"
    "Output: one 'candidate position' line per candidate ('candidate -' when unmatched),\n"
    "then 'matched M unmatched U blocking_pairs B'.\n"
    "Exit: 0 ok, 1 runtime error, 2 usage or malformed input.\n";

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "match: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see --help)\n");
    return 2;
}

/* Whole file (gzip or plain) into a malloc'd buffer; "-" = stdin. */
static char *read_input(const char *path, size_t *len_out)
{
    gzFile gz;
    if (strcmp(path, "-") == 0) {
        int fd = dup(0);
        gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
    } else {
        gz = gzopen(path, "rb");
    }
    if (!gz) {
        fprintf(stderr, "match: cannot open %s: %s\n", path, errno ? strerror(errno) : "error");
        *len_out = 0;
        return NULL;
    }
    gzbuffer(gz, 1 << 17);
    *len_out = 1;
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            break;
        if (cap - len < (1 << 16)) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        int n = gzread(gz, buf + len, (unsigned)(cap - len - 1));
        if (n < 0) {
            int e;
            fprintf(stderr, "match: cannot read %s: %s\n", path, gzerror(gz, &e));
            free(buf);
            buf = NULL;
            break;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    gzclose(gz);
    if (buf) {
        buf[len] = '\0';
        *len_out = len;
    } else if (errno == ENOMEM) {
        fprintf(stderr, "match: out of memory reading %s\n", path);
    }
    return buf;
}

static void print_scaled(FILE *f, int64_t v, int scale)
{
    if (scale == 0) {
        fprintf(f, "%" PRId64, v);
        return;
    }
    int64_t p = 1;
    for (int k = 0; k < scale; k++)
        p *= 10;
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    fprintf(f, "%s%" PRIu64 ".%0*" PRIu64, v < 0 ? "-" : "", a / (uint64_t)p, scale,
            a % (uint64_t)p);
}

static void put_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static const char *format_name(enum tb_match_format f)
{
    switch (f) {
    case TB_FMT_DENSE: return "dense";
    case TB_FMT_SPARSE: return "sparse";
    case TB_FMT_ORLIB_DENSE: return "orlib-dense";
    case TB_FMT_ORLIB_SPARSE: return "orlib-sparse";
    case TB_FMT_HR: return "hr";
    }
    return "?";
}

/* Runtime errors exit 1; problems with the input itself exit 2. */
static int fail(const struct tb_err *e)
{
    fprintf(stderr, "match: %s\n", e->message);
    return (e->status == 400 && strcmp(e->code, "infeasible") != 0) ? 2 : 1;
}

struct opts {
    const char *file;
    int json;
    enum tb_assign_mode mode;
    int has_threshold;
    const char *threshold;
    struct tb_stable_options st;
    const char *tie;
    int64_t explain;
};

static int parse_args(int argc, char **argv, int stable, struct opts *o)
{
    memset(o, 0, sizeof *o);
    o->explain = -1;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (!stable && strcmp(a, "--mode") == 0) {
            if (!val)
                return usage_error("%s needs a value", a);
            if (strcmp(val, "full") == 0)
                o->mode = TB_ASSIGN_FULL;
            else if (strcmp(val, "partial") == 0)
                o->mode = TB_ASSIGN_PARTIAL;
            else if (strcmp(val, "maxcard") == 0)
                o->mode = TB_ASSIGN_MAXCARD;
            else
                return usage_error("--mode must be full, partial or maxcard, not '%s'", val);
            i++;
        } else if (!stable && strcmp(a, "--threshold") == 0) {
            if (!val)
                return usage_error("%s needs a value", a);
            o->has_threshold = 1;
            o->threshold = val;
            i++;
        } else if (stable && strcmp(a, "--proposing") == 0) {
            if (!val)
                return usage_error("%s needs a value", a);
            if (strcmp(val, "candidates") == 0)
                o->st.proposer = TB_STABLE_CANDIDATES;
            else if (strcmp(val, "positions") == 0)
                o->st.proposer = TB_STABLE_POSITIONS;
            else
                return usage_error("--proposing must be candidates or positions, not '%s'", val);
            i++;
        } else if (stable && strcmp(a, "--tie-break") == 0) {
            if (!val)
                return usage_error("%s needs a value", a);
            o->tie = val;
            if (strcmp(val, "id") == 0) {
                o->st.tie_rule = TB_TIE_BY_ID;
            } else if (strncmp(val, "lottery:", 8) == 0 && val[8]) {
                char *end;
                errno = 0;
                unsigned long long seed = strtoull(val + 8, &end, 10);
                if (*end || errno || val[8] == '-')
                    return usage_error("bad lottery seed in '%s'", val);
                o->st.tie_rule = TB_TIE_LOTTERY;
                o->st.seed = seed;
            } else {
                return usage_error("--tie-break must be id or lottery:SEED, not '%s'", val);
            }
            i++;
        } else if (stable && strcmp(a, "--explain") == 0) {
            if (!val)
                return usage_error("%s needs a value", a);
            char *end;
            errno = 0;
            long long id = strtoll(val, &end, 10);
            if (*end || errno || id < 0 || !*val)
                return usage_error("--explain needs a candidate id, not '%s'", val);
            o->explain = id;
            i++;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (o->file) {
            return usage_error("more than one input file ('%s')", a);
        } else {
            o->file = a;
        }
    }
    if (!o->file)
        return usage_error("%s", "missing input FILE");
    return 0;
}

static int run_assign(struct opts *o)
{
    double t0 = now_seconds();
    size_t len;
    char *buf = read_input(o->file, &len);
    if (!buf)
        return len == 0 ? 2 : 1;   /* cannot open: a usage error */
    struct arena *a = arena_new(0);
    struct tb_err err = { 0 };
    struct tb_match_input in;
    int rc = tb_match_parse(buf, len, a, &in, &err);
    free(buf);
    if (rc == 0 && in.format == TB_FMT_HR) {
        fprintf(stderr, "match: an 'hr' file is for 'match stable', not 'match assign'\n");
        arena_free(a);
        return 2;
    }
    if (rc < 0) {
        rc = fail(&err);
        arena_free(a);
        return rc;
    }
    struct tb_assign_problem p = in.assign;
    p.mode = o->mode;
    if (o->has_threshold) {
        int64_t micro;
        if (tb_match_parse_decimal(o->threshold, &micro) < 0) {
            arena_free(a);
            return usage_error("--threshold needs a number, not '%s'", o->threshold);
        }
        /* Bring the threshold to the values' scale, rounding towards the
         * side that keeps the comparison exact on the scaled integers. */
        int64_t div = 1;
        for (int k = in.scale; k < 6; k++)
            div *= 10;
        int64_t q = micro / div, rem = micro % div;
        if (rem != 0) {
            if (!in.is_float) {
                arena_free(a);
                return usage_error("--threshold must be an integer for int files, not '%s'",
                                   o->threshold);
            }
            if (p.sense == TB_ASSIGN_MAX && rem > 0)
                q++;
            if (p.sense == TB_ASSIGN_MIN && rem < 0)
                q--;
        }
        p.has_threshold = 1;
        p.threshold = q;
    }
    double t1 = now_seconds();
    struct tb_assign_result r;
    rc = tb_assign_solve(&p, a, &r, &err);
    double t2 = now_seconds();
    if (rc < 0) {
        rc = fail(&err);
        arena_free(a);
        return rc;
    }
    if (o->json) {
        printf("{\"format\":\"%s\",\"mode\":\"%s\",\"sense\":\"%s\",\"rows\":%d,\"cols\":%d,"
               "\"total\":",
               format_name(in.format), tb_assign_mode_name(p.mode),
               p.sense == TB_ASSIGN_MAX ? "max" : "min", p.rows, p.cols);
        print_scaled(stdout, r.total, in.scale);
        printf(",\"assigned\":%d,\"unassigned\":%d,\"parse_seconds\":%.6f,"
               "\"solve_seconds\":%.6f,\"seconds\":%.6f,\"sap_rows\":%" PRId64 ",\"scans\":%" PRId64 ",\"assignment\":[",
               r.assigned, p.rows - r.assigned, t1 - t0, t2 - t1, now_seconds() - t0,
               r.sap_rows, r.scans);
        for (int32_t i = 0; i < p.rows; i++)
            printf(i ? ",%d" : "%d", r.row_to_col[i]);
        printf("]}\n");
    } else {
        for (int32_t i = 0; i < p.rows; i++) {
            if (r.row_to_col[i] >= 0)
                printf("%d %d\n", i, r.row_to_col[i]);
            else
                printf("%d -\n", i);
        }
        printf("total ");
        print_scaled(stdout, r.total, in.scale);
        printf("\n");
    }
    arena_free(a);
    return fflush(stdout) == 0 ? 0 : 1;
}

static const char *kind_name(enum tb_explain_kind k)
{
    switch (k) {
    case TB_EXPLAIN_MATCHED: return "matched";
    case TB_EXPLAIN_NOT_LISTED: return "not_listed";
    case TB_EXPLAIN_NO_PLACES: return "no_places";
    case TB_EXPLAIN_FILLED_HIGHER: return "filled_higher";
    case TB_EXPLAIN_LOST_TIE: return "lost_tie";
    case TB_EXPLAIN_NO_LIST: return "no_list";
    }
    return "?";
}

static void print_explanation_json(const struct tb_explanation *x, const char *text)
{
    printf("{\"candidate\":%d,\"matched_position\":%d,\"matched_choice\":%d,\"items\":[",
           x->candidate, x->matched_position, x->matched_choice);
    for (int32_t k = 0; k < x->n_items; k++) {
        const struct tb_explain_item *it = &x->items[k];
        printf("%s{\"kind\":\"%s\",\"position\":%d,\"choice\":%d,\"rank_there\":%d,"
               "\"capacity\":%d,\"worst_admitted_rank\":%d,\"tie_with\":%d,\"filled_by\":[",
               k ? "," : "", kind_name(it->kind), it->position, it->choice, it->rank_there,
               it->capacity, it->worst_admitted_rank, it->tie_with);
        for (int32_t m = 0; m < it->n_filled; m++)
            printf(m ? ",%d" : "%d", it->filled_by[m]);
        printf("]}");
    }
    printf("],\"text\":");
    put_json_str(stdout, text);
    printf("}");
}

static int run_stable(struct opts *o)
{
    double t0 = now_seconds();
    size_t len;
    char *buf = read_input(o->file, &len);
    if (!buf)
        return len == 0 ? 2 : 1;   /* cannot open: a usage error */
    struct arena *a = arena_new(0);
    struct tb_err err = { 0 };
    struct tb_match_input in;
    int rc = tb_match_parse(buf, len, a, &in, &err);
    free(buf);
    if (rc == 0 && in.format != TB_FMT_HR) {
        fprintf(stderr, "match: 'match stable' needs an 'hr' file, got %s\n",
                format_name(in.format));
        arena_free(a);
        return 2;
    }
    if (rc < 0) {
        rc = fail(&err);
        arena_free(a);
        return rc;
    }
    if (o->explain >= in.hr.n_cand) {
        fprintf(stderr, "match: --explain %" PRId64 ": no such candidate (0..%d)\n", o->explain,
                in.hr.n_cand - 1);
        arena_free(a);
        return 2;
    }
    double t1 = now_seconds();
    struct tb_stable_result r;
    rc = tb_stable_solve(&in.hr, &o->st, a, &r, &err);
    double t2 = now_seconds();
    if (rc < 0) {
        rc = fail(&err);
        arena_free(a);
        return rc;
    }
    struct tb_explanation x;
    struct abuf text;
    abuf_init(&text, a, 1 << 20);
    if (o->explain >= 0) {
        if (tb_stable_explain(&in.hr, &r, (int32_t)o->explain, a, &x, &err) < 0 ||
            tb_explain_render(&x, NULL, &text) < 0) {
            rc = fail(&err);
            arena_free(a);
            return rc;
        }
    }
    const char *tie = o->st.tie_rule == TB_TIE_LOTTERY ? o->tie : "id";
    if (o->json) {
        printf("{\"format\":\"hr\",\"candidates\":%d,\"positions\":%d,\"proposing\":\"%s\","
               "\"tie_break\":",
               in.hr.n_cand, in.hr.n_pos,
               o->st.proposer == TB_STABLE_POSITIONS ? "positions" : "candidates");
        put_json_str(stdout, tie);
        printf(",\"matched\":%d,\"unmatched\":%d,\"blocking_pairs\":%" PRId64
               ",\"proposals\":%" PRId64 ",\"parse_seconds\":%.6f,\"solve_seconds\":%.6f,"
               "\"seconds\":%.6f",
               r.matched, in.hr.n_cand - r.matched, r.blocking_pairs, r.proposals, t1 - t0,
               t2 - t1, now_seconds() - t0);
        if (o->explain >= 0) {
            printf(",\"explanation\":");
            print_explanation_json(&x, abuf_cstr(&text));
        }
        printf(",\"match\":[");
        for (int32_t c = 0; c < in.hr.n_cand; c++)
            printf(c ? ",%d" : "%d", r.cand_pos[c]);
        printf("]}\n");
    } else if (o->explain >= 0) {
        fputs(abuf_cstr(&text), stdout);
    } else {
        for (int32_t c = 0; c < in.hr.n_cand; c++) {
            if (r.cand_pos[c] >= 0)
                printf("%d %d\n", c, r.cand_pos[c]);
            else
                printf("%d -\n", c);
        }
        printf("matched %d unmatched %d blocking_pairs %" PRId64 "\n", r.matched,
               in.hr.n_cand - r.matched, r.blocking_pairs);
    }
    arena_free(a);
    return fflush(stdout) == 0 ? 0 : 1;
}

/* CPU time of this process: on a shared machine wall time also counts the
 * time other processes held the cores. */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_run(int argc, char **argv)
{
    const char *file = NULL;
    int summary_only = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--summary") == 0)
            summary_only = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return usage_error("unknown option '%s'", argv[i]);
        else if (!file)
            file = argv[i];
        else
            return usage_error("unexpected argument '%s'", argv[i]);
    }
    if (!file)
        return usage_error("%s", "run: FILE.json missing");
    double t0 = now_seconds();
    size_t len;
    char *text = read_input(file, &len);
    if (!text)
        return 2;
    json_error_t je;
    json_t *in = json_loadb(text, len, 0, &je);
    free(text);
    if (!in) {
        fprintf(stderr, "match: line %d: %s\n", je.line, je.text);
        return 2;
    }
    double t1 = now_seconds(), c1 = cpu_seconds();
    json_t *out;
    struct tb_err err;
    int rc = match_run_compute(in, &out, &err);
    double t2 = now_seconds(), c2 = cpu_seconds();
    json_decref(in);
    if (rc < 0)
        return fail(&err);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (summary_only) {
        json_t *s = json_deep_copy(json_object_get(out, "summary"));
        json_object_set_new(s, "parse_seconds", json_real(t1 - t0));
        json_object_set_new(s, "compute_seconds", json_real(t2 - t1));
        json_object_set_new(s, "compute_cpu_seconds", json_real(c2 - c1));
        json_object_set_new(s, "max_rss_kb", json_integer(ru.ru_maxrss));
        json_decref(out);
        out = s;
    }
    rc = json_dumpf(out, stdout, JSON_COMPACT) == 0 && fputc('\n', stdout) != EOF ? 0 : 1;
    json_decref(out);
    return fflush(stdout) == 0 ? rc : 1;
}

int cli_match_main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_top, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "run") == 0) {
        for (int i = 2; i < argc; i++)
            if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
                fputs(usage_run, stdout);
                return 0;
            }
        return run_run(argc, argv);
    }
    int stable;
    if (strcmp(argv[1], "assign") == 0)
        stable = 0;
    else if (strcmp(argv[1], "stable") == 0)
        stable = 1;
    else
        return usage_error("unknown subcommand '%s': use assign, stable or run", argv[1]);
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(stable ? usage_stable : usage_assign, stdout);
            return 0;
        }
    struct opts o;
    if (parse_args(argc, argv, stable, &o) != 0)
        return 2;
    return stable ? run_stable(&o) : run_assign(&o);
}
