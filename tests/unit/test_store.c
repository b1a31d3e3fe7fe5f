/* Unit tests: the store - statement set rules, migrations, tenant isolation,
 * versions, audit, pagination, backup. Each test uses a fresh database file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/embedded.h"
#include "store/store.h"

extern const struct embedded_file sql_sqlite_files[];

static char dbpath[256];

static struct store *fresh(void)
{
    snprintf(dbpath, sizeof dbpath, "/tmp/tb-store-test-%d.db", (int)getpid());
    unlink(dbpath);
    char side[300];
    snprintf(side, sizeof side, "%s-wal", dbpath);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", dbpath);
    unlink(side);
    struct store *st;
    struct tb_err err;
    int applied;
    assert_int_equal(store_open(dbpath, &st, &err), 0);
    assert_int_equal(store_migrate(st, NULL, &applied, &err), 0);
    return st;
}

static void done(struct store *st)
{
    store_close(st);
    unlink(dbpath);
}

/* ---- the scope guard: every statement parsed ---------------------------
 *
 * A small SQL tokenizer and block parser (enough for the dialect of the
 * statement set). For each statement it finds every table reference, in
 * every subquery, and decides whether the reference is constrained to the
 * actor's tenant:
 *   guarded     a top-level AND term of its block (WHERE or JOIN ... ON) is
 *               "<ref>.<tenant column> = P" where P is :tenant or a parameter
 *               some enclosing term pins to :tenant ("P = :tenant"), each
 *               optionally OR'ed with ":all = 1"; or the term is ":all = 1"
 *               alone (foundation only). An INSERT is guarded when the value
 *               of its tenant column is such a P.
 *   correlated  a top-level term equates one of its columns with a column of
 *               a guarded or correlated reference (same or enclosing block);
 *   filtering   its block is a subquery inside the WHERE of a block that has
 *               a guarded or correlated reference: it can only drop rows of
 *               the tenant's, never return another tenant's values.
 * Tenant tables are read from the migrated schema: every table with an
 * org_id column, and orgs (whose tenant column is id). */

enum tok_kind { T_ID, T_PARAM, T_STR, T_NUM, T_OP, T_LP, T_RP };
struct tok {
    enum tok_kind k;
    char text[64];
};
#define MAX_TOKS 2048
#define MAX_REFS 48

struct ref {
    char table[64], alias[64];
    int block, parent_block;   /* index of the block, of its parent (-1) */
    int ok;                    /* guarded, correlated or filtering */
    int from;                  /* INSERT ... SELECT x.<tenant column> FROM x: x's reference, or -1 */
};
struct blk {
    int start, end;            /* tokens [start, end) */
    int parent;                /* -1 for the statement */
    int in_predicate;          /* a subquery inside its parent's WHERE / ON */
};
struct sqlp {
    struct tok t[MAX_TOKS];
    int n;
    struct blk b[64];
    int nb;
    struct ref r[MAX_REFS];
    int nr;
    char tenant_tables[64][64];
    char tenant_cols[64][16];
    int ntt;
};

static int tokenize(struct sqlp *p, const char *sql)
{
    p->n = 0;
    for (const char *s = sql; *s;) {
        if (isspace((unsigned char)*s)) {
            s++;
            continue;
        }
        if (p->n >= MAX_TOKS)
            return -1;
        struct tok *k = &p->t[p->n++];
        size_t i = 0;
        if (*s == '\'') {
            k->k = T_STR;
            for (s++; *s && !(*s == '\'' && s[1] != '\''); s++) {
                if (*s == '\'')
                    s++;
                if (i < sizeof k->text - 1)
                    k->text[i++] = *s;
            }
            if (*s)
                s++;
        } else if (isalpha((unsigned char)*s) || *s == '_' || (*s == ':' && (isalpha((unsigned char)s[1]) || s[1] == '_'))) {
            k->k = *s == ':' ? T_PARAM : T_ID;
            do {
                if (i < sizeof k->text - 1)
                    k->text[i++] = *s;
                s++;
            } while (isalnum((unsigned char)*s) || *s == '_');
        } else if (isdigit((unsigned char)*s)) {
            k->k = T_NUM;
            while (isalnum((unsigned char)*s) || *s == '.')
                if (i < sizeof k->text - 1)
                    k->text[i++] = *s++;
                else
                    s++;
        } else {
            k->k = *s == '(' ? T_LP : *s == ')' ? T_RP : T_OP;
            k->text[i++] = *s;
            if (strchr("<>!|", *s) && strchr("=>|", s[1]))
                k->text[i++] = *++s;
            s++;
        }
        k->text[i] = '\0';
    }
    return 0;
}

static int kw(const struct tok *k, const char *word)
{
    return k->k == T_ID && !strcasecmp(k->text, word);
}

static int is_clause(const struct tok *k)
{
    static const char *const words[] = {"SELECT", "FROM", "WHERE", "JOIN", "LEFT", "INNER", "CROSS", "ON", "GROUP",
                                        "ORDER", "LIMIT", "RETURNING", "SET", "VALUES", "HAVING", "UNION", "DO",
                                        "AS", "AND", "OR", "NOT", "IN", "IS", "EXISTS", "CASE", "WHEN", "THEN",
                                        "ELSE", "END", "NULL", "LIKE", "ESCAPE", "DESC", "ASC", "BY", NULL};
    for (int i = 0; words[i]; i++)
        if (kw(k, words[i]))
            return 1;
    return 0;
}

/* The matching ')' of the '(' at i. */
static int close_of(const struct sqlp *p, int i)
{
    int depth = 0;
    for (int j = i; j < p->n; j++) {
        depth += p->t[j].k == T_LP ? 1 : p->t[j].k == T_RP ? -1 : 0;
        if (!depth)
            return j;
    }
    return p->n;
}

/* Assigns each token to its block: the statement, or a "( SELECT ... )"
 * nested in it (its parentheses belong to the outer block). `clause` is the
 * block's current clause keyword, to know whether a subquery filters. */
static void scan(struct sqlp *p, int s, int e, int me, const char **clause, int *owner)
{
    for (int i = s; i < e; i++) {
        const struct tok *k = &p->t[i];
        owner[i] = me;
        static const char *const clauses[] = {"SELECT", "FROM", "JOIN", "ON", "WHERE", "SET", "VALUES", "RETURNING",
                                              "GROUP", "ORDER", "LIMIT", "INTO", "UPDATE", NULL};
        for (int c = 0; clauses[c]; c++)
            if (kw(k, clauses[c]))
                *clause = clauses[c];
        if (k->k != T_LP)
            continue;
        int c = close_of(p, i);
        if (i + 1 < c && kw(&p->t[i + 1], "SELECT")) {
            int child = p->nb++;
            p->b[child] = (struct blk){i + 1, c, me, !strcmp(*clause, "WHERE") || !strcmp(*clause, "ON")};
            const char *inner = "SELECT";
            scan(p, i + 1, c, child, &inner, owner);
        } else {
            scan(p, i + 1, c, me, clause, owner);
        }
        if (c < e)
            owner[c] = me;
        i = c;
    }
}

/* The tokens of block `b` itself, subqueries left out (their parentheses stay). */
static int own_tokens(const struct sqlp *p, const int *owner, int b, int *out)
{
    int n = 0;
    for (int i = p->b[b].start; i < p->b[b].end; i++)
        if (owner[i] == b)
            out[n++] = i;
    return n;
}

static int tenant_table(const struct sqlp *p, const char *table, const char **col)
{
    for (int i = 0; i < p->ntt; i++)
        if (!strcmp(p->tenant_tables[i], table)) {
            *col = p->tenant_cols[i];
            return 1;
        }
    return 0;
}

/* An operand of an equality: a parameter, a column or alias.column. */
struct operand {
    int is_param;
    char qual[64], name[64];
};

