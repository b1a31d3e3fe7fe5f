/*
 * assign_dense.inc.h - the dense LAPJV-style solver, instantiated twice by
 * assign.c: with 32-bit costs (half the memory traffic, used whenever the values
 * fit) and with 64-bit costs. Expects DCOST, DFORB (the forbidden marker of that
 * type), DNARROW (1 for 32-bit costs) and DNAME(x) to be defined; undefines
 * them at the end.
 */

/*
 * Column reduction and reduction transfer (square problems only): v[j] becomes
 * the column minimum and each column goes to its cheapest row when that row is
 * still free. Every assigned row is left tight at its minimum reduced cost.
 */
static int DNAME(dense_square_init)(const DCOST *c, struct lap *L, int32_t *cnt)
{
    const int32_t n = L->C;
    int64_t *v = L->v;
    int32_t *x = L->x, *y = L->y;
    for (int32_t j = 0; j < n; j++) {
        v[j] = LAP_INF;
        y[j] = -1;
    }
    /* Row-major sweep: column minima without striding through memory. */
    for (int32_t i = 0; i < n; i++) {
        const DCOST *row = c + (size_t)i * (size_t)n;
        for (int32_t j = 0; j < n; j++) {
            if (row[j] != DFORB && row[j] < v[j]) {
                v[j] = row[j];
                y[j] = i;
            }
        }
    }
    for (int32_t i = 0; i < n; i++) {
        cnt[i] = 0;
        x[i] = -1;
    }
    /* Reverse order, as in Jonker-Volgenant: it leaves fewer collisions. */
    for (int32_t j = n - 1; j >= 0; j--) {
        int32_t i = y[j];
        if (i < 0)
            return -1 - j;                 /* column without any allowed row */
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
        if (cnt[i] != 1)
            continue;
        /* Transfer: lower v of the row's only column by its second-best margin,
         * clamped so that rows with a single allowed column cannot push a
         * potential towards overflow (any smaller step keeps the row tight). */
        const DCOST *row = c + (size_t)i * (size_t)n;
        int32_t j1 = x[i];
        int64_t m = LAP_INF;
        for (int32_t j = 0; j < n; j++) {
            if (j == j1 || row[j] == DFORB)
                continue;
            int64_t h = (int64_t)row[j] - v[j];
            if (h < m)
                m = h;
        }
        if (m > L->cap)
            m = L->cap;
        v[j1] -= m;
    }
    return 0;
}

/*
 * Augmenting row reduction (passes over the free rows). A free row takes its
 * cheapest column, lowering that column's price up to the row's second-best
 * reduced cost; the row it displaces continues at once, within a step budget
 * per pass, or waits for the next pass. Whatever is still free goes to the
 * shortest-path phase.
 *
 * How many passes: a step costs one row sweep, as a Dijkstra scan does, and
 * a search late in the solve scans a large share of the rows (about half of
 * them on the low-rank benchmark class, where JV's fixed two passes left 55%
 * of the rows free and the searches then did 95% of the work). So passes go
 * on while they place a row for at most ARR_COST(n) sweeps. The pass that
 * fails the test costs at most ARR_COST(n) + 1 sweeps per row it started
 * with, about what the searches for those rows cost anyway, so the total
 * stays O(n^2) sweeps. Prices only fall here, each step by at most cap: the
 * lowest price may fall by 16 (n + 4) cap in all (what the former fixed
 * budget allowed), which keeps the overflow analysis of tb_assign_solve.
 */
