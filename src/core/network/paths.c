/*
 * paths.c - best introduction paths of up to three relationships.
 *
 * To one contact: the people within two relationships of the target are found
 * backwards from it (at most d + d^2 of them for degree d), then every person
 * on the asker's side and each of their contacts is looked up there; this
 * meets in the middle and never walks the asker's side two levels deep. To
 * anyone matching a description: two levels forward from the asker's side,
 * each level kept apart so that a path's hop count is exact, then a third
 * step onto the matching people.
 *
 * The per-level maps are small open-addressing tables written here rather
 * than GLib's GHashTable: a query inserts up to ~10^5 integer keys, and boxed
 * pointer keys with a callback per hash cost more than the walk itself.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/network/paths.h"

struct level {
    uint32_t *slot;     /* cap slots: index+1 into the entries, 0 = empty */
    uint32_t cap;       /* power of two */
    uint32_t n, ecap;
    uint32_t *person;   /* entries in insertion order */
    double *score;
    uint32_t *link;     /* the previous person on the path (forward) or the next (backward) */
    double *score2;     /* the best through another link than `link` (-1: none) */
    uint32_t *link2;
};

/* Second-to-last steps found backwards from the target: entry i says that
 * `via` knows b1 entry `last` with the path's score from there; entries of one
 * person are chained through `next`, the chain's head kept in a level. */
struct back_step {
    uint32_t last, next;
    double score;
};

struct net_scratch {
    struct level lv[4];
    struct back_step *step;
    size_t nstep, capstep;
};

static uint32_t hash32(uint32_t x)
{
    return x * 0x9E3779B1u;
}

static void level_clear(struct level *l)
{
    if (l->slot && l->n)
        memset(l->slot, 0, l->cap * sizeof *l->slot);
    l->n = 0;
}

static void level_free(struct level *l)
{
    free(l->slot);
    free(l->person);
    free(l->score);
    free(l->link);
    free(l->score2);
    free(l->link2);
}

static int level_grow(struct level *l)
{
    uint32_t ncap = l->cap ? l->cap * 2 : 1024;
    uint32_t *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    for (uint32_t i = 0; i < l->n; i++) {
        uint32_t h = hash32(l->person[i]) & (ncap - 1);
        while (ns[h])
            h = (h + 1) & (ncap - 1);
        ns[h] = i + 1;
    }
    free(l->slot);
    l->slot = ns;
    l->cap = ncap;
    return 0;
}

/* Entry index of person p, or UINT32_MAX. */
static uint32_t level_find(const struct level *l, uint32_t p)
{
    if (!l->cap)
        return UINT32_MAX;
    for (uint32_t h = hash32(p) & (l->cap - 1);; h = (h + 1) & (l->cap - 1)) {
        uint32_t e = l->slot[h];
        if (!e)
            return UINT32_MAX;
        if (l->person[e - 1] == p)
            return e - 1;
    }
}

/* Resizes the array *p (a pointer to any element type) to n elements. */
static int grow_ptr(void **p, size_t n, size_t size)
{
    void *np = realloc(*p, n * size);
    if (!np)
        return -1;
    *p = np;
    return 0;
}
#define grow(pp, n, size) grow_ptr((void **)(pp), (n), (size))

/* Keeps the best (score, link) for p, and the best through another link. -1: out of memory. */
static int level_offer(struct level *l, uint32_t p, double score, uint32_t link)
{
    if ((uint64_t)(l->n + 1) * 2 > l->cap && level_grow(l) < 0)
        return -1;
    uint32_t h = hash32(p) & (l->cap - 1);
    for (;; h = (h + 1) & (l->cap - 1)) {
        uint32_t e = l->slot[h];
        if (!e)
            break;
        uint32_t i = e - 1;
        if (l->person[i] == p) {
            if (score > l->score[i]) {
                if (link != l->link[i]) {
                    l->score2[i] = l->score[i];
                    l->link2[i] = l->link[i];
                }
                l->score[i] = score;
                l->link[i] = link;
            } else if (link != l->link[i] && score > l->score2[i]) {
                l->score2[i] = score;
                l->link2[i] = link;
            }
            return 0;
        }
    }
    if (l->n == l->ecap) {
        uint32_t ncap = l->ecap ? l->ecap * 2 : 1024;
        if (grow(&l->person, ncap, sizeof *l->person) < 0 || grow(&l->score, ncap, sizeof *l->score) < 0 ||
            grow(&l->link, ncap, sizeof *l->link) < 0 || grow(&l->score2, ncap, sizeof *l->score2) < 0 ||
            grow(&l->link2, ncap, sizeof *l->link2) < 0)
            return -1;
        l->ecap = ncap;
    }
    l->person[l->n] = p;
    l->score[l->n] = score;
    l->link[l->n] = link;
    l->score2[l->n] = -1.0;
    l->link2[l->n] = NET_NONE;
    l->slot[h] = ++l->n;
    return 0;
}

