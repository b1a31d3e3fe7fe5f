/*
 * bench_rank.c - ranking latency over a stored year: R rankings of all
 * markets with every indicator for random (home, HS6) pairs where the home
 * country exports the product; prints p50/p99/max wall and CPU time per pass.
 *   rank     the year mapped and the distance/World Bank tables read once,
 *            then trade_rank: the same computation as duck.mjs's query (which
 *            leaves out distance, GDP, CAGR, unit value and the explanations);
 *   warm     the same, then write the JSON body as the API does (the envelope
 *            through jansson, the markets by trade_markets_text), against
 *            DuckDB's query with JSON.stringify of its rows;
 *   request  what GET /api/v1/trade/rank does per request today (h_trade.c):
 *            list and map the year files, read geo/wdi, rank, render, unmap.
 * Each pass runs back to back (the next ranking starts when the last ends,
 * a process that never sleeps) and paced (a TB_BENCH_GAP_US pause, default
 * 2000 us, before each ranking: requests arriving at a server; duck.mjs
 * paces its queries the same way). For every pass it says where the wall
 * time beyond CPU time went: rankings preempted (involuntary context switches,
 * i.e. waiting for a core another process holds) and page faults.
 * With a range of years (2018-2022) every ranking pools them (averages, CAGR).
 * usage: bench_rank DB YEAR|Y1-Y2 [R]
 *        bench_rank DB YEAR serve     (jobs on stdin: duck.mjs, interleaved with DuckDB's)
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include <jansson.h>

#include "core/trade/rank.h"
#include "core/trade/trade.h"
#include "store/trade_files.h"

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
#define now_s() clock_s(CLOCK_MONOTONIC)
#define cpu_s() clock_s(CLOCK_THREAD_CPUTIME_ID)

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct sample {
    double ms, cpu, json;   /* json: CPU time of building and printing the body */
    long minflt, majflt, ivcsw;
};

static void report(const char *what, double *ms, double *cpu, const struct sample *sm, int n, long rows)
{
    long pre = 0, maj = 0, minf = 0;
    double wait = 0, total = 0, json = 0;
    for (int i = 0; i < n; i++) {
        pre += sm[i].ivcsw > 0;
        maj += sm[i].majflt;
        minf += sm[i].minflt;
        total += sm[i].ms;
        json += sm[i].json;
        if (sm[i].ivcsw > 0)
            wait += sm[i].ms - sm[i].cpu;
        ms[i] = sm[i].ms;
        cpu[i] = sm[i].cpu;
    }
    qsort(ms, (size_t)n, sizeof *ms, cmp_d);
    qsort(cpu, (size_t)n, sizeof *cpu, cmp_d);
    printf("rank %s: %d rankings, %ld market rows, min %.2f ms, p50 %.2f ms, p99 %.2f ms, max %.2f ms; "
           "CPU p50 %.3f ms, CPU p99 %.3f ms\n", what, n, rows, ms[0], ms[n / 2], ms[(int)(n * 0.99)], ms[n - 1],
           cpu[n / 2], cpu[(int)(n * 0.99)]);
    printf("  where the wall time went: %ld of %d rankings preempted, waiting %.1f ms of %.1f ms in all; "
           "%ld major and %.1f minor page faults per ranking; JSON body %.2f ms CPU per ranking\n", pre, n, wait,
           total, maj, (double)minf / n, json / n);
}

/* One ranking of every market of (home, hs6) on `use`, with the API's JSON
 * body when `json`; *json_ms: the CPU time of the body. 0, or -1. */
static int one_ranking(const struct trade_set *use, const char *home, uint32_t hs6, int json, struct arena *a,
                       long *rows, double *json_ms)
{
    struct tb_err err = {0};
    struct trade_range one = {hs6, hs6};
    struct trade_query q = {.years = use->y, .n_years = use->n, .home = home,
                            .ranges = &one, .n_ranges = 1, .geo = &use->geo, .wdi = &use->wdi};
    trade_weights_default(&q.weights);
    struct trade_result res;
    if (trade_rank(&q, a, &res, &err) < 0) {
        fprintf(stderr, "bench_rank: %s\n", err.message);
        return -1;
    }
    *rows += res.n;
    double cj = cpu_s();
    if (json) {
        char product[8];
        snprintf(product, sizeof product, "%06u", (unsigned)hs6);
        json_t *body = trade_result_json(&res, product, use->y[0]->revision, 0);   /* as h_trade.c answers */
        json_object_del(body, "markets");
        char *text = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
        struct abuf mt;
        abuf_init(&mt, a, SIZE_MAX / 4);
        int rc = trade_markets_text(&res, -1, &mt);
        json_decref(body);
        free(text);
        if (rc < 0)
            return -1;
    }
    *json_ms = (cpu_s() - cj) * 1000;
    return 0;
}

/* Serve mode (duck.mjs interleaved): one job a line on stdin, "CODE HS6 JSON"
 * (BACI country code, 0/1), answered with "WALL_MS CPU_MS PREEMPTED" on stdout;
 * the process sleeps on its pipe between jobs, like a server between requests. */
