/*
 * test_stable.c - stable matching: an independent blocking-pair checker on the
 * lists with ties (weak stability), brute-force candidate-optimality on tiny
 * instances, rural-hospitals agreement between the two proposing sides, large
 * generated instances, and hand-made explanations with their rendered text.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/match/stable.h"
#include "tap.h"

/* A generated problem owning its arrays. */
struct gen {
    struct tb_hr_problem p;
    int32_t *cap, *cl, *cr, *pl, *pr;
    int64_t *cs, *ps;
};

static void gen_free(struct gen *g)
{
    free(g->cap);
    free(g->cl);
    free(g->cr);
    free(g->pl);
    free(g->pr);
    free(g->cs);
    free(g->ps);
}

/* Candidates list len random positions; positions list everyone who listed
 * them plus a few others, in random order with ties of random size. */
static void generate(struct gen *g, int nc, int np, int len, int maxcap, int tie_pct,
                     int onesided_pct, unsigned long long seed)
{
    memset(g, 0, sizeof *g);
    if (len > np)
        len = np;
    g->cap = malloc(((size_t)np + 1) * sizeof(int32_t));
    g->cs = malloc(((size_t)nc + 1) * sizeof(int64_t));
    g->cl = malloc(((size_t)nc * len + 1) * sizeof(int32_t));
    g->cr = malloc(((size_t)nc * len + 1) * sizeof(int32_t));
    int32_t *mark = calloc((size_t)np + 1, sizeof(int32_t));
    int64_t *cnt = calloc((size_t)np + 1, sizeof(int64_t));
    g->cs[0] = 0;
    for (int c = 0; c < nc; c++) {
        int l = (int)tap_range(&seed, 0, len);
        int64_t at = g->cs[c];
        int32_t rank = 0;
        for (int k = 0; k < l; k++) {
            int32_t q;
            do
                q = (int32_t)tap_range(&seed, 0, np - 1);
            while (mark[q] == c + 1);
            mark[q] = c + 1;
            if (k > 0 && tap_range(&seed, 0, 99) >= tie_pct)
                rank++;
            g->cl[at] = q;
            g->cr[at++] = rank;
            cnt[q]++;
        }
        g->cs[c + 1] = at;
    }
    /* positions: everyone who listed them (minus one-sided drops) + extras */
    g->ps = malloc(((size_t)np + 1) * sizeof(int64_t));
    int64_t total = 0;
    for (int q = 0; q < np; q++)
        total += cnt[q] + 2;
    g->pl = malloc(((size_t)total + 1) * sizeof(int32_t));
    g->pr = malloc(((size_t)total + 1) * sizeof(int32_t));
    int32_t **tmp = malloc(((size_t)np + 1) * sizeof *tmp);
    int64_t *tn = calloc((size_t)np + 1, sizeof(int64_t));
    for (int q = 0; q < np; q++)
        tmp[q] = malloc(((size_t)cnt[q] + 3) * sizeof(int32_t));
    for (int c = 0; c < nc; c++)
        for (int64_t k = g->cs[c]; k < g->cs[c + 1]; k++)
            if (tap_range(&seed, 0, 99) >= onesided_pct)
                tmp[g->cl[k]][tn[g->cl[k]]++] = c;
    g->ps[0] = 0;
    for (int q = 0; q < np; q++) {
        for (int e = 0; e < 2 && nc > 0; e++) {     /* candidates who did not list q */
            int32_t c = (int32_t)tap_range(&seed, 0, nc - 1);
            bool dup = false;
            for (int64_t t = 0; t < tn[q]; t++)
                dup |= tmp[q][t] == c;
            if (!dup)
                tmp[q][tn[q]++] = c;
        }
        for (int64_t t = tn[q] - 1; t > 0; t--) {   /* shuffle */
            int64_t s = tap_range(&seed, 0, t);
            int32_t x = tmp[q][t];
            tmp[q][t] = tmp[q][s];
            tmp[q][s] = x;
        }
        int64_t at = g->ps[q];
        int32_t rank = 0;
        for (int64_t t = 0; t < tn[q]; t++) {
            if (t > 0 && tap_range(&seed, 0, 99) >= tie_pct)
                rank++;
            g->pl[at] = tmp[q][t];
            g->pr[at++] = rank;
        }
        g->ps[q + 1] = at;
        g->cap[q] = (int32_t)tap_range(&seed, 0, maxcap);
        free(tmp[q]);
    }
    free(tmp);
    free(tn);
    free(mark);
    free(cnt);
    g->p = (struct tb_hr_problem){ nc, np, g->cap, g->cs, g->cl, g->cr, g->ps, g->pl, g->pr };
}

