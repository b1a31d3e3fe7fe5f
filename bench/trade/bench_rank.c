/*
 * bench_rank.c - ranking latency over a stored year: R rankings of all
 * markets with every indicator for random (home, HS6) pairs where the home
 * country exports the product; prints p50/p99/max. "warm" keeps the year
 * mapped (as a server does); "cold" maps the file again for every ranking.
 * With a range of years (2018-2022) every ranking pools them (averages, CAGR).
 * Besides wall time it reports the CPU time of each ranking (this thread's),
 * which waits for no other process: on a shared machine the wall-time p99 is
 * mostly the time slices other jobs take (duck.mjs measures both the same way).
 * usage: bench_rank DB YEAR|Y1-Y2 [R]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static void report(const char *what, double *ms, double *cpu, int n, long rows)
{
    qsort(ms, (size_t)n, sizeof *ms, cmp_d);
    qsort(cpu, (size_t)n, sizeof *cpu, cmp_d);
    printf("rank %s: %d rankings, %ld market rows, min %.2f ms, p50 %.2f ms, p99 %.2f ms, max %.2f ms; "
           "CPU p50 %.3f ms, CPU p99 %.3f ms\n", what, n, rows, ms[0], ms[n / 2], ms[(int)(n * 0.99)], ms[n - 1],
           cpu[n / 2], cpu[(int)(n * 0.99)]);
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
    struct arena *a = arena_new(0);
    long rows = 0;
    static struct trade_set cold;
    for (int pass = 0; pass < 2; pass++) {
        for (int r = 0; r < R; r++) {
            double t0 = now_s(), c0 = cpu_s();
            struct trade_set *use = &set;
            if (pass == 1) {
                if (trade_set_open(dir, y1, y2, 0, &cold, &err) < 0)
                    return 1;
                use = &cold;
            }
            struct trade_range one = {job[r].hs6, job[r].hs6};
            struct trade_query q = {.years = use->y, .n_years = use->n, .home = job[r].home,
                                    .ranges = &one, .n_ranges = 1};
            trade_weights_default(&q.weights);
            struct trade_result res;
            if (trade_rank(&q, a, &res, &err) < 0) {
                fprintf(stderr, "bench_rank: %s\n", err.message);
                return 1;
            }
            rows += res.n;
            if (pass == 1)
                trade_set_close(&cold);
            ms[r] = (now_s() - t0) * 1000;
            cpu[r] = (cpu_s() - c0) * 1000;
            arena_reset(a);
        }
        char what[64];
        snprintf(what, sizeof what, "%s, %d year%s", pass ? "cold (map + rank)" : "warm", set.n,
                 set.n > 1 ? "s" : "");
        report(what, ms, cpu, R, rows);
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
    trade_set_close(&set);
    return 0;
}
