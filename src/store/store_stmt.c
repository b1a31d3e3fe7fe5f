/*
 * store_stmt.c - running the closed statement set: preparing, binding by
 * name, stepping, rows as JSON, and the database-error count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/json_text.h"
#include <stdatomic.h>
#include <time.h>

static atomic_ulong db_errors;

unsigned long store_db_errors(void)
{
    return atomic_load(&db_errors);
}

int st_db_fail(struct store *st, struct tb_err *err, const char *what)
{
    if (st && st->refused) {   /* st_step logged and counted it */
        st->refused = 0;
        return TB_INTERNAL(err, "the database could not complete the request");
    }
    int transient = st && st->db && st->be->transient ? st->be->transient(st) : 0;
    if (transient) {
        if (transient == ST_CONFLICT_LOST)
            st->conflict_lost = 1;
        /* A conflict with a concurrent writer (a lone statement's retries spent,
         * or a transaction rolled back whole), or the database gone: nothing was
         * saved, and the client may simply repeat. */
        fprintf(stderr, "store: %s: %s\n", what, st->be->errmsg(st));
        return tb_error(err, TB_E_UNAVAILABLE, "", transient == ST_CONFLICT_LOST
                        ? "the database was busy with a conflicting change; nothing was saved, try again"
                        : "the database is not reachable; nothing was saved, try again shortly");
    }
    atomic_fetch_add(&db_errors, 1);
    /* The detail goes to the server log only; clients get a plain 500. */
    fprintf(stderr, "store: %s: %s\n", what, st && st->db ? st->be->errmsg(st) : "no database");
    return TB_INTERNAL(err, "the database could not complete the request");
}