/* Rank group of `who` in owner's list, or -1. */
static int32_t group_of(const int64_t *st, const int32_t *li, const int32_t *rk, int32_t owner,
                        int32_t who)
{
    for (int64_t k = st[owner]; k < st[owner + 1]; k++)
        if (li[k] == who)
            return rk[k];
    return -1;
}

/* Independent check: validity plus weakly blocking pairs (both strictly prefer). */
static int64_t count_blocking(const struct tb_hr_problem *p, const int32_t *cand_pos, bool *valid)
{
    int32_t *fill = calloc((size_t)p->n_pos + 1, sizeof(int32_t));
    int32_t *worst = malloc(((size_t)p->n_pos + 1) * sizeof(int32_t));
    *valid = true;
    for (int32_t q = 0; q < p->n_pos; q++)
        worst[q] = -1;
    for (int32_t c = 0; c < p->n_cand; c++) {
        int32_t q = cand_pos[c];
        if (q < 0)
            continue;
        int32_t gc = group_of(p->cand_start, p->cand_list, p->cand_rank, c, q);
        int32_t gp = group_of(p->pos_start, p->pos_list, p->pos_rank, q, c);
        if (gc < 0 || gp < 0)
            *valid = false;
        fill[q]++;
        if (gp > worst[q])
            worst[q] = gp;
    }
    for (int32_t q = 0; q < p->n_pos; q++)
        if (fill[q] > p->capacity[q])
            *valid = false;
    int64_t blocking = 0;
    for (int32_t c = 0; c < p->n_cand; c++) {
        int32_t m = cand_pos[c];
        int32_t gm = m >= 0 ? group_of(p->cand_start, p->cand_list, p->cand_rank, c, m) : INT32_MAX;
        for (int64_t k = p->cand_start[c]; k < p->cand_start[c + 1]; k++) {
            int32_t q = p->cand_list[k];
            if (p->cand_rank[k] >= gm)
                continue;
            int32_t gp = group_of(p->pos_start, p->pos_list, p->pos_rank, q, c);
            if (gp < 0)
                continue;
            if (fill[q] < p->capacity[q] || gp < worst[q])
                blocking++;
        }
    }
    free(fill);
    free(worst);
    return blocking;
}

/* Strict preference in candidate c's tie-broken order is what DA optimises;
 * with no ties the groups are the strict order. */
static void tiny_bruteforce(void)
{
    unsigned long long seed = 99;
    int checked = 0, bad = 0;
    struct arena *a = arena_new(0);
    for (int it = 0; it < 1500; it++) {
        int nc = (int)tap_range(&seed, 1, 5), np = (int)tap_range(&seed, 1, 3);
        struct gen g;
        generate(&g, nc, np, 3, 2, 0, 20, seed + (unsigned long long)it * 7919);
        struct tb_stable_options o = { TB_STABLE_CANDIDATES, TB_TIE_BY_ID, 0 };
        struct tb_stable_result r;
        struct tb_err err;
        arena_reset(a);
        if (tb_stable_solve(&g.p, &o, a, &r, &err) < 0) {
            bad++;
            gen_free(&g);
            continue;
        }
        /* Enumerate all assignments; find, per candidate, its best group over stable ones. */
        int32_t best[5], choice[5];
        for (int c = 0; c < nc; c++)
            best[c] = INT32_MAX;
        int total = 1;
        for (int c = 0; c < nc; c++)
            total *= np + 1;
        for (int code = 0; code < total; code++) {
            int x = code;
            for (int c = 0; c < nc; c++) {
                choice[c] = x % (np + 1) - 1;
                x /= np + 1;
            }
            bool valid;
            if (count_blocking(&g.p, choice, &valid) != 0 || !valid)
                continue;
            for (int c = 0; c < nc; c++) {
                int32_t gr = choice[c] >= 0 ? group_of(g.p.cand_start, g.p.cand_list,
                                                       g.p.cand_rank, c, choice[c])
                                            : INT32_MAX;
                if (gr < best[c])
                    best[c] = gr;
            }
        }
        for (int c = 0; c < nc; c++) {
            int32_t got = r.cand_pos[c] >= 0 ? group_of(g.p.cand_start, g.p.cand_list,
                                                         g.p.cand_rank, c, r.cand_pos[c])
                                             : INT32_MAX;
            if (got != best[c]) {
                if (bad++ < 3)
                    printf("# it %d: candidate %d got group %d, best stable %d\n", it, c, got,
                           best[c]);
                break;
            }
        }
        checked++;
        gen_free(&g);
    }
    arena_free(a);
    tap_ok(bad == 0, "candidate-proposing is candidate-optimal among all stable matchings "
                     "(%d tiny instances by brute force)", checked);
}

