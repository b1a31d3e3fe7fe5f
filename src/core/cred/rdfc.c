/*
 * rdfc.c - RDFC-1.0 (https://www.w3.org/TR/rdf-canon/): first-degree hashes,
 * N-degree hashes over permutations of related blank nodes with issuer
 * copying, then canonical labelling. Blank nodes are numbered once so that an
 * identifier issuer is two int arrays that copy with memcpy; scratch memory
 * lives in a private arena freed on return.
 */
#include "core/cred/rdfc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cred/nquads.h"

#define HEXMAX (2 * CRED_HASH_MAX + 1)

struct cquad {
    const char *str[4];   /* serialized non-blank terms (s, p, o, g); g NULL = default graph */
    size_t len[4];
    int blank[4];         /* blank node index per position, -1 when not blank (p always -1) */
};

/* One N-Quads line from pieces, allocated at its exact size: canonicalization
 * builds a line per quad (and per quad per blank node), so this is the hot path. */
static char *join_line(struct arena *w, const char *const *str, const size_t *len, size_t *outlen)
{
    size_t n = 3;   /* " .\n" */
    int k;
    for (k = 0; k < 4 && str[k]; k++)
        n += len[k] + (k ? 1 : 0);
    char *o = arena_alloc(w, n + 1), *p = o;
    if (!o)
        return NULL;
    for (int i = 0; i < k; i++) {
        if (i)
            *p++ = ' ';
        memcpy(p, str[i], len[i]);
        p += len[i];
    }
    memcpy(p, " .\n", 4);
    if (outlen)
        *outlen = n;
    return o;
}

struct bnode {
    const char *label;
    int *quads;           /* indices of quads mentioning it, each once */
    size_t nquads, capq;
    char hash[HEXMAX];    /* first-degree hash, hex */
};

struct issuer {
    int *id;              /* node -> issued number, -1 if none */
    int *order;           /* issued nodes in issue order */
    int count;
};

