/* Unit tests: introduction paths, on a hand-made network and against a brute
 * force over every simple path of up to three relationships on random ones. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <string.h>

#include "core/network/paths.h"

#define TODAY 20000

struct built {
    struct net_graph g;
    uint64_t *offset;
    uint32_t *other, *owner;
    uint8_t *strength, *shared;
    int32_t *last;
};

struct rel {
    uint32_t a, b;
    uint8_t strength;
    int32_t last;
};

/* Both directions of every relationship, in compressed rows. */
static void build(struct built *b, uint32_t n, const struct rel *r, size_t m, const uint32_t *owner,
                  const uint8_t *shared)
{
    b->offset = calloc(n + 1, sizeof *b->offset);
    b->other = malloc(2 * m * sizeof *b->other + 1);
    b->strength = malloc(2 * m + 1);
    b->last = malloc(2 * m * sizeof *b->last + 1);
    for (size_t i = 0; i < m; i++) {
        b->offset[r[i].a + 1]++;
        b->offset[r[i].b + 1]++;
    }
    for (uint32_t p = 0; p < n; p++)
        b->offset[p + 1] += b->offset[p];
    uint64_t *fill = malloc((n + 1) * sizeof *fill);
    memcpy(fill, b->offset, (n + 1) * sizeof *fill);
    for (size_t i = 0; i < m; i++) {
        uint32_t ends[2][2] = {{r[i].a, r[i].b}, {r[i].b, r[i].a}};
        for (int d = 0; d < 2; d++) {
            uint64_t e = fill[ends[d][0]]++;
            b->other[e] = ends[d][1];
            b->strength[e] = r[i].strength;
            b->last[e] = r[i].last;
        }
    }
    free(fill);
    b->owner = malloc(n * sizeof *b->owner);
    b->shared = malloc(n);
    memcpy(b->owner, owner, n * sizeof *owner);
    memcpy(b->shared, shared, n);
    b->g = (struct net_graph){n, b->offset, b->other, b->strength, b->last, b->owner, b->shared};
}

static void unbuild(struct built *b)
{
    free(b->offset);
    free(b->other);
    free(b->strength);
    free(b->last);
    free(b->owner);
    free(b->shared);
}

/* Asker's side {0}; 0-1 strong, 1-2 strong and recent, 2-3 (target), 0-4 weak, 4-3 direct;
 * 5 belongs to another operator and is not shared: 0-5-3 must never be proposed. */
static void paths_to_a_contact(void **state)
{
    (void)state;
    const struct rel r[] = {{0, 1, 5, TODAY}, {1, 2, 5, TODAY}, {2, 3, 4, TODAY - 365}, {0, 4, 1, TODAY},
                            {4, 3, 5, TODAY}, {0, 5, 5, TODAY}, {5, 3, 5, TODAY}};
    const uint32_t owner[] = {1, 1, 1, 2, 1, 2};
    const uint8_t shared[] = {0, 0, 0, 1, 0, 0};
    struct built b;
    build(&b, 6, r, 7, owner, shared);
    struct net_scratch *s = net_scratch_new();
    struct net_path out[8];
    struct tb_err err = {0};
    uint32_t src[] = {0};
    int n = net_paths_to(&b.g, s, 1, src, 1, 3, TODAY, out, 8, &err);
    assert_int_equal(n, 2);
    /* 0-1-2-3: 1 * 1 * 0.8 * 0.5 (a year old) = 0.4 beats 0-4-3: 0.2 * 1 */
    assert_int_equal(out[0].hops, 3);
    assert_int_equal(out[0].person[1], 1);
    assert_int_equal(out[0].person[2], 2);
    assert_true(fabs(out[0].score - 0.4) < 1e-12);
    assert_int_equal(out[1].hops, 2);
    assert_int_equal(out[1].person[1], 4);
    for (int i = 0; i < n; i++)
        for (uint32_t j = 0; j <= out[i].hops; j++)
            assert_int_not_equal(out[i].person[j], 5);
    /* Operator 2 sees person 5: now 0-5-3 (1.0) is best. Sources are the asker's side. */
    n = net_paths_to(&b.g, s, 2, src, 1, 3, TODAY, out, 8, &err);
    assert_int_equal(out[0].person[1], 5);
    assert_int_equal(net_paths_to(&b.g, s, 1, src, 1, 99, TODAY, out, 8, &err), -1);
    net_scratch_free(s);
    unbuild(&b);
}

/* Brute force: every simple path of 1..3 relationships from a source to t
 * through visible people; best per key (last introducer for one target, the
 * target for a description). */
struct brute {
    const struct net_graph *g;
    uint32_t viewer;
    const uint8_t *is_src, *is_target;
    uint32_t target;   /* UINT32_MAX: any described */
    double *best;      /* per key */
};

static void walk(struct brute *bf, uint32_t *path, int hops, double score)
{
    uint32_t at = path[hops];
    if (hops > 0) {
        int hit = bf->target == UINT32_MAX ? bf->is_target[at] && !bf->is_src[at] : at == bf->target;
        if (hit) {
            uint32_t key = bf->target == UINT32_MAX ? at : path[hops - 1];
            if (score > bf->best[key])
                bf->best[key] = score;
        }
        if (bf->target != UINT32_MAX && at == bf->target)
            return;
    }
    if (hops == NET_MAX_HOPS)
        return;
    const struct net_graph *g = bf->g;
    for (uint64_t e = g->offset[at]; e < g->offset[at + 1]; e++) {
        uint32_t nx = g->other[e];
        int seen = 0;
        for (int j = 0; j <= hops; j++)
            seen |= path[j] == nx;
        if (seen || bf->is_src[nx] || !(g->shared[nx] || g->owner[nx] == bf->viewer))
            continue;
        path[hops + 1] = nx;
        walk(bf, path, hops + 1, score * net_tie_weight(g->strength[e], g->last_contact[e], TODAY, 365));
    }
}