static void random_instances(void)
{
    unsigned long long seed = 2024;
    int n = 0, bad = 0;
    struct arena *a = arena_new(0);
    for (int it = 0; it < 400; it++) {
        int nc = (int)tap_range(&seed, 1, 60), np = (int)tap_range(&seed, 1, 20);
        struct gen g;
        generate(&g, nc, np, (int)tap_range(&seed, 0, 8), 4, (int)tap_range(&seed, 0, 60), 25,
                 seed ^ (unsigned long long)it);
        for (int rule = 0; rule < 2; rule++) {
            struct tb_stable_result r[2];
            for (int side = 0; side < 2; side++) {
                struct tb_stable_options o = { (enum tb_stable_proposer)side,
                                               (enum tb_tie_rule)rule, (uint64_t)it };
                struct tb_err err;
                bool valid;
                if (tb_stable_solve(&g.p, &o, a, &r[side], &err) < 0 ||
                    count_blocking(&g.p, r[side].cand_pos, &valid) != 0 || !valid ||
                    r[side].blocking_pairs != 0) {
                    if (bad++ < 3)
                        printf("# it %d side %d rule %d: not stable\n", it, side, rule);
                }
                n++;
            }
            /* Rural hospitals: same candidates matched, same fill everywhere. */
            for (int c = 0; c < nc; c++)
                if ((r[0].cand_pos[c] < 0) != (r[1].cand_pos[c] < 0)) {
                    if (bad++ < 3)
                        printf("# it %d: candidate %d matched on one side only\n", it, c);
                    break;
                }
            for (int q = 0; q < np; q++)
                if (r[0].pos_fill[q] != r[1].pos_fill[q]) {
                    if (bad++ < 3)
                        printf("# it %d: position %d fill differs\n", it, q);
                    break;
                }
        }
        arena_reset(a);
        gen_free(&g);
    }
    arena_free(a);
    tap_ok(bad == 0, "%d random runs (ties, one-sided lists, both sides, id and lottery): "
                     "0 blocking pairs by the independent checker, rural hospitals holds", n);
}

static void large_instance(void)
{
    struct gen g;
    generate(&g, 20000, 4000, 20, 6, 10, 20, 77);
    struct arena *a = arena_new(0);
    for (int side = 0; side < 2; side++) {
        struct tb_stable_options o = { (enum tb_stable_proposer)side, TB_TIE_LOTTERY, 5 };
        struct tb_stable_result r;
        struct tb_err err;
        bool valid = false;
        int rc = tb_stable_solve(&g.p, &o, a, &r, &err);
        int64_t b = rc == 0 ? count_blocking(&g.p, r.cand_pos, &valid) : -1;
        tap_ok(rc == 0 && b == 0 && valid && r.blocking_pairs == 0,
               "20000 x 4000, lists of 20, %s proposing: %d matched, %lld blocking pairs",
               side ? "positions" : "candidates", rc == 0 ? r.matched : -1, (long long)b);
    }
    arena_free(a);
    gen_free(&g);
}

/* The hand-made case of docs/matching.md. */
static const int64_t ex_cs[] = { 0, 2, 4, 6, 6, 7 };
static const int32_t ex_cl[] = { 1, 0, 0, 1, 1, 0, 2 };
static const int32_t ex_cr[] = { 0, 1, 0, 1, 0, 1, 0 };
static const int64_t ex_ps[] = { 0, 3, 6, 7 };
static const int32_t ex_pl[] = { 0, 1, 2, 1, 2, 3, 4 };
static const int32_t ex_pr[] = { 0, 1, 2, 0, 0, 1, 0 };
static const int32_t ex_cap[] = { 1, 1, 0 };

static const char *reason(void *ctx, int32_t c, int32_t q)
{
    (void)ctx;
    return c == 2 && q == 0 ? "Swedish B2 against required C1" : NULL;
}

