/*
 * gen_baci.c - writes a synthetic BACI-shaped year (t,i,j,k,v,q) for the
 * import and ranking benchmark: N flows over the country codes given on
 * stdin (one per line) and 5,400 HS6 products, sorted by i,j,k like BACI.
 * Skew as in the real data: exporter and importer sizes follow a Zipf law,
 * products have log-normal numbers of flows, values are log-normal and scale
 * with both partners, 2 % of quantities are NA.
 * usage: gen_baci N YEAR SEED < codes > BACI_HS17_Y2022_synthetic.csv
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static double unif(void) { return (double)(next() >> 11) * 0x1.0p-53; }
static double gauss(void)
{
    double u = unif() + 1e-300, v = unif();
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* index drawn from cumulative weights */
static int draw(const double *cum, int n)
{
    double u = unif() * cum[n - 1];
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cum[mid] < u) lo = mid + 1; else hi = mid;
    }
    return lo;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: gen_baci N YEAR SEED < codes\n");
        return 2;
    }
    long n = atol(argv[1]);
    int year = atoi(argv[2]);
    int codes[256], nc = 0;
    while (nc < 256 && scanf("%d", &codes[nc]) == 1)
        nc++;
    qsort(codes, (size_t)nc, sizeof codes[0], cmp_u32);
    enum { NP = 5400 };
    static uint32_t prod[NP];
    static uint8_t used[1000000];
    for (int p = 0; p < NP;) {
        uint32_t k = 10000 + (uint32_t)(next() % 960000);
        if (!used[k]) {
            used[k] = 1;
            prod[p++] = k;
        }
    }
    qsort(prod, NP, sizeof prod[0], cmp_u32);
    /* Zipf sizes in a random order over the codes (sizes are not alphabetical) */
    double size[256], cum[256];
    for (int i = 0; i < nc; i++)
        size[i] = 1.0 / pow(1 + i, 1.1);
    for (int i = nc - 1; i > 0; i--) {
        int j = (int)(next() % (uint64_t)(i + 1));
        double t = size[i];
        size[i] = size[j];
        size[j] = t;
    }
    for (int i = 0; i < nc; i++)
        cum[i] = (i ? cum[i - 1] : 0) + size[i];
    /* products and country sizes are the same for every seed (years of one series) */
    rng ^= (uint64_t)atoll(argv[3]) * 0x9E3779B97F4A7C15ULL;
    /* flows per product: log-normal, scaled to n in total */
    double w[NP], tot = 0;
    for (int p = 0; p < NP; p++)
        tot += w[p] = exp(0.8 * gauss());
    uint32_t *key = malloc((size_t)n * sizeof *key);
    uint8_t *pair = malloc((size_t)nc * nc);
    long m = 0;
    for (int p = 0; p < NP && m < n; p++) {
        long want = (long)(w[p] / tot * (double)n) + 1;
        if (want > (long)nc * nc * 6 / 10)
            want = (long)nc * nc * 6 / 10;
        memset(pair, 0, (size_t)nc * nc);
        for (long f = 0; f < want && m < n;) {
            int i = draw(cum, nc), j = draw(cum, nc);
            if (i == j || pair[i * nc + j])
                continue;
            pair[i * nc + j] = 1;
            key[m++] = ((uint32_t)i << 21) | ((uint32_t)j << 13) | (uint32_t)p;
            f++;
        }
    }
    qsort(key, (size_t)m, sizeof *key, cmp_u32);
    static char out[1 << 20];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    printf("t,i,j,k,v,q\n");
    for (long r = 0; r < m; r++) {
        int i = (int)(key[r] >> 21), j = (int)((key[r] >> 13) & 0xff), p = (int)(key[r] & 0x1fff);
        double v = exp(1.5 + 2.2 * gauss()) * sqrt(size[i] * size[j] * nc * nc) / 20;
        long vm = (long)(v * 1000) + 1;
        printf("%d,%d,%d,%06u,%ld.%03ld,", year, codes[i], codes[j], prod[p], vm / 1000, vm % 1000);
        if (next() % 50 == 0) {
            puts("NA");
        } else {
            long qm = (long)(vm / (1 + 20 * unif())) + 1;
            printf("%ld.%03ld\n", qm / 1000, qm % 1000);
        }
    }
    free(key);
    free(pair);
    fprintf(stderr, "gen_baci: %ld flows\n", m);
    return 0;
}