#ifndef ARR_COST                           /* both instantiations share it */
#define ARR_COST(n) ((int64_t)(n) / 2 + 1)
#endif
static int DNAME(dense_arr)(const DCOST *c, struct lap *L)
{
    const int32_t n = L->C;
    int64_t *v = L->v;
    int32_t *x = L->x, *y = L->y, *fr = L->free_rows;
    int64_t vmin = LAP_INF, vmax = -LAP_INF;
    for (int32_t j = 0; j < n; j++) {
        vmin = v[j] < vmin ? v[j] : vmin;
        vmax = v[j] > vmax ? v[j] : vmax;
    }
    const int64_t vfloor = vmin - 16 * ((int64_t)n + 4) * L->cap;
#if DNARROW
    /* c - v in 32 bits while every value fits (see top2_narrow); vv32 is
     * free until the shortest-path phase. */
    int32_t *v32 = L->vv32;
    for (int32_t j = 0; j < n; j++)
        v32[j] = (int32_t)(uint32_t)(uint64_t)v[j];
#endif
    bool more = true;
    while (more && L->n_free > 0) {
        int32_t k = 0, prev = L->n_free, nf = 0;
        int64_t budget = prev * ARR_COST(n), sweeps = 0;
        while (k < prev) {
            int32_t i = fr[k++];
            sweeps++;
            const DCOST *row = c + (size_t)i * (size_t)n;
            struct lap_top2 t = { LAP_INF, LAP_INF, -1, -1 };
#if DNARROW
            if (L->cmin + L->span - vmin < INT32_MAX && L->cmin - vmax > INT32_MIN) {
                t = top2_narrow(row, v32, n, L->forb);
            } else
#endif
            {
                for (int32_t j = 0; j < n; j++) {
                    if (row[j] == DFORB)
                        continue;
                    lap_top2_push(&t, (int64_t)row[j] - v[j], j);
                }
            }
            int64_t u1 = t.u1, u2 = t.u2;
            int32_t j1 = t.j1, j2 = t.j2;
            if (j1 < 0)
                return -1 - i;             /* row without any allowed column */
            int32_t i0 = y[j1];
            if (u1 < u2) {
                int64_t delta = u2 - u1;
                if (delta > L->cap)
                    delta = L->cap;
                v[j1] -= delta;
                vmin = v[j1] < vmin ? v[j1] : vmin;
#if DNARROW
                v32[j1] = (int32_t)(uint32_t)(uint64_t)v[j1];
#endif
            } else if (i0 >= 0 && j2 >= 0) {
                j1 = j2;
                i0 = y[j2];
            }
            x[i] = j1;
            y[j1] = i;
            if (i0 >= 0) {
                x[i0] = -1;
                if (u1 < u2 && budget-- > 0)
                    fr[--k] = i0;
                else
                    fr[nf++] = i0;
            }
            if (vmin < vfloor) {
                /* nf <= k: the rows not reached yet move down intact */
                memmove(fr + nf, fr + k, (size_t)(prev - k) * sizeof *fr);
                nf += prev - k;
                more = false;
                break;
            }
        }
        L->n_free = nf;
        more = more && (int64_t)(prev - nf) * ARR_COST(n) >= sweeps;
    }
    return 0;
}

/* Greedy start for rectangular problems and problems with exits: v = 0 and
 * each row takes its cheapest column if free (or leaves at once when its exit
 * is cheaper than any column). Keeps every reduced cost >= 0. */
static void DNAME(dense_greedy_init)(const DCOST *c, struct lap *L)
{
    const int32_t R = L->R, C = L->C;
    for (int32_t j = 0; j < C; j++) {
        L->v[j] = 0;
        L->y[j] = -1;
    }
    L->n_free = 0;
    for (int32_t i = 0; i < R; i++) {
        const DCOST *row = c + (size_t)i * (size_t)C;
        int64_t best = LAP_INF;
        int32_t bj = -1;
        for (int32_t j = 0; j < C; j++) {
            if (row[j] != DFORB && row[j] < best) {
                best = row[j];
                bj = j;
            }
        }
        L->x[i] = -1;
        int64_t ex = L->e ? L->e[i] : LAP_INF;
        if (ex < best) {
            L->x[i] = ROW_EXITED;
        } else if (bj >= 0 && L->y[bj] < 0) {
            L->x[i] = bj;
            L->y[bj] = i;
        } else {
            L->free_rows[L->n_free++] = i;
        }
    }
}

/*
 * Relaxes every column from row i and returns the unscanned column with the
 * smallest key. Keys encode distance and kind, key = 2 * d + (column assigned),
 * so one unsigned minimum yields the nearest column and, among equally near
 * ones, a free column first (it ends the search without another scan), then
 * the lowest index. vv holds 2 * v - (column assigned) and h2 = 2 * h, so the
 * candidate key is 2 * c - vv - h2 without any per-column branch. Scanned
 * columns hold key -1: no candidate is below it (see dense_augment) and as
 * unsigned it is never the minimum, so the sweep covers all C columns in
 * contiguous order and vectorises, with no index list. A column whose key
 * drops is labelled with row i in pred.
 */