static void explanations(void)
{
    struct tb_hr_problem p = { 5, 3, ex_cap, ex_cs, ex_cl, ex_cr, ex_ps, ex_pl, ex_pr };
    struct arena *a = arena_new(0);
    struct tb_stable_options o = { 0 };
    struct tb_stable_result r;
    struct tb_err err;
    int rc = tb_stable_solve(&p, &o, a, &r, &err);
    tap_ok(rc == 0 && r.cand_pos[0] == 0 && r.cand_pos[1] == 1 && r.cand_pos[2] == -1 &&
               r.cand_pos[3] == -1 && r.cand_pos[4] == -1,
           "hand-made case: 0->0, 1->1, 2, 3, 4 unmatched");
    struct tb_explanation x;
    const char *pos_names[] = { "Position 17", "Export assistant", "Trainee" };
    const char *companies[] = { "Nordic Pumps", "Baltic Trade", NULL };
    struct tb_explain_names nm = { NULL, pos_names, companies, reason, NULL };

    tb_stable_explain(&p, &r, 0, a, &x, &err);
    tap_ok(x.n_items == 2 && x.items[0].kind == TB_EXPLAIN_NOT_LISTED && x.items[0].position == 1 &&
               x.items[1].kind == TB_EXPLAIN_MATCHED && x.matched_choice == 2,
           "candidate 0: 1st choice did not list them, matched at 2nd");

    tb_stable_explain(&p, &r, 1, a, &x, &err);
    tap_ok(x.n_items == 2 && x.items[0].kind == TB_EXPLAIN_FILLED_HIGHER &&
               x.items[0].rank_there == 2 && x.items[0].capacity == 1 &&
               x.items[0].n_filled == 1 && x.items[0].filled_by[0] == 0,
           "candidate 1: 1st choice filled by someone ranked higher (rank 2, filled by 0)");

    tb_stable_explain(&p, &r, 2, a, &x, &err);
    struct abuf b;
    abuf_init(&b, a, 4096);
    tb_explain_render(&x, &nm, &b);
    const char *want =
        "You are not matched; the positions you listed:\n"
        "Export assistant at Baltic Trade (your 1st choice) filled its 1 place; you ranked 1st "
        "there, equal with graduate 1, and the tie was decided by id (lower first).\n"
        "Position 17 at Nordic Pumps (your 2nd choice) filled its 1 place with graduates it "
        "ranked higher; you ranked 3rd there: Swedish B2 against required C1.\n";
    tap_ok(x.items[0].kind == TB_EXPLAIN_LOST_TIE && x.items[0].tie_with == 1 &&
               x.items[1].kind == TB_EXPLAIN_FILLED_HIGHER && strcmp(abuf_cstr(&b), want) == 0,
           "candidate 2: lost a tie, then filled higher; text reads as expected");
    if (strcmp(abuf_cstr(&b), want) != 0)
        printf("# got:\n%s", abuf_cstr(&b));

    tb_stable_explain(&p, &r, 3, a, &x, &err);
    abuf_init(&b, a, 4096);
    tb_explain_render(&x, NULL, &b);
    tap_ok(x.n_items == 1 && x.items[0].kind == TB_EXPLAIN_NO_LIST &&
               strcmp(abuf_cstr(&b), "You listed no positions, so you could not be matched.\n") == 0,
           "candidate 3: listed nothing");

    tb_stable_explain(&p, &r, 4, a, &x, &err);
    abuf_init(&b, a, 4096);
    tb_explain_render(&x, NULL, &b);
    tap_ok(x.items[0].kind == TB_EXPLAIN_NO_PLACES &&
               strstr(abuf_cstr(&b), "Position 2 (your 1st choice) has no places.") != NULL,
           "candidate 4: the position has no places");

    tb_stable_explain(&p, &r, 1, a, &x, &err);
    abuf_init(&b, a, 4096);
    tb_explain_render(&x, &nm, &b);
    tap_ok(strstr(abuf_cstr(&b), "You are matched to Export assistant at Baltic Trade, your 2nd "
                                 "choice.") != NULL,
           "candidate 1: matched sentence");
    tap_ok(tb_stable_explain(&p, &r, 9, a, &x, &err) < 0 && err.status == 404,
           "unknown candidate is 404");

    /* Position-proposing on the same case gives a stable result too. */
    o.proposer = TB_STABLE_POSITIONS;
    rc = tb_stable_solve(&p, &o, a, &r, &err);
    bool valid;
    tap_ok(rc == 0 && count_blocking(&p, r.cand_pos, &valid) == 0 && valid,
           "positions proposing on the hand-made case is stable");

    /* Without rank arrays every list is strict. */
    struct tb_hr_problem strict = p;
    strict.cand_rank = NULL;
    strict.pos_rank = NULL;
    rc = tb_stable_solve(&strict, NULL, a, &r, &err);
    tap_ok(rc == 0 && r.blocking_pairs == 0 && r.cand_pos[1] == 1 && r.cand_pos[2] == -1,
           "strict lists (no rank arrays) and default options");

    /* Malformed problems are refused. */
    static const int32_t bad_cl[] = { 1, 1, 0, 1, 1, 0, 2 };
    struct tb_hr_problem q = p;
    q.cand_list = bad_cl;
    tap_ok(tb_stable_solve(&q, &o, a, &r, &err) < 0 && strstr(err.message, "twice"),
           "duplicate entry refused: %s", err.message);
    arena_free(a);
}

int main(void)
{
    tiny_bruteforce();
    random_instances();
    large_instance();
    explanations();
    return tap_done();
}