/* Parses tokens ix[a..b) (ids into p->t) as "operand = operand"; 1 if it is one. */
static int equality(const struct sqlp *p, const int *ix, int a, int b, struct operand *l, struct operand *r)
{
    while (b - a >= 2 && p->t[ix[a]].k == T_LP && p->t[ix[b - 1]].k == T_RP)
        a++, b--;
    int eq = -1;
    for (int i = a; i < b; i++)
        if (p->t[ix[i]].k == T_OP && !strcmp(p->t[ix[i]].text, "="))
            eq = i;
    if (eq < 0)
        return 0;
    struct operand *o[2] = {l, r};
    int lo[2] = {a, eq + 1}, hi[2] = {eq, b};
    for (int s = 0; s < 2; s++) {
        memset(o[s], 0, sizeof *o[s]);
        int n = hi[s] - lo[s];
        const struct tok *k = &p->t[ix[lo[s]]];
        if (n == 1 && k->k == T_PARAM) {
            o[s]->is_param = 1;
            snprintf(o[s]->name, sizeof o[s]->name, "%s", k->text);
        } else if (n == 1 && k->k == T_ID && !is_clause(k)) {
            snprintf(o[s]->name, sizeof o[s]->name, "%s", k->text);
        } else if (n == 1 && k->k == T_NUM) {
            o[s]->is_param = 2;
            snprintf(o[s]->name, sizeof o[s]->name, "%s", k->text);
        } else if (n == 3 && k->k == T_ID && !strcmp(p->t[ix[lo[s] + 1]].text, ".") &&
                   p->t[ix[lo[s] + 2]].k == T_ID) {
            snprintf(o[s]->qual, sizeof o[s]->qual, "%s", k->text);
            snprintf(o[s]->name, sizeof o[s]->name, "%s", p->t[ix[lo[s] + 2]].text);
        } else {
            return 0;
        }
    }
    return 1;
}

struct term {
    int a, b;   /* own-token positions [a, b) */
};

/* Top-level AND terms of the block's WHERE and JOIN ... ON predicates. */
static int terms_of(const struct sqlp *p, const int *ix, int n, struct term *out, int max)
{
    int nt = 0, depth = 0, in_pred = 0, start = 0;
    for (int i = 0; i <= n; i++) {
        const struct tok *k = i < n ? &p->t[ix[i]] : NULL;
        int stop = !k || (depth == 0 && (kw(k, "WHERE") || kw(k, "ON") || kw(k, "GROUP") || kw(k, "ORDER") ||
                                         kw(k, "LIMIT") || kw(k, "RETURNING") || kw(k, "JOIN") || kw(k, "LEFT") ||
                                         kw(k, "INNER") || kw(k, "CROSS") || kw(k, "AND") || kw(k, "DO") ||
                                         kw(k, "SET") || kw(k, "FOR")));   /* FOR UPDATE: a row lock ends it */
        if (stop) {
            if (in_pred && i > start && nt < max)
                out[nt++] = (struct term){start, i};
            if (k && (kw(k, "WHERE") || (kw(k, "ON") && !(i + 1 < n && kw(&p->t[ix[i + 1]], "CONFLICT")))))
                in_pred = 1;
            else if (k && !kw(k, "AND"))
                in_pred = 0;
            start = i + 1;
        }
        if (k)
            depth += k->k == T_LP ? 1 : k->k == T_RP ? -1 : 0;
    }
    return nt;
}

/* The OR-separated parts of a term, outer parentheses stripped. */
static int disjuncts(const struct sqlp *p, const int *ix, struct term t, struct term *out, int max)
{
    while (t.b - t.a >= 2 && p->t[ix[t.a]].k == T_LP && close_of(p, ix[t.a]) == ix[t.b - 1])
        t.a++, t.b--;
    int nd = 0, depth = 0, start = t.a;
    for (int i = t.a; i <= t.b; i++) {
        if (i == t.b || (depth == 0 && kw(&p->t[ix[i]], "OR"))) {
            if (nd < max)
                out[nd++] = (struct term){start, i};
            start = i + 1;
        }
        if (i < t.b)
            depth += p->t[ix[i]].k == T_LP ? 1 : p->t[ix[i]].k == T_RP ? -1 : 0;
    }
    return nd;
}

static int is_all(const struct sqlp *p, const int *ix, struct term d)
{
    struct operand l, r;
    return equality(p, ix, d.a, d.b, &l, &r) && l.is_param == 1 && !strcmp(l.name, ":all") && r.is_param == 2 &&
           !strcmp(r.name, "1");
}

struct blockinfo {
    int ix[MAX_TOKS];
    int n;
    struct term terms[64];
    int nt;
};

static void copy(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    len = len < n - 1 ? len : n - 1;
    memmove(dst, src, len);
    dst[len] = '\0';
}

/* Parameters pinned to the tenant by a term of block b or an enclosing one. */
static int tenant_bound(const struct sqlp *p, struct blockinfo *bi, int b, const char *param)
{
    if (!strcmp(param, ":tenant"))
        return 1;
    for (; b >= 0; b = p->b[b].parent) {
        for (int t = 0; t < bi[b].nt; t++) {
            struct term d[8];
            int nd = disjuncts(p, bi[b].ix, bi[b].terms[t], d, 8), pins = 0, all = 1;
            for (int i = 0; i < nd; i++) {
                struct operand l, r;
                if (is_all(p, bi[b].ix, d[i]))
                    continue;
                if (equality(p, bi[b].ix, d[i].a, d[i].b, &l, &r) && l.is_param == 1 && r.is_param == 1 &&
                    ((!strcmp(l.name, param) && !strcmp(r.name, ":tenant")) ||
                     (!strcmp(r.name, param) && !strcmp(l.name, ":tenant"))))
                    pins = 1;
                else
                    all = 0;
            }
            if (pins && all)
                return 1;
        }
    }
    return 0;
}

/* Whether operand o names a column of reference ri (col: that column, or any when NULL). */
static int names_ref(const struct sqlp *p, int ri, const struct operand *o, const char *col)
{
    const struct ref *r = &p->r[ri];
    if (o->is_param || (col && strcmp(o->name, col)))
        return 0;
    if (o->qual[0])
        return !strcmp(o->qual, r->alias[0] ? r->alias : r->table);
    /* A bare column belongs to the block's first table. */
    for (int i = 0; i < p->nr; i++)
        if (p->r[i].block == r->block)
            return i == ri;
    return 0;
}

/* The reference an alias.column names, seen from block b (innermost first). */
static int ref_of(const struct sqlp *p, int b, const struct operand *o)
{
    for (; b >= 0; b = p->b[b].parent)
        for (int i = 0; i < p->nr; i++)
            if (p->r[i].block == b && o->qual[0] &&
                !strcmp(o->qual, p->r[i].alias[0] ? p->r[i].alias : p->r[i].table))
                return i;
    return -1;
}

/* "<ref>.<tenant column> IN (SELECT id FROM orgs WHERE kind = 'foundation')":
 * rows the foundation shares with every operator (its curricula). Accepted
 * only as a disjunct beside a guard, never alone. */
static int foundation_shared(const struct sqlp *p, int ri, const int *ix, struct term d, const char *col)
{
    struct operand o = {0};
    int g = ix[d.a];
    if (p->t[g].k != T_ID)
        return 0;
    if (g + 2 < p->n && !strcmp(p->t[g + 1].text, ".") && p->t[g + 2].k == T_ID) {
        copy(o.qual, sizeof o.qual, p->t[g].text);
        g += 2;
    }
    copy(o.name, sizeof o.name, p->t[g].text);
    if (!names_ref(p, ri, &o, col) || g + 12 > p->n || !kw(&p->t[g + 1], "IN") || p->t[g + 2].k != T_LP)
        return 0;
    static const char *const want[] = {"SELECT", "id", "FROM", "orgs", "WHERE", "kind", "=", "foundation"};
    for (int i = 0; i < 8; i++)
        if (strcasecmp(p->t[g + 3 + i].text, want[i]))
            return 0;
    return p->t[g + 10].k == T_STR && close_of(p, g + 2) == g + 11;
}

