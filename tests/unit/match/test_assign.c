/*
 * test_assign.c - the assignment engine against brute force on thousands of
 * small random instances (every mode, both senses, rectangular, forbidden
 * pairs, thresholds, ties, dense and sparse input), then LP-duality
 * certificates and dense/sparse agreement on larger generated instances.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check_assign.h"
#include "core/arena.h"
#include "core/match/assign.h"
#include "tap.h"

static int tap_choose_pct(unsigned long long *seed)
{
    static const int pct[] = { 0, 0, 20, 50 };
    return pct[tap_range(seed, 0, 3)];
}

/* Brute force: best (cardinality, value) over all matchings the mode allows. */
struct bf {
    const struct tb_assign_problem *p;
    int64_t c[8][8];
    bool ok[8][8];
    bool any;
    int best_card;
    int64_t best;        /* min-form */
    bool used[8];
};

static void bf_rec(struct bf *b, int i, int card, int64_t cost)
{
    const struct tb_assign_problem *p = b->p;
    if (i == p->rows) {
        int need = p->rows < p->cols ? p->rows : p->cols;
        if (p->mode == TB_ASSIGN_FULL && card != need)
            return;
        if (p->mode == TB_ASSIGN_MAXCARD) {
            if (!b->any || card > b->best_card || (card == b->best_card && cost < b->best)) {
                b->any = true;
                b->best_card = card;
                b->best = cost;
            }
            return;
        }
        if (!b->any || cost < b->best) {
            b->any = true;
            b->best = cost;
            b->best_card = card;
        }
        return;
    }
    bf_rec(b, i + 1, card, cost);
    for (int j = 0; j < p->cols; j++)
        if (!b->used[j] && b->ok[i][j]) {
            b->used[j] = true;
            bf_rec(b, i + 1, card + 1, cost + b->c[i][j]);
            b->used[j] = false;
        }
}

static void brute_force(const struct tb_assign_problem *p, const int64_t *dense, struct bf *b)
{
    memset(b, 0, sizeof *b);
    b->p = p;
    for (int i = 0; i < p->rows; i++)
        for (int j = 0; j < p->cols; j++)
            b->ok[i][j] = chk_allowed(p, dense[i * p->cols + j], &b->c[i][j]);
    bf_rec(b, 0, 0, 0);
}

/* Checks a result's own consistency: allowed pairs, mirrored, total. */
static bool consistent(const struct tb_assign_problem *p, const int64_t *dense,
                       const struct tb_assign_result *r, int *card)
{
    int64_t total = 0;
    *card = 0;
    for (int i = 0; i < p->rows; i++) {
        int j = r->row_to_col[i];
        if (j < 0)
            continue;
        int64_t c;
        if (j >= p->cols || r->col_to_row[j] != i || !chk_allowed(p, dense[i * p->cols + j], &c))
            return false;
        total += dense[i * p->cols + j];
        (*card)++;
    }
    for (int j = 0; j < p->cols; j++)
        if (r->col_to_row[j] >= 0 && r->row_to_col[r->col_to_row[j]] != j)
            return false;
    return total == r->total && *card == r->assigned;
}

/*
 * scale multiplies every value: 1 keeps the dense solver on its 32-bit keys,
 * 2^26 gives 32-bit costs whose keys may not fit in 32 bits (the 64-bit key
 * path), 2^34 needs 64-bit costs.
 */