static int serve(const struct trade_set *warm)
{
    const struct trade_year *y = warm->y[warm->n - 1];
    struct arena *a = arena_new(0);
    int code, json;
    unsigned hs6;
    long rows = 0;
    while (scanf("%d %u %d", &code, &hs6, &json) == 3) {
        const char *home = "";
        for (uint32_t c = 0; c < y->n_countries; c++)
            if (y->countries[c].code == code)
                home = y->countries[c].iso3;
        struct rusage u0, u1;
        double jm;
        getrusage(RUSAGE_THREAD, &u0);
        double t0 = now_s(), c0 = cpu_s();
        if (one_ranking(warm, home, hs6, json, a, &rows, &jm) < 0)
            return 1;
        double ms = (now_s() - t0) * 1000, cpu = (cpu_s() - c0) * 1000;
        getrusage(RUSAGE_THREAD, &u1);
        printf("%.4f %.4f %ld\n", ms, cpu, u1.ru_nivcsw - u0.ru_nivcsw);
        fflush(stdout);
        arena_reset(a);
    }
    arena_free(a);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_rank DB YEAR|Y1-Y2 [R|serve]\n");
        return 2;
    }
    int serving = argc > 3 && !strcmp(argv[3], "serve");
    int R = argc > 3 && !serving ? atoi(argv[3]) : 200, y1, y2;
    char dir[4096];
    struct tb_err err = {0};
    static struct trade_set set;
    if (trade_parse_years(argv[2], &y1, &y2) < 0 || trade_dir(dir, sizeof dir, argv[1], 0, &err) < 0 ||
        trade_set_open(dir, y1, y2, 0, &set, &err) < 0) {
        fprintf(stderr, "bench_rank: %s\n", err.message[0] ? err.message : "bad years");
        return 1;
    }
    const struct trade_year *y = set.y[set.n - 1];
    double *ms = malloc((size_t)R * sizeof *ms), *cpu = malloc((size_t)R * sizeof *cpu);
    srand(7);
    struct { char home[4]; uint32_t hs6; } *job = malloc((size_t)R * sizeof *job);
    for (int r = 0; r < R; r++) {
        /* a random flow gives an exporter that exports the product */
        uint64_t f = ((uint64_t)rand() * RAND_MAX + (uint64_t)rand()) % y->n_flows;
        long p = 0, lo = 0, hi = (long)y->n_products;
        while (lo < hi) {
            long mid = (lo + hi) / 2;
            if (y->flow_off[mid + 1] <= f) lo = mid + 1; else hi = mid;
        }
        p = lo;
        memcpy(job[r].home, y->countries[y->flow_exp[f]].iso3, 4);
        job[r].hs6 = y->products[p];
        if (!job[r].home[0] || !y->countries[y->flow_exp[f]].rankable)
            r--;
    }
    static struct trade_set warm, req;
    if (trade_set_open(dir, y1, y2, 1, &warm, &err) < 0) {
        fprintf(stderr, "bench_rank: %s\n", err.message);
        return 1;
    }
    if (serving)
        return serve(&warm);
    int gap_us = getenv("TB_BENCH_GAP_US") ? atoi(getenv("TB_BENCH_GAP_US")) : 2000;
    struct sample *sm = malloc((size_t)R * sizeof *sm);
    struct arena *a = arena_new(0);
    long rows = 0;
    for (int pass = 0; pass < 6; pass++) {
        int per_request = pass >= 4, json = pass >= 2, paced = pass % 2;
        for (int r = 0; r < R; r++) {
            if (paced)
                usleep((useconds_t)gap_us);
            struct rusage u0, u1;
            getrusage(RUSAGE_THREAD, &u0);
            double t0 = now_s(), c0 = cpu_s();
            struct trade_set *use = &warm;
            if (per_request) {
                if (trade_set_open(dir, y1, y2, 1, &req, &err) < 0)
                    return 1;
                use = &req;
            }
            if (one_ranking(use, job[r].home, job[r].hs6, json, a, &rows, &sm[r].json) < 0)
                return 1;
            if (per_request)
                trade_set_close(&req);
            sm[r].ms = (now_s() - t0) * 1000;
            sm[r].cpu = (cpu_s() - c0) * 1000;
            getrusage(RUSAGE_THREAD, &u1);
            sm[r].minflt = u1.ru_minflt - u0.ru_minflt;
            sm[r].majflt = u1.ru_majflt - u0.ru_majflt;
            sm[r].ivcsw = u1.ru_nivcsw - u0.ru_nivcsw;
            arena_reset(a);
        }
        char what[96];
        snprintf(what, sizeof what, "%s, %s, %d year%s",
                 per_request ? "request (map + rank + JSON)" : json ? "warm (rank + JSON)" : "only",
                 paced ? "paced" : "back to back", warm.n, warm.n > 1 ? "s" : "");
        report(what, ms, cpu, sm, R, rows);
        rows = 0;
    }
    /* the same jobs for the DuckDB side */
    FILE *jf = fopen("/tmp/tb_rank_jobs.txt", "w");
    for (int r = 0; jf && r < R; r++) {
        int code = 0;
        for (uint32_t c = 0; c < y->n_countries; c++)
            if (!strcmp(y->countries[c].iso3, job[r].home))
                code = y->countries[c].code;
        fprintf(jf, "%d %u\n", code, (unsigned)job[r].hs6);
    }
    if (jf)
        fclose(jf);
    arena_free(a);
    free(ms);
    free(cpu);
    free(job);
    free(sm);
    trade_set_close(&warm);
    trade_set_close(&set);
    return 0;
}
