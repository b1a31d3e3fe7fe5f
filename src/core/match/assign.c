/*
 * assign.c - exact linear assignment: a LAPJV-style dense solver and a sparse
 * shortest-augmenting-path solver (binary heap), both on integer costs with
 * column potentials, plus the reductions that turn the three modes, maximising,
 * thresholds and rectangular shapes into one internal min-cost problem.
 */
#include "core/match/assign.h"

#include <stdbool.h>
#include <string.h>

#define LAP_INF ((int64_t)1 << 61)
#define LAP_HALF ((int64_t)1 << 60)
#define ROW_EXITED (-2)

/*
 * Internal problem: R <= C rows, min-cost, forbidden pairs absent. Optional
 * per-row exit costs e[i] model "leave row i unassigned" as a private dummy
 * column; it is never shared, so it needs no column of its own and its
 * potential stays 0 (it can only ever be reached from row i itself).
 */
struct lap {
    int32_t R, C;
    const int64_t *e;
    int64_t *v, *u, *xcost, *d;
    int32_t *x, *y, *col, *pred, *free_rows;
    int32_t n_free;
    int64_t cap;
    int64_t cmin, span;              /* least allowed cost, max - min */
    bool forb;                       /* the dense matrix has forbidden pairs */
    /* Dense search state (see dense_augment): encoded potentials, the
     * distances of the scanned columns, and 32-bit copies for searches whose
     * values provably fit. */
    int64_t *vv, *dsave;
    int32_t *vv32, *d32;
    int64_t sap_rows, scans;
};

/* The two cheapest columns of a row, (value, index) order: j2 < 0 if none. */
struct lap_top2 {
    int64_t u1, u2;
    int32_t j1, j2;
};

/* The unscanned column with the smallest key (ties: lowest index). */
struct lap_pick {
    uint64_t key;
    int32_t col;
};

/*
 * The dense kernels use GCC/Clang vector extensions, which every target
 * lowers to what it has (SSE2, NEON, ...), so the build needs no -march flag
 * and every machine gets the same results. On x86-64 faster forms are picked
 * at run time: the 32-bit kernels get a second, AVX2 instantiation with
 * twice the lanes (one width cannot serve both: 32-byte vectors spill on
 * SSE2, 16-byte ones leave half of AVX2 unused), the 64-bit one target
 * clones (SSE4.2 brings the 64-bit compare SSE2 lacks).
 */
#if defined(__x86_64__) && defined(__GNUC__)
#define LAP_X86 1
#define LAP_CLONES __attribute__((target_clones("avx2", "sse4.2", "default")))
#else
#define LAP_X86 0
#define LAP_CLONES
#endif

/* Lane-wise m ? a : b for a mask m of all-ones or zero lanes (C has no
 * vector ?:). */
#define LAP_SEL(m, a, b) (((a) & (m)) | ((b) & ~(m)))

/* Software prefetch distance in a cost row (elements): the rows a search
 * visits are scattered, and the hardware prefetcher starts too late. Never
 * past the row's end: the next row in memory is not the next one needed. */
#define LAP_PF 256
static inline int32_t lap_pf(int32_t j, int32_t C)
{
    return C - j > LAP_PF ? j + LAP_PF : C - 1;
}

/* Keeps (a, ja) <= (b, jb) in (value, index) order, an index < 0 last. */
/* Scalar step of the best/second-best search: row value h at column j. */
static inline void lap_top2_push(struct lap_top2 *t, int64_t h, int32_t j)
{
    if (h >= t->u2)
        return;
    if (h >= t->u1) {
        t->u2 = h;
        t->j2 = j;
    } else {
        t->u2 = t->u1;
        t->j2 = t->j1;
        t->u1 = h;
        t->j1 = j;
    }
}

static inline bool lap_before(int64_t a, int32_t ja, int64_t b, int32_t jb)
{
    return jb < 0 || (ja >= 0 && (a < b || (a == b && ja < jb)));
}

#define KW 4
#define KNAME(x) x##_4
#define KTARGET
#include "assign_narrow.inc.h"
#if LAP_X86
#define KW 8
#define KNAME(x) x##_8
#define KTARGET __attribute__((target("avx2")))
#include "assign_narrow.inc.h"
#endif

/* The widest instantiation this CPU runs; both give the same results. */
static struct lap_pick relax_narrow(const int32_t *ri, const int32_t *vv, int32_t *d,
                                    int32_t *pred, int32_t C, uint32_t h2, int32_t i, bool forb)
{
#if LAP_X86
    if (__builtin_cpu_supports("avx2"))
        return relax_narrow_8(ri, vv, d, pred, C, h2, i, forb);
#endif
    return relax_narrow_4(ri, vv, d, pred, C, h2, i, forb);
}

