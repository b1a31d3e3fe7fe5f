/*
 * assign_narrow.inc.h - the dense solver's 32-bit kernels, instantiated by
 * assign.c once per vector width. Expects KW (lanes), KNAME(x) and KTARGET
 * (a function attribute, possibly empty) to be defined; undefines them at
 * the end.
 */

typedef int32_t KNAME(vd) __attribute__((vector_size(4 * KW)));
typedef uint32_t KNAME(vu) __attribute__((vector_size(4 * KW)));

/*
 * relax_wide (in assign_dense.inc.h, which explains the keys) with 32-bit
 * costs and 32-bit keys, for searches whose keys provably stay in
 * [0, INT32_MAX) (the caller checks; unreached columns hold INT32_MAX): twice
 * the lanes per vector and half the memory traffic. The sums wrap, and as
 * their true values are in range the wrapped ones are exact; a forbidden
 * pair's candidate becomes INT32_MAX, which never wins. Scanned columns hold
 * -1 and count as INT32_MAX ("nothing") for the minimum. That minimum is
 * tracked per lane and per block of 64 columns only: the first block holding
 * the smallest key is the lowest block number among the lanes that hold it,
 * and one pass over that block finds the first such column.
 */
KTARGET static struct lap_pick KNAME(relax_narrow)(const int32_t *ri, const int32_t *vv,
                                                    int32_t *d, int32_t *pred, int32_t C,
                                                    uint32_t h2, int32_t i, bool forb)
{
    typedef KNAME(vd) vd;
    typedef KNAME(vu) vu;
    const vu H = (vu){ 0 } + h2;
    const vd I = (vd){ 0 } + i, KMAX = (vd){ 0 } + INT32_MAX;
    vd bk = KMAX, bb = (vd){ 0 } - 1;
    int32_t j = 0;
    while (j + KW <= C) {
        const int32_t b = j, e = C - j >= 64 ? j + 64 : C - (KW - 1);
        for (int t = 0; t < 64; t += 16)
            __builtin_prefetch(ri + lap_pf(j + t, C));
        vd m = KMAX;
        for (; j < e; j += KW) {
            vd c, w, dd, p;
            memcpy(&c, ri + j, sizeof c);
            memcpy(&w, vv + j, sizeof w);
            memcpy(&dd, d + j, sizeof dd);
            memcpy(&p, pred + j, sizeof p);
            vd v2 = (vd)((vu)c + (vu)c - (vu)w - H);
            if (forb)
                v2 = LAP_SEL(c == KMAX, KMAX, v2);
            vd upd = v2 < dd;
            dd = LAP_SEL(upd, v2, dd);
            p = LAP_SEL(upd, I, p);
            memcpy(d + j, &dd, sizeof dd);
            memcpy(pred + j, &p, sizeof p);
            vd k = dd & KMAX;
            m = LAP_SEL(k < m, k, m);
        }
        vd lt = m < bk;
        bk = LAP_SEL(lt, m, bk);
        bb = LAP_SEL(lt, (vd){ 0 } + b, bb);
    }
    struct lap_pick best = { INT32_MAX, -1 };
    int32_t blk = -1;
    for (int l = 0; l < KW; l++) {
        if ((uint64_t)bk[l] < best.key || ((uint64_t)bk[l] == best.key && bb[l] < blk)) {
            best.key = (uint64_t)bk[l];
            blk = bb[l];
        }
    }
    if (best.key < INT32_MAX) {
        for (int32_t t = blk;; t++) {
            if (d[t] == (int32_t)best.key) {
                best.col = t;
                break;
            }
        }
    }
    for (; j < C; j++) {
        int32_t v2 = (int32_t)(2u * (uint32_t)ri[j] - (uint32_t)vv[j] - h2);
        if (ri[j] != INT32_MAX && v2 < d[j]) {
            d[j] = v2;
            pred[j] = i;
        }
        if ((uint64_t)(d[j] & INT32_MAX) < best.key) {
            best.key = (uint64_t)d[j];
            best.col = j;
        }
    }
    return best;
}

/*
 * The two cheapest columns of a row for augmenting row reduction, with the
 * result of the scalar loop there: the first two in (value, index) order.
 * h = c - v in 32 bits (v32 = v modulo 2^32): the caller has checked that
 * every true h lies in (INT32_MIN, INT32_MAX), so the wrapped one is exact
 * and INT32_MAX can stand for a forbidden pair. Each lane keeps its own first
 * two; the overall first two are among those 2 * KW.
 */
KTARGET static struct lap_top2 KNAME(top2_narrow)(const int32_t *row, const int32_t *v32,
                                                   int32_t C, bool forb)
{
    typedef KNAME(vd) vd;
    typedef KNAME(vu) vu;
    const vd KMAX = (vd){ 0 } + INT32_MAX;
    vd u1 = KMAX, u2 = KMAX, j1 = (vd){ 0 } - 1, j2 = j1, idx;
    for (int l = 0; l < KW; l++)
        idx[l] = l;
    int32_t j = 0;
    for (; j + KW <= C; j += KW) {
        __builtin_prefetch(row + lap_pf(j, C));
        vd c, w;
        memcpy(&c, row + j, sizeof c);
        memcpy(&w, v32 + j, sizeof w);
        vd h = (vd)((vu)c - (vu)w);
        if (forb)
            h = LAP_SEL(c == KMAX, KMAX, h);
        vd lt1 = h < u1, lt2 = h < u2;
        u2 = LAP_SEL(lt1, u1, LAP_SEL(lt2, h, u2));
        j2 = LAP_SEL(lt1, j1, LAP_SEL(lt2, idx, j2));
        u1 = LAP_SEL(lt1, h, u1);
        j1 = LAP_SEL(lt1, idx, j1);
        idx += KW;
    }
    struct lap_top2 t = { LAP_INF, LAP_INF, -1, -1 };
    for (int l = 0; l < 2 * KW; l++) {
        int64_t u = l < KW ? u1[l] : u2[l - KW];
        int32_t jj = l < KW ? j1[l] : j2[l - KW];
        if (lap_before(u, jj, t.u1, t.j1)) {
            t.u2 = t.u1;
            t.j2 = t.j1;
            t.u1 = u;
            t.j1 = jj;
        } else if (lap_before(u, jj, t.u2, t.j2)) {
            t.u2 = u;
            t.j2 = jj;
        }
    }
    for (; j < C; j++) {
        if (row[j] == INT32_MAX)
            continue;
        int64_t h = (int32_t)((uint32_t)row[j] - (uint32_t)v32[j]);
        lap_top2_push(&t, h, j);
    }
    return t;
}

#undef KW
#undef KNAME
#undef KTARGET