struct net_scratch *net_scratch_new(void)
{
    return calloc(1, sizeof(struct net_scratch));
}

void net_scratch_free(struct net_scratch *s)
{
    if (!s)
        return;
    for (int i = 0; i < 4; i++)
        level_free(&s->lv[i]);
    free(s->step);
    free(s);
}

double net_tie_weight(uint8_t strength, int32_t last_contact, int32_t today, int32_t half_life_days)
{
    double w = (strength > 5 ? 5 : strength) / 5.0;
    int32_t age = today - last_contact;
    if (age > 0 && half_life_days > 0)
        w *= exp2(-(double)age / half_life_days);
    return w;
}

enum { HALF_LIFE_DAYS = 365 };

static int visible(const struct net_graph *g, uint32_t p, uint32_t viewer)
{
    return g->shared[p] || g->owner[p] == viewer;
}

static double edge_weight(const struct net_graph *g, uint64_t e, int32_t today)
{
    return net_tie_weight(g->strength[e], g->last_contact[e], today, HALF_LIFE_DAYS);
}

static int by_score(const void *a, const void *b)
{
    const struct net_path *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->hops != y->hops)
        return x->hops < y->hops ? -1 : 1;
    return memcmp(x->person, y->person, sizeof x->person);
}

/* Candidate paths, kept best-per-key (last introducer, or target) in a level
 * whose link is the candidate's index. */
struct candidates {
    struct net_path *path;
    size_t n, cap;
};

static int offer_path(struct level *best, struct candidates *c, uint32_t key, const struct net_path *p)
{
    uint32_t at = level_find(best, key);
    if (at != UINT32_MAX) {
        struct net_path *old = &c->path[best->link[at]];
        if (by_score(p, old) < 0) {
            *old = *p;
            best->score[at] = p->score;
        }
        return 0;
    }
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 64;
        struct net_path *np = realloc(c->path, ncap * sizeof *np);
        if (!np)
            return -1;
        c->path = np;
        c->cap = ncap;
    }
    c->path[c->n] = *p;
    return level_offer(best, key, p->score, (uint32_t)c->n++);
}

static int finish(struct candidates *c, struct net_path *out, size_t k)
{
    size_t n = c->n < k ? c->n : k;
    if (n) {   /* no path: c->path is NULL, which qsort and memcpy must not get */
        qsort(c->path, c->n, sizeof *c->path, by_score);
        memcpy(out, c->path, n * sizeof *out);
    }
    free(c->path);
    return (int)n;
}

static int check_args(const struct net_graph *g, const uint32_t *sources, size_t nsources, struct tb_err *err)
{
    for (size_t i = 0; i < nsources; i++)
        if (sources[i] >= g->people)
            return TB_INVALID(err, "sources", "person %u is not in the network", sources[i]);
    return 0;
}

int net_paths_to(const struct net_graph *g, struct net_scratch *s, uint32_t viewer, const uint32_t *sources,
                 size_t nsources, uint32_t target, int32_t today, struct net_path *out, size_t k,
                 struct tb_err *err)
{
    if (target >= g->people)
        return TB_INVALID(err, "target", "person %u is not in the network", target);
    if (check_args(g, sources, nsources, err) < 0)
        return -1;
    if (!visible(g, target, viewer))
        return TB_NOT_FOUND(err, "no such contact");
    struct level *b1 = &s->lv[0], *src = &s->lv[1], *best = &s->lv[2];
    for (int i = 0; i < 3; i++)
        level_clear(&s->lv[i]);
    struct candidates c = {0};
    int oom = 0;