/* "<ref>.visibility = 'shared'": rows an operator shares with the whole
 * federation (the trade network's directory, issue 15). Accepted, like the
 * foundation's, only as a disjunct beside a guard, never alone. */
static int federation_shared(const struct sqlp *p, int ri, const int *ix, struct term d)
{
    int g = ix[d.a], n = d.b - d.a;
    struct operand o = {0};
    if (n == 5 && p->t[g].k == T_ID && !strcmp(p->t[ix[d.a + 1]].text, ".")) {
        copy(o.qual, sizeof o.qual, p->t[g].text);
        g = ix[d.a + 2];
    } else if (n != 3) {
        return 0;
    }
    copy(o.name, sizeof o.name, p->t[g].text);
    const struct tok *eq = &p->t[ix[d.b - 2]], *v = &p->t[ix[d.b - 1]];
    return names_ref(p, ri, &o, "visibility") && eq->k == T_OP && !strcmp(eq->text, "=") && v->k == T_STR &&
           !strcmp(v->text, "shared");
}

static int tenant_refs_seen;

/* NULL when every tenant-table reference of sql is constrained; else why not. */
static const char *scope_violation(struct sqlp *p, const char *sql, char *why, size_t whylen)
{
    static int owner[MAX_TOKS];
    static struct blockinfo bi[64];
    if (tokenize(p, sql) < 0)
        return "too long to parse";
    p->nb = 1;
    p->b[0] = (struct blk){0, p->n, -1, 0};
    p->nr = 0;
    const char *clause = "";
    scan(p, 0, p->n, 0, &clause, owner);
    /* references and predicates of each block */
    for (int b = 0; b < p->nb; b++) {
        bi[b].n = own_tokens(p, owner, b, bi[b].ix);
        bi[b].nt = terms_of(p, bi[b].ix, bi[b].n, bi[b].terms, 64);
        const int *ix = bi[b].ix;
        for (int i = 0; i + 1 < bi[b].n; i++) {
            const struct tok *k = &p->t[ix[i]];
            if (!(kw(k, "FROM") || kw(k, "JOIN") || kw(k, "INTO") || (kw(k, "UPDATE") && i == 0)))
                continue;
            const struct tok *name = &p->t[ix[i + 1]];
            if (name->k != T_ID || (i + 2 < bi[b].n && p->t[ix[i + 2]].k == T_LP && !kw(k, "INTO")))
                continue;   /* a table-valued function (json_each) */
            if (p->nr >= MAX_REFS)
                return "too many table references";
            struct ref *r = &p->r[p->nr++];
            memset(r, 0, sizeof *r);
            r->from = -1;
            copy(r->table, sizeof r->table, name->text);
            r->block = b;
            int j = i + 2;
            if (j < bi[b].n && kw(&p->t[ix[j]], "AS"))
                j++;
            if (j < bi[b].n && p->t[ix[j]].k == T_ID && !is_clause(&p->t[ix[j]]) && !kw(k, "INTO") &&
                !kw(&p->t[ix[j]], "SET"))
                copy(r->alias, sizeof r->alias, p->t[ix[j]].text);
        }
    }
    for (int i = 0; i < p->nr; i++)
        p->r[i].parent_block = p->b[p->r[i].block].parent;
    /* INSERT: the value given for the tenant column */
    for (int i = 0; i < p->nr; i++) {
        const char *col;
        struct ref *r = &p->r[i];
        const int *ix = bi[r->block].ix;
        int n = bi[r->block].n, into = -1;
        for (int j = 0; j + 1 < n; j++)
            if (kw(&p->t[ix[j]], "INTO") && !strcmp(p->t[ix[j + 1]].text, r->table))
                into = j;
        if (into < 0 || !tenant_table(p, r->table, &col))
            continue;
        int pos = -1, k = into + 3, c = 0;   /* INTO t ( cols ) */
        for (; k < n && p->t[ix[k]].k != T_RP; k++) {
            if (!strcmp(p->t[ix[k]].text, ","))
                c++;
            else if (!strcmp(p->t[ix[k]].text, col))
                pos = c;
        }
        for (k++; k < n && !kw(&p->t[ix[k]], "VALUES") && !kw(&p->t[ix[k]], "SELECT"); k++)
            ;
        k += kw(&p->t[ix[k < n ? k : n - 1]], "VALUES") ? 2 : 1;
        for (c = 0; k < n && c < pos; k++)
            if (!strcmp(p->t[ix[k]].text, ","))
                c++;
        r->from = -1;
        if (pos >= 0 && k + 2 < n && p->t[ix[k]].k == T_ID && !strcmp(p->t[ix[k + 1]].text, ".") &&
            !strcmp(p->t[ix[k + 2]].text, col)) {
            /* the tenant of a row read in the same block: as constrained as that row */
            struct operand o = {0};
            copy(o.qual, sizeof o.qual, p->t[ix[k]].text);
            copy(o.name, sizeof o.name, col);
            int src = ref_of(p, r->block, &o);
            const char *sc;
            if (src >= 0 && src != i && tenant_table(p, p->r[src].table, &sc) && !strcmp(sc, col)) {
                r->from = src;
                continue;
            }
        }
        if (pos >= 0 && k < n && p->t[ix[k]].k == T_PARAM && tenant_bound(p, bi, r->block, p->t[ix[k]].text) &&
            (k + 1 >= n || !strcmp(p->t[ix[k + 1]].text, ",") || p->t[ix[k + 1]].k == T_RP ||
             kw(&p->t[ix[k + 1]], "WHERE") || kw(&p->t[ix[k + 1]], "FROM")))
            r->ok = 1;
        else
            r->ok = -1;   /* an INSERT is judged by its value (or a ":all = 1" term, below) */

    }
    /* ":all = 1" as a term of a block (or of one enclosing it): nothing
     * there runs for anyone but the foundation */
    for (int i = 0; i < p->nr; i++)
        for (int b = p->r[i].block; b >= 0 && p->r[i].ok != 1; b = p->b[b].parent)
            for (int x = 0; x < bi[b].nt; x++) {
                struct term d[8];
                if (disjuncts(p, bi[b].ix, bi[b].terms[x], d, 8) == 1 && is_all(p, bi[b].ix, d[0]))
                    p->r[i].ok = 1;
            }
    /* guarded, correlated, filtering: to a fixed point */
    for (int changed = 1; changed;) {
        changed = 0;
        for (int i = 0; i < p->nr; i++) {
            struct ref *r = &p->r[i];
            const char *col;
            if (r->ok || !tenant_table(p, r->table, &col))
                continue;
            if (r->from >= 0) {
                if (p->r[r->from].ok == 1)
                    r->ok = changed = 1;
                continue;
            }
            struct blockinfo *B = &bi[r->block];
            for (int t = 0; t < B->nt && !r->ok; t++) {
                struct term d[8];
                int nd = disjuncts(p, B->ix, B->terms[t], d, 8), guard = 1, pinned = 0, shared = 0;
                for (int x = 0; x < nd; x++) {
                    struct operand l, rr;
                    if (is_all(p, B->ix, d[x]))
                        continue;
                    if (foundation_shared(p, i, B->ix, d[x], col) || federation_shared(p, i, B->ix, d[x])) {
                        shared = 1;
                        continue;
                    }
                    if (equality(p, B->ix, d[x].a, d[x].b, &l, &rr) &&
                        ((names_ref(p, i, &l, col) && rr.is_param == 1 && tenant_bound(p, bi, r->block, rr.name)) ||
                         (names_ref(p, i, &rr, col) && l.is_param == 1 && tenant_bound(p, bi, r->block, l.name))))
                        pinned = 1;
                    else
                        guard = 0;
                }
                if (guard && (pinned || (nd == 1 && !shared)))
                    r->ok = 1;   /* guarded (or ":all = 1" alone: foundation only) */
                struct operand l, rr;
                if (!r->ok && nd == 1 && equality(p, B->ix, d[0].a, d[0].b, &l, &rr)) {
                    int o = names_ref(p, i, &l, NULL) ? ref_of(p, r->block, &rr)
                          : names_ref(p, i, &rr, NULL) ? ref_of(p, r->block, &l) : -1;
                    const char *oc;
                    if (o >= 0 && o != i && p->r[o].ok == 1 && tenant_table(p, p->r[o].table, &oc))
                        r->ok = 1;   /* correlated */
                }
            }
            /* filtering: a subquery in the WHERE of a constrained block */
            for (int b = r->block; !r->ok && p->b[b].in_predicate; b = p->b[b].parent) {
                int parent = p->b[b].parent;
                for (int o = 0; o < p->nr; o++) {
                    const char *oc;
                    if (p->r[o].block == parent && p->r[o].ok == 1 && tenant_table(p, p->r[o].table, &oc))
                        r->ok = 1;
                }
            }
            changed |= r->ok != 0;
        }
    }
    for (int i = 0; i < p->nr; i++) {
        const char *col;
        tenant_refs_seen += tenant_table(p, p->r[i].table, &col);
        if (tenant_table(p, p->r[i].table, &col) && p->r[i].ok != 1) {
            snprintf(why, whylen, "%s%s%s is not constrained to the tenant", p->r[i].table,
                     p->r[i].alias[0] ? " " : "", p->r[i].alias);
            return why;
        }
    }
    return NULL;
}