struct ctx {
    struct arena *w;      /* scratch */
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

static int issuer_init(struct ctx *c, struct issuer *s)
{
    s->id = arena_alloc(c->w, sizeof(int) * (size_t)(c->nb + 1));
    s->order = arena_alloc(c->w, sizeof(int) * (size_t)(c->nb + 1));
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

static void hash_hex(struct ctx *c, const char *s, size_t n, char *hex)
{
    unsigned char d[CRED_HASH_MAX];
    cred_hash_buf(c->alg, s, n, d);
    cred_hex(d, cred_hash_len(c->alg), hex);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 4.6 Hash First Degree Quads. */
static int hash_first_degree(struct ctx *c, int node)
{
    struct bnode *bn = &c->b[node];
    const char **lines = arena_alloc(c->w, sizeof *lines * (bn->nquads + 1));
    if (!lines)
        return -1;
    for (size_t i = 0; i < bn->nquads; i++) {
        const struct cquad *q = &c->q[bn->quads[i]];
        const char *str[4];
        size_t len[4];
        int k;
        for (k = 0; k < 4; k++) {
            if (q->blank[k] >= 0) {
                str[k] = q->blank[k] == node ? "_:a" : "_:z";
                len[k] = 3;
            } else {
                str[k] = q->str[k];
                len[k] = q->len[k];
            }
        }
        if (!(lines[i] = join_line(c->w, str, len, NULL)))
            return -1;
    }
    qsort(lines, bn->nquads, sizeof *lines, cmp_str);
    struct cred_hash h;
    cred_hash_init(&h, c->alg);
    for (size_t i = 0; i < bn->nquads; i++)
        cred_hash_update(&h, lines[i], strlen(lines[i]));
    unsigned char d[CRED_HASH_MAX];
    cred_hash_final(&h, d);
    cred_hex(d, cred_hash_len(c->alg), bn->hash);
    return 0;
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
static void hash_related(struct ctx *c, int related, const struct cquad *q, int pos,
                         const struct issuer *iss, char *hex)
{
    char buf[64];
    const char *id;
    if (c->canon.id[related] >= 0) {
        snprintf(buf, sizeof buf, "_:c14n%d", c->canon.id[related]);
        id = buf;
    } else if (iss->id[related] >= 0) {
        snprintf(buf, sizeof buf, "_:b%d", iss->id[related]);
        id = buf;
    } else {
        id = c->b[related].hash;
    }
    struct cred_hash h;
    cred_hash_init(&h, c->alg);
    cred_hash_update(&h, pos == 0 ? "s" : pos == 2 ? "o" : "g", 1);
    if (pos != 3)
        cred_hash_update(&h, q->str[1], strlen(q->str[1]));   /* "<predicate>" */
    cred_hash_update(&h, id, strlen(id));
    unsigned char d[CRED_HASH_MAX];
    cred_hash_final(&h, d);
    cred_hex(d, cred_hash_len(c->alg), hex);
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
            hash_related(c, r, q, pos, iss, rel[nrel].hash);
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
    if (!perm || !recur || issuer_init(c, &cur) || issuer_init(c, &best))
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
    hash_hex(c, data.data ? data.data : "", data.len, out_hex);
    return 0;
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

/* Blank label -> index, open addressing over the scratch arena. */
struct labels {
    const char **key;
    int *val;
    size_t cap;
};

static size_t str_hash(const char *s)
{
    size_t h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

static int add_node(struct ctx *c, struct labels *L, const char *label, int *capb)
{
    size_t m = L->cap - 1, s = str_hash(label) & m;
    for (; L->key[s]; s = (s + 1) & m)
        if (!strcmp(L->key[s], label))
            return L->val[s];
    if (c->nb == *capb) {
        int nc = *capb * 2;
        struct bnode *nbp = arena_realloc(c->w, c->b, sizeof *nbp * (size_t)*capb, sizeof *nbp * (size_t)nc);
        if (!nbp)
            return -1;
        c->b = nbp;
        *capb = nc;
    }
    struct bnode *b = &c->b[c->nb];
    memset(b, 0, sizeof *b);
    b->label = label;
    L->key[s] = label;
    L->val[s] = c->nb;
    return c->nb++;
}

static int node_add_quad(struct ctx *c, int node, int qi)
{
    struct bnode *b = &c->b[node];
    if (b->nquads && b->quads[b->nquads - 1] == qi)
        return 0;
    if (b->nquads == b->capq) {
        size_t nc = b->capq ? b->capq * 2 : 4;
        int *nqs = arena_realloc(c->w, b->quads, sizeof(int) * b->capq, sizeof(int) * nc);
        if (!nqs)
            return -1;
        b->quads = nqs;
        b->capq = nc;
    }
    b->quads[b->nquads++] = qi;
    return 0;
}

static const char *term_str(struct ctx *c, struct abuf *scratch, const struct rdf_term *t, size_t *len)
{
    if (t->kind == RDF_IRI) {   /* the common case, without the scratch copy */
        size_t n = strlen(t->value);
        char *o = arena_alloc(c->w, n + 3);
        if (!o)
            return NULL;
        o[0] = '<';
        memcpy(o + 1, t->value, n);
        o[n + 1] = '>';
        o[n + 2] = 0;
        *len = n + 2;
        return o;
    }
    scratch->len = 0;
    if (nquads_write_term(scratch, t))
        return NULL;
    *len = scratch->len;
    return arena_strndup(c->w, abuf_cstr(scratch), scratch->len);
}

static int fail_c(struct ctx *c)
{
    if (c->exceeded)
        return tb_fail(c->err, 422, "canon_work_limit", "",
                       "canonicalization work limit exceeded (%lu steps): the graph's blank nodes "
                       "are too symmetric to canonicalize safely", c->limit);
    return tb_fail(c->err, 413, "too_large", "", "dataset too large to canonicalize");
}

int rdfc_canonicalize(const struct rdf_dataset *in, const struct rdfc_options *opt,
                      struct arena *a, struct rdfc_result *out, struct tb_err *err)
{
    struct ctx c;
    memset(&c, 0, sizeof c);
    memset(out, 0, sizeof *out);
    c.err = err;
    c.alg = opt ? opt->hash : CRED_SHA256;
    c.limit = opt && opt->work_limit ? opt->work_limit : RDFC_WORK_LIMIT_DEFAULT;
    c.w = arena_new(RDFC_MEMORY_LIMIT_DEFAULT);
    if (!c.w)
        return TB_INTERNAL(err, "out of memory");
    int rc = -1;
    c.nq = in->len;
    c.q = arena_alloc(c.w, sizeof *c.q * (in->len + 1));
    int capb = 16;
    c.b = arena_alloc(c.w, sizeof *c.b * (size_t)capb);
    struct labels L = {0};
    L.cap = 64;
    while (L.cap < in->len * 6 + 8)
        L.cap *= 2;
    L.key = arena_calloc(c.w, L.cap, sizeof *L.key);
    L.val = arena_calloc(c.w, L.cap, sizeof *L.val);
    if (!c.q || !c.b || !L.key || !L.val)
        goto oom;

    /* 1-2: number blank nodes in order of appearance, map them to quads. */
    struct abuf scratch;
    abuf_init(&scratch, c.w, (size_t)1 << 30);
    for (size_t i = 0; i < in->len; i++) {
        const struct rdf_quad *q = &in->quads[i];
        const struct rdf_term *t[4] = {&q->subject, &q->predicate, &q->object, &q->graph};
        struct cquad *cq = &c.q[i];
        for (int k = 0; k < 4; k++) {
            cq->blank[k] = -1;
            cq->str[k] = NULL;
            if (t[k]->kind == RDF_BLANK) {
                int n = add_node(&c, &L, t[k]->value, &capb);
                if (n < 0 || node_add_quad(&c, n, (int)i))
                    goto oom;
                cq->blank[k] = n;
            } else if (t[k]->kind != RDF_NONE) {
                if (!(cq->str[k] = term_str(&c, &scratch, t[k], &cq->len[k])))
                    goto oom;
            }
        }
    }
    if (issuer_init(&c, &c.canon))
        goto oom;

    /* 3-4: first-degree hashes; nodes with a unique hash get labels first. */
    struct hashed *hs = arena_alloc(c.w, sizeof *hs * (size_t)(c.nb + 1));
    if (!hs)
        goto oom;
    for (int i = 0; i < c.nb; i++) {
        if (hash_first_degree(&c, i))
            goto oom;
        hs[i].hash = c.b[i].hash;
        hs[i].node = i;
        hs[i].seq = i;
    }
    qsort(hs, (size_t)c.nb, sizeof *hs, cmp_hashed);
    for (int i = 0; i < c.nb;) {
        int j = i;
        while (j < c.nb && !strcmp(hs[j].hash, hs[i].hash))
            j++;
        if (j - i == 1)
            issue(&c.canon, hs[i].node);
        i = j;
    }
    /* 5: shared first-degree hashes, resolved by N-degree hashes. */
    for (int i = 0; i < c.nb;) {
        int j = i;
        while (j < c.nb && !strcmp(hs[j].hash, hs[i].hash))
            j++;
        if (j - i > 1) {
            int m = j - i, np = 0;
            struct hashed *res = arena_alloc(c.w, sizeof *res * (size_t)m);
            struct issuer *iss = arena_alloc(c.w, sizeof *iss * (size_t)m);
            char *hx = arena_alloc(c.w, (size_t)m * HEXMAX);
            if (!res || !iss || !hx)
                goto oom;
            for (int k = i; k < j; k++) {
                int n = hs[k].node;
                if (c.canon.id[n] >= 0)
                    continue;
                if (issuer_init(&c, &iss[np]))
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
        const char **lines = arena_alloc(c.w, sizeof *lines * (c.nq + 1));
        const char **clabel = arena_alloc(c.w, sizeof *clabel * (size_t)(c.nb + 1));
        if (!lines || !clabel)
            goto oom;
        for (int i = 0; i < c.nb; i++)
            if (!(clabel[i] = arena_printf(c.w, "_:c14n%d", c.canon.id[i])))
                goto oom;
        size_t total = 0;
        size_t *clen = arena_alloc(c.w, sizeof *clen * (size_t)(c.nb + 1));
        if (!clen)
            goto oom;
        for (int i = 0; i < c.nb; i++)
            clen[i] = strlen(clabel[i]);
        for (size_t i = 0; i < c.nq; i++) {
            const struct cquad *q = &c.q[i];
            const char *str[4];
            size_t len[4], n;
            for (int k = 0; k < 4; k++) {
                str[k] = q->blank[k] >= 0 ? clabel[q->blank[k]] : q->str[k];
                len[k] = q->blank[k] >= 0 ? clen[q->blank[k]] : q->len[k];
            }
            if (!(lines[i] = join_line(c.w, str, len, &n)))
                goto oom;
            total += n;
        }
        qsort(lines, c.nq, sizeof *lines, cmp_str);
        char *o = arena_alloc(a, total + 1);
        out->input_labels = arena_alloc(a, sizeof(char *) * (size_t)(c.nb + 1));
        out->canon_labels = arena_alloc(a, sizeof(char *) * (size_t)(c.nb + 1));
        if (!o || !out->input_labels || !out->canon_labels)
            goto oom;
        size_t off = 0;
        for (size_t i = 0; i < c.nq; i++) {
            size_t n = strlen(lines[i]);
            memcpy(o + off, lines[i], n);
            off += n;
        }
        o[off] = 0;
        out->nquads = o;
        out->len = off;
        out->nblank = (size_t)c.nb;
        for (int i = 0; i < c.nb; i++) {
            out->input_labels[i] = arena_strdup(a, c.b[i].label);
            out->canon_labels[i] = arena_strdup(a, clabel[i] + 2);
            if (!out->input_labels[i] || !out->canon_labels[i])
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
