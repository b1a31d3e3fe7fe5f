/*
 * rdfc.c - RDFC-1.0 (https://www.w3.org/TR/rdf-canon/): first-degree hashes,
 * N-degree hashes over permutations of related blank nodes with issuer
 * copying, then canonical labelling. Blank nodes are numbered once so that an
 * identifier issuer is two int arrays that copy with memcpy.
 *
 * Signing a credential canonicalizes a few dozen quads whose blank nodes all
 * have distinct first-degree hashes, and that path is kept lean: each quad is
 * serialized once, into a line template with a "_:z" slot per blank node;
 * first-degree hashing patches the slots of the node being hashed to "_:a" in
 * place (and back), and the final pass copies the template with canonical
 * labels in the slots. Scratch memory for all that grows with the input, so
 * it comes from the caller's arena, which outlives the call anyway; only
 * N-degree hashing, whose memory use the input size does not bound, gets a
 * private capped arena, created when first needed and freed on return.
 */
#include "core/cred/rdfc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cred/nquads.h"

#define HEXMAX (2 * CRED_HASH_MAX + 1)

struct cquad {
    size_t off, len;      /* line template at ctx.tpl + off, " .\n" included */
    size_t poff, plen;    /* the predicate within the line, for Hash Related Blank Node */
    size_t slot[4];       /* offset in the line of the "_:z" standing for blank[k] */
    int blank[4];         /* blank node index per position, -1 when not blank */
    int nblank;           /* blank positions */
};

struct bnode {
    const char *label;
    int *quads;           /* indices of quads mentioning it, each once, ascending */
    size_t nquads;
    /* First-degree hash, zero-padded: nodes sort by it with one memcmp of
     * CRED_HASH_MAX bytes whatever the algorithm, in the order of its hex. */
    unsigned char digest[CRED_HASH_MAX];
};

struct issuer {
    int *id;              /* node -> issued number, -1 if none */
    int *order;           /* issued nodes in issue order */
    int count;
};

struct ctx {
    struct arena *a;      /* the caller's: output and scratch linear in the input */
    struct arena *w;      /* N-degree scratch, NULL until needed */
    char *tpl;            /* line templates, writable for the "_:a" patching */
    struct cquad *q;
    size_t nq;
    struct bnode *b;
    int nb;
    enum cred_hash_alg alg;
    struct issuer canon;
    unsigned long work, limit;
    int depth;            /* recursion depth of Hash N-Degree Quads */
    int exceeded, oom;
    struct tb_err *err;
};

static int issuer_init(struct ctx *c, struct arena *ar, struct issuer *s)
{
    s->id = arena_alloc(ar, sizeof(int) * (size_t)(c->nb + 1));
    s->order = arena_alloc(ar, sizeof(int) * (size_t)(c->nb + 1));
    if (!s->id || !s->order)
        return -1;
    for (int i = 0; i < c->nb; i++)
        s->id[i] = -1;
    s->count = 0;
    return 0;
}

static void issuer_copy(struct ctx *c, struct issuer *dst, const struct issuer *src)
{
    memcpy(dst->id, src->id, sizeof(int) * (size_t)c->nb);
    memcpy(dst->order, src->order, sizeof(int) * (size_t)src->count);
    dst->count = src->count;
}

static int issue(struct issuer *s, int node)
{
    if (s->id[node] < 0) {
        s->id[node] = s->count;
        s->order[s->count++] = node;
    }
    return s->id[node];
}

/* 0, or -1 with c->oom set (the digest library could not allocate). */
static int hash_hex(struct ctx *c, const char *s, size_t n, char *hex)
{
    unsigned char d[CRED_HASH_MAX];
    if (cred_hash_buf(c->alg, s, n, d))
        return c->oom = 1, -1;
    cred_hex(d, cred_hash_len(c->alg), hex);
    return 0;
}

/* A line that is not NUL-terminated (templates sit back to back). */
struct line {
    const char *s;
    size_t n;
};