    /* Backwards: who knows the target and may introduce (visible, not the asker's side). */
    for (size_t i = 0; i < nsources; i++)
        if (sources[i] != target)
            oom |= level_offer(src, sources[i], 1.0, NET_NONE);
    for (uint64_t e = g->offset[target]; e < g->offset[target + 1]; e++) {
        uint32_t p = g->other[e];
        if (p != target && (visible(g, p, viewer) || level_find(src, p) != UINT32_MAX))
            oom |= level_offer(b1, p, edge_weight(g, e, today), target);
    }

    /* Three-step paths a-m-l-target cost the degrees of the sources' contacts
     * walked forwards, or the degrees of the target's contacts walked
     * backwards: take the cheaper side (hubs make either one large). */
    uint64_t forward = 0, backward = 0;
    for (uint32_t i = 0; i < src->n; i++) {
        uint32_t a = src->person[i];
        for (uint64_t e = g->offset[a]; e < g->offset[a + 1]; e++)
            forward += g->offset[g->other[e] + 1] - g->offset[g->other[e]];
    }
    for (uint32_t i = 0; i < b1->n; i++)
        backward += g->offset[b1->person[i] + 1] - g->offset[b1->person[i]];
    int from_target = backward < forward;
    struct level *heads = &s->lv[3];
    level_clear(heads);
    s->nstep = 0;
    for (uint32_t i = 0; from_target && i < b1->n && !oom; i++) {
        uint32_t l = b1->person[i];
        if (level_find(src, l) != UINT32_MAX)
            continue;
        for (uint64_t f = g->offset[l]; f < g->offset[l + 1]; f++) {
            uint32_t m = g->other[f];
            if (m == l || m == target || !visible(g, m, viewer) || level_find(src, m) != UINT32_MAX)
                continue;
            if (s->nstep == s->capstep) {
                size_t ncap = s->capstep ? s->capstep * 2 : 4096;
                struct back_step *ns = realloc(s->step, ncap * sizeof *ns);
                if (!ns) {
                    oom = 1;
                    break;
                }
                s->step = ns;
                s->capstep = ncap;
            }
            uint32_t h = level_find(heads, m);
            uint32_t prev = h == UINT32_MAX ? NET_NONE : heads->link[h];
            s->step[s->nstep] = (struct back_step){i, prev, edge_weight(g, f, today) * b1->score[i]};
            if (h == UINT32_MAX)
                oom |= level_offer(heads, m, 0, (uint32_t)s->nstep);
            else
                heads->link[h] = (uint32_t)s->nstep;
            s->nstep++;
        }
    }

    /* Forwards from each source, meeting those who know the target. */
    for (uint32_t i = 0; i < src->n && !oom; i++) {
        uint32_t a = src->person[i];
        uint32_t at = level_find(b1, a);
        if (at != UINT32_MAX) {
            struct net_path p = {1, {a, target}, b1->score[at]};
            oom |= offer_path(best, &c, a, &p);
        }
        for (uint64_t e = g->offset[a]; e < g->offset[a + 1] && !oom; e++) {
            uint32_t m = g->other[e];
            if (m == a || m == target || !visible(g, m, viewer) || level_find(src, m) != UINT32_MAX)
                continue;
            double w = edge_weight(g, e, today);
            uint32_t m1 = level_find(b1, m);
            if (m1 != UINT32_MAX) {
                struct net_path p = {2, {a, m, target}, w * b1->score[m1]};
                oom |= offer_path(best, &c, m, &p);
            }
            if (from_target) {
                uint32_t h = level_find(heads, m);
                for (uint32_t j = h == UINT32_MAX ? NET_NONE : heads->link[h]; j != NET_NONE; j = s->step[j].next) {
                    uint32_t l = b1->person[s->step[j].last];
                    if (l == a)
                        continue;
                    struct net_path p = {3, {a, m, l, target}, w * s->step[j].score};
                    oom |= offer_path(best, &c, l, &p);
                }
                continue;
            }
            for (uint64_t f = g->offset[m]; f < g->offset[m + 1]; f++) {
                uint32_t l = g->other[f];
                uint32_t l1 = level_find(b1, l);
                if (l1 == UINT32_MAX || l == a || l == m || level_find(src, l) != UINT32_MAX)
                    continue;
                struct net_path p = {3, {a, m, l, target}, w * edge_weight(g, f, today) * b1->score[l1]};
                oom |= offer_path(best, &c, l, &p);
            }
        }
    }
    if (oom) {
        free(c.path);
        return TB_INTERNAL(err, "out of memory searching introduction paths");
    }
    return finish(&c, out, k);
}