static void small_random(int64_t scale)
{
    unsigned long long seed = 12345;
    int instances = 0, solves = 0, bad = 0, infeasible_ok = 0, cert_ok = 0;
    struct arena *a = arena_new(0);
    for (int it = 0; it < 3000; it++) {
        int R = (int)tap_range(&seed, 0, 6), C = (int)tap_range(&seed, 0, 6);
        int lo = (int)tap_range(&seed, -6, 2), hi = lo + (int)tap_range(&seed, 0, 12);
        int forbid_pct = (int)tap_choose_pct(&seed);
        int64_t dense[64];
        int32_t dense32[64];
        bool fits32 = true;
        for (int k = 0; k < R * C; k++) {
            dense[k] = (int)tap_range(&seed, 0, 99) < forbid_pct ? TB_ASSIGN_FORBIDDEN
                                                                  : tap_range(&seed, lo, hi) * scale;
            fits32 &= dense[k] == TB_ASSIGN_FORBIDDEN || (dense[k] > INT32_MIN && dense[k] < INT32_MAX);
            dense32[k] = dense[k] == TB_ASSIGN_FORBIDDEN ? TB_ASSIGN_FORBIDDEN32 : (int32_t)dense[k];
        }
        struct tb_assign_edge edges[200];
        int ne = 0;
        for (int k = 0; k < R * C; k++) {
            if (dense[k] == TB_ASSIGN_FORBIDDEN)
                continue;
            edges[ne++] = (struct tb_assign_edge){ k / C, k % C, dense[k] };
            /* A worse duplicate must never matter. */
            if (tap_range(&seed, 0, 9) == 0)
                edges[ne++] = (struct tb_assign_edge){ k / C, k % C, dense[k] - 3 };
        }
        /* Duplicates are "worse" only when maximising; keep them for MAX only. */
        instances++;
        for (int mode = 0; mode < 3; mode++)
            for (int sense = 0; sense < 2; sense++)
                for (int shape = 0; shape < 3; shape++)
                    for (int thr = 0; thr < 2 && (shape != 2 || fits32); thr++) {
                        struct tb_assign_problem p = { 0 };
                        p.rows = R;
                        p.cols = C;
                        p.mode = (enum tb_assign_mode)mode;
                        p.sense = (enum tb_assign_sense)sense;
                        p.want_duals = mode != TB_ASSIGN_MAXCARD;
                        if (thr) {
                            p.has_threshold = 1;
                            p.threshold = (lo + hi) / 2 * scale;
                        }
                        struct tb_assign_edge e2[200];
                        int n2 = 0;
                        if (shape == 0) {
                            p.dense = dense;
                        } else if (shape == 2) {
                            p.dense32 = dense32;   /* the parser's narrow form */
                        } else {
                            for (int k = 0; k < ne; k++) {
                                /* a duplicate that is worse in this sense */
                                e2[n2] = edges[k];
                                if (k > 0 && edges[k].row == edges[k - 1].row &&
                                    edges[k].col == edges[k - 1].col)
                                    e2[n2].value = sense == TB_ASSIGN_MAX ? edges[k - 1].value - 3
                                                                          : edges[k - 1].value + 3;
                                n2++;
                            }
                            p.edges = e2;
                            p.n_edges = n2;
                        }
                        struct bf b;
                        brute_force(&p, dense, &b);
                        struct tb_assign_result r;
                        struct tb_err err;
                        arena_reset(a);
                        int rc = tb_assign_solve(&p, a, &r, &err);
                        solves++;
                        if (!b.any) {
                            if (rc == 0 || strcmp(err.code, "infeasible") != 0) {
                                if (bad++ < 5)
                                    printf("# expected infeasible: it %d mode %d sense %d shape %d\n",
                                           it, mode, sense, shape);
                            } else {
                                infeasible_ok++;
                            }
                            continue;
                        }
                        int card;
                        int64_t got = rc == 0 ? (sense ? -r.total : r.total) : 0;
                        if (rc != 0 || !consistent(&p, dense, &r, &card) || got != b.best ||
                            (mode == TB_ASSIGN_MAXCARD && card != b.best_card)) {
                            if (bad++ < 5)
                                printf("# mismatch: it %d R %d C %d mode %d sense %d shape %d thr %d:"
                                       " rc %d got %lld want %lld (%s)\n",
                                       it, R, C, mode, sense, shape, thr, rc, (long long)got,
                                       (long long)b.best, rc ? err.message : "");
                            continue;
                        }
                        if (p.want_duals) {
                            char why[200];
                            if (check_assign_certificate(&p, &r, why, sizeof why) != 0) {
                                if (bad++ < 5)
                                    printf("# certificate: it %d mode %d sense %d shape %d R %d C %d thr %d: %s\n",
                                           it, mode, sense, shape, R, C, thr, why);
                                continue;
                            }
                            cert_ok++;
                        }
                    }
    }
    arena_free(a);
    tap_ok(bad == 0, "brute force, values x %lld: %d random instances, %d solves (%d infeasible "
                     "as expected, %d dual certificates), %d mismatches",
           (long long)scale, instances, solves, infeasible_ok, cert_ok, bad);
}