static struct lap_top2 top2_narrow(const int32_t *row, const int32_t *v32, int32_t C, bool forb)
{
#if LAP_X86
    if (__builtin_cpu_supports("avx2"))
        return top2_narrow_8(row, v32, C, forb);
#endif
    return top2_narrow_4(row, v32, C, forb);
}

/* Vectors of the 64-bit kernel (relax_wide): two lanes, as more would not
 * gain on AVX2 (the sweep is bound by memory) and would spill on SSE2. */
typedef int64_t lap_q2 __attribute__((vector_size(16)));
typedef uint64_t lap_uq2 __attribute__((vector_size(16)));
typedef int32_t lap_d2 __attribute__((vector_size(8)));

#define DCOST int32_t
#define DFORB INT32_MAX
#define DNARROW 1
#define DNAME(x) x##_32
#include "assign_dense.inc.h"

#define DCOST int64_t
#define DFORB INT64_MAX
#define DNARROW 0
#define DNAME(x) x##_64
#include "assign_dense.inc.h"

/* ------------------------------------------------------------------------ */
/* Sparse solver: CSR rows; costs kept per edge. */

struct csr {
    int64_t *start;     /* R + 1 */
    int32_t *col;
    int64_t *cost;
};

struct heap_item {
    int64_t key;
    int32_t col;
};

static inline bool heap_less(const struct heap_item *a, const struct heap_item *b)
{
    return a->key < b->key || (a->key == b->key && a->col < b->col);
}

static void heap_push(struct heap_item *h, int64_t *n, int64_t key, int32_t col)
{
    int64_t k = (*n)++;
    struct heap_item it = { key, col };
    while (k > 0) {
        int64_t p = (k - 1) / 2;
        if (!heap_less(&it, &h[p]))
            break;
        h[k] = h[p];
        k = p;
    }
    h[k] = it;
}

static struct heap_item heap_pop(struct heap_item *h, int64_t *n)
{
    struct heap_item top = h[0], last = h[--(*n)];
    int64_t k = 0, m = *n;
    for (;;) {
        int64_t l = 2 * k + 1;
        if (l >= m)
            break;
        if (l + 1 < m && heap_less(&h[l + 1], &h[l]))
            l++;
        if (!heap_less(&h[l], &last))
            break;
        h[k] = h[l];
        k = l;
    }
    if (m > 0)
        h[k] = last;
    return top;
}

/*
 * Per-column search state in one 32-byte record, so that relaxing an edge or
 * scanning a column touches one cache line: label d (COL_SCANNED once
 * scanned), potential v, the row holding the column and the cost of that
 * pair (which gives the row's dual u = ycost - v without another lookup).
 */
#define COL_SCANNED (-LAP_INF)

struct col_state {
    int64_t d, v, ycost;
    int32_t pred, y;
};

struct sparse_work {
    struct heap_item *heap;
    int64_t heap_cap;
    struct col_state *cs;
    int32_t *touched;
    int64_t *scanned_d;
};

/*
 * Auction warm start (Bertsekas), epsilon-scaled, for square problems: free
 * rows bid for their cheapest column, lowering its price by the gap to their
 * second best plus epsilon, and displace its holder. At the end of the last
 * phase (epsilon = 1) every row holds a column within 1 of its best reduced
 * cost; rows not exactly at their best are released, so what is kept is tight
 * (reduced cost 0 with u = the row minimum) and every reduced cost is >= 0:
 * a valid start for the shortest-path phase, with prices close to optimal so
 * that the searches left are short (on uniform random sparse instances the
 * searches then scan about 25 times fewer columns). Bids are budgeted
 * (64 n) and no price may fall more than 16 (n + 4) cap below the lowest
 * column minimum; with the augmenting row reduction after it (at most
 * (18 n + 64) cap more) prices stay far inside the margin that the size check
 * of tb_assign_solve keeps (it allows (R + C + 16) (W + 1) 64 < 2^59).
 */