static LAP_CLONES struct lap_pick DNAME(relax_wide)(const DCOST *ri, const int64_t *vv,
                                                     int64_t *d, int32_t *pred, int32_t C,
                                                     uint64_t h2, int32_t i)
{
    const lap_uq2 H = (lap_uq2){ 0 } + h2;
    const lap_d2 I = (lap_d2){ 0 } + i;
    const lap_q2 SIGN = (lap_q2){ 0 } + INT64_MIN;
    lap_q2 idx = { 0, 1 };
    lap_q2 bk = (lap_q2){ 0 } + INT64_MAX, bi = (lap_q2){ 0 } - 1;
    int32_t j = 0;
    for (; j + 2 <= C; j += 2) {
        __builtin_prefetch(ri + lap_pf(j, C));
#if DNARROW
        lap_d2 c32;
        memcpy(&c32, ri + j, sizeof c32);
        lap_q2 c = __builtin_convertvector(c32, lap_q2);
        lap_q2 ok = __builtin_convertvector(c32 != DFORB, lap_q2);
#else
        lap_q2 c;
        memcpy(&c, ri + j, sizeof c);
        lap_q2 ok = c != DFORB;
#endif
        lap_q2 w, dd;
        lap_d2 p;
        memcpy(&w, vv + j, sizeof w);
        memcpy(&dd, d + j, sizeof dd);
        memcpy(&p, pred + j, sizeof p);
        lap_q2 v2 = (lap_q2)((lap_uq2)c + (lap_uq2)c - (lap_uq2)w - H);
        lap_q2 upd = (v2 < dd) & ok;
        lap_d2 upd32 = __builtin_convertvector(upd, lap_d2);
        dd = LAP_SEL(upd, v2, dd);
        p = LAP_SEL(upd32, I, p);
        memcpy(d + j, &dd, sizeof dd);
        memcpy(pred + j, &p, sizeof p);
        lap_q2 k = dd ^ SIGN;              /* unsigned order for a signed compare */
        lap_q2 lt = k < bk;
        bk = LAP_SEL(lt, k, bk);
        bi = LAP_SEL(lt, idx, bi);
        idx += 2;
    }
    struct lap_pick best = { UINT64_MAX, -1 };
    for (int l = 0; l < 2; l++) {
        uint64_t key = (uint64_t)(bk[l] ^ INT64_MIN);
        if (key < best.key || (key == best.key && bi[l] < best.col)) {
            best.key = key;
            best.col = (int32_t)bi[l];
        }
    }
    for (; j < C; j++) {
        int64_t v2 = (int64_t)(2u * (uint64_t)ri[j] - (uint64_t)vv[j] - h2);
        if (ri[j] != DFORB && v2 < d[j]) {
            d[j] = v2;
            pred[j] = i;
        }
        if ((uint64_t)d[j] < best.key) {
            best.key = (uint64_t)d[j];
            best.col = j;
        }
    }
    return best;
}

/*
 * One shortest augmenting path from free row f: Dijkstra on reduced costs,
 * one column at a time. Each step sweeps the row of the nearest unscanned
 * column over all columns (relax_wide, or relax_narrow when the values fit in
 * 32 bits) and returns the next nearest; with reduced costs >= 0 its distance
 * is final. A free column is the sink; among equally near columns a free one
 * comes first, which ends the search as early as JV's scan of a whole
 * distance level does. The exit of a row reached on the way is the other
 * kind of sink. Returns 0, or -1 when f cannot be placed.
 *
 * Why scanned columns can stay in the sweep: distances are shifted by m0, the
 * smallest c[f][j] - v[j], so every distance is >= 0. A scanned row i is
 * assigned and tight at its minimum reduced cost (an invariant of the
 * reductions and of the potential update below), so with
 * h = c[i][x[i]] - v[x[i]] - dmin every candidate c[i][j] - v[j] - h is
 * >= dmin >= 0 > -1, the key of a scanned column. Each of the at most R scans
 * costs one O(C) sweep, as before; the result is the same optimum, and ties
 * are broken by the key order alone, so the output is deterministic.
 */