/* Larger instances: duality certificate and dense == sparse. */
static void large_checked_scaled(const char *name, int R, int C, int kind, int mode, int sense,
                                 int forbid_pct, unsigned long long seed, int64_t scale)
{
    int64_t *m = malloc((size_t)R * C * sizeof *m);
    int rank = 3;
    int64_t fa[3000][3], fb[3000][3];
    for (int i = 0; i < R && i < 3000; i++)
        for (int t = 0; t < rank; t++)
            fa[i][t] = tap_range(&seed, 0, 30);
    for (int j = 0; j < C && j < 3000; j++)
        for (int t = 0; t < rank; t++)
            fb[j][t] = tap_range(&seed, 0, 30);
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++) {
            int64_t v;
            if (kind == 0) {
                v = tap_range(&seed, 0, 1000);
            } else {
                v = 0;
                for (int t = 0; t < rank; t++)
                    v += fa[i][t] * fb[j][t];
                v += tap_range(&seed, 0, 5);
            }
            if (tap_range(&seed, 0, 99) < forbid_pct)
                v = TB_ASSIGN_FORBIDDEN;
            m[(size_t)i * C + j] = v == TB_ASSIGN_FORBIDDEN ? v : v * scale;
        }
    struct tb_assign_problem p = { 0 };
    p.rows = R;
    p.cols = C;
    p.mode = (enum tb_assign_mode)mode;
    p.sense = (enum tb_assign_sense)sense;
    p.want_duals = mode != TB_ASSIGN_MAXCARD;
    p.dense = m;
    struct arena *a = arena_new(0);
    struct tb_assign_result r1, r2;
    struct tb_err err;
    int rc1 = tb_assign_solve(&p, a, &r1, &err);
    char why[200] = "";
    int cert = rc1 == 0 && (!p.want_duals || check_assign_certificate(&p, &r1, why, sizeof why) == 0);
    struct tb_assign_edge *e = malloc((size_t)R * C * sizeof *e + 1);
    int64_t ne = 0;
    for (int64_t k = 0; k < (int64_t)R * C; k++)
        if (m[k] != TB_ASSIGN_FORBIDDEN)
            e[ne++] = (struct tb_assign_edge){ (int32_t)(k / C), (int32_t)(k % C), m[k] };
    struct tb_assign_problem q = p;
    q.dense = NULL;
    q.edges = e;
    q.n_edges = ne;
    int rc2 = tb_assign_solve(&q, a, &r2, &err);
    char why2[200] = "";
    int cert2 = rc2 == 0 && (!q.want_duals || check_assign_certificate(&q, &r2, why2, sizeof why2) == 0);
    tap_ok(rc1 == 0 && rc2 == 0 && cert && cert2 && r1.total == r2.total &&
               r1.assigned == r2.assigned,
           "%s %dx%d mode %s %s, values x %lld: dense total %lld, sparse total %lld, "
           "certificates %s%s%s",
           name, R, C, tb_assign_mode_name(p.mode), sense ? "max" : "min", (long long)scale,
           (long long)r1.total, (long long)r2.total, cert && cert2 ? "ok" : "FAILED ", why, why2);
    arena_free(a);
    free(m);
    free(e);
}

static void large_checked(const char *name, int R, int C, int kind, int mode, int sense,
                          int forbid_pct, unsigned long long seed)
{
    large_checked_scaled(name, R, C, kind, mode, sense, forbid_pct, seed, 1);
}