static void sparse_auction(const struct csr *g, struct lap *L, int32_t *queue)
{
    const int32_t n = L->C;
    int64_t *v = L->v;
    int32_t *x = L->x, *y = L->y;
    int64_t vmin = LAP_INF;
    for (int32_t j = 0; j < n; j++)
        vmin = v[j] < vmin ? v[j] : vmin;
    const int64_t vfloor = vmin - 16 * ((int64_t)n + 4) * L->cap;
    int64_t budget = 64 * (int64_t)n + 1024;
    int64_t eps = L->span / 16 > 1 ? L->span / 16 : 1;
    for (;;) {
        /* ring of the free rows: each is in it at most once */
        int32_t qh = 0, qn = 0;
        for (int32_t i = 0; i < n; i++)
            if (x[i] < 0)
                queue[qn++] = i;
        while (qn > 0 && budget > 0) {
            int32_t i = queue[qh];
            qh = qh + 1 == n ? 0 : qh + 1;
            qn--;
            budget--;
            int64_t u1 = LAP_INF, u2 = LAP_INF;
            int32_t j1 = -1;
            for (int64_t e = g->start[i]; e < g->start[i + 1]; e++) {
                int64_t h = g->cost[e] - v[g->col[e]];
                if (h < u2) {
                    if (h < u1) {
                        u2 = u1;
                        u1 = h;
                        j1 = g->col[e];
                    } else {
                        u2 = h;
                    }
                }
            }
            if (j1 < 0)
                return;
            int64_t delta = u2 - u1 + eps;
            if (delta > L->cap)
                delta = L->cap;
            v[j1] -= delta;
            int32_t i0 = y[j1];
            x[i] = j1;
            y[j1] = i;
            if (i0 >= 0) {
                x[i0] = -1;
                int32_t t = qh + qn;
                queue[t >= n ? t - n : t] = i0;
                qn++;
            }
            if (v[j1] < vfloor) {
                budget = 0;
                break;
            }
        }
        if (eps == 1 || budget <= 0)
            break;
        eps = eps / 8 > 1 ? eps / 8 : 1;
        for (int32_t i = 0; i < n; i++)
            if (x[i] >= 0) {
                y[x[i]] = -1;
                x[i] = -1;
            }
    }
}

/* Keeps the assigned rows that sit at their least reduced cost (tight) and
 * frees the others; fills xcost and the free-row list. */
static void sparse_keep_tight(const struct csr *g, struct lap *L)
{
    L->n_free = 0;
    for (int32_t i = 0; i < L->R; i++) {
        int32_t xi = L->x[i];
        int64_t m = LAP_INF, cx = LAP_INF;
        for (int64_t e = g->start[i]; e < g->start[i + 1]; e++) {
            int64_t h = g->cost[e] - L->v[g->col[e]];
            m = h < m ? h : m;
            if (g->col[e] == xi && g->cost[e] < cx)
                cx = g->cost[e];
        }
        if (xi >= 0 && cx - L->v[xi] == m) {
            L->xcost[i] = cx;
            continue;
        }
        if (xi >= 0)
            L->y[xi] = -1;
        L->x[i] = -1;
        L->free_rows[L->n_free++] = i;
    }
}

/* Column reduction, transfer and augmenting row reduction over edges
 * (square problems only); see the dense versions for the reasoning. */
static int sparse_square_init(const struct csr *g, struct lap *L, int32_t *cnt)
{
    const int32_t n = L->C;
    int64_t *v = L->v;
    int32_t *x = L->x, *y = L->y;
    for (int32_t j = 0; j < n; j++) {
        v[j] = LAP_INF;
        y[j] = -1;
    }
    for (int32_t i = 0; i < n; i++)
        for (int64_t k = g->start[i]; k < g->start[i + 1]; k++) {
            int32_t j = g->col[k];
            if (g->cost[k] < v[j]) {
                v[j] = g->cost[k];
                y[j] = i;
            }
        }
    for (int32_t i = 0; i < n; i++) {
        cnt[i] = 0;
        x[i] = -1;
    }
    for (int32_t j = n - 1; j >= 0; j--) {
        int32_t i = y[j];
        if (i < 0)
            return -1;
        if (++cnt[i] == 1) {
            x[i] = j;
        } else if (v[j] < v[x[i]]) {
            y[x[i]] = -1;
            x[i] = j;
        } else {
            y[j] = -1;
        }
    }
    L->n_free = 0;
    for (int32_t i = 0; i < n; i++) {
        if (cnt[i] == 0) {
            L->free_rows[L->n_free++] = i;
            continue;
        }
        int32_t j1 = x[i];
        L->xcost[i] = v[j1];
        if (cnt[i] != 1)
            continue;
        int64_t m = LAP_INF;
        for (int64_t k = g->start[i]; k < g->start[i + 1]; k++) {
            if (g->col[k] == j1)
                continue;
            int64_t h = g->cost[k] - v[g->col[k]];
            if (h < m)
                m = h;
        }
        if (m > L->cap)
            m = L->cap;
        v[j1] -= m;
    }

    sparse_auction(g, L, cnt);
    sparse_keep_tight(g, L);

    int32_t *fr = L->free_rows;
    int64_t budget = 16 * (int64_t)n + 64;
    for (int pass = 0; pass < 2; pass++) {
        int32_t k = 0, prev = L->n_free, nf = 0;
        while (k < prev) {
            int32_t i = fr[k++];
            int64_t u1 = LAP_INF, u2 = LAP_INF, c1 = 0, c2 = 0;
            int32_t j1 = -1, j2 = -1;
            for (int64_t e = g->start[i]; e < g->start[i + 1]; e++) {
                int32_t j = g->col[e];
                int64_t h = g->cost[e] - v[j];
                if (h < u2) {
                    if (h >= u1) {
                        u2 = h;
                        j2 = j;
                        c2 = g->cost[e];
                    } else {
                        u2 = u1;
                        j2 = j1;
                        c2 = c1;
                        u1 = h;
                        j1 = j;
                        c1 = g->cost[e];
                    }
                }
            }
            if (j1 < 0)
                return -1;
            int32_t i0 = y[j1];
            if (u1 < u2) {
                int64_t delta = u2 - u1;
                if (delta > L->cap)
                    delta = L->cap;
                v[j1] -= delta;
            } else if (i0 >= 0 && j2 >= 0 && j2 != j1) {
                j1 = j2;
                c1 = c2;
                i0 = y[j2];
            }
            x[i] = j1;
            y[j1] = i;
            L->xcost[i] = c1;
            if (i0 >= 0 && i0 != i) {
                x[i0] = -1;
                if (u1 < u2 && budget-- > 0)
                    fr[--k] = i0;
                else
                    fr[nf++] = i0;
            }
        }
        L->n_free = nf;
    }
    return 0;
}

