/*
 * bench_parse.c - BACI rows per second: the hand parser of
 * src/core/trade/baci.c against libcsv + strtod on the same bytes in memory
 * (why the BACI reader is hand-written; see the comment in baci.c).
 * usage: bench_parse FILE.csv
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/trade/trade.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct lc {
    int col;
    long rows;
    double sum;
    long t, i, j, k;
};

static void on_field(void *s, size_t len, void *data)
{
    struct lc *c = data;
    char tmp[64];
    if (len >= sizeof tmp)
        len = sizeof tmp - 1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    switch (c->col++) {
    case 0: c->t = strtol(tmp, NULL, 10); break;
    case 1: c->i = strtol(tmp, NULL, 10); break;
    case 2: c->j = strtol(tmp, NULL, 10); break;
    case 3: c->k = strtol(tmp, NULL, 10); break;
    case 4: c->sum += strtod(tmp, NULL); break;
    default: if (strcmp(tmp, "NA")) c->sum += strtod(tmp, NULL); break;
    }
}

static void on_row(int ch, void *data)
{
    (void)ch;
    struct lc *c = data;
    c->col = 0;
    c->rows++;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        return 1;
    fclose(f);
    char *p = memchr(buf, '\n', (size_t)n) + 1, *end = buf + n;
    double t0 = now_s();
    long rows = 0;
    int64_t sum = 0;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        struct baci_row r;
        const char *why;
        if (baci_parse_line(p, nl, &r, &why) == 0) {
            rows++;
            sum += r.v;
        }
        p = nl + 1;
    }
    double t1 = now_s();
    struct csv_parser cp;
    struct lc c = {0};
    csv_init(&cp, 0);
    csv_parse(&cp, buf, (size_t)n, on_field, on_row, &c);
    csv_fini(&cp, on_field, on_row, &c);
    csv_free(&cp);
    double t2 = now_s();
    printf("hand parser: %ld rows in %.3f s = %.1f M rows/s (check %lld)\n", rows, t1 - t0,
           rows / (t1 - t0) / 1e6, (long long)sum);
    printf("libcsv+strtod: %ld rows in %.3f s = %.1f M rows/s\n", c.rows - 1, t2 - t1,
           (c.rows - 1) / (t2 - t1) / 1e6);
    free(buf);
    return 0;
}