void st_now_text(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- elevation ----------------------------------------------------------- */

/* The store's own objects: an actor across tenants must point at one of
 * these, which only st_elevate (store code) and actor_system hand out. */
struct tb_elevation {
    const char *why;
};
static const struct tb_elevation elevations[ELEV__MAX] = {
    [ELEV_SYSTEM] = {"the system (the CLI, run by the server's operator)"},
    [ELEV_FOUNDATION_ADMIN] = {"an admin of the foundation"},
    [ELEV_DEFAULT_CATALOGUE] = {"a new operator's default catalogue"},
    [ELEV_OWN_AUDIT] = {"a password change audited under the person's own operator"},
    [ELEV_MAIL_TO_MEMBER] = {"mail to a person, filed under an operator they belong to"},
    [ELEV_TRAINING_NOTICE] = {"a notice to the person a training record names, filed under the record's operator"},
};

struct tb_actor st_elevate(const struct tb_actor *a, enum st_elevation why)
{
    struct tb_actor e = *a;
    e.all_tenants = 1;
    e.elevation = &elevations[why];
    return e;
}

const char *st_elevation_name(const struct tb_actor *a)
{
    for (int i = 0; i < ELEV__MAX; i++)
        if (a->elevation == &elevations[i])
            return elevations[i].why;
    return NULL;
}

struct tb_actor actor_system(void)
{
    struct tb_actor a = {0};
    a.roles = ROLE_BIT(ROLE_ADMIN);
    a.client_addr = "cli";
    return st_elevate(&a, ELEV_SYSTEM);
}

/* ---- statements and binding ------------------------------------------- */

static const char *const param_names[P__MAX] = {
    [P_TENANT] = ":tenant", [P_ALL] = ":all", [P_SELF] = ":self", [P_STAFF] = ":staff",
    [P_SCOPE_COMPANY] = ":scope_company", [P_SCOPE_GRADUATE] = ":scope_graduate",
    [P_SCOPE_MENTOR] = ":scope_mentor", [P_OPEN_ONLY] = ":open_only",
    [P_NOW] = ":now", [P_NOW_UNIX] = ":now_unix", [P_CLIENT_ADDR] = ":client_addr",
};

const char *store_scope_name(enum stmt_scope s)
{
    static const char *const names[] = {"TENANT", "USER", "GLOBAL", "SYSTEM"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

/* In builds for the tests, TB_STORE_STRICT=1 (tests/meson.build) makes a
 * refusal fatal: the test that reached it fails, instead of a 500 that a test
 * expecting another error might not notice. */
static void strict(void)
{
#ifdef TB_FAULT_INJECTION
    const char *s = getenv("TB_STORE_STRICT");
    if (s && !strcmp(s, "1"))
        abort();
#endif
}

static int refuse(struct store *st, struct tb_err *err, const char *stmt, const char *why)
{
    atomic_fetch_add(&db_errors, 1);
    fprintf(stderr, "store: refused to run %s: %s\n", stmt, why);
    strict();
    (void)st;
    return TB_INTERNAL(err, "the database could not complete the request");
}

static int prepare(struct store *st, enum stmt id, const struct store_stmt_info *info, struct tb_err *err)
{
    struct st_q *sl = &st->slots[id];
    sl->st = st;
    int n = st->be->prepare(st, sl, info->sql);
    if (n < 0)
        return st_db_fail(st, err, info->name);
    if (n > 64) {
        st->be->finalize(sl);
        sl->h = NULL;
        return refuse(st, err, info->name, "more than 64 parameters");
    }
    sl->params = n == 64 ? UINT64_MAX : (UINT64_C(1) << n) - 1;
    for (int p = 0; p < P__MAX; p++)
        sl->ix[p] = (short)st->be->param_index(sl, param_names[p]);
    return 0;
}

static void bind_default(struct st_q *sl, enum st_param p, int64_t v, int is_null)
{
    int i = sl->ix[p];
    if (!i)
        return;
    if (is_null)
        sl->st->be->bind_null(sl, i, 1);
    else
        sl->st->be->bind_i64(sl, i, v);
    sl->bound |= UINT64_C(1) << (i - 1);
}

/* The role scope beyond the tenant: staff see the whole operator; a company
 * user its own company's records; a trainee their own record and open
 * positions; a mentor the placements they supervise; anyone else (a funder)
 * none of the individual records. */
static void bind_role_scope(struct st_q *sl, const struct tb_actor *a)
{
    int64_t company = 0, graduate = 0, mentor = 0;
    int open_only = 0;
    if (a->all_tenants || actor_has(a, ROLES_STAFF)) {
        /* no row scope: NULL everywhere */
    } else if (actor_has(a, ROLE_BIT(ROLE_COMPANY))) {
        company = a->subject_id ? a->subject_id : -1;
    } else if (actor_has(a, ROLE_BIT(ROLE_TRAINEE))) {
        graduate = a->subject_id ? a->subject_id : -1;
        open_only = 1;
    } else if (actor_has(a, ROLE_BIT(ROLE_MENTOR))) {
        mentor = a->user_id;
    } else {
        company = graduate = mentor = -1;
    }
    bind_default(sl, P_SCOPE_COMPANY, company, !company);
    bind_default(sl, P_SCOPE_GRADUATE, graduate, !graduate);
    bind_default(sl, P_SCOPE_MENTOR, mentor, !mentor);
    bind_default(sl, P_OPEN_ONLY, open_only, 0);
}

void st_tenant_of(const struct tb_actor *a, char out[24])
{
    if (a && a->all_tenants)
        snprintf(out, 24, "all");
    else if (a && a->tenant_id > 0)
        snprintf(out, 24, "%lld", (long long)a->tenant_id);
    else
        snprintf(out, 24, "none");
}

struct st_q *st_stmt(struct store *st, enum stmt id, const struct tb_actor *a, struct tb_err *err)
{
    int n;
    const struct store_stmt_info *info = &st->be->statements(&n)[id];
    struct st_q *sl = &st->slots[id];
    if (!sl->h && prepare(st, id, info, err) < 0)
        return NULL;
    if (a && a->all_tenants && !st_elevation_name(a)) {
        refuse(st, err, info->name, "the actor claims all tenants without an elevation the store granted");
        return NULL;
    }
    switch (info->scope) {
    case SCOPE_TENANT:
        if (!a || (!a->all_tenants && a->tenant_id <= 0)) {
            refuse(st, err, info->name, "a tenant-scoped statement without a tenant");
            return NULL;
        }
        break;
    case SCOPE_USER:
        if (!a || (!a->all_tenants && a->tenant_id <= 0 && a->user_id <= 0)) {
            refuse(st, err, info->name, "an account statement without an actor");
            return NULL;
        }
        break;
    case SCOPE_GLOBAL:
    case SCOPE_SYSTEM:
        break;
    }
    struct st_q *s = sl;
    st->be->clear(s);
    st_tenant_of(a, s->tenant);
    sl->bound = 0;
    sl->refused = NULL;
    st->cur = (int)id;
    if (a) {
        bind_default(sl, P_TENANT, a->tenant_id, 0);
        bind_default(sl, P_ALL, a->all_tenants ? 1 : 0, 0);
        bind_default(sl, P_SELF, a->user_id, 0);
        bind_default(sl, P_STAFF, actor_has(a, ROLES_STAFF), 0);
        bind_role_scope(sl, a);
    }
    int64_t now = (int64_t)time(NULL);
    bind_default(sl, P_NOW_UNIX, now, 0);
    if (sl->ix[P_NOW]) {
        char text[32];
        st_now_text(text);
        st->be->bind_text(s, sl->ix[P_NOW], text);
        sl->bound |= UINT64_C(1) << (sl->ix[P_NOW] - 1);
    }
    if (sl->ix[P_CLIENT_ADDR]) {
        if (a && a->client_addr)
            st->be->bind_text(s, sl->ix[P_CLIENT_ADDR], a->client_addr);
        sl->bound |= UINT64_C(1) << (sl->ix[P_CLIENT_ADDR] - 1);
    }
    sl->defaults = sl->bound;
    return s;
}

static struct st_q *slot_of(struct store *st, struct st_q *s)
{
    return s && s >= st->slots && s < st->slots + STMT__MAX ? s : NULL;
}

int st_has_param(struct st_q *s, const char *name)
{
    return s->st->be->param_index(s, name) != 0;
}

/* The parameter index to bind `name` to, or 0 with the misuse recorded. */
static int bind_index(struct store *st, struct st_q *s, const char *name)
{
    struct st_q *sl = slot_of(st, s);
    int i = sl ? st->be->param_index(s, name) : 0;
    const char *why = NULL;
    if (!sl)
        why = "not a statement of this store";
    else if (!i)
        why = "binds a parameter the statement does not have";
    else {
        uint64_t bit = UINT64_C(1) << (i - 1);
        for (int p = 0; p < P__SCOPE; p++)
            if (sl->ix[p] == i)
                why = "binds a scope parameter, which only the actor supplies";
        if (!why && (sl->bound & bit) && !(sl->defaults & bit))
            why = "binds a parameter twice";
        if (!why) {
            sl->bound |= bit;
            sl->defaults &= ~bit;
        }
    }
    if (why) {
        int n;
        const struct store_stmt_info *info = st->be->statements(&n);
        fprintf(stderr, "store: %s: %s (%s)\n", sl ? info[sl - st->slots].name : "?", why, name);
        if (sl && !sl->refused)
            sl->refused = why;
        return 0;
    }
    return i;
}

void st_bind_i64(struct store *st, struct st_q *s, const char *name, int64_t v)
{
    int i = bind_index(st, s, name);
    if (i)
        st->be->bind_i64(s, i, v);
}

void st_bind_text(struct store *st, struct st_q *s, const char *name, const char *v)
{
    int i = bind_index(st, s, name);
    if (i) {
        if (v)
            st->be->bind_text(s, i, v);
        else
            st->be->bind_null(s, i, 0);
    }
}

void st_bind_blob(struct store *st, struct st_q *s, const char *name, const void *v, size_t len)
{
    int i = bind_index(st, s, name);
    if (i)
        st->be->bind_blob(s, i, v, len);
}

void st_bind_double(struct store *st, struct st_q *s, const char *name, double v)
{
    int i = bind_index(st, s, name);
    if (i)
        st->be->bind_double(s, i, v);
}

void st_bind_opt_i64(struct store *st, struct st_q *s, const char *name, int64_t v)
{
    int i = bind_index(st, s, name);
    if (i) {
        if (v)
            st->be->bind_i64(s, i, v);
        else
            st->be->bind_null(s, i, 1);
    }
}

void st_bind_q(struct store *st, struct st_q *s, const char *q)
{
    st_bind_text(st, s, ":q", q);
    if (!st_has_param(s, ":q_like"))
        return;
    if (!q) {
        st_bind_text(st, s, ":q_like", NULL);
        return;
    }
    size_t n = strlen(q);
    char *esc = malloc(2 * n + 1), *o = esc;
    if (!esc) {
        struct st_q *sl = slot_of(st, s);
        if (sl)
            sl->refused = "out of memory";
        return;
    }
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '!')
            *o++ = '!';
        *o++ = *p;
    }
    *o = '\0';
    st_bind_text(st, s, ":q_like", esc);
    free(esc);
}

int st_step(struct store *st, struct st_q *s)
{
    struct st_q *sl = slot_of(st, s);
    const char *why = !sl ? "not a statement of this store"
                    : sl->refused ? sl->refused
                    : (sl->bound & sl->params) != sl->params ? "a parameter is not bound" : NULL;
    if (!why)
        return st->be->step(s);
    st->refused = 1;
    int n;
    const struct store_stmt_info *info = st->be->statements(&n);
    const char *name = "?";
    if (sl && !sl->refused)
        for (int i = 0; i < 64; i++)
            if ((sl->params >> i & 1) && !(sl->bound >> i & 1)) {
                name = st->be->param_name(s, i + 1);
                break;
            }
    atomic_fetch_add(&db_errors, 1);
    fprintf(stderr, "store: refused to run %s: %s%s%s\n", sl ? info[sl - st->slots].name : "?", why,
            sl && !sl->refused ? ": " : "", sl && !sl->refused ? name : "");
    strict();
    return ST_MISUSE;
}

json_t *st_row_json(struct st_q *s)
{
    json_t *o = json_object();
    int n = st_col_count(s);
    for (int i = 0; i < n; i++) {
        const char *name = st_col_name(s, i);
        json_t *v;
        switch (st_col_type(s, i)) {
        case ST_INTEGER:
            v = json_integer(st_col_i64(s, i));
            break;
        case ST_FLOAT:
            v = json_real(st_col_double(s, i));
            break;
        case ST_NULL:
            v = json_null();
            break;
        default: {
            const char *text = st_col_text(s, i);
            /* Columns holding JSON documents are returned as structure. */
            if (!strcmp(name, "changes")) {
                v = json_loads(text, 0, NULL);
                if (!v)
                    v = json_null();
            } else {
                v = json_string(text);
            }
        }
        }
        json_object_set_new(o, name, v);
    }
    return o;
}

/* One column as a jansson value, as st_row_json makes it (for a row_member). */
static json_t *col_value(struct st_q *s, int i)
{
    switch (st_col_type(s, i)) {
    case ST_INTEGER:
        return json_integer(st_col_i64(s, i));
    case ST_FLOAT:
        return json_real(st_col_double(s, i));
    case ST_NULL:
        return json_null();
    default:
        return json_string(st_col_text(s, i));
    }
}

/* What st_row_text needs to know of a statement's columns, worked out once
 * per statement run rather than per row (a page of rows has the same). */
int st_row_plan(struct st_q *s, const char *const *json_columns, const struct row_member *x, struct row_plan *p)
{
    p->n = st_col_count(s);
    if (p->n > ROW_PLAN_MAX)
        return -1;
    for (int i = 0; i < p->n; i++) {
        const char *name = st_col_name(s, i);
        p->name[i] = name;
        p->name_len[i] = strlen(name);
        p->plain_name[i] = strcspn(name, "\"\\") == p->name_len[i];
        for (const unsigned char *c = (const unsigned char *)name; *c; c++)
            p->plain_name[i] &= *c >= 0x20 && *c < 0x80;
        p->stored[i] = !strcmp(name, "changes");
        for (const char *const *c = json_columns; *c && !p->stored[i]; c++)
            p->stored[i] = !strcmp(*c, name);
        p->read[i] = 0;
        for (const char *const *r = x ? x->reads : NULL; r && *r; r++)
            p->read[i] |= !strcmp(*r, name);
    }
    return 0;
}

/* The row as JSON text, the bytes the server would send for st_row_json's
 * object with json_columns decoded (its answers are compact ASCII dumps):
 * stored JSON is copied, not parsed and dumped again. */
int st_row_text_planned(struct st_q *s, const struct row_plan *p, const struct row_member *x, struct abuf *out)
{
    json_t *cols = x ? json_object() : NULL;
    abuf_append(out, "{", 1);
    for (int i = 0; i < p->n; i++) {
        if (p->plain_name[i]) {
            char *at = abuf_reserve(out, p->name_len[i] + 4);
            if (at) {   /* ,"name": without escaping (checked once in the plan) */
                char *q = at;
                if (i)
                    *q++ = ',';
                *q++ = '"';
                memcpy(q, p->name[i], p->name_len[i]);
                q += p->name_len[i];
                *q++ = '"';
                *q++ = ':';
                out->len += (size_t)(q - at);
                out->data[out->len] = '\0';
            }
        } else {
            abuf_append(out, ",", i > 0);
            jt_key(out, p->name[i]);
        }
        if (p->read[i] && json_object_set_new(cols, p->name[i], col_value(s, i)) < 0)
            out->failed = 1;
        switch (st_col_type(s, i)) {
        case ST_INTEGER:
            jt_int(out, st_col_i64(s, i));
            break;
        case ST_FLOAT:
            jt_real(out, st_col_double(s, i));
            break;
        case ST_NULL:
            abuf_append(out, "null", 4);
            break;
        default: {
            const char *text = st_col_text(s, i);
            size_t len = strlen(text);   /* as st_row_json reads it, on every backend */
            if (p->stored[i])
                jt_stored(out, text, len);
            else
                jt_string(out, text, len);
        }
        }
    }
    if (x) {
        json_t *v = cols ? x->compute(cols) : NULL;
        abuf_append(out, ",", p->n > 0);
        jt_key(out, x->member);
        if (v)
            jt_value(out, v);
        else
            out->failed = 1;
        json_decref(v);
        json_decref(cols);
    }
    return abuf_append(out, "}", 1);
}

int st_row_text(struct st_q *s, const char *const *json_columns, const struct row_member *x, struct abuf *out)
{
    struct row_plan p;
    if (st_row_plan(s, json_columns, x, &p) < 0) {
        out->failed = 1;
        return -1;
    }
    return st_row_text_planned(s, &p, x, out);
}

int st_step_done(struct store *st, struct st_q *s, const char *what, struct tb_err *err)
{
    int rc = st_step(st, s);
    st_reset(s);
    if (rc == ST_DONE)
        return 0;
    if (rc == ST_CONSTRAINT)
        return tb_fail(err, 409, "conflict", "", "%s: already exists or still referenced", what);
    return st_db_fail(st, err, what);
}

/* Steps s to its one row (left there for st_col_*; the caller resets s);
 * 404 naming what when there is none, reset. */
int st_step_row(struct store *st, struct st_q *s, const char *what, struct tb_err *err)
{
    int rc = st_step(st, s);
    if (rc == ST_ROW)
        return 0;
    st_reset(s);
    if (rc == ST_DONE)
        return TB_NOT_FOUND(err, "%s not found", what);
    return st_db_fail(st, err, what);
}

/* One row as JSON; 404 when there is none. */
int st_get_one(struct store *st, struct st_q *s, const char *what, json_t **out,
                   struct tb_err *err)
{
    if (st_step_row(st, s, what, err) < 0)
        return -1;
    *out = st_row_json(s);
    st_reset(s);
    return 0;
}

int st_rows(struct store *st, struct st_q *s, json_t **out, struct tb_err *err)
{
    json_t *arr = json_array();
    int rc;
    while ((rc = st_step(st, s)) == ST_ROW)
        json_array_append_new(arr, st_row_json(s));
    st_reset(s);
    if (rc != ST_DONE) {
        json_decref(arr);
        return st_db_fail(st, err, "list");
    }
    *out = arr;
    return 0;
}

int store_prepare_all(struct store *st, struct tb_err *err)
{
    int n;
    const struct store_stmt_info *info = st->be->statements(&n);
    for (int i = 0; i < n; i++)
        if (!st->slots[i].h && prepare(st, (enum stmt)i, &info[i], err) < 0)
            return tb_fail(err, 500, "internal_error", "", "statement %s does not compile", info[i].name);
    return 0;
}

int store_stmt_probe(struct store *st, int index, const struct tb_actor *a, const char *const *names,
                     struct tb_err *err)
{
    if (index < 0 || index >= STMT__MAX)
        return TB_INTERNAL(err, "no such statement");
    struct st_q *s = st_stmt(st, (enum stmt)index, a, err);
    if (!s)
        return -1;
    for (; names && *names; names++)
        st_bind_i64(st, s, *names, 1);
    /* Inside a transaction that is rolled back: a probe changes nothing. */
    int owned = !st_in_tx(st);
    if (owned && store_begin(st, err) < 0)
        return -1;
    int rc;
    while ((rc = st_step(st, s)) == ST_ROW)
        ;
    st_reset(s);
    if (owned)
        store_rollback(st);
    return rc == ST_DONE ? 0 : st_db_fail(st, err, "probe");
}

/* ---- columns and the backend's other operations ---------------------------- */

int st_col_count(struct st_q *s) { return s->st->be->col_count(s); }
const char *st_col_name(struct st_q *s, int i) { return s->st->be->col_name(s, i); }
int st_col_type(struct st_q *s, int i) { return s->st->be->col_type(s, i); }
int64_t st_col_i64(struct st_q *s, int i) { return s->st->be->col_i64(s, i); }
int st_col_int(struct st_q *s, int i) { return (int)s->st->be->col_i64(s, i); }
double st_col_double(struct st_q *s, int i) { return s->st->be->col_double(s, i); }
const char *st_col_text(struct st_q *s, int i) { return s->st->be->col_text(s, i); }
const void *st_col_blob(struct st_q *s, int i) { return s->st->be->col_blob(s, i); }
size_t st_col_bytes(struct st_q *s, int i) { return s->st->be->col_bytes(s, i); }
void st_reset(struct st_q *s) { s->st->be->reset(s); }
int64_t st_changes(struct store *st) { return st->be->changes(st); }
int64_t st_last_id(struct store *st) { return st->be->last_id(st); }
int st_exec(struct store *st, const char *sql) { return st->be->exec(st, sql); }
int st_in_tx(struct store *st) { return st->be->in_tx(st); }