static int DNAME(dense_augment)(const DCOST *c, struct lap *L, int32_t f)
{
    const int32_t C = L->C;
    int64_t *v = L->v, *vv = L->vv, *d = L->d, *dsave = L->dsave;
    int32_t *x = L->x, *y = L->y, *col = L->col, *pred = L->pred;
    const DCOST *rf = c + (size_t)f * (size_t)C;
    int64_t m0 = LAP_INF, mfree = LAP_INF, vmin = LAP_INF, vmax = -LAP_INF;
    for (int32_t j = 0; j < C; j++) {
        int64_t assigned = y[j] >= 0;
        vv[j] = 2 * v[j] - assigned;
        vmin = v[j] < vmin ? v[j] : vmin;
        vmax = v[j] > vmax ? v[j] : vmax;
        if (rf[j] == DFORB)
            continue;
        int64_t r = (int64_t)rf[j] - v[j];
        m0 = r < m0 ? r : m0;
        if (!assigned && r < mfree)
            mfree = r;
    }
    if (m0 == LAP_INF)
        m0 = 0;                            /* only the exit, if any */
    int64_t best_exit = L->e ? L->e[f] - m0 : LAP_INF;
    int32_t exit_scan = -1;
    bool narrow = false;
#if DNARROW
    /*
     * 32-bit keys are exact when every key that can arise is below INT32_MAX.
     * No scanned distance exceeds reach, the distance of a sink known now; a
     * scanned row's u = c - v is at least min c - max v, and a candidate is
     * at most max c - min v - u + dmin <= span + (vmax - vmin) + reach.
     */
    int64_t reach = mfree < LAP_INF ? mfree - m0 : LAP_INF;
    reach = best_exit < reach ? best_exit : reach;
    narrow = reach < LAP_HALF && 2 * (L->span + (vmax - vmin) + reach) + 1 < INT32_MAX;
#endif
    int32_t *d32 = L->d32, *vv32 = L->vv32;
    if (narrow) {
        for (int32_t j = 0; j < C; j++) {
            vv32[j] = (int32_t)(uint32_t)(uint64_t)vv[j];
            d32[j] = INT32_MAX;
            pred[j] = f;
        }
    } else {
        for (int32_t j = 0; j < C; j++) {
            d[j] = LAP_INF;
            pred[j] = f;
        }
    }
    int32_t n_scan = 0, i = f, sink = -1;
    int64_t h = m0, dsink;
    const DCOST *ri = rf;
    for (;;) {
        struct lap_pick pk;
#if DNARROW
        if (narrow) {
            pk = relax_narrow(ri, vv32, d32, pred, C, (uint32_t)(2 * (uint64_t)h), i, L->forb);
            if (pk.key >= INT32_MAX)
                pk.key = UINT64_MAX;
        } else
#endif
        {
            pk = DNAME(relax_wide)(ri, vv, d, pred, C, 2 * (uint64_t)h, i);
        }
        if (pk.key >= (uint64_t)2 * LAP_HALF)
            goto no_column;
        int64_t dmin = (int64_t)(pk.key >> 1);
        if (best_exit <= dmin) {
            dsink = best_exit;
            goto to_exit;
        }
        int32_t j1 = pk.col;
        if ((pk.key & 1) == 0) {
            sink = j1;
            dsink = dmin;
            goto to_column;
        }
        if (narrow)
            d32[j1] = -1;
        else
            d[j1] = -1;
        i = y[j1];
        ri = c + (size_t)i * (size_t)C;
        /* The row is almost never in L1: overlap the fetch of its first
         * lines, which the sweep needs at once, with that of ri[j1]. */
        for (int32_t t = 0; t < LAP_PF && t < C; t += 64 / (int32_t)sizeof *ri)
            __builtin_prefetch(ri + t);
        h = (int64_t)ri[j1] - v[j1] - dmin;
        col[n_scan] = j1;
        dsave[n_scan++] = dmin;
        L->scans++;
        if (L->e && L->e[i] < LAP_HALF) {
            int64_t ex = L->e[i] - h;
            if (ex < best_exit) {
                best_exit = ex;
                exit_scan = n_scan - 1;
            }
            if (best_exit == dmin) {
                dsink = dmin;
                goto to_exit;
            }
        }
    }
no_column:
    if (best_exit >= LAP_HALF)
        return -1;
    dsink = best_exit;
to_exit:
    /* The path ends at the exit of the row of scan exit_scan, or of f. */
    for (int32_t k = 0; k < n_scan; k++)
        v[col[k]] += dsave[k] - dsink;
    {
        int32_t r = exit_scan >= 0 ? y[col[exit_scan]] : f, j = x[r];
        x[r] = ROW_EXITED;
        while (r != f) {
            int32_t r2 = pred[j];
            int32_t jn = x[r2];
            y[j] = r2;
            x[r2] = j;
            j = jn;
            r = r2;
        }
    }
    return 0;
to_column:
    for (int32_t k = 0; k < n_scan; k++)
        v[col[k]] += dsave[k] - dsink;
    {
        int32_t j = sink, r;
        do {
            r = pred[j];
            y[j] = r;
            int32_t jn = x[r];
            x[r] = j;
            j = jn;
        } while (r != f);
    }
    return 0;
}

/* Runs the whole dense solve on an internal min-cost matrix (R <= C). */
static int DNAME(dense_solve)(const DCOST *c, struct lap *L, int square_init)
{
    if (square_init) {
        int rc = DNAME(dense_square_init)(c, L, L->pred);
        if (rc < 0)
            return rc;
        rc = DNAME(dense_arr)(c, L);
        if (rc < 0)
            return rc;
    } else {
        DNAME(dense_greedy_init)(c, L);
    }
    L->sap_rows = L->n_free;
    for (int32_t k = 0; k < L->n_free; k++) {
        int32_t f = L->free_rows[k];
        if (DNAME(dense_augment)(c, L, f) < 0)
            return -1 - f;
    }
    /* u: assigned rows are tight, exited rows sit at their exit cost. */
    for (int32_t i = 0; i < L->R; i++) {
        if (L->x[i] >= 0) {
            int64_t cij = c[(size_t)i * (size_t)L->C + (size_t)L->x[i]];
            L->u[i] = cij - L->v[L->x[i]];
            L->xcost[i] = cij;
        } else {
            L->u[i] = L->e ? L->e[i] : 0;
            L->xcost[i] = 0;
        }
    }
    return 0;
}

#undef DCOST
#undef DFORB
#undef DNARROW
#undef DNAME