static void sparse_large(int n, int deg, unsigned long long seed)
{
    struct tb_assign_edge *e = malloc((size_t)n * deg * sizeof *e);
    int64_t ne = 0;
    for (int i = 0; i < n; i++) {
        /* a random perfect matching keeps it feasible */
        e[ne++] = (struct tb_assign_edge){ i, (int32_t)((i * 7919LL) % n), tap_range(&seed, 0, 1000) };
        for (int d = 1; d < deg; d++)
            e[ne++] = (struct tb_assign_edge){ i, (int32_t)tap_range(&seed, 0, n - 1),
                                               tap_range(&seed, 0, 1000) };
    }
    struct tb_assign_problem p = { 0 };
    p.rows = p.cols = n;
    p.edges = e;
    p.n_edges = ne;
    p.want_duals = 1;
    struct arena *a = arena_new(0);
    for (int sense = 0; sense < 2; sense++) {
        p.sense = (enum tb_assign_sense)sense;
        struct tb_assign_result r;
        struct tb_err err;
        int rc = tb_assign_solve(&p, a, &r, &err);
        char why[200] = "";
        tap_ok(rc == 0 && check_assign_certificate(&p, &r, why, sizeof why) == 0,
               "sparse %d x %d, %d per row, %s: total %lld, certificate %s", n, n, deg,
               sense ? "max" : "min", (long long)r.total, rc ? err.message : why[0] ? why : "ok");
    }
    arena_free(a);
    free(e);
}

static void infeasible_message(void)
{
    int64_t m[4] = { 1, TB_ASSIGN_FORBIDDEN, 2, TB_ASSIGN_FORBIDDEN };  /* col 1 unusable */
    struct tb_assign_problem p = { .rows = 2, .cols = 2, .dense = m };
    struct arena *a = arena_new(0);
    struct tb_assign_result r;
    struct tb_err err;
    int rc = tb_assign_solve(&p, a, &r, &err);
    tap_ok(rc < 0 && strcmp(err.code, "infeasible") == 0 && err.status == 422,
           "full mode with an unusable column is infeasible: %s", err.message);
    p.mode = TB_ASSIGN_MAXCARD;
    rc = tb_assign_solve(&p, a, &r, &err);
    tap_ok(rc == 0 && r.assigned == 1 && r.total == 1, "maxcard takes 1 pair of total 1");
    int64_t big[1] = { (int64_t)1 << 41 };
    struct tb_assign_problem q = { .rows = 1, .cols = 1, .dense = big };
    rc = tb_assign_solve(&q, a, &r, &err);
    tap_ok(rc < 0 && strcmp(err.code, "too_large") == 0, "values beyond 2^40 are refused");
    arena_free(a);
}

int main(void)
{
    small_random(1);
    small_random((int64_t)1 << 26);
    small_random((int64_t)1 << 34);
    infeasible_message();
    large_checked("random", 300, 300, 0, TB_ASSIGN_FULL, 0, 0, 1);
    large_checked("random", 300, 300, 0, TB_ASSIGN_FULL, 1, 0, 2);
    large_checked("low-rank", 250, 250, 1, TB_ASSIGN_FULL, 1, 0, 3);
    large_checked("random+forbidden", 200, 200, 0, TB_ASSIGN_FULL, 0, 30, 4);
    large_checked("rectangular", 150, 320, 0, TB_ASSIGN_FULL, 1, 20, 5);
    large_checked("rectangular", 320, 150, 1, TB_ASSIGN_FULL, 0, 20, 6);
    large_checked("random", 200, 260, 0, TB_ASSIGN_PARTIAL, 1, 10, 7);
    large_checked("low-rank", 260, 200, 1, TB_ASSIGN_PARTIAL, 0, 10, 8);
    large_checked("sparse-ish", 200, 200, 0, TB_ASSIGN_MAXCARD, 1, 97, 9);
    large_checked("sparse-ish", 180, 240, 0, TB_ASSIGN_MAXCARD, 0, 98, 10);
    /* The dense solver's other widths on sizes that fill its vector blocks
     * and leave tails: 32-bit costs too far apart for 32-bit keys (first
     * factor), then 64-bit costs. */
    for (int k = 0; k < 2; k++) {
        large_checked_scaled("random", 203, 203, 0, TB_ASSIGN_FULL, 0, 0, 12,
                             (int64_t)1 << (k ? 24 : 20));
        large_checked_scaled("low-rank", 130, 197, 1, TB_ASSIGN_FULL, 1, 10, 13,
                             (int64_t)1 << (k ? 24 : 19));
        large_checked_scaled("low-rank", 150, 150, 1, TB_ASSIGN_PARTIAL, 1, 5, 14,
                             (int64_t)1 << (k ? 24 : 19));
    }
    sparse_large(5000, 8, 11);
    return tap_done();
}