static void sparse_greedy_init(const struct csr *g, struct lap *L)
{
    for (int32_t j = 0; j < L->C; j++) {
        L->v[j] = 0;
        L->y[j] = -1;
    }
    L->n_free = 0;
    for (int32_t i = 0; i < L->R; i++) {
        int64_t best = LAP_INF;
        int32_t bj = -1;
        for (int64_t k = g->start[i]; k < g->start[i + 1]; k++)
            if (g->cost[k] < best) {
                best = g->cost[k];
                bj = g->col[k];
            }
        L->x[i] = -1;
        int64_t ex = L->e ? L->e[i] : LAP_INF;
        if (ex < best) {
            L->x[i] = ROW_EXITED;
        } else if (bj >= 0 && L->y[bj] < 0) {
            L->x[i] = bj;
            L->y[bj] = i;
            L->xcost[i] = best;
        } else {
            L->free_rows[L->n_free++] = i;
        }
    }
}

/* Cheapest edge (r, j): the one a search used to label j from r. */
static int64_t edge_cost(const struct csr *g, int32_t r, int32_t j)
{
    int64_t best = LAP_INF;
    for (int64_t k = g->start[r]; k < g->start[r + 1]; k++)
        if (g->col[k] == j && g->cost[k] < best)
            best = g->cost[k];
    return best;
}

/*
 * Dijkstra with a lazy binary heap from free row f; same sinks and potential
 * update as the dense version. Free columns are never queued: the best one
 * seen so far (and the best exit) bound the search, so labels at or beyond
 * that bound are not pushed and the search stops as soon as the heap minimum
 * reaches it.
 */