/* Tables holding tenant data, from the schema: those with an org_id column, and orgs. */
static void load_tenant_tables(struct sqlp *p)
{
    struct store *st = fresh();
    char *schema;
    struct tb_err err;
    assert_int_equal(store_schema_dump(st, &schema, &err), 0);
    p->ntt = 0;
    int in_table = 0;
    for (char *line = strtok(schema, "\n"); line; line = strtok(NULL, "\n")) {
        char name[64];
        if (!strncmp(line, "table ", 6) || !strncmp(line, "index ", 6) || !strncmp(line, "trigger ", 8) ||
            !strncmp(line, "view ", 5)) {
            in_table = sscanf(line, "table %63[a-z_0-9]:", name) == 1 && p->ntt < 64;
            if (in_table) {
                copy(p->tenant_tables[p->ntt], 64, name);
                copy(p->tenant_cols[p->ntt], 16, !strcmp(name, "orgs") ? "id" : "");
                if (!strcmp(name, "orgs")) {
                    p->ntt++;
                    in_table = 0;
                }
            }
        }
        /* a column definition named org_id */
        for (char *s = strstr(line, "org_id"); in_table && s; s = strstr(s + 1, "org_id"))
            if ((s == line || !(isalnum((unsigned char)s[-1]) || s[-1] == '_')) &&
                !(isalnum((unsigned char)s[6]) || s[6] == '_') &&
                (s == line || s[-1] == ' ' || s[-1] == '(' || s[-1] == '\t')) {
                copy(p->tenant_cols[p->ntt], 16, "org_id");
                p->ntt++;
                in_table = 0;
                break;
            }
    }
    free(schema);
    done(st);
}

static struct sqlp parser;

/* One backend's statement set; returns the scoped statements checked. */
static int check_statement_set(const struct store_stmt_info *s, int n)
{
    int checked = 0;
    for (int i = 0; i < n; i++) {
        assert_non_null(s[i].sql);
        char why[200];
        int has_tenant = strstr(s[i].sql, ":tenant") || strstr(s[i].sql, ":all");
        switch (s[i].scope) {
        case SCOPE_GLOBAL:
        case SCOPE_SYSTEM:
            if (!s[i].reason || strlen(s[i].reason) < 10)
                fail_msg("%s is %s without a reason", s[i].name, store_scope_name(s[i].scope));
            if (has_tenant || strstr(s[i].sql, ":self"))
                fail_msg("%s is %s but half scoped (:tenant, :all or :self)", s[i].name,
                         store_scope_name(s[i].scope));
            break;
        case SCOPE_USER:
            if (!strstr(s[i].sql, ":self") || !strstr(s[i].sql, ":all"))
                fail_msg("%s is USER-scoped but does not see accounts through :self and :all", s[i].name);
            /* tenant tables in it are checked as for TENANT */
            /* fall through */
        case SCOPE_TENANT:
            if (!has_tenant)
                fail_msg("%s is %s-scoped but never names :tenant or :all", s[i].name, store_scope_name(s[i].scope));
            if (scope_violation(&parser, s[i].sql, why, sizeof why))
                fail_msg("%s: %s", s[i].name, why);
            checked++;
            break;
        }
    }
    return checked;
}

/* Both backends' sets (SQLite, PostgreSQL): the same names with the same
 * scopes, each statement guarded by the same rules. */
static void every_statement_is_scoped(void **state)
{
    (void)state;
    load_tenant_tables(&parser);
    assert_true(parser.ntt > 15);
    int n, npg;
    const struct store_stmt_info *s = store_statements(&n), *pg = store_statements_pg(&npg);
    assert_int_equal(n, npg);
    for (int i = 0; i < n; i++) {
        if (strcmp(s[i].name, pg[i].name) || s[i].scope != pg[i].scope)
            fail_msg("statement %d: %s (%s) on SQLite, %s (%s) on PostgreSQL", i, s[i].name,
                     store_scope_name(s[i].scope), pg[i].name, store_scope_name(pg[i].scope));
    }
    assert_true(check_statement_set(s, n) > 100);
    print_message("%d tenant-table references checked\n", tenant_refs_seen);
    assert_true(tenant_refs_seen > 250);   /* the parser found the references, subqueries included */
    assert_true(check_statement_set(pg, npg) > 100);
}