int net_paths_to_any(const struct net_graph *g, struct net_scratch *s, uint32_t viewer, const uint32_t *sources,
                     size_t nsources, const uint8_t *is_target, int32_t today, struct net_path *out, size_t k,
                     struct tb_err *err)
{
    if (check_args(g, sources, nsources, err) < 0)
        return -1;
    struct level *l0 = &s->lv[0], *l1 = &s->lv[1], *l2 = &s->lv[2], *best = &s->lv[3];
    for (int i = 0; i < 4; i++)
        level_clear(&s->lv[i]);
    struct candidates c = {0};
    int oom = 0;
    for (size_t i = 0; i < nsources; i++)
        oom |= level_offer(l0, sources[i], 1.0, NET_NONE);
    /* Two levels forward, each apart (a person may be on both at different scores). */
    for (uint32_t i = 0; i < l0->n && !oom; i++) {
        uint32_t a = l0->person[i];
        for (uint64_t e = g->offset[a]; e < g->offset[a + 1]; e++) {
            uint32_t m = g->other[e];
            if (level_find(l0, m) == UINT32_MAX && visible(g, m, viewer))
                oom |= level_offer(l1, m, edge_weight(g, e, today), a);
        }
    }
    for (uint32_t i = 0; i < l1->n && !oom; i++) {
        uint32_t m = l1->person[i];
        for (uint64_t e = g->offset[m]; e < g->offset[m + 1]; e++) {
            uint32_t q = g->other[e];
            if (q != m && level_find(l0, q) == UINT32_MAX && visible(g, q, viewer))
                oom |= level_offer(l2, q, edge_weight(g, e, today) * l1->score[i], m);
        }
    }
    /* The last step, onto the people described: from each level. */
    struct level *lv[3] = {l0, l1, l2};
    for (int h = 0; h < 3 && !oom; h++) {
        for (uint32_t i = 0; i < lv[h]->n && !oom; i++) {
            uint32_t x = lv[h]->person[i];
            /* The people from the source to x, by x's best link and (on the
             * second level) by its best other link, for when the best one is
             * the very person the last step reaches. */
            struct net_path prefix[2];
            int variants = h == 2 && l2->link2[i] != NET_NONE ? 2 : 1;
            for (int v = 0; v < variants; v++) {
                prefix[v] = (struct net_path){(uint32_t)h, {0}, v ? l2->score2[i] : lv[h]->score[i]};
                prefix[v].person[h] = x;
                uint32_t at = h ? (v ? l2->link2[i] : lv[h]->link[i]) : x;
                for (int j = h - 1; j >= 0; j--) {
                    prefix[v].person[j] = at;
                    if (j > 0)
                        at = lv[j]->link[level_find(lv[j], at)];
                }
            }
            for (uint64_t e = g->offset[x]; e < g->offset[x + 1]; e++) {
                uint32_t t = g->other[e];
                if (!is_target[t] || level_find(l0, t) != UINT32_MAX || !visible(g, t, viewer))
                    continue;
                int v = 0;
                for (; v < variants; v++) {
                    int on_path = 0;
                    for (int j = 0; j <= h; j++)
                        on_path |= prefix[v].person[j] == t;
                    if (!on_path)
                        break;
                }
                if (v == variants)
                    continue;
                struct net_path p = prefix[v];
                p.hops = (uint32_t)h + 1;
                p.person[h + 1] = t;
                p.score = prefix[v].score * edge_weight(g, e, today);
                oom |= offer_path(best, &c, t, &p);
            }
        }
    }
    if (oom) {
        free(c.path);
        return TB_INTERNAL(err, "out of memory searching introduction paths");
    }
    return finish(&c, out, k);
}
