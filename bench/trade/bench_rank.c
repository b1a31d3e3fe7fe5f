/*
 * bench_rank.c - ranking latency over a stored year: R rankings of all
 * markets with every indicator for random (home, HS6) pairs where the home
 * country exports the product; prints p50/p99/max wall and CPU time per pass.
 *   warm     the year mapped and the distance/World Bank tables read once,
 *            then rank and write the JSON body as the API does (the envelope
 *            through jansson, the markets by trade_markets_text), as a server
 *            that keeps the data open would;
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

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_rank DB YEAR|Y1-Y2 [R]\n");
        return 2;
    }
    int R = argc > 3 ? atoi(argv[3]) : 200, y1, y2;
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
    int gap_us = getenv("TB_BENCH_GAP_US") ? atoi(getenv("TB_BENCH_GAP_US")) : 2000;
    struct sample *sm = malloc((size_t)R * sizeof *sm);
    struct arena *a = arena_new(0);
    long rows = 0;
    static struct trade_set warm, req;
    if (trade_set_open(dir, y1, y2, 1, &warm, &err) < 0) {
        fprintf(stderr, "bench_rank: %s\n", err.message);
        return 1;
    }
    for (int pass = 0; pass < 4; pass++) {
        int per_request = pass >= 2, paced = pass % 2;
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
            struct trade_range one = {job[r].hs6, job[r].hs6};
            struct trade_query q = {.years = use->y, .n_years = use->n, .home = job[r].home,
                                    .ranges = &one, .n_ranges = 1, .geo = &use->geo, .wdi = &use->wdi};
            trade_weights_default(&q.weights);
            struct trade_result res;
            if (trade_rank(&q, a, &res, &err) < 0) {
                fprintf(stderr, "bench_rank: %s\n", err.message);
                return 1;
            }
            rows += res.n;
            double cj = cpu_s();
            char product[8];
            snprintf(product, sizeof product, "%06u", (unsigned)job[r].hs6);
            json_t *body = trade_result_json(&res, product, use->y[0]->revision, 0);   /* as h_trade.c answers */
            json_object_del(body, "markets");
            char *text = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
            struct abuf mt;
            abuf_init(&mt, a, SIZE_MAX / 4);
            if (trade_markets_text(&res, -1, &mt) < 0)
                return 1;
            json_decref(body);
            free(text);
            sm[r].json = (cpu_s() - cj) * 1000;
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
        snprintf(what, sizeof what, "%s, %s, %d year%s", per_request ? "request (map + rank + JSON)" : "warm (rank + JSON)",
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