/* The guard itself: it must catch what it is there to catch. */
static void the_scope_guard_catches_unscoped_sql(void **state)
{
    (void)state;
    load_tenant_tables(&parser);
    static const char *const bad[] = {
        "SELECT * FROM companies WHERE id = :id",
        "SELECT * FROM companies t WHERE t.id = :id OR (:all = 1 OR t.org_id = :tenant)",
        "SELECT * FROM companies t WHERE (:all = 1 OR t.org_id = :tenant OR t.id = :id)",
        "SELECT * FROM companies t WHERE (:all = 1 OR t.org_id = :org_id)",
        "SELECT t.id, (SELECT g.name FROM graduates g WHERE g.id = :id) FROM companies t "
        "WHERE (:all = 1 OR t.org_id = :tenant)",
        "SELECT t.id FROM companies t JOIN graduates g ON g.name = :name WHERE (:all = 1 OR t.org_id = :tenant)",
        "INSERT INTO outbox (org_id, to_addr) VALUES (:org_id, :to)",
        "INSERT INTO outbox (org_id, to_addr) SELECT :org_id, :to WHERE :org_id > :tenant",
        "UPDATE graduates SET name = :name WHERE id = :id AND (:all = 1 OR user_id = :tenant)",
        "DELETE FROM cv_files WHERE graduate_id IN (SELECT id FROM graduates WHERE org_id = :tenant)",
        "SELECT count(*) FROM memberships WHERE org_id = :id",
        "SELECT (SELECT count(*) FROM orgs WHERE parent_id = :id) WHERE :all = 1 OR :id = :tenant",
        "SELECT * FROM curricula c WHERE c.org_id IN (SELECT id FROM orgs WHERE kind = 'foundation')",
        "INSERT INTO plan_modules (org_id, code) SELECT l.org_id, :code FROM learning_plans l WHERE l.id = :id",
        "INSERT INTO plan_modules (org_id, code) SELECT l.id, :code FROM learning_plans l "
        "WHERE l.id = :id AND (:all = 1 OR l.org_id = :tenant)",
        "SELECT * FROM curricula c WHERE (c.org_id = :tenant OR c.org_id IN (SELECT id FROM orgs WHERE kind = 'operator'))",
        "SELECT * FROM curricula c WHERE (c.org_id = :tenant OR c.id IN (SELECT id FROM orgs WHERE kind = 'foundation'))",
        "SELECT * FROM contacts t WHERE t.visibility = 'shared'",
        "SELECT * FROM contacts t WHERE (:all = 1 OR t.org_id = :tenant OR t.visibility = 'private')",
        "SELECT * FROM contacts t WHERE (:all = 1 OR t.org_id = :tenant OR t.kind = 'shared')",
        NULL};
    static const char *const good[] = {
        "INSERT INTO plan_modules (org_id, code) SELECT l.org_id, :code FROM learning_plans l "
        "WHERE l.id = :id AND (:all = 1 OR l.org_id = :tenant)",
        "SELECT * FROM curricula c WHERE (:all = 1 OR c.org_id = :tenant OR c.org_id IN "
        "(SELECT id FROM orgs WHERE kind = 'foundation'))",
        "SELECT * FROM companies t WHERE t.id = :id AND (:all = 1 OR t.org_id = :tenant)",
        "SELECT * FROM contacts t WHERE t.id = :id AND (:all = 1 OR t.org_id = :tenant OR t.visibility = 'shared')",
        "SELECT t.id, (SELECT g.name FROM graduates g WHERE g.id = t.id) FROM companies t "
        "WHERE (:all = 1 OR t.org_id = :tenant)",
        "INSERT INTO outbox (org_id, to_addr) SELECT :org_id, :to WHERE :all = 1 OR :org_id = :tenant",
        "INSERT INTO api_tokens (org_id, name) VALUES (:tenant, :name)",
        "DELETE FROM orgs WHERE id = :id AND :all = 1",
        "SELECT (SELECT count(*) FROM memberships WHERE org_id = :id) WHERE :all = 1 OR :id = :tenant",
        "SELECT (SELECT count(*) FROM orgs WHERE parent_id = :id) WHERE :all = 1",
        NULL};
    char why[200];
    for (int i = 0; bad[i]; i++)
        if (!scope_violation(&parser, bad[i], why, sizeof why))
            fail_msg("the guard let through: %s", bad[i]);
    for (int i = 0; good[i]; i++)
        if (scope_violation(&parser, good[i], why, sizeof why))
            fail_msg("the guard refused %s: %s", good[i], why);
}

static void every_statement_compiles_against_the_schema(void **state)
{
    (void)state;
    struct store *st = fresh();
    struct tb_err err = {0};
    if (store_prepare_all(st, &err) < 0)
        fail_msg("%s", err.message);
    done(st);
}

static void migrations_at_once_equal_one_by_one(void **state)
{
    (void)state;
    struct store *all = fresh();
    char *schema_all;
    struct tb_err err;
    assert_int_equal(store_schema_dump(all, &schema_all, &err), 0);
    done(all);

    struct store *st = fresh();   /* fresh() migrates everything: start from an empty file */
    done(st);
    assert_int_equal(store_open(dbpath, &st, &err), 0);
    int count = 0;
    for (const struct embedded_file *f = sql_sqlite_files; f->name; f++) {
        char version[128];
        snprintf(version, sizeof version, "%s", f->name);
        *strrchr(version, '.') = '\0';
        int applied;
        assert_int_equal(store_migrate(st, version, &applied, &err), 0);
        assert_int_equal(applied, 1);
        count++;
    }
    int applied;
    assert_int_equal(store_migrate(st, NULL, &applied, &err), 0);
    assert_int_equal(applied, 0);   /* idempotent */
    char *schema_steps;
    assert_int_equal(store_schema_dump(st, &schema_steps, &err), 0);
    assert_string_equal(schema_all, schema_steps);
    assert_true(count >= 1);
    free(schema_all);
    free(schema_steps);
    done(st);
}

struct fixture {
    struct store *st;
    int64_t foundation, se, si;
    struct tb_actor sys, coord_se, coord_si;
};

static void setup_orgs(struct fixture *f)
{
    struct tb_err err;
    f->st = fresh();
    f->sys = actor_system();
    assert_int_equal(store_org_create(f->st, &f->sys, "foundation", "Foundation", NULL, 0, &f->foundation, &err), 0);
    assert_int_equal(store_org_create(f->st, &f->sys, "operator", "ITM Sweden", "SE", f->foundation, &f->se, &err), 0);
    assert_int_equal(store_org_create(f->st, &f->sys, "operator", "ITM Slovenia", "SI", f->foundation, &f->si, &err), 0);
    int64_t u1, u2;
    f->sys.tenant_id = f->se;
    assert_int_equal(store_user_create(f->st, &f->sys, "a@se.example", "A", "x", "active", &u1, &err), 0);
    assert_int_equal(store_membership_add(f->st, &f->sys, u1, f->se, ROLE_COORDINATOR, NULL, 0, &err), 0);
    f->sys.tenant_id = f->si;
    assert_int_equal(store_user_create(f->st, &f->sys, "b@si.example", "B", "x", "active", &u2, &err), 0);
    assert_int_equal(store_membership_add(f->st, &f->sys, u2, f->si, ROLE_COORDINATOR, NULL, 0, &err), 0);
    assert_int_equal(store_actor_load(f->st, u1, &f->coord_se, &err), 0);
    assert_int_equal(store_actor_load(f->st, u2, &f->coord_si, &err), 0);
    f->sys.tenant_id = 0;
}

static void tenants_do_not_see_each_other(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    json_t *o;
    assert_int_equal(f.coord_se.tenant_id, f.se);
    assert_false(f.coord_se.all_tenants);
    assert_int_equal(store_org_get(f.st, &f.coord_se, f.se, &o, &err), 0);
    json_decref(o);
    assert_int_equal(store_org_get(f.st, &f.coord_se, f.si, &o, &err), -1);
    assert_int_equal(err.status, 404);
    /* users of the other operator are invisible too */
    assert_int_equal(store_user_get(f.st, &f.coord_se, 2, &o, &err), -1);
    assert_int_equal(err.status, 404);
    struct list_query q = {.limit = 50};
    struct list_page page;
    assert_int_equal(store_org_list(f.st, &f.coord_se, &q, &page, &err), 0);
    assert_int_equal(json_array_size(page.items), 1);
    list_page_free(&page);
    assert_int_equal(store_audit_list(f.st, &f.coord_si, &q, &page, &err), 0);
    size_t i;
    json_t *row;
    json_array_foreach(page.items, i, row)
        assert_int_equal(json_integer_value(json_object_get(row, "org_id")), f.si);
    list_page_free(&page);
    /* the coordinator cannot add roles in another operator */
    assert_int_equal(store_membership_add(f.st, &f.coord_se, 2, f.si, ROLE_VIEWER, NULL, 0, &err), -1);
    assert_int_equal(err.status, 404);
    done(f.st);
}

static void stale_versions_are_refused_and_changes_audited(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    json_t *out, *changes = json_pack("{s:s}", "name", "ITM Sverige");
    assert_int_equal(store_org_update(f.st, &f.coord_se, f.se, 1, changes, &out, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(out, "version")), 2);
    json_decref(out);
    assert_int_equal(store_org_update(f.st, &f.coord_se, f.se, 1, changes, &out, &err), -1);
    assert_int_equal(err.status, 412);
    json_decref(changes);
    struct list_query q = {.limit = 1, .f1 = "organization", .f2 = "update"};
    struct list_page page;
    assert_int_equal(store_audit_list(f.st, &f.coord_se, &q, &page, &err), 0);
    json_t *entry = json_array_get(page.items, 0);
    json_t *name = json_object_get(json_object_get(entry, "changes"), "name");
    assert_string_equal(json_string_value(json_object_get(name, "old")), "ITM Sweden");
    assert_string_equal(json_string_value(json_object_get(name, "new")), "ITM Sverige");
    list_page_free(&page);
    done(f.st);
}

