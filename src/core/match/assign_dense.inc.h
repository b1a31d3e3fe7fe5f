/*
 * assign_dense.inc.h - the dense LAPJV-style solver, instantiated twice by
 * assign.c: with 32-bit costs (half the memory traffic, used whenever the values
 * fit) and with 64-bit costs. Expects DCOST, DFORB (the forbidden marker of that
 * type) and DNAME(x) to be defined; undefines them at the end.
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
 * Augmenting row reduction (two passes over the free rows). A free row takes
 * its cheapest column, lowering that column's price up to the row's second-best
 * reduced cost; the row it displaces continues at once. Bounded by a step
 * budget; whatever is still free goes to the shortest-path phase.
 */
static int DNAME(dense_arr)(const DCOST *c, struct lap *L)
{
    const int32_t n = L->C;
    int64_t *v = L->v;
    int32_t *x = L->x, *y = L->y, *fr = L->free_rows;
    int64_t budget = 16 * (int64_t)n + 64;
    for (int pass = 0; pass < 2; pass++) {
        int32_t k = 0, prev = L->n_free, nf = 0;
        while (k < prev) {
            int32_t i = fr[k++];
            const DCOST *row = c + (size_t)i * (size_t)n;
            int64_t u1 = LAP_INF, u2 = LAP_INF;
            int32_t j1 = -1, j2 = -1;
            for (int32_t j = 0; j < n; j++) {
                if (row[j] == DFORB)
                    continue;
                int64_t h = (int64_t)row[j] - v[j];
                if (h < u2) {
                    if (h >= u1) {
                        u2 = h;
                        j2 = j;
                    } else {
                        u2 = u1;
                        j2 = j1;
                        u1 = h;
                        j1 = j;
                    }
                }
            }
            if (j1 < 0)
                return -1 - i;             /* row without any allowed column */
            int32_t i0 = y[j1];
            if (u1 < u2) {
                int64_t delta = u2 - u1;
                if (delta > L->cap)
                    delta = L->cap;
                v[j1] -= delta;
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
        }
        L->n_free = nf;
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
 * One shortest augmenting path from free row f (Dijkstra on reduced costs, the
 * JV way: all columns at the current minimum distance are collected and
 * scanned before the next minimum is searched, so an unassigned column at that
 * distance ends the search early). The sink is a free column or the exit of a
 * row reached on the way. Returns 0, or -1 when f cannot be placed.
 */
static int DNAME(dense_augment)(const DCOST *c, struct lap *L, int32_t f)
{
    const int32_t C = L->C;
    int64_t *v = L->v, *d = L->d;
    int32_t *x = L->x, *y = L->y, *col = L->col, *pred = L->pred;
    const DCOST *rf = c + (size_t)f * (size_t)C;
    for (int32_t j = 0; j < C; j++) {
        col[j] = j;
        pred[j] = f;
        d[j] = rf[j] == DFORB ? LAP_INF : (int64_t)rf[j] - v[j];
    }
    int64_t best_exit = L->e ? L->e[f] : LAP_INF;
    int32_t exit_row = f;
    int32_t low = 0, up = 0, sink = -1;
    int64_t dmin = 0, dsink;
    for (;;) {
        if (up == low) {
            if (low == C)
                goto no_column;
            int64_t m = LAP_INF;
            int32_t hi = low;
            for (int32_t k = low; k < C; k++) {
                int32_t j = col[k];
                int64_t h = d[j];
                if (h <= m) {
                    if (h < m) {
                        hi = low;
                        m = h;
                    }
                    col[k] = col[hi];
                    col[hi++] = j;
                }
            }
            if (m >= LAP_HALF)
                goto no_column;
            if (best_exit <= m) {
                dsink = best_exit;
                goto to_exit;
            }
            up = hi;
            dmin = m;
            for (int32_t k = low; k < up; k++) {
                if (y[col[k]] < 0) {
                    sink = col[k];
                    dsink = dmin;
                    goto to_column;
                }
            }
        }
        int32_t j1 = col[low++];
        int32_t i = y[j1];
        const DCOST *ri = c + (size_t)i * (size_t)C;
        int64_t h = (int64_t)ri[j1] - v[j1] - dmin;
        L->scans++;
        if (L->e && L->e[i] < LAP_HALF) {
            int64_t ex = L->e[i] - h;
            if (ex < best_exit) {
                best_exit = ex;
                exit_row = i;
            }
            if (best_exit == dmin) {
                dsink = dmin;
                goto to_exit;
            }
        }
        for (int32_t k = up; k < C; k++) {
            int32_t j = col[k];
            DCOST cij = ri[j];
            if (cij == DFORB)
                continue;
            int64_t v2 = (int64_t)cij - v[j] - h;
            int64_t old = d[j];
            if (v2 >= old)
                continue;
            d[j] = v2;
            pred[j] = i;
            if (v2 == dmin) {
                if (y[j] < 0) {
                    sink = j;
                    dsink = dmin;
                    goto to_column;
                }
                col[k] = col[up];
                col[up++] = j;
            }
        }
    }
no_column:
    if (best_exit >= LAP_HALF)
        return -1;
    dsink = best_exit;
to_exit:
    for (int32_t k = 0; k < low; k++)
        v[col[k]] += d[col[k]] - dsink;
    {
        int32_t i = exit_row, j = x[i];
        x[i] = ROW_EXITED;
        while (i != f) {
            int32_t i2 = pred[j];
            int32_t jn = x[i2];
            y[j] = i2;
            x[i2] = j;
            j = jn;
            i = i2;
        }
    }
    return 0;
to_column:
    for (int32_t k = 0; k < low; k++)
        v[col[k]] += d[col[k]] - dsink;
    {
        int32_t j = sink, i;
        do {
            i = pred[j];
            y[j] = i;
            int32_t jn = x[i];
            x[i] = j;
            j = jn;
        } while (i != f);
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
#undef DNAME