static int sparse_augment(const struct csr *g, struct lap *L, struct sparse_work *w, int32_t f)
{
    struct col_state *cs = w->cs;
    int32_t *x = L->x;
    int64_t hn = 0, nt = 0;
    int32_t n_scanned = 0;
    int32_t *scanned = L->col;         /* reused: list of scanned columns */
    int64_t best_exit = L->e ? L->e[f] : LAP_INF, best_free = LAP_INF;
    int32_t exit_row = f, free_col = -1;

    int32_t i = f;
    int64_t h = 0;                     /* u_i - d(i): 0 for the start row */
    for (;;) {
        int64_t bound = best_free < best_exit ? best_free : best_exit;
        for (int64_t k = g->start[i]; k < g->start[i + 1]; k++) {
            int32_t jj = g->col[k];
            struct col_state *c = &cs[jj];
            int64_t nd = g->cost[k] - c->v - h;
            /* a scanned column has d = COL_SCANNED, so it fails this test */
            if (nd >= c->d || nd >= bound || c->d == COL_SCANNED)
                continue;
            if (c->d == LAP_INF)
                w->touched[nt++] = jj;
            c->d = nd;
            c->pred = i;
            if (c->y < 0) {
                best_free = nd;
                free_col = jj;
                bound = best_free < best_exit ? best_free : best_exit;
            } else {
                heap_push(w->heap, &hn, nd, jj);
            }
        }
        struct heap_item it = { LAP_INF, -1 };
        while (hn > 0) {
            it = heap_pop(w->heap, &hn);
            if (it.key == cs[it.col].d)
                break;
            it.key = LAP_INF;
        }
        bound = best_free < best_exit ? best_free : best_exit;
        if (it.key >= bound || it.key >= LAP_HALF)
            break;
        /* Rows are scattered in memory: start fetching the row of the
         * column most likely to be scanned next while this one is relaxed. */
        if (hn > 0) {
            int32_t ny = cs[w->heap[0].col].y;
            __builtin_prefetch(&g->start[ny]);
        }
        struct col_state *c = &cs[it.col];
        __builtin_prefetch(&g->col[g->start[c->y]]);
        __builtin_prefetch(&g->cost[g->start[c->y]]);
        w->scanned_d[n_scanned] = it.key;
        scanned[n_scanned++] = it.col;
        c->d = COL_SCANNED;
        L->scans++;
        i = c->y;
        h = c->ycost - c->v - it.key;
        if (L->e && L->e[i] < LAP_HALF) {
            int64_t ex = L->e[i] - h;
            if (ex < best_exit) {
                best_exit = ex;
                exit_row = i;
            }
        }
    }
    int rc = 0;
    int64_t dsink;
    if (free_col >= 0 && best_free <= best_exit) {
        dsink = best_free;
    } else if (best_exit < LAP_HALF) {
        dsink = best_exit;
        free_col = -1;
    } else {
        rc = -1;
        goto reset;
    }
    for (int32_t k = 0; k < n_scanned; k++)
        cs[scanned[k]].v += w->scanned_d[k] - dsink;
    if (free_col >= 0) {
        int32_t j = free_col, r;
        do {
            r = cs[j].pred;
            cs[j].y = r;
            cs[j].ycost = edge_cost(g, r, j);
            int32_t jn = x[r];
            x[r] = j;
            j = jn;
        } while (r != f);
    } else {
        int32_t r = exit_row, j = x[r];
        x[r] = ROW_EXITED;
        while (r != f) {
            int32_t r2 = cs[j].pred;
            int32_t jn = x[r2];
            cs[j].y = r2;
            cs[j].ycost = edge_cost(g, r2, j);
            x[r2] = j;
            j = jn;
            r = r2;
        }
    }
reset:
    for (int64_t k = 0; k < nt; k++)
        cs[w->touched[k]].d = LAP_INF;
    return rc;
}

