/*
 * stable.c - hospitals/residents deferred acceptance (either side proposing),
 * tie-breaking, the blocking-pair certificate and explanation records.
 * Everything is O(total list length) apart from O(log capacity) per accepted
 * proposal (candidate-proposing keeps a max-heap of ranks per position).
 */
#include "core/match/stable.h"

#include <stdlib.h>
#include <string.h>

struct tb_stable_state {
    int32_t *cl, *pl;        /* tie-broken lists, same offsets as the problem */
    int32_t *cg, *pg;        /* tie group of each entry */
    int32_t *c_prank;        /* candidate entry -> index of the candidate in that position's list, -1 */
    int32_t *p_crank;        /* position entry -> index of the position in that candidate's list, -1 */
    enum tb_tie_rule rule;
};

#define OOM(err) tb_error((err), TB_E_INTERNAL_ERROR, "", "out of memory")

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

struct tb_key {
    uint64_t key;
    int32_t id;
};

static int key_cmp(const void *a, const void *b)
{
    const struct tb_key *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* side 0 = the ids are candidates, 1 = positions. */
static uint64_t tie_key(const struct tb_stable_options *o, int side, int32_t id)
{
    if (o->tie_rule == TB_TIE_BY_ID)
        return (uint64_t)id;
    return splitmix64(o->seed ^ splitmix64(((uint64_t)id << 1) | (uint64_t)side));
}

/* Orders every run of tied entries by the tie key. */
static int break_ties(int32_t *list, const int32_t *group, int64_t n, int side,
                      const struct tb_stable_options *o, struct tb_key *tmp)
{
    int64_t k = 0;
    while (k < n) {
        int64_t e = k + 1;
        while (e < n && group[e] == group[k])
            e++;
        if (e - k > 1) {
            for (int64_t t = k; t < e; t++) {
                tmp[t - k].key = tie_key(o, side, list[t]);
                tmp[t - k].id = list[t];
            }
            qsort(tmp, (size_t)(e - k), sizeof *tmp, key_cmp);
            for (int64_t t = k; t < e; t++)
                list[t] = tmp[t - k].id;
        }
        k = e;
    }
    return 0;
}

int tb_hr_validate(const struct tb_hr_problem *p, struct arena *a, struct tb_err *err)
{
    if (p->n_cand < 0 || p->n_pos < 0)
        return TB_INVALID(err, "", "negative size");
    if (!p->cand_start || !p->pos_start || (p->n_pos && !p->capacity))
        return TB_INVALID(err, "", "lists missing");
    int32_t n = p->n_cand > p->n_pos ? p->n_cand : p->n_pos;
    int32_t *seen = arena_alloc(a, ((size_t)n + 1) * sizeof *seen);
    if (!seen)
        return OOM(err);
    for (int side = 0; side < 2; side++) {
        int32_t owners = side ? p->n_pos : p->n_cand, other = side ? p->n_cand : p->n_pos;
        const int64_t *st = side ? p->pos_start : p->cand_start;
        const int32_t *li = side ? p->pos_list : p->cand_list;
        const int32_t *rk = side ? p->pos_rank : p->cand_rank;
        const char *who = side ? "position" : "candidate";
        for (int32_t j = 0; j < n; j++)
            seen[j] = -1;
        if (st[0] != 0)
            return TB_INVALID(err, "", "list offsets must start at 0");
        for (int32_t i = 0; i < owners; i++) {
            if (st[i + 1] < st[i])
                return TB_INVALID(err, "", "%s %d: list offsets decrease", who, i);
            if (side && p->capacity[i] < 0)
                return TB_INVALID(err, "capacity", "position %d: negative capacity", i);
            for (int64_t k = st[i]; k < st[i + 1]; k++) {
                int32_t id = li[k];
                if (id < 0 || id >= other)
                    return TB_INVALID(err, "", "%s %d lists %d, outside 0..%d", who, i, id,
                                      other - 1);
                if (seen[id] == i)
                    return TB_INVALID(err, "", "%s %d lists %d twice", who, i, id);
                seen[id] = i;
                if (rk && k > st[i] && rk[k] < rk[k - 1])
                    return TB_INVALID(err, "", "%s %d: ranks must not decrease", who, i);
            }
        }
    }
    return 0;
}

static int build_state(const struct tb_hr_problem *p, const struct tb_stable_options *o,
                       struct arena *a, struct tb_stable_state **out, struct tb_err *err)
{
    const int32_t nc = p->n_cand, np = p->n_pos;
    const int64_t cn = p->cand_start[nc], pn = p->pos_start[np];
    struct tb_stable_state *s = arena_calloc(a, 1, sizeof *s);
    if (!s)
        return OOM(err);
    s->rule = o->tie_rule;
    s->cl = arena_alloc(a, ((size_t)cn + 1) * sizeof(int32_t));
    s->pl = arena_alloc(a, ((size_t)pn + 1) * sizeof(int32_t));
    s->cg = arena_alloc(a, ((size_t)cn + 1) * sizeof(int32_t));
    s->pg = arena_alloc(a, ((size_t)pn + 1) * sizeof(int32_t));
    s->c_prank = arena_alloc(a, ((size_t)cn + 1) * sizeof(int32_t));
    s->p_crank = arena_alloc(a, ((size_t)pn + 1) * sizeof(int32_t));
    if (!s->cl || !s->pl || !s->cg || !s->pg || !s->c_prank || !s->p_crank)
        return OOM(err);
    memcpy(s->cl, p->cand_list, (size_t)cn * sizeof(int32_t));
    memcpy(s->pl, p->pos_list, (size_t)pn * sizeof(int32_t));
    if (p->cand_rank)
        memcpy(s->cg, p->cand_rank, (size_t)cn * sizeof(int32_t));
    if (p->pos_rank)
        memcpy(s->pg, p->pos_rank, (size_t)pn * sizeof(int32_t));
    if (!p->cand_rank)    /* no ties: every entry its own group */
        for (int32_t c = 0; c < nc; c++)
            for (int64_t k = p->cand_start[c]; k < p->cand_start[c + 1]; k++)
                s->cg[k] = (int32_t)(k - p->cand_start[c]);
    if (!p->pos_rank)
        for (int32_t q = 0; q < np; q++)
            for (int64_t k = p->pos_start[q]; k < p->pos_start[q + 1]; k++)
                s->pg[k] = (int32_t)(k - p->pos_start[q]);

    /* Longest list bounds the tie scratch. */
    int64_t longest = 1;
    for (int32_t c = 0; c < nc; c++)
        if (p->cand_start[c + 1] - p->cand_start[c] > longest)
            longest = p->cand_start[c + 1] - p->cand_start[c];
    for (int32_t q = 0; q < np; q++)
        if (p->pos_start[q + 1] - p->pos_start[q] > longest)
            longest = p->pos_start[q + 1] - p->pos_start[q];
    struct tb_key *tmp = arena_alloc(a, (size_t)longest * sizeof *tmp);
    if (!tmp)
        return OOM(err);
    if (p->cand_rank)
        for (int32_t c = 0; c < nc; c++)
            break_ties(s->cl + p->cand_start[c], s->cg + p->cand_start[c],
                       p->cand_start[c + 1] - p->cand_start[c], 1, o, tmp);
    if (p->pos_rank)
        for (int32_t q = 0; q < np; q++)
            break_ties(s->pl + p->pos_start[q], s->pg + p->pos_start[q],
                       p->pos_start[q + 1] - p->pos_start[q], 0, o, tmp);

    /*
     * Join the two sides in linear time: group candidate entries by the
     * position they name, then for each position mark its own list in a
     * scratch array indexed by candidate and read both ranks off it.
     */
    int64_t *rs = arena_calloc(a, (size_t)np + 1, sizeof(int64_t));
    int64_t *rev = arena_alloc(a, ((size_t)cn + 1) * sizeof(int64_t));
    int32_t *rev_c = arena_alloc(a, ((size_t)cn + 1) * sizeof(int32_t));
    int32_t *mark = arena_alloc(a, ((size_t)nc + 1) * sizeof(int32_t));
    if (!rs || !rev || !rev_c || !mark)
        return OOM(err);
    for (int64_t k = 0; k < cn; k++)
        rs[s->cl[k] + 1]++;
    for (int32_t q = 0; q < np; q++)
        rs[q + 1] += rs[q];
    for (int32_t c = 0; c < nc; c++)
        for (int64_t k = p->cand_start[c]; k < p->cand_start[c + 1]; k++) {
            int64_t at = rs[s->cl[k]]++;
            rev[at] = k;
            rev_c[at] = c;
        }
    for (int32_t q = np; q > 0; q--)
        rs[q] = rs[q - 1];
    rs[0] = 0;
    for (int32_t c = 0; c < nc; c++)
        mark[c] = -1;
    for (int64_t k = 0; k < pn; k++)
        s->p_crank[k] = -1;
    for (int32_t q = 0; q < np; q++) {
        int64_t b = p->pos_start[q], e = p->pos_start[q + 1];
        for (int64_t k = b; k < e; k++)
            mark[s->pl[k]] = (int32_t)(k - b);
        for (int64_t t = rs[q]; t < rs[q + 1]; t++) {
            int32_t c = rev_c[t];
            int64_t k = rev[t];
            int32_t idx = mark[c];
            s->c_prank[k] = idx;
            if (idx >= 0)
                s->p_crank[b + idx] = (int32_t)(k - p->cand_start[c]);
        }
        for (int64_t k = b; k < e; k++)
            mark[s->pl[k]] = -1;
    }
    *out = s;
    return 0;
}

/* Max-heap of ranks (indices into the position's list). */
static void heap_sift_down(int32_t *h, int32_t n, int32_t k)
{
    int32_t x = h[k];
    for (;;) {
        int32_t l = 2 * k + 1;
        if (l >= n)
            break;
        if (l + 1 < n && h[l + 1] > h[l])
            l++;
        if (h[l] <= x)
            break;
        h[k] = h[l];
        k = l;
    }
    h[k] = x;
}

static void heap_sift_up(int32_t *h, int32_t k)
{
    int32_t x = h[k];
    while (k > 0) {
        int32_t q = (k - 1) / 2;
        if (h[q] >= x)
            break;
        h[k] = h[q];
        k = q;
    }
    h[k] = x;
}

static int64_t candidates_propose(const struct tb_hr_problem *p, const struct tb_stable_state *s,
                                  int32_t *cand_pos, int32_t *fill, struct arena *a)
{
    const int32_t nc = p->n_cand, np = p->n_pos;
    int64_t *hs = arena_alloc(a, ((size_t)np + 1) * sizeof(int64_t));
    int32_t *cap = arena_alloc(a, ((size_t)np + 1) * sizeof(int32_t));
    int32_t *next = arena_calloc(a, (size_t)nc + 1, sizeof(int32_t));
    int32_t *stack = arena_alloc(a, ((size_t)nc + 1) * sizeof(int32_t));
    if (!hs || !cap || !next || !stack)
        return -1;
    hs[0] = 0;
    for (int32_t q = 0; q < np; q++) {
        int64_t len = p->pos_start[q + 1] - p->pos_start[q];
        cap[q] = p->capacity[q] < len ? p->capacity[q] : (int32_t)len;
        hs[q + 1] = hs[q] + cap[q];
        fill[q] = 0;
    }
    int32_t *heap = arena_alloc(a, ((size_t)hs[np] + 1) * sizeof(int32_t));
    if (!heap)
        return -1;
    int32_t sp = 0;
    for (int32_t c = nc - 1; c >= 0; c--) {
        stack[sp++] = c;
        cand_pos[c] = -1;
    }
    int64_t proposals = 0;
    while (sp > 0) {
        int32_t c = stack[--sp];
        int64_t base = p->cand_start[c], len = p->cand_start[c + 1] - base;
        while (next[c] < len) {
            int64_t k = base + next[c]++;
            int32_t r = s->c_prank[k];
            if (r < 0)
                continue;
            int32_t q = s->cl[k];
            proposals++;
            int32_t *h = heap + hs[q];
            if (fill[q] < cap[q]) {
                h[fill[q]] = r;
                heap_sift_up(h, fill[q]++);
                cand_pos[c] = q;
                break;
            }
            if (cap[q] > 0 && r < h[0]) {
                int32_t out = s->pl[p->pos_start[q] + h[0]];
                h[0] = r;
                heap_sift_down(h, fill[q], 0);
                cand_pos[c] = q;
                cand_pos[out] = -1;
                stack[sp++] = out;
                break;
            }
        }
    }
    return proposals;
}

static int64_t positions_propose(const struct tb_hr_problem *p, const struct tb_stable_state *s,
                                 int32_t *cand_pos, int32_t *fill, struct arena *a)
{
    const int32_t nc = p->n_cand, np = p->n_pos;
    int32_t *cur_rank = arena_alloc(a, ((size_t)nc + 1) * sizeof(int32_t));
    int64_t *next = arena_calloc(a, (size_t)np + 1, sizeof(int64_t));
    int32_t *stack = arena_alloc(a, ((size_t)np + 1) * sizeof(int32_t));
    unsigned char *queued = arena_calloc(a, (size_t)np + 1, 1);
    if (!cur_rank || !next || !stack || !queued)
        return -1;
    for (int32_t c = 0; c < nc; c++) {
        cand_pos[c] = -1;
        cur_rank[c] = INT32_MAX;
    }
    int32_t sp = 0;
    for (int32_t q = np - 1; q >= 0; q--) {
        fill[q] = 0;
        stack[sp++] = q;
        queued[q] = 1;
    }
    int64_t proposals = 0;
    while (sp > 0) {
        int32_t q = stack[--sp];
        queued[q] = 0;
        int64_t base = p->pos_start[q], len = p->pos_start[q + 1] - base;
        while (fill[q] < p->capacity[q] && next[q] < len) {
            int64_t k = base + next[q]++;
            int32_t r = s->p_crank[k];
            if (r < 0)
                continue;
            proposals++;
            int32_t c = s->pl[k];
            if (r >= cur_rank[c])
                continue;
            int32_t old = cand_pos[c];
            if (old >= 0) {
                fill[old]--;
                if (!queued[old]) {
                    queued[old] = 1;
                    stack[sp++] = old;
                }
            }
            cand_pos[c] = q;
            cur_rank[c] = r;
            fill[q]++;
        }
    }
    return proposals;
}

int tb_stable_solve(const struct tb_hr_problem *p, const struct tb_stable_options *o,
                    struct arena *a, struct tb_stable_result *r, struct tb_err *err)
{
    static const struct tb_stable_options defaults = { 0 };
    memset(r, 0, sizeof *r);
    if (!o)
        o = &defaults;
    if (tb_hr_validate(p, a, err) < 0)
        return -1;
    const int32_t nc = p->n_cand, np = p->n_pos;
    struct tb_stable_state *s = NULL;
    if (build_state(p, o, a, &s, err) < 0)
        return -1;
    r->state = s;
    r->cand_pos = arena_alloc(a, ((size_t)nc + 1) * sizeof(int32_t));
    r->pos_fill = arena_alloc(a, ((size_t)np + 1) * sizeof(int32_t));
    r->pos_start = arena_alloc(a, ((size_t)np + 1) * sizeof(int64_t));
    if (!r->cand_pos || !r->pos_fill || !r->pos_start)
        return OOM(err);
    int64_t props = o->proposer == TB_STABLE_POSITIONS
                        ? positions_propose(p, s, r->cand_pos, r->pos_fill, a)
                        : candidates_propose(p, s, r->cand_pos, r->pos_fill, a);
    if (props < 0)
        return OOM(err);
    r->proposals = props;

    r->pos_start[0] = 0;
    for (int32_t q = 0; q < np; q++)
        r->pos_start[q + 1] = r->pos_start[q] + r->pos_fill[q];
    r->pos_members = arena_alloc(a, ((size_t)r->pos_start[np] + 1) * sizeof(int32_t));
    int32_t *worst = arena_alloc(a, ((size_t)np + 1) * sizeof(int32_t));
    if (!r->pos_members || !worst)
        return OOM(err);
    /* Members in the position's order; worst = index of the last one. */
    for (int32_t q = 0; q < np; q++) {
        int64_t at = r->pos_start[q];
        worst[q] = -1;
        for (int64_t k = p->pos_start[q]; k < p->pos_start[q + 1]; k++)
            if (r->cand_pos[s->pl[k]] == q) {
                r->pos_members[at++] = s->pl[k];
                worst[q] = (int32_t)(k - p->pos_start[q]);
            }
    }
    for (int32_t c = 0; c < nc; c++)
        if (r->cand_pos[c] >= 0)
            r->matched++;

    /* Certificate pass: for every candidate, every position it lists above
     * its match must be full of candidates it ranks higher (or not list it). */
    int64_t blocking = 0;
    for (int32_t c = 0; c < nc; c++) {
        int32_t m = r->cand_pos[c];
        for (int64_t k = p->cand_start[c]; k < p->cand_start[c + 1]; k++) {
            int32_t q = s->cl[k];
            if (q == m)
                break;
            int32_t rk = s->c_prank[k];
            if (rk < 0 || p->capacity[q] == 0)
                continue;
            if (r->pos_fill[q] < p->capacity[q] || rk < worst[q])
                blocking++;
        }
    }
    r->blocking_pairs = blocking;
    return 0;
}

/* ------------------------------------------------------------------------ */

int tb_stable_explain(const struct tb_hr_problem *p, const struct tb_stable_result *r,
                      int32_t cand, struct arena *a, struct tb_explanation *out,
                      struct tb_err *err)
{
    memset(out, 0, sizeof *out);
    if (cand < 0 || cand >= p->n_cand)
        return TB_NOT_FOUND(err, "candidate %d not in 0..%d", cand, p->n_cand - 1);
    const struct tb_stable_state *s = r->state;
    int64_t b = p->cand_start[cand], e = p->cand_start[cand + 1];
    out->candidate = cand;
    out->matched_position = r->cand_pos[cand];
    out->tie_rule = s->rule;
    out->items = arena_calloc(a, (size_t)(e - b) + 1, sizeof *out->items);
    if (!out->items)
        return OOM(err);
    if (e == b) {
        out->items[0].kind = TB_EXPLAIN_NO_LIST;
        out->items[0].position = -1;
        out->n_items = 1;
        return 0;
    }
    for (int64_t k = b; k < e; k++) {
        int32_t q = s->cl[k];
        struct tb_explain_item *it = &out->items[out->n_items++];
        it->position = q;
        it->choice = s->cg[k] - s->cg[b] + 1;
        it->capacity = p->capacity[q];
        it->n_filled = r->pos_fill[q];
        it->filled_by = r->pos_members + r->pos_start[q];
        it->tie_with = -1;
        int32_t idx = s->c_prank[k];
        int64_t pb = p->pos_start[q];
        it->rank_there = idx >= 0 ? s->pg[pb + idx] - s->pg[pb] + 1 : 0;
        if (it->n_filled > 0) {
            int32_t last = it->filled_by[it->n_filled - 1];
            /* Group of the last admitted member: find it in the position's list. */
            for (int64_t t = pb; t < p->pos_start[q + 1]; t++)
                if (s->pl[t] == last) {
                    it->worst_admitted_rank = s->pg[t] - s->pg[pb] + 1;
                    break;
                }
        }
        if (q == r->cand_pos[cand]) {
            it->kind = TB_EXPLAIN_MATCHED;
            out->matched_choice = it->choice;
            break;
        }
        if (p->capacity[q] == 0) {
            it->kind = TB_EXPLAIN_NO_PLACES;
        } else if (idx < 0) {
            it->kind = TB_EXPLAIN_NOT_LISTED;
        } else if (it->worst_admitted_rank == it->rank_there) {
            it->kind = TB_EXPLAIN_LOST_TIE;
            it->tie_with = it->filled_by[it->n_filled - 1];
        } else {
            it->kind = TB_EXPLAIN_FILLED_HIGHER;
        }
    }
    return 0;
}

static const char *ordinal_suffix(int32_t n)
{
    int32_t t = n % 100;
    if (t >= 11 && t <= 13)
        return "th";
    switch (n % 10) {
    case 1: return "st";
    case 2: return "nd";
    case 3: return "rd";
    default: return "th";
    }
}

static int put_position(struct abuf *b, const struct tb_explain_names *nm, int32_t q)
{
    int rc;
    if (nm && nm->position && nm->position[q])
        rc = abuf_puts(b, nm->position[q]);
    else
        rc = abuf_printf(b, "Position %d", q);
    if (rc == 0 && nm && nm->company && nm->company[q])
        rc = abuf_printf(b, " at %s", nm->company[q]);
    return rc;
}

static int put_candidate(struct abuf *b, const struct tb_explain_names *nm, int32_t c)
{
    if (nm && nm->candidate && nm->candidate[c])
        return abuf_puts(b, nm->candidate[c]);
    return abuf_printf(b, "graduate %d", c);
}

int tb_explain_render(const struct tb_explanation *x, const struct tb_explain_names *nm,
                      struct abuf *b)
{
    int rc = 0;
    if (x->matched_position < 0 && !(x->n_items == 1 && x->items[0].kind == TB_EXPLAIN_NO_LIST))
        rc |= abuf_puts(b, "You are not matched; the positions you listed:\n");
    for (int32_t k = 0; k < x->n_items; k++) {
        const struct tb_explain_item *it = &x->items[k];
        const char *why = (nm && nm->pair_reason && it->position >= 0)
                              ? nm->pair_reason(nm->ctx, x->candidate, it->position)
                              : NULL;
        switch (it->kind) {
        case TB_EXPLAIN_NO_LIST:
            rc |= abuf_puts(b, "You listed no positions, so you could not be matched.\n");
            continue;
        case TB_EXPLAIN_MATCHED:
            rc |= abuf_puts(b, "You are matched to ");
            rc |= put_position(b, nm, it->position);
            rc |= abuf_printf(b, ", your %d%s choice.\n", it->choice, ordinal_suffix(it->choice));
            continue;
        default:
            break;
        }
        rc |= put_position(b, nm, it->position);
        rc |= abuf_printf(b, " (your %d%s choice)", it->choice, ordinal_suffix(it->choice));
        switch (it->kind) {
        case TB_EXPLAIN_NO_PLACES:
            rc |= abuf_puts(b, " has no places");
            break;
        case TB_EXPLAIN_NOT_LISTED:
            rc |= abuf_puts(b, " did not accept you");
            break;
        case TB_EXPLAIN_FILLED_HIGHER:
            rc |= abuf_printf(b, " filled its %d place%s with graduates it ranked higher; "
                                 "you ranked %d%s there",
                              it->capacity, it->capacity == 1 ? "" : "s", it->rank_there,
                              ordinal_suffix(it->rank_there));
            break;
        case TB_EXPLAIN_LOST_TIE:
            rc |= abuf_printf(b, " filled its %d place%s; you ranked %d%s there, equal with ",
                              it->capacity, it->capacity == 1 ? "" : "s", it->rank_there,
                              ordinal_suffix(it->rank_there));
            rc |= put_candidate(b, nm, it->tie_with);
            rc |= abuf_puts(b, x->tie_rule == TB_TIE_LOTTERY
                                   ? ", and the tie was decided by lottery"
                                   : ", and the tie was decided by id (lower first)");
            break;
        default:
            break;
        }
        if (why && *why)
            rc |= abuf_printf(b, ": %s", why);
        rc |= abuf_puts(b, ".\n");
    }
    return rc ? -1 : 0;
}