static void referenced_org_cannot_be_deleted(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    assert_int_equal(store_org_delete(f.st, &f.sys, f.se, &err), -1);
    assert_int_equal(err.status, 409);
    int64_t empty;
    assert_int_equal(store_org_create(f.st, &f.sys, "operator", "Empty", "EE", f.foundation, &empty, &err), 0);
    assert_int_equal(store_org_delete(f.st, &f.coord_se, empty, &err), -1);
    assert_int_equal(err.status, 404);   /* not even visible to a coordinator */
    assert_int_equal(store_org_delete(f.st, &f.sys, empty, &err), 0);
    done(f.st);
}

/* ---- store_in_tx: one unit of work, run again whole after a lost conflict */

struct unit {
    int runs, conflicts;        /* calls so far; how many of the first lose a conflict */
    const char *name;
    int64_t id;
};

static int create_org_unit(struct store *st, void *ctx, struct tb_err *err)
{
    struct unit *u = ctx;
    struct tb_actor sys = actor_system();
    u->runs++;
    if (store_org_create(st, &sys, "operator", u->name, "SE", 0, &u->id, err) < 0)
        return -1;
    /* The row is written, then the unit loses: nothing of this run may stay. */
    return u->runs <= u->conflicts ? store_fail_conflict(st, err) : 0;
}

static void a_unit_that_loses_a_conflict_runs_again_whole(void **state)
{
    (void)state;
    struct store *st = fresh();
    struct tb_err err = {0};
    int64_t id;

    struct unit once = {.conflicts = 1, .name = "Retried Once"};
    assert_int_equal(store_in_tx(st, create_org_unit, &once, &err), 0);
    assert_int_equal(once.runs, 2);
    assert_int_equal(store_org_by_name(st, "Retried Once", &id, &err), 0);   /* one row, the second run's */
    assert_int_equal(id, once.id);

    /* Always losing: given up after STORE_TX_ATTEMPTS runs, 503, nothing kept. */
    struct unit never = {.conflicts = 1000, .name = "Never Saved"};
    assert_int_equal(store_in_tx(st, create_org_unit, &never, &err), -1);
    assert_int_equal(never.runs, STORE_TX_ATTEMPTS);
    assert_int_equal(err.status, 503);
    assert_string_equal(err.code, "unavailable");
    assert_int_equal(store_org_by_name(st, "Never Saved", &id, &err), -1);

    /* Another failure is not repeated: one run, its error, nothing kept. */
    struct unit dup = {.name = "Retried Once"};
    assert_int_equal(store_in_tx(st, create_org_unit, &dup, &err), -1);
    assert_int_equal(dup.runs, 1);
    assert_int_equal(err.status, 409);

    /* Inside the caller's transaction the unit just runs; the caller owns it. */
    struct unit inner = {.name = "Inner Unit"};
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_in_tx(st, create_org_unit, &inner, &err), 0);
    store_rollback(st);
    assert_int_equal(store_org_by_name(st, "Inner Unit", &id, &err), -1);
    done(st);
}

static void pages_cover_every_row_once(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    for (int i = 0; i < 23; i++) {
        char name[32];
        int64_t id;
        snprintf(name, sizeof name, "Operator %02d", 22 - i);
        assert_int_equal(store_org_create(f.st, &f.sys, "operator", name, "FI", f.foundation, &id, &err), 0);
    }
    for (int sort = 0; sort < 2; sort++) {
        struct list_query q = {.limit = 5, .sort = sort ? "name" : "id"};
        struct list_page page;
        int seen = 0;
        char last[64] = "";
        char *cursor = NULL;
        do {
            q.cursor = cursor;
            assert_int_equal(store_org_list(f.st, &f.sys, &q, &page, &err), 0);
            size_t i;
            json_t *row;
            json_array_foreach(page.items, i, row) {
                const char *name = json_string_value(json_object_get(row, "name"));
                if (sort)
                    assert_true(strcmp(last, name) < 0);
                snprintf(last, sizeof last, "%s", name);
                seen++;
            }
            free(cursor);
            cursor = page.next_cursor ? strdup(page.next_cursor) : NULL;
            list_page_free(&page);
        } while (cursor);
        assert_int_equal(seen, 26);
    }
    struct list_query bad = {.limit = 5, .cursor = "!!!"};
    struct list_page page;
    assert_int_equal(store_org_list(f.st, &f.sys, &bad, &page, &err), -1);
    assert_string_equal(err.field, "cursor");
    done(f.st);
}

static void free_text_matches_literally(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    int64_t id;
    assert_int_equal(store_org_create(f.st, &f.sys, "operator", "Export 50% Club", "FI", f.foundation, &id, &err), 0);
    assert_int_equal(store_org_create(f.st, &f.sys, "operator", "Export 500 Club", "FI", f.foundation, &id, &err), 0);
    assert_int_equal(store_org_create(f.st, &f.sys, "operator", "Export_Nordic", "FI", f.foundation, &id, &err), 0);
    const char *queries[] = {"50%", "_", "Export"};
    size_t want[] = {1, 1, 3};
    for (int i = 0; i < 3; i++) {
        struct list_query q = {.limit = 50, .q = queries[i]};
        struct list_page page;
        assert_int_equal(store_org_list(f.st, &f.sys, &q, &page, &err), 0);
        assert_int_equal(json_array_size(page.items), want[i]);
        list_page_free(&page);
    }
    done(f.st);
}

static void single_use_links_work_once(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    int64_t user;
    assert_int_equal(store_user_token_create(f.st, 1, "invite", "h1", 4102444800LL, &err), 0);
    assert_int_equal(store_user_token_consume(f.st, "reset", "h1", 1000, &user, &err), -1);
    assert_int_equal(store_user_token_consume(f.st, "invite", "h1", 1000, &user, &err), 0);
    assert_int_equal(user, 1);
    assert_int_equal(store_user_token_consume(f.st, "invite", "h1", 1000, &user, &err), -1);
    assert_int_equal(store_user_token_create(f.st, 1, "reset", "h2", 500, &err), 0);
    assert_int_equal(store_user_token_consume(f.st, "reset", "h2", 1000, &user, &err), -1);   /* expired */
    done(f.st);
}

static void invitations_are_claimed_once_and_stay_in_their_operator(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    int64_t id, gone;
    struct invitation_new inv = {f.se, "new@x.example", "New", "viewer", NULL, 0, "ih1", 4102444800LL};
    assert_int_equal(store_invitation_create(f.st, &f.coord_se, &inv, &id, &err), 0);
    inv.org_id = f.si;   /* a coordinator invites only into their own operator */
    assert_int_equal(store_invitation_create(f.st, &f.coord_se, &inv, &gone, &err), -1);
    assert_int_equal(err.status, 404);
    json_t *o;
    assert_int_equal(store_invitation_get(f.st, &f.coord_si, id, &o, &err), -1);
    assert_int_equal(err.status, 404);
    assert_int_equal(store_invitation_get(f.st, &f.coord_se, id, &o, &err), 0);
    assert_string_equal(json_string_value(json_object_get(o, "status")), "pending");
    json_decref(o);
    assert_int_equal(store_invitation_withdraw(f.st, &f.coord_si, id, &err), -1);
    assert_int_equal(err.status, 404);
    assert_int_equal(store_begin(f.st, &err), 0);
    struct tb_actor acting;
    assert_int_equal(store_invitation_claim(f.st, "ih1", "test", &o, &acting, &err), 0);
    /* the acceptance acts as staff of the invitation's operator, and only there */
    assert_int_equal(acting.tenant_id, f.se);
    assert_false(acting.all_tenants);
    assert_string_equal(json_string_value(json_object_get(o, "email")), "new@x.example");
    json_decref(o);
    assert_int_equal(store_invitation_claim(f.st, "ih1", "test", &o, &acting, &err), -1);   /* once */
    assert_int_equal(err.status, 404);
    assert_int_equal(store_commit(f.st, &err), 0);
    assert_int_equal(store_invitation_withdraw(f.st, &f.coord_se, id, &err), -1);   /* accepted already */
    assert_int_equal(err.status, 409);
    struct invitation_new old = {f.se, "late@x.example", "Late", "viewer", NULL, 0, "ih2", 1000};
    assert_int_equal(store_invitation_create(f.st, &f.coord_se, &old, &id, &err), 0);
    assert_int_equal(store_invitation_claim(f.st, "ih2", "test", &o, &acting, &err), -1);   /* expired */
    done(f.st);
}