/* strcmp's order: lines hold no NUL (U+0000 is written escaped). */
static int cmp_line(const struct line *p, const struct line *q)
{
    int r = memcmp(p->s, q->s, p->n < q->n ? p->n : q->n);
    return r ? r : (p->n > q->n) - (p->n < q->n);
}

/* Merge sort with insertion-sorted runs; qsort's indirect calls and element
 * copies cost more than the comparisons at credential sizes. tmp has room
 * for n / 2 lines. */
static void sort_lines(struct line *v, size_t n, struct line *tmp)
{
    if (n <= 8) {
        for (size_t i = 1; i < n; i++) {
            struct line x = v[i];
            size_t j = i;
            for (; j > 0 && cmp_line(&v[j - 1], &x) > 0; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    sort_lines(v, h, tmp);
    sort_lines(v + h, n - h, tmp);
    if (cmp_line(&v[h - 1], &v[h]) <= 0)
        return;
    memcpy(tmp, v, sizeof *v * h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        v[k++] = cmp_line(&v[j], &tmp[i]) < 0 ? v[j++] : tmp[i++];
    while (i < h)
        v[k++] = tmp[i++];
}

/* Sets the slots of node in its quads' templates to "_:a" (ch 'a') or back to "_:z". */
static void patch_slots(struct ctx *c, int node, char ch)
{
    const struct bnode *bn = &c->b[node];
    for (size_t i = 0; i < bn->nquads; i++) {
        const struct cquad *q = &c->q[bn->quads[i]];
        for (int k = 0; k < 4; k++)
            if (q->blank[k] == node)
                c->tpl[q->off + q->slot[k] + 2] = ch;
    }
}

/* 4.6 Hash First Degree Quads; lines has room for the node's quads, and
 * tmp for half as many. */
static int hash_first_degree(struct ctx *c, int node, struct line *lines, struct line *tmp)
{
    struct bnode *bn = &c->b[node];
    patch_slots(c, node, 'a');
    for (size_t i = 0; i < bn->nquads; i++) {
        const struct cquad *q = &c->q[bn->quads[i]];
        lines[i].s = c->tpl + q->off;
        lines[i].n = q->len;
    }
    sort_lines(lines, bn->nquads, tmp);
    struct cred_hash h;
    int rc = cred_hash_init(&h, c->alg);
    if (rc == 0) {
        for (size_t i = 0; i < bn->nquads; i++)
            cred_hash_update(&h, lines[i].s, lines[i].n);
        memset(bn->digest, 0, sizeof bn->digest);
        rc = cred_hash_final(&h, bn->digest);
    }
    patch_slots(c, node, 'z');
    return rc;
}

struct related {
    char hash[HEXMAX];
    int node;
    int seq;   /* insertion order, to keep the sort stable */
};

static int cmp_related(const void *a, const void *b)
{
    const struct related *x = a, *y = b;
    int r = strcmp(x->hash, y->hash);
    return r ? r : x->seq - y->seq;
}

/* 4.7 Hash Related Blank Node. */
static int hash_related(struct ctx *c, int related, const struct cquad *q, int pos,
                        const struct issuer *iss, char *hex)
{
    char buf[HEXMAX];
    const char *id;
    if (c->canon.id[related] >= 0) {
        snprintf(buf, sizeof buf, "_:c14n%d", c->canon.id[related]);
        id = buf;
    } else if (iss->id[related] >= 0) {
        snprintf(buf, sizeof buf, "_:b%d", iss->id[related]);
        id = buf;
    } else {
        cred_hex(c->b[related].digest, cred_hash_len(c->alg), buf);
        id = buf;
    }
    struct cred_hash h;
    if (cred_hash_init(&h, c->alg))
        return c->oom = 1, -1;
    cred_hash_update(&h, pos == 0 ? "s" : pos == 2 ? "o" : "g", 1);
    if (pos != 3)
        cred_hash_update(&h, c->tpl + q->off + q->poff, q->plen);   /* "<predicate>" */
    cred_hash_update(&h, id, strlen(id));
    unsigned char d[CRED_HASH_MAX];
    if (cred_hash_final(&h, d))
        return c->oom = 1, -1;
    cred_hex(d, cred_hash_len(c->alg), hex);
    return 0;
}

static int next_permutation(int *p, int n)
{
    int i = n - 2;
    while (i >= 0 && p[i] >= p[i + 1])
        i--;
    if (i < 0)
        return 0;
    int j = n - 1;
    while (p[j] <= p[i])
        j--;
    int t = p[i]; p[i] = p[j]; p[j] = t;
    for (int a = i + 1, b = n - 1; a < b; a++, b--) {
        t = p[a]; p[a] = p[b]; p[b] = t;
    }
    return 1;
}

static int over(const struct abuf *path, const struct abuf *chosen, int have_chosen)
{
    return have_chosen && path->len >= chosen->len && strcmp(path->data, chosen->data) > 0;
}

static int spend(struct ctx *c)
{
    if (++c->work > c->limit) {
        c->exceeded = 1;
        return -1;
    }
    return 0;
}

/* 4.8 Hash N-Degree Quads: *iss is the issuer in, and the chosen issuer out. */
static int hash_n_degree_rec(struct ctx *c, int node, struct issuer *iss, char *out_hex);

/* Recursion is bounded too, so a hostile chain of look-alike blank nodes
 * cannot exhaust a server thread's stack before the work limit trips. */
#define RDFC_MAX_DEPTH 512

static int hash_n_degree(struct ctx *c, int node, struct issuer *iss, char *out_hex)
{
    if (c->depth >= RDFC_MAX_DEPTH) {
        c->exceeded = 1;
        return -1;
    }
    c->depth++;
    int rc = hash_n_degree_rec(c, node, iss, out_hex);
    c->depth--;
    return rc;
}

static int hash_n_degree_rec(struct ctx *c, int node, struct issuer *iss, char *out_hex)
{
    if (spend(c))
        return -1;
    struct bnode *bn = &c->b[node];
    size_t nrel = 0, caprel = 8;
    struct related *rel = arena_alloc(c->w, sizeof *rel * caprel);
    if (!rel)
        return c->oom = 1, -1;
    for (size_t i = 0; i < bn->nquads; i++) {
        const struct cquad *q = &c->q[bn->quads[i]];
        for (int pos = 0; pos < 4; pos++) {
            int r = q->blank[pos];
            if (r < 0 || r == node)
                continue;
            if (nrel == caprel) {
                rel = arena_realloc(c->w, rel, sizeof *rel * caprel, sizeof *rel * caprel * 2);
                if (!rel)
                    return c->oom = 1, -1;
                caprel *= 2;
            }
            if (hash_related(c, r, q, pos, iss, rel[nrel].hash))
                return -1;
            rel[nrel].node = r;
            rel[nrel].seq = (int)nrel;
            nrel++;
        }
    }
    qsort(rel, nrel, sizeof *rel, cmp_related);

    struct abuf data, path, chosen;
    abuf_init(&data, c->w, (size_t)1 << 28);
    abuf_init(&path, c->w, (size_t)1 << 28);
    abuf_init(&chosen, c->w, (size_t)1 << 28);
    struct issuer cur, best;
    int *perm = arena_alloc(c->w, sizeof(int) * (nrel + 1));
    int *recur = arena_alloc(c->w, sizeof(int) * (nrel + 1));
    if (!perm || !recur || issuer_init(c, c->w, &cur) || issuer_init(c, c->w, &best))
        return c->oom = 1, -1;

    for (size_t g = 0; g < nrel;) {
        size_t ge = g;
        while (ge < nrel && !strcmp(rel[ge].hash, rel[g].hash))
            ge++;
        int k = (int)(ge - g);
        if (abuf_puts(&data, rel[g].hash))
            return c->oom = 1, -1;
        for (int i = 0; i < k; i++)
            perm[i] = i;
        int have_chosen = 0;
        chosen.len = 0;
        do {
            if (spend(c))
                return -1;
            issuer_copy(c, &cur, iss);
            path.len = 0;
            if (abuf_append(&path, "", 0))
                return c->oom = 1, -1;
            int nrec = 0, skip = 0;
            char buf[64];
            for (int i = 0; i < k && !skip; i++) {
                int r = rel[g + (size_t)perm[i]].node;
                if (c->canon.id[r] >= 0) {
                    snprintf(buf, sizeof buf, "_:c14n%d", c->canon.id[r]);
                } else {
                    if (cur.id[r] < 0)
                        recur[nrec++] = r;
                    snprintf(buf, sizeof buf, "_:b%d", issue(&cur, r));
                }
                if (abuf_puts(&path, buf))
                    return c->oom = 1, -1;
                skip = over(&path, &chosen, have_chosen);
            }
            for (int i = 0; i < nrec && !skip; i++) {
                char h[HEXMAX];
                if (hash_n_degree(c, recur[i], &cur, h))
                    return -1;
                snprintf(buf, sizeof buf, "_:b%d", issue(&cur, recur[i]));
                if (abuf_puts(&path, buf) || abuf_append(&path, "<", 1) || abuf_puts(&path, h) ||
                    abuf_append(&path, ">", 1))
                    return c->oom = 1, -1;
                skip = over(&path, &chosen, have_chosen);
            }
            if (!skip && (!have_chosen || strcmp(path.data, chosen.data) < 0)) {
                struct abuf tb = chosen; chosen = path; path = tb;
                struct issuer ti = best; best = cur; cur = ti;
                have_chosen = 1;
            }
        } while (next_permutation(perm, k));
        if (abuf_append(&data, chosen.data, chosen.len))
            return c->oom = 1, -1;
        issuer_copy(c, iss, &best);
        g = ge;
    }
    return hash_hex(c, data.data ? data.data : "", data.len, out_hex);
}

struct hashed {
    const char *hash;
    int node;
    int seq;
};

static int cmp_hashed(const void *a, const void *b)
{
    const struct hashed *x = a, *y = b;
    int r = strcmp(x->hash, y->hash);
    return r ? r : x->seq - y->seq;
}

static int cmp_digest(const void *a, const void *b)
{
    const struct bnode *const *x = a, *const *y = b;
    int r = memcmp((*x)->digest, (*y)->digest, CRED_HASH_MAX);
    return r ? r : (*x > *y) - (*x < *y);   /* ties in node order, as before */
}

/* Blank label -> index, open addressing; cap is a power of two. */
struct slotent {
    const char *key;
    int val;
};

struct labels {
    struct slotent *e;
    size_t cap;
};

static size_t str_hash(const char *s)
{
    size_t h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

/* c->b has room for every blank occurrence, so it never grows. */
static int add_node(struct ctx *c, struct labels *L, const char *label)
{
    size_t m = L->cap - 1, s = str_hash(label) & m;
    for (; L->e[s].key; s = (s + 1) & m)
        if (!strcmp(L->e[s].key, label))
            return L->e[s].val;
    c->b[c->nb].label = label;
    L->e[s].key = label;
    L->e[s].val = c->nb;
    return c->nb++;
}

static int fail_c(struct ctx *c)
{
    if (c->exceeded)
        return tb_error(c->err, TB_E_CANON_WORK_LIMIT, "",
                       "canonicalization work limit exceeded (%lu steps): the graph's blank nodes "
                       "are too symmetric to canonicalize safely", c->limit);
    return tb_error(c->err, TB_E_TOO_LARGE, "", "dataset too large to canonicalize");
}

/* A growable byte buffer without abuf's per-call overhead: templates are
 * written a term at a time, after one capacity check per term. */
struct tbuf {
    struct arena *a;
    char *p;
    size_t len, cap;
};

static int tb_room(struct tbuf *b, size_t n)
{
    if (b->cap - b->len >= n)
        return 0;
    if (n > ((size_t)1 << 40) || b->cap > ((size_t)1 << 40))
        return -1;
    size_t cap = 2 * b->cap + n;
    char *p = arena_realloc(b->a, b->p, b->cap, cap);
    if (!p)
        return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

/* 1-2: numbers blank nodes in order of appearance, serializes each quad once
 * into its template and lists the quads each blank node appears in. */
static int load_quads(struct ctx *c, const struct rdf_dataset *in)
{
    size_t nocc = 0;
    for (size_t i = 0; i < in->len; i++) {
        const struct rdf_quad *q = &in->quads[i];
        nocc += (q->subject.kind == RDF_BLANK) + (q->predicate.kind == RDF_BLANK) +
                (q->object.kind == RDF_BLANK) + (q->graph.kind == RDF_BLANK);
    }
    struct labels L = {NULL, 16};
    while (L.cap < 2 * nocc)
        L.cap *= 2;
    c->q = arena_alloc(c->a, sizeof *c->q * (in->len + 1));
    c->b = arena_calloc(c->a, nocc + 1, sizeof *c->b);
    int *count = arena_calloc(c->a, nocc + 1, sizeof *count);   /* quads per node */
    L.e = arena_calloc(c->a, L.cap, sizeof *L.e);
    if (!c->q || !c->b || !count || !L.e)
        return -1;

    /* Typical lines are well under 160 bytes, so the buffer rarely moves;
     * lit serializes literals, whose escaped length is not known up front. */
    struct tbuf tpl = {c->a, NULL, 0, 160 * in->len + 256};
    struct abuf lit;
    abuf_init(&lit, c->a, (size_t)1 << 30);
    if (!abuf_cstr(&lit) || !(tpl.p = arena_alloc(c->a, tpl.cap)))
        return -1;
    for (size_t i = 0; i < in->len; i++) {
        const struct rdf_quad *q = &in->quads[i];
        const struct rdf_term *t[4] = {&q->subject, &q->predicate, &q->object, &q->graph};
        struct cquad *cq = &c->q[i];
        cq->off = tpl.len;
        cq->poff = cq->plen = 0;
        cq->nblank = 0;
        for (int k = 0; k < 4; k++)
            cq->blank[k] = -1;
        for (int k = 0; k < 4 && t[k]->kind != RDF_NONE; k++) {
            const char *v = t[k]->value;
            size_t n = 3;
            if (t[k]->kind == RDF_IRI) {
                n = strlen(v) + 2;
            } else if (t[k]->kind == RDF_LITERAL) {
                lit.len = 0;
                if (nquads_write_term(&lit, t[k]))
                    return -1;
                n = lit.len;
            }
            if (tb_room(&tpl, n + 1))
                return -1;
            char *o = tpl.p + tpl.len;
            if (k)
                *o++ = ' ';
            size_t at = (size_t)(o - tpl.p) - cq->off;
            tpl.len = (size_t)(o - tpl.p) + n;
            if (k == 1) {
                cq->poff = at;
                cq->plen = n;
            }
            if (t[k]->kind == RDF_IRI) {
                o[0] = '<';
                memcpy(o + 1, v, n - 2);
                o[n - 1] = '>';
            } else if (t[k]->kind == RDF_LITERAL) {
                memcpy(o, lit.data, n);
            } else {
                int bn = add_node(c, &L, v), seen = 0;
                for (int j = 0; j < k; j++)
                    seen |= cq->blank[j] == bn;
                count[bn] += !seen;
                cq->nblank++;
                cq->blank[k] = bn;
                cq->slot[k] = at;
                memcpy(o, "_:z", 3);
            }
        }
        if (tb_room(&tpl, 3))
            return -1;
        memcpy(tpl.p + tpl.len, " .\n", 3);
        tpl.len += 3;
        cq->len = tpl.len - cq->off;
    }
    c->tpl = tpl.p;
    c->nq = in->len;

    /* The quad lists, one array cut by node. */
    int *all = arena_alloc(c->a, sizeof *all * (nocc + 1));
    if (!all)
        return -1;
    size_t at = 0;
    for (int n = 0; n < c->nb; n++) {
        c->b[n].quads = all + at;
        at += (size_t)count[n];
    }
    for (size_t i = 0; i < c->nq; i++) {
        const struct cquad *cq = &c->q[i];
        for (int k = 0; k < 4 && cq->nblank; k++) {
            int n = cq->blank[k], seen = 0;
            if (n < 0)
                continue;
            for (int j = 0; j < k; j++)
                seen |= cq->blank[j] == n;
            if (!seen) {
                struct bnode *bn = &c->b[n];
                bn->quads[bn->nquads++] = (int)i;
            }
        }
    }
    return 0;
}

/* "_:c14n" and the decimal n, NUL-terminated; returns the length. */
static size_t canon_label(char *o, int n)
{
    char d[16];
    size_t k = 0;
    do
        d[k++] = (char)('0' + n % 10);
    while ((n /= 10) > 0);
    memcpy(o, "_:c14n", 6);
    for (size_t i = 0; i < k; i++)
        o[6 + i] = d[k - 1 - i];
    o[6 + k] = 0;
    return 6 + k;
}

int rdfc_canonicalize(const struct rdf_dataset *in, const struct rdfc_options *opt,
                      struct arena *a, struct rdfc_result *out, struct tb_err *err)
{
    struct ctx c;
    memset(&c, 0, sizeof c);
    memset(out, 0, sizeof *out);
    c.err = err;
    c.a = a;
    c.alg = opt ? opt->hash : CRED_SHA256;
    c.limit = opt && opt->work_limit ? opt->work_limit : RDFC_WORK_LIMIT_DEFAULT;
    int rc = -1;
    struct line *lines = NULL, *tmp;   /* tmp: sort_lines' scratch */
    if (load_quads(&c, in) || issuer_init(&c, a, &c.canon) ||
        !(lines = arena_alloc(a, sizeof *lines * (c.nq + c.nq / 2 + 1))))
        goto oom;
    tmp = lines + c.nq;

    /* 3-4: first-degree hashes; nodes with a unique hash get labels first.
     * A lone blank node's hash is unique whatever it is, and hashes only
     * order nodes, so it is not computed. */
    struct bnode **hs = arena_alloc(a, sizeof *hs * (size_t)(c.nb + 1));
    if (!hs)
        goto oom;
    for (int i = 0; i < c.nb; i++) {
        if (c.nb > 1 && hash_first_degree(&c, i, lines, tmp))
            goto oom;
        hs[i] = &c.b[i];
    }
    qsort(hs, (size_t)c.nb, sizeof *hs, cmp_digest);
    for (int i = 0; i < c.nb;) {
        int j = i + 1;
        while (j < c.nb && !memcmp(hs[j]->digest, hs[i]->digest, CRED_HASH_MAX))
            j++;
        if (j - i == 1)
            issue(&c.canon, (int)(hs[i] - c.b));
        i = j;
    }
    /* 5: shared first-degree hashes, resolved by N-degree hashes. */
    for (int i = 0; i < c.nb;) {
        int j = i + 1;
        while (j < c.nb && !memcmp(hs[j]->digest, hs[i]->digest, CRED_HASH_MAX))
            j++;
        if (j - i > 1) {
            if (!c.w && !(c.w = arena_new(RDFC_MEMORY_LIMIT_DEFAULT)))
                goto oom;
            int m = j - i, np = 0;
            struct hashed *res = arena_alloc(c.w, sizeof *res * (size_t)m);
            struct issuer *iss = arena_alloc(c.w, sizeof *iss * (size_t)m);
            char *hx = arena_alloc(c.w, (size_t)m * HEXMAX);
            if (!res || !iss || !hx)
                goto oom;
            for (int k = i; k < j; k++) {
                int n = (int)(hs[k] - c.b);
                if (c.canon.id[n] >= 0)
                    continue;
                if (issuer_init(&c, c.w, &iss[np]))
                    goto oom;
                issue(&iss[np], n);
                if (hash_n_degree(&c, n, &iss[np], hx + (size_t)np * HEXMAX))
                    goto fail;
                res[np].hash = hx + (size_t)np * HEXMAX;
                res[np].node = np;
                res[np].seq = np;
                np++;
            }
            qsort(res, (size_t)np, sizeof *res, cmp_hashed);
            for (int k = 0; k < np; k++) {
                struct issuer *s = &iss[res[k].node];
                for (int x = 0; x < s->count; x++)
                    issue(&c.canon, s->order[x]);
            }
        }
        i = j;
    }

    /* 6: relabel, serialize, sort. */
    {
        enum { LABMAX = 24 };   /* "_:c14n" and an int, with room to spare */
        char *clabel = arena_alloc(a, (size_t)c.nb * LABMAX + 1);
        size_t *clen = arena_alloc(a, sizeof *clen * (size_t)(c.nb + 1));
        if (!clabel || !clen)
            goto oom;
        for (int i = 0; i < c.nb; i++)
            clen[i] = canon_label(clabel + (size_t)i * LABMAX, c.canon.id[i]);
        /* Quads without blank nodes are final already; the others are
         * copied into fin with their labels. */
        size_t total = 0, nfin = 0;
        for (size_t i = 0; i < c.nq; i++) {
            const struct cquad *q = &c.q[i];
            size_t n = q->len;
            for (int k = 0; k < 4 && q->nblank; k++)
                if (q->blank[k] >= 0)
                    n += clen[q->blank[k]] - 3;
            total += n;
            if (q->nblank)
                nfin += n;
        }
        char *fin = arena_alloc(a, nfin + 1), *p = fin;
        if (!fin)
            goto oom;
        for (size_t i = 0; i < c.nq; i++) {
            const struct cquad *q = &c.q[i];
            const char *s = c.tpl + q->off;
            if (!q->nblank) {
                lines[i].s = s;
                lines[i].n = q->len;
                continue;
            }
            lines[i].s = p;
            size_t from = 0;
            for (int k = 0; k < 4; k++) {
                int n = q->blank[k];
                if (n < 0)
                    continue;
                memcpy(p, s + from, q->slot[k] - from);
                p += q->slot[k] - from;
                memcpy(p, clabel + (size_t)n * LABMAX, clen[n]);
                p += clen[n];
                from = q->slot[k] + 3;
            }
            memcpy(p, s + from, q->len - from);
            p += q->len - from;
            lines[i].n = (size_t)(p - lines[i].s);
        }
        sort_lines(lines, c.nq, tmp);
        char *o = arena_alloc(a, total + 1);
        out->input_labels = arena_alloc(a, sizeof(char *) * (size_t)(c.nb + 1));
        out->canon_labels = arena_alloc(a, sizeof(char *) * (size_t)(c.nb + 1));
        if (!o || !out->input_labels || !out->canon_labels)
            goto oom;
        size_t off = 0;
        for (size_t i = 0; i < c.nq; i++) {
            memcpy(o + off, lines[i].s, lines[i].n);
            off += lines[i].n;
        }
        o[off] = 0;
        out->nquads = o;
        out->len = off;
        out->nblank = (size_t)c.nb;
        for (int i = 0; i < c.nb; i++) {
            out->input_labels[i] = arena_strdup(a, c.b[i].label);
            out->canon_labels[i] = clabel + (size_t)i * LABMAX + 2;
            if (!out->input_labels[i])
                goto oom;
        }
        out->work = c.work;
    }
    rc = 0;
    goto done;
oom:
    c.oom = 1;
fail:
    fail_c(&c);
done:
    arena_free(c.w);
    return rc;
}