static void matches_brute_force_on_random_networks(void **state)
{
    (void)state;
    srand(7);
    struct net_scratch *s = net_scratch_new();
    for (int round = 0; round < 400; round++) {
        uint32_t n = 6 + (uint32_t)(rand() % 20);
        size_t m = (size_t)(rand() % (int)(3 * n));
        struct rel *r = malloc((m + 1) * sizeof *r);
        for (size_t i = 0; i < m; i++) {
            uint32_t a = (uint32_t)rand() % n, c = (uint32_t)rand() % n;
            if (a == c)
                c = (c + 1) % n;
            r[i] = (struct rel){a, c, (uint8_t)(1 + rand() % 5), TODAY - rand() % 900};
        }
        uint32_t owner[32];
        uint8_t shared[32], is_src[32] = {0}, is_target[32] = {0};
        for (uint32_t p = 0; p < n; p++) {
            owner[p] = (uint32_t)(rand() % 2);
            shared[p] = rand() % 3 == 0;
            is_target[p] = rand() % 4 == 0;
        }
        struct built b;
        build(&b, n, r, m, owner, shared);
        uint32_t src[3];
        size_t ns = 1 + (size_t)(rand() % 3);
        for (size_t i = 0; i < ns; i++) {
            src[i] = (uint32_t)rand() % n;
            is_src[src[i]] = 1;
        }
        uint32_t target = (uint32_t)rand() % n;
        struct net_path out[64];
        struct tb_err err = {0};
        for (int mode = 0; mode < 2; mode++) {
            double best[32];
            for (int i = 0; i < 32; i++)
                best[i] = -1;
            struct brute bf = {&b.g, 0, is_src, is_target, mode ? UINT32_MAX : target, best};
            if (!mode && is_src[target])
                continue;
            for (size_t i = 0; i < ns; i++) {
                uint32_t path[NET_MAX_HOPS + 1] = {src[i]};
                walk(&bf, path, 0, 1.0);
            }
            int got = mode ? net_paths_to_any(&b.g, s, 0, src, ns, is_target, TODAY, out, 64, &err)
                           : net_paths_to(&b.g, s, 0, src, ns, target, TODAY, out, 64, &err);
            if (!mode && !(shared[target] || owner[target] == 0)) {
                assert_int_equal(got, -1);
                assert_int_equal(err.status, 404);
                continue;
            }
            assert_true(got >= 0);
            int want = 0;
            for (uint32_t p = 0; p < n; p++)
                want += best[p] >= 0;
            /* Every key the brute force reaches is found; the path found for a key
             * is at most the brute force's best (it is one real path) and, for
             * descriptions, exactly it. */
            if (got != want) {
                fprintf(stderr, "round %d mode %d n %u target %u viewer 0 got %d want %d\n", round, mode, n, target, got, want);
                for (size_t i = 0; i < m; i++) fprintf(stderr, " %u-%u", r[i].a, r[i].b);
                fprintf(stderr, "\nsrc:"); for (size_t i = 0; i < ns; i++) fprintf(stderr, " %u", src[i]);
                fprintf(stderr, "\nvisible:"); for (uint32_t p = 0; p < n; p++) if (shared[p] || owner[p] == 0) fprintf(stderr, " %u", p);
                fprintf(stderr, "\ntargets:"); for (uint32_t p = 0; p < n; p++) if (is_target[p]) fprintf(stderr, " %u", p);
                fprintf(stderr, "\nbest:"); for (uint32_t p = 0; p < n; p++) if (best[p] >= 0) fprintf(stderr, " %u=%g", p, best[p]);
                fprintf(stderr, "\ngot:"); for (int i = 0; i < got; i++) { fprintf(stderr, " ["); for (uint32_t j = 0; j <= out[i].hops; j++) fprintf(stderr, "%u ", out[i].person[j]); fprintf(stderr, "]"); }
                fprintf(stderr, "\n");
            }
            assert_int_equal(got, want);
            for (int i = 0; i < got; i++) {
                uint32_t key = mode ? out[i].person[out[i].hops] : out[i].person[out[i].hops - 1];
                assert_true(best[key] >= 0);
                assert_true(out[i].score <= best[key] * (1 + 1e-12));
                if (mode)
                    assert_true(fabs(out[i].score - best[key]) <= 1e-12 * best[key]);
                /* the path is real, simple, visible */
                for (uint32_t j = 1; j <= out[i].hops; j++) {
                    uint32_t x = out[i].person[j];
                    assert_true(shared[x] || owner[x] == 0);
                    for (uint32_t q = 0; q < j; q++)
                        assert_int_not_equal(out[i].person[q], x);
                }
            }
        }
        free(r);
        unbuild(&b);
    }
    net_scratch_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paths_to_a_contact),
        cmocka_unit_test(matches_brute_force_on_random_networks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