static void tokens_expire_and_end_with_a_new_password(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    int64_t id, user;
    int read_only;
    assert_int_equal(store_token_create(f.st, &f.coord_se, "r", "th1", "tb_1", "read", "2999-01-01T00:00:00Z", &id, &err), 0);
    assert_int_equal(store_token_create(f.st, &f.coord_se, "w", "th2", "tb_2", "read_write", "2999-01-01T00:00:00Z", &id, &err), 0);
    assert_int_equal(store_token_create(f.st, &f.coord_se, "old", "th3", "tb_3", "read_write", "2001-01-01T00:00:00Z", &id, &err), 0);
    assert_int_equal(store_token_lookup(f.st, "th1", &user, &read_only, &err), 0);
    assert_int_equal(user, f.coord_se.user_id);
    assert_true(read_only);
    assert_int_equal(store_token_lookup(f.st, "th2", &user, &read_only, &err), 0);
    assert_false(read_only);
    assert_int_equal(store_token_lookup(f.st, "th3", &user, &read_only, &err), -1);   /* expired */
    assert_int_equal(err.status, 404);
    assert_int_equal(store_user_set_password(f.st, &f.coord_se, f.coord_se.user_id, "y", &err), 0);
    assert_int_equal(store_token_lookup(f.st, "th1", &user, &read_only, &err), -1);
    assert_int_equal(store_token_lookup(f.st, "th2", &user, &read_only, &err), -1);
    done(f.st);
}