static int sparse_solve(const struct csr *g, struct lap *L, int square_init, struct arena *a)
{
    struct sparse_work w = { 0 };
    int64_t nnz = g->start[L->R];
    w.heap_cap = nnz + 1;
    w.heap = arena_alloc(a, (size_t)w.heap_cap * sizeof *w.heap);
    w.cs = arena_alloc(a, ((size_t)L->C + 1) * sizeof *w.cs);
    w.touched = arena_alloc(a, ((size_t)L->C + 1) * sizeof *w.touched);
    w.scanned_d = arena_alloc(a, ((size_t)L->C + 1) * sizeof *w.scanned_d);
    if (!w.heap || !w.cs || !w.touched || !w.scanned_d)
        return -2;
    if (square_init) {
        if (sparse_square_init(g, L, L->pred) < 0)
            return -1;
    } else {
        sparse_greedy_init(g, L);
    }
    for (int32_t j = 0; j < L->C; j++) {
        int32_t r = L->y[j];
        w.cs[j] = (struct col_state){ LAP_INF, L->v[j], r >= 0 ? L->xcost[r] : 0, -1, r };
    }
    L->sap_rows = L->n_free;
    for (int32_t k = 0; k < L->n_free; k++)
        if (sparse_augment(g, L, &w, L->free_rows[k]) < 0)
            return -1;
    for (int32_t j = 0; j < L->C; j++) {
        L->v[j] = w.cs[j].v;
        L->y[j] = w.cs[j].y;
        if (w.cs[j].y >= 0)
            L->xcost[w.cs[j].y] = w.cs[j].ycost;
    }
    for (int32_t i = 0; i < L->R; i++) {
        if (L->x[i] >= 0)
            L->u[i] = L->xcost[i] - L->v[L->x[i]];
        else
            L->u[i] = L->e ? L->e[i] : 0;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Problem reduction. */

const char *tb_assign_mode_name(enum tb_assign_mode m)
{
    switch (m) {
    case TB_ASSIGN_FULL: return "full";
    case TB_ASSIGN_PARTIAL: return "partial";
    case TB_ASSIGN_MAXCARD: return "maxcard";
    }
    return "?";
}

/* Internal (min-form, shifted) cost of a value, or false when forbidden. */
static inline bool internal_cost(const struct tb_assign_problem *p, int64_t value, int64_t shift,
                                 int64_t *out)
{
    if (value == TB_ASSIGN_FORBIDDEN)
        return false;
    if (p->has_threshold) {
        if (p->sense == TB_ASSIGN_MAX ? value < p->threshold : value > p->threshold)
            return false;
    }
    *out = (p->sense == TB_ASSIGN_MAX ? -value : value) - shift;
    return true;
}

#define OOM(err) tb_error((err), TB_E_INTERNAL_ERROR, "", "out of memory")

/* Arena memory at a cache-line boundary, for the arrays the dense sweeps
 * stream through: unaligned 32-byte accesses would split lines. */
static void *alloc_line(struct arena *a, size_t n)
{
    unsigned char *p = arena_alloc(a, n + 48);
    return p ? p + ((64 - (uintptr_t)p % 64) % 64) : NULL;
}

int tb_assign_solve(const struct tb_assign_problem *p, struct arena *a,
                    struct tb_assign_result *r, struct tb_err *err)
{
    memset(r, 0, sizeof *r);
    if (p->rows < 0 || p->cols < 0)
        return TB_INVALID(err, "rows", "negative size");
    const bool is_dense = p->dense || p->dense32;
    if ((p->dense != NULL) + (p->dense32 != NULL) + (p->edges != NULL) != 1 &&
        (int64_t)p->rows * p->cols > 0)
        return TB_INVALID(err, "", "exactly one of dense, dense32 and edges must be given");
    if (p->mode > TB_ASSIGN_MAXCARD || p->sense > TB_ASSIGN_MAX)
        return TB_INVALID(err, "mode", "unknown mode or sense");
    const bool tr = p->rows > p->cols;
    const int32_t R = tr ? p->cols : p->rows, C = tr ? p->rows : p->cols;
    const int64_t n_edges = is_dense ? (int64_t)p->rows * p->cols : p->n_edges;

    r->row_to_col = arena_alloc(a, ((size_t)p->rows + 1) * sizeof(int32_t));
    r->col_to_row = arena_alloc(a, ((size_t)p->cols + 1) * sizeof(int32_t));
    if (!r->row_to_col || !r->col_to_row)
        return OOM(err);
    for (int32_t i = 0; i < p->rows; i++)
        r->row_to_col[i] = -1;
    for (int32_t j = 0; j < p->cols; j++)
        r->col_to_row[j] = -1;
    if (p->want_duals && p->mode != TB_ASSIGN_MAXCARD) {
        r->row_dual = arena_calloc(a, (size_t)p->rows + 1, sizeof(int64_t));
        r->col_dual = arena_calloc(a, (size_t)p->cols + 1, sizeof(int64_t));
        if (!r->row_dual || !r->col_dual)
            return OOM(err);
    }

    /* Value range over the allowed pairs: decides 32/64-bit costs, the
     * maxcard shift and the overflow check. The common dense case (no
     * transposition, threshold or maxcard shift) also writes the 32-bit
     * cost matrix in the same pass, used if the range fits: the input is
     * read once instead of twice. */
    int64_t lo = INT64_MAX, hi = INT64_MIN, n_allowed = 0;
    const int32_t *m32 = NULL;
    bool m32_forb = false;
    const bool plain = !tr && !p->has_threshold && p->mode != TB_ASSIGN_MAXCARD && n_edges > 0;
    if (p->dense32 && plain && p->sense == TB_ASSIGN_MIN) {
        /* Already the solver's own form: only the range is needed. */
        int32_t lo32 = INT32_MAX, hi32 = INT32_MIN;
        int64_t n_forb = 0;
        for (int64_t k = 0; k < n_edges; k++) {
            int32_t c = p->dense32[k];
            bool f = c == TB_ASSIGN_FORBIDDEN32;
            n_forb += f;
            lo32 = !f && c < lo32 ? c : lo32;
            hi32 = !f && c > hi32 ? c : hi32;
        }
        m32 = p->dense32;
        m32_forb = n_forb > 0;
        n_allowed = n_edges - n_forb;
        lo = lo32;
        hi = hi32;
    } else if (is_dense && plain) {
        int32_t *w = alloc_line(a, (size_t)n_edges * sizeof(int32_t));
        if (!w)
            return OOM(err);
        const int64_t sgn = p->sense == TB_ASSIGN_MAX ? -1 : 1;
        for (int64_t k = 0; k < n_edges; k++) {
            int64_t val = tb_assign_dense_at(p, k);
            if (val == TB_ASSIGN_FORBIDDEN) {
                w[k] = INT32_MAX;
                m32_forb = true;
                continue;
            }
            if (val > TB_ASSIGN_VALUE_MAX || val < -TB_ASSIGN_VALUE_MAX)
                return tb_error(err, TB_E_TOO_LARGE, "value",
                               "value %lld outside +-2^40", (long long)val);
            int64_t c = sgn * val;
            n_allowed++;
            lo = c < lo ? c : lo;
            hi = c > hi ? c : hi;
            w[k] = (int32_t)(uint32_t)(uint64_t)c;   /* used only if all fit */
        }
        m32 = w;
    }
    for (int64_t k = 0; k < n_edges && !m32; k++) {
        int64_t val;
        if (is_dense) {
            val = tb_assign_dense_at(p, k);
        } else {
            const struct tb_assign_edge *e = &p->edges[k];
            if (e->row < 0 || e->row >= p->rows || e->col < 0 || e->col >= p->cols)
                return TB_INVALID(err, "edges", "edge %lld: pair (%d, %d) outside %d x %d",
                                  (long long)k, e->row, e->col, p->rows, p->cols);
            val = e->value;
        }
        if (val == TB_ASSIGN_FORBIDDEN)
            continue;
        if (val > TB_ASSIGN_VALUE_MAX || val < -TB_ASSIGN_VALUE_MAX)
            return tb_error(err, TB_E_TOO_LARGE, "value",
                           "value %lld outside +-2^40", (long long)val);
        int64_t c;
        if (!internal_cost(p, val, 0, &c))
            continue;
        n_allowed++;
        if (c < lo)
            lo = c;
        if (c > hi)
            hi = c;
    }
    if (R == 0)
        return 0;
    if (n_allowed == 0) {
        if (p->mode == TB_ASSIGN_FULL)
            return tb_error(err, TB_E_INFEASIBLE, "",
                           "infeasible: no allowed pair, so the %d %s cannot be assigned",
                           R, tr ? "columns" : "rows");
        lo = hi = 0;
    }
    const int64_t shift = p->mode == TB_ASSIGN_MAXCARD ? lo : 0;
    const int64_t W = hi - lo;
    const int64_t maxabs = (hi - shift > shift - lo ? hi - shift : shift - lo);
    /* Exit cost for maxcard: larger than any total a same-size matching can
     * save, so one more pair always wins (lexicographic objective). */
    const double exit_d = (double)R * (double)W + 1.0;
    const double bound = ((double)R + C + 16.0) * ((double)maxabs + exit_d + W + 1.0) * 64.0;
    if (bound >= (double)((int64_t)1 << 59))
        return tb_error(err, TB_E_TOO_LARGE, "",
                       "value range too large for exact int64 arithmetic at this size");
    const int64_t exit_cost = p->mode == TB_ASSIGN_MAXCARD ? (int64_t)R * W + 1 : 0;

    struct lap L = { 0 };
    L.R = R;
    L.C = C;
    L.cap = W + 1;
    L.v = alloc_line(a, (size_t)C * sizeof(int64_t));
    L.d = alloc_line(a, (size_t)C * sizeof(int64_t));
    L.u = arena_alloc(a, (size_t)R * sizeof(int64_t));
    L.xcost = arena_alloc(a, (size_t)R * sizeof(int64_t));
    L.x = arena_alloc(a, (size_t)C * sizeof(int32_t));   /* C >= R: cnt reuse */
    L.y = arena_alloc(a, (size_t)C * sizeof(int32_t));
    L.col = arena_alloc(a, (size_t)C * sizeof(int32_t));
    L.pred = alloc_line(a, (size_t)C * sizeof(int32_t));
    L.free_rows = arena_alloc(a, (size_t)R * sizeof(int32_t));
    if (!L.v || !L.d || !L.u || !L.xcost || !L.x || !L.y || !L.col || !L.pred || !L.free_rows)
        return OOM(err);
    L.cmin = lo - shift;
    L.span = W;
    if (is_dense) {
        L.vv = alloc_line(a, (size_t)C * sizeof(int64_t));
        L.dsave = arena_alloc(a, (size_t)C * sizeof(int64_t));
        L.vv32 = alloc_line(a, (size_t)C * sizeof(int32_t));
        L.d32 = alloc_line(a, (size_t)C * sizeof(int32_t));
        if (!L.vv || !L.dsave || !L.vv32 || !L.d32)
            return OOM(err);
    }
    if (p->mode != TB_ASSIGN_FULL) {
        int64_t *e = arena_alloc(a, (size_t)R * sizeof(int64_t));
        if (!e)
            return OOM(err);
        for (int32_t i = 0; i < R; i++)
            e[i] = exit_cost;
        L.e = e;
    }
    const bool square_init = (R == C && p->mode == TB_ASSIGN_FULL);

    int rc;
    if (is_dense) {
        const bool narrow = hi - shift < INT32_MAX && lo - shift > INT32_MIN;
        if (m32 && narrow) {
            L.forb = m32_forb;
            rc = dense_solve_32(m32, &L, square_init);
        } else {
            size_t cell = narrow ? sizeof(int32_t) : sizeof(int64_t);
            void *m = alloc_line(a, (size_t)R * (size_t)C * cell);
            if (!m)
                return OOM(err);
            /* Transposing copy in blocks so neither side strides badly. */
            const int32_t B = 64;
            for (int32_t i0 = 0; i0 < R; i0 += B)
                for (int32_t j0 = 0; j0 < C; j0 += B)
                    for (int32_t i = i0; i < i0 + B && i < R; i++)
                        for (int32_t j = j0; j < j0 + B && j < C; j++) {
                            size_t src = tr ? (size_t)j * (size_t)p->cols + (size_t)i
                                            : (size_t)i * (size_t)p->cols + (size_t)j;
                            int64_t c;
                            bool ok = internal_cost(p, tb_assign_dense_at(p, (int64_t)src), shift, &c);
                            size_t dst = (size_t)i * (size_t)C + (size_t)j;
                            L.forb |= !ok;
                            if (narrow)
                                ((int32_t *)m)[dst] = ok ? (int32_t)c : INT32_MAX;
                            else
                                ((int64_t *)m)[dst] = ok ? c : INT64_MAX;
                        }
            rc = narrow ? dense_solve_32(m, &L, square_init) : dense_solve_64(m, &L, square_init);
        }
    } else {
        struct csr g;
        g.start = arena_calloc(a, (size_t)R + 1, sizeof(int64_t));
        if (!g.start)
            return OOM(err);
        for (int64_t k = 0; k < p->n_edges; k++) {
            int64_t c;
            if (internal_cost(p, p->edges[k].value, shift, &c))
                g.start[(tr ? p->edges[k].col : p->edges[k].row) + 1]++;
        }
        for (int32_t i = 0; i < R; i++)
            g.start[i + 1] += g.start[i];
        int64_t nnz = g.start[R];
        g.col = arena_alloc(a, ((size_t)nnz + 1) * sizeof(int32_t));
        g.cost = arena_alloc(a, ((size_t)nnz + 1) * sizeof(int64_t));
        int64_t *fill = arena_alloc(a, ((size_t)R + 1) * sizeof(int64_t));
        if (!g.col || !g.cost || !fill)
            return OOM(err);
        memcpy(fill, g.start, (size_t)R * sizeof(int64_t));
        for (int64_t k = 0; k < p->n_edges; k++) {
            int64_t c;
            const struct tb_assign_edge *e = &p->edges[k];
            if (!internal_cost(p, e->value, shift, &c))
                continue;
            int32_t i = tr ? e->col : e->row, j = tr ? e->row : e->col;
            g.col[fill[i]] = j;
            g.cost[fill[i]++] = c;
        }
        rc = sparse_solve(&g, &L, square_init, a);
        if (rc == -2)
            return OOM(err);
    }
    r->sap_rows = L.sap_rows;
    r->scans = L.scans;
    if (rc < 0)
        return tb_error(err, TB_E_INFEASIBLE, "",
                       "infeasible: no assignment covers all %d %s", R,
                       tr ? "columns" : "rows");

    int64_t total = 0;
    for (int32_t i = 0; i < R; i++) {
        int32_t j = L.x[i];
        if (j < 0)
            continue;
        int64_t value = L.xcost[i] + shift;
        total += p->sense == TB_ASSIGN_MAX ? -value : value;
        r->assigned++;
        if (tr) {
            r->row_to_col[j] = i;
            r->col_to_row[i] = j;
        } else {
            r->row_to_col[i] = j;
            r->col_to_row[j] = i;
        }
    }
    r->total = total;

    if (r->row_dual) {
        /* Internal v of a column left unassigned in a square problem may be
         * anything; LP sign rules only bind on the larger side, which is
         * never square-initialised unless R == C (where no column is free). */
        for (int32_t i = 0; i < R; i++)
            (tr ? r->col_dual : r->row_dual)[i] = L.u[i];
        for (int32_t j = 0; j < C; j++)
            (tr ? r->row_dual : r->col_dual)[j] = L.v[j];
    }
    return 0;
}