static const char *token_last_used(struct fixture *f, char out[32])
{
    sqlite3 *db;
    sqlite3_stmt *s;
    out[0] = '\0';
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT last_used_at FROM api_tokens WHERE token_hash = 'th1'", -1, &s, NULL),
                     SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        snprintf(out, 32, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    (void)f;
    return out;
}

static void exec_sql(const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void set_token_last_used(const char *when)
{
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE api_tokens SET last_used_at = '%s' WHERE token_hash = 'th1'", when);
    exec_sql(sql);
}

/* Authentication by token is one statement that also yields the user's
 * status and actor; its last use is written at most once a minute, not on
 * every request (issue 11: a write per read serialised the readers). */
static void token_auth_gives_the_actor_and_touches_once_a_minute(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    int64_t id;
    char used[32];
    assert_int_equal(store_token_create(f.st, &f.coord_se, "r", "th1", "tb_1", "read", "2999-01-01T00:00:00Z", &id, &err), 0);
    assert_string_equal(token_last_used(&f, used), "");
    struct token_auth ta;
    assert_int_equal(store_token_auth(f.st, "th1", &ta, &err), 0);
    assert_int_equal(ta.user_id, f.coord_se.user_id);
    assert_true(ta.active);
    assert_true(ta.read_only);
    assert_int_equal(ta.actor.user_id, f.coord_se.user_id);
    assert_int_equal(ta.actor.tenant_id, f.coord_se.tenant_id);
    assert_int_equal(ta.actor.roles, f.coord_se.roles);
    assert_int_equal(ta.actor.all_tenants, 0);
    assert_string_not_equal(token_last_used(&f, used), "");   /* the first use is written */

    char recent[32], old[32];
    time_t t = time(NULL) - 20;
    strftime(recent, sizeof recent, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    t -= 100;
    strftime(old, sizeof old, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    set_token_last_used(recent);
    assert_int_equal(store_token_auth(f.st, "th1", &ta, &err), 0);
    assert_string_equal(token_last_used(&f, used), recent);   /* 20 s ago: kept */
    set_token_last_used(old);
    assert_int_equal(store_token_auth(f.st, "th1", &ta, &err), 0);
    assert_true(strcmp(token_last_used(&f, used), recent) > 0);   /* 2 minutes ago: now */

    exec_sql("UPDATE users SET status = 'disabled' WHERE email = 'a@se.example'");
    assert_int_equal(store_token_auth(f.st, "th1", &ta, &err), 0);
    assert_false(ta.active);   /* a disabled account's token is recognised, and refused by the caller */
    assert_int_equal(store_token_auth(f.st, "nope", &ta, &err), -1);
    assert_int_equal(err.status, 404);
    done(f.st);
}

/* A foundation admin's token acts across operators with the store's own
 * elevation, as the same person's session does: without it the executor
 * would refuse every statement the token's requests run. */
static void a_foundation_admins_token_acts_with_the_stores_elevation(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    int64_t admin, id;
    f.sys.tenant_id = f.foundation;
    assert_int_equal(store_user_create(f.st, &f.sys, "root@f.example", "R", "x", "active", &admin, &err), 0);
    assert_int_equal(store_membership_add(f.st, &f.sys, admin, f.foundation, ROLE_ADMIN, NULL, 0, &err), 0);
    struct tb_actor a;
    assert_int_equal(store_actor_load(f.st, admin, &a, &err), 0);
    assert_int_equal(store_token_create(f.st, &a, "r", "th2", "tb_2", "read", "2999-01-01T00:00:00Z", &id, &err), 0);
    struct token_auth ta;
    assert_int_equal(store_token_auth(f.st, "th2", &ta, &err), 0);
    assert_true(ta.actor.all_tenants);
    json_t *o;
    assert_int_equal(store_org_get(f.st, &ta.actor, f.si, &o, &err), 0);   /* another operator's */
    json_decref(o);
    done(f.st);
}

/* A user has one live link at most: a newer one ends the older, and using
 * one ends any other (issue 10: an older reset link still worked). */
static void a_newer_link_ends_the_older_ones(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    int64_t user = 0;
    const int64_t later = 4102444800LL;
    assert_int_equal(store_user_token_create(f.st, 1, "reset", "old", later, &err), 0);
    assert_int_equal(store_user_token_peek(f.st, "reset", "old", 1000, &user, &err), 0);
    assert_int_equal(user, 1);
    assert_int_equal(store_user_token_create(f.st, 2, "reset", "other-user", later, &err), 0);
    assert_int_equal(store_user_token_create(f.st, 1, "reset", "new", later, &err), 0);
    assert_int_equal(store_user_token_peek(f.st, "reset", "old", 1000, &user, &err), -1);
    assert_int_equal(err.status, 404);
    assert_int_equal(store_user_token_consume(f.st, "reset", "old", 1000, &user, &err), -1);
    assert_int_equal(store_user_token_consume(f.st, "reset", "new", 1000, &user, &err), 0);
    /* another user's link is not touched */
    assert_int_equal(store_user_token_consume(f.st, "reset", "other-user", 1000, &user, &err), 0);
    assert_int_equal(user, 2);
    done(f.st);
}

static void backup_is_a_complete_copy(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    char copy[300];
    snprintf(copy, sizeof copy, "%s.copy", dbpath);
    assert_int_equal(store_backup(f.st, copy, &err), 0);
    struct store *c;
    assert_int_equal(store_open(copy, &c, &err), 0);
    json_t *o;
    struct tb_actor sys = actor_system();
    assert_int_equal(store_org_get(c, &sys, f.si, &o, &err), 0);
    assert_string_equal(json_string_value(json_object_get(o, "name")), "ITM Slovenia");
    json_decref(o);
    store_close(c);
    unlink(copy);
    done(f.st);
}

/* Two senders on one database file (two processes in real life): a message
 * is claimed by one of them only, the other cannot record an outcome for it,
 * and a claim left by a sender that died lapses after its lease. */
static void outbox_mail_is_claimed_by_one_sender(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    struct store *other;
    assert_int_equal(store_open(dbpath, &other, &err), 0);
    assert_int_equal(store_outbox_add(f.st, &f.sys, f.se, "a@example.org", "S", "B", &err), 0);
    struct outbox_row m1, m2;
    assert_int_equal(store_outbox_claim(f.st, "one", 1000, 120, &m1, &err), 0);
    assert_true(m1.id > 0);
    assert_string_equal(m1.to, "a@example.org");
    int64_t id = m1.id;
    store_outbox_row_free(&m1);
    assert_int_equal(store_outbox_claim(other, "two", 1000, 120, &m2, &err), 0);
    assert_int_equal(m2.id, 0);   /* already claimed */
    /* "one" died holding it: after the lease, "two" takes it over. */
    assert_int_equal(store_outbox_claim(other, "two", 1120, 120, &m2, &err), 0);
    assert_int_equal(m2.id, id);
    store_outbox_row_free(&m2);
    assert_int_equal(store_outbox_mark(f.st, id, "one", 1, NULL, 0, &err), 0);   /* stale owner: no-op */
    assert_int_equal(store_outbox_claim(f.st, "one", 1300, 120, &m1, &err), 0);
    assert_int_equal(m1.id, id);   /* still unsent: "two"'s lease lapsed too */
    store_outbox_row_free(&m1);
    assert_int_equal(store_outbox_mark(f.st, id, "one", 1, NULL, 0, &err), 0);
    assert_int_equal(store_outbox_claim(other, "two", 9999, 120, &m1, &err), 0);
    assert_int_equal(m1.id, 0);   /* sent once, never again */
    store_close(other);
    done(f.st);
}

static int stmt_index(const char *name)
{
    int n;
    const struct store_stmt_info *s = store_statements(&n);
    for (int i = 0; i < n; i++)
        if (!strcmp(s[i].name, name))
            return i;
    fail_msg("no statement %s", name);
    return -1;
}

/* The executor binds the scope from the actor and refuses what would run
 * unscoped: no tenant, a forged elevation, a parameter unbound, unknown or
 * bound by the caller in the actor's place. */
static void the_executor_refuses_unscoped_runs(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    int org_get = stmt_index("ORG_GET"), user_get = stmt_index("USER_GET");
    static const char *const id[] = {":id", NULL}, *const none[] = {NULL};
    static const char *const typo[] = {":id", ":idd", NULL}, *const tenant[] = {":id", ":tenant", NULL};
    static const char *const twice[] = {":id", ":id", NULL};
    assert_int_equal(store_stmt_probe(f.st, org_get, &f.coord_se, id, &err), 0);
    /* a tenant-scoped statement without a tenant (or without any actor) */
    struct tb_actor nobody = {.user_id = 1, .client_addr = "test"};
    assert_int_equal(store_stmt_probe(f.st, org_get, &nobody, id, &err), -1);
    assert_int_equal(err.status, 500);
    assert_int_equal(store_stmt_probe(f.st, org_get, NULL, id, &err), -1);
    /* an account statement runs for a person without an operator (themself) */
    assert_int_equal(store_stmt_probe(f.st, user_get, &nobody, id, &err), 0);
    nobody.user_id = 0;
    assert_int_equal(store_stmt_probe(f.st, user_get, &nobody, id, &err), -1);
    /* all tenants claimed by a flag: refused; granted by the store: runs */
    struct tb_actor forged = f.coord_se;
    forged.all_tenants = 1;
    assert_int_equal(store_stmt_probe(f.st, org_get, &forged, id, &err), -1);
    assert_int_equal(err.status, 500);
    assert_int_equal(store_stmt_probe(f.st, org_get, &f.sys, id, &err), 0);
    /* parameters: every one bound, none unknown, none twice, no scope parameter */
    assert_int_equal(store_stmt_probe(f.st, org_get, &f.coord_se, none, &err), -1);
    assert_int_equal(store_stmt_probe(f.st, org_get, &f.coord_se, typo, &err), -1);
    assert_int_equal(store_stmt_probe(f.st, org_get, &f.coord_se, twice, &err), -1);
    assert_int_equal(store_stmt_probe(f.st, org_get, &f.coord_se, tenant, &err), -1);
    assert_int_equal(err.status, 500);
    /* and a refusal leaves the statement usable */
    assert_int_equal(store_stmt_probe(f.st, org_get, &f.coord_se, id, &err), 0);
    done(f.st);
}

/* USER_SET_PASSWORD and SESSION_DELETE_USER filter by the actor, not by id alone. */
static void passwords_and_sessions_follow_the_actor(void **state)
{
    (void)state;
    struct fixture f;
    setup_orgs(&f);
    struct tb_err err;
    int64_t u_se = f.coord_se.user_id, u_si = f.coord_si.user_id;
    assert_int_equal(store_session_create(f.st, "sess-si", u_si, "csrf", 1000, "test", &err), 0);
    /* another operator's coordinator cannot change the password, nor end the sessions */
    assert_int_equal(store_user_set_password(f.st, &f.coord_se, u_si, "hash", &err), -1);
    assert_int_equal(err.status, 404);
    struct session_row row;
    assert_int_equal(store_session_get(f.st, "sess-si", &row, &err), 0);
    json_t *changes = json_pack("{s:s}", "status", "disabled"), *out = NULL;
    assert_int_equal(store_user_update(f.st, &f.coord_se, u_si, 0, changes, &out, &err), -1);
    assert_int_equal(store_session_get(f.st, "sess-si", &row, &err), 0);
    /* the person themself, and the foundation, can */
    assert_int_equal(store_user_set_password(f.st, &f.coord_si, u_si, "hash2", &err), 0);
    assert_int_equal(store_session_get(f.st, "sess-si", &row, &err), -1);
    assert_int_equal(store_user_set_password(f.st, &f.sys, u_se, "hash3", &err), 0);
    json_decref(changes);
    done(f.st);
}

int main(void)
{
    unsetenv("TB_STORE_STRICT");   /* these tests provoke refusals on purpose */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_statement_is_scoped),
        cmocka_unit_test(the_scope_guard_catches_unscoped_sql),
        cmocka_unit_test(the_executor_refuses_unscoped_runs),
        cmocka_unit_test(passwords_and_sessions_follow_the_actor),
        cmocka_unit_test(every_statement_compiles_against_the_schema),
        cmocka_unit_test(migrations_at_once_equal_one_by_one),
        cmocka_unit_test(tenants_do_not_see_each_other),
        cmocka_unit_test(stale_versions_are_refused_and_changes_audited),
        cmocka_unit_test(referenced_org_cannot_be_deleted),
        cmocka_unit_test(pages_cover_every_row_once),
        cmocka_unit_test(free_text_matches_literally),
        cmocka_unit_test(single_use_links_work_once),
        cmocka_unit_test(invitations_are_claimed_once_and_stay_in_their_operator),
        cmocka_unit_test(tokens_expire_and_end_with_a_new_password),
        cmocka_unit_test(token_auth_gives_the_actor_and_touches_once_a_minute),
        cmocka_unit_test(a_foundation_admins_token_acts_with_the_stores_elevation),
        cmocka_unit_test(a_newer_link_ends_the_older_ones),
        cmocka_unit_test(backup_is_a_complete_copy),
        cmocka_unit_test(outbox_mail_is_claimed_by_one_sender),
        cmocka_unit_test(a_unit_that_loses_a_conflict_runs_again_whole),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
