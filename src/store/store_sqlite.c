/*
 * store_sqlite.c - the SQLite backend of store.h.
 *
 * One connection per thread (the HTTP layer keeps one per worker), WAL mode,
 * synchronous=NORMAL: in WAL mode a committed transaction survives a crash of
 * the process (it is in the WAL file before COMMIT returns), though not a
 * power loss; FULL would cost ~10x on writes for the power-loss case only.
 * Statements are prepared on first use (after migrations created the tables)
 * with SQLITE_PREPARE_PERSISTENT and kept for the life of the connection.
 */
#include "store/store.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/embedded.h"
#include "store/stmts.h"
#include "store/entity.h"
#include "store/store_int.h"

extern const struct embedded_file sql_sqlite_files[];


static atomic_ulong db_errors;

unsigned long store_db_errors(void)
{
    return atomic_load(&db_errors);
}

int st_db_fail(struct store *st, struct tb_err *err, const char *what)
{
    atomic_fetch_add(&db_errors, 1);
    /* The detail goes to the server log only; clients get a plain 500. */
    fprintf(stderr, "store: %s: %s\n", what, st && st->db ? sqlite3_errmsg(st->db) : "no database");
    return TB_INTERNAL(err, "the database could not complete the request");
}

void st_now_text(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- statements and binding ------------------------------------------- */

sqlite3_stmt *st_stmt(struct store *st, enum stmt id, struct tb_err *err)
{
    int n;
    const struct store_stmt_info *info = store_statements(&n);
    if (!st->stmts[id]) {
        if (sqlite3_prepare_v3(st->db, info[id].sql, -1, SQLITE_PREPARE_PERSISTENT,
                               &st->stmts[id], NULL) != SQLITE_OK) {
            st_db_fail(st, err, info[id].name);
            return NULL;
        }
    }
    sqlite3_stmt *s = st->stmts[id];
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

/* Binding by name; a statement that does not use the name ignores it, so the
 * actor can be bound to every statement the same way. */
void st_bind_i64(sqlite3_stmt *s, const char *name, int64_t v)
{
    int i = sqlite3_bind_parameter_index(s, name);
    if (i)
        sqlite3_bind_int64(s, i, v);
}

void st_bind_text(sqlite3_stmt *s, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(s, name);
    if (i) {
        if (v)
            sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(s, i);
    }
}

void st_bind_opt_i64(sqlite3_stmt *s, const char *name, int64_t v)
{
    int i = sqlite3_bind_parameter_index(s, name);
    if (i) {
        if (v)
            sqlite3_bind_int64(s, i, v);
        else
            sqlite3_bind_null(s, i);
    }
}

void st_bind_q(sqlite3_stmt *s, const char *q)
{
    st_bind_text(s, ":q", q);
    int i = sqlite3_bind_parameter_index(s, ":q_like");
    if (!i)
        return;
    if (!q) {
        sqlite3_bind_null(s, i);
        return;
    }
    size_t n = strlen(q);
    char *esc = malloc(2 * n + 1), *o = esc;
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '!')
            *o++ = '!';
        *o++ = *p;
    }
    *o = '\0';
    sqlite3_bind_text(s, i, esc, -1, free);
}

void st_bind_actor(sqlite3_stmt *s, const struct tb_actor *a)
{
    st_bind_i64(s, ":tenant", a->tenant_id);
    st_bind_i64(s, ":all", a->all_tenants ? 1 : 0);
    st_bind_i64(s, ":self", a->user_id);
    st_bind_i64(s, ":staff", actor_has(a, ROLES_STAFF));
    st_bind_i64(s, ":now_unix", (int64_t)time(NULL));
    st_bind_text(s, ":client_addr", a->client_addr);
    char now[32];
    st_now_text(now);
    st_bind_text(s, ":now", now);
}

json_t *st_row_json(sqlite3_stmt *s)
{
    json_t *o = json_object();
    int n = sqlite3_column_count(s);
    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(s, i);
        json_t *v;
        switch (sqlite3_column_type(s, i)) {
        case SQLITE_INTEGER:
            v = json_integer(sqlite3_column_int64(s, i));
            break;
        case SQLITE_FLOAT:
            v = json_real(sqlite3_column_double(s, i));
            break;
        case SQLITE_NULL:
            v = json_null();
            break;
        default: {
            const char *text = (const char *)sqlite3_column_text(s, i);
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

int st_step_done(struct store *st, sqlite3_stmt *s, const char *what, struct tb_err *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc == SQLITE_CONSTRAINT)
        return tb_fail(err, 409, "conflict", "", "%s: already exists or still referenced", what);
    return st_db_fail(st, err, what);
}

/* One row as JSON; 404 when there is none. */
int st_get_one(struct store *st, sqlite3_stmt *s, const char *what, json_t **out,
                   struct tb_err *err)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = st_row_json(s);
        sqlite3_reset(s);
        return 0;
    }
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return TB_NOT_FOUND(err, "%s not found", what);
    return st_db_fail(st, err, what);
}

int st_rows(struct store *st, sqlite3_stmt *s, json_t **out, struct tb_err *err)
{
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(arr, st_row_json(s));
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return st_db_fail(st, err, "list");
    }
    *out = arr;
    return 0;
}

/* ---- transactions -------------------------------------------------------- */

int store_begin(struct store *st, struct tb_err *err)
{
    /* IMMEDIATE takes the write lock now, so a transaction never fails half
     * way with SQLITE_BUSY on its first write; the busy timeout waits. */
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return st_db_fail(st, err, "begin");
    return 0;
}

int store_commit(struct store *st, struct tb_err *err)
{
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        st_db_fail(st, err, "commit");
        store_rollback(st);
        return -1;
    }
    return 0;
}

void store_rollback(struct store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Starts a transaction unless the caller already holds one; *owned says
 * whether tx_end must commit it. */
int st_tx_begin(struct store *st, int *owned, struct tb_err *err)
{
    *owned = sqlite3_get_autocommit(st->db);
    return *owned ? store_begin(st, err) : 0;
}

int st_tx_end(struct store *st, int owned, int rc, struct tb_err *err)
{
    if (!owned)
        return rc;
    if (rc < 0) {
        store_rollback(st);
        return -1;
    }
    return store_commit(st, err);
}

int store_prepare_all(struct store *st, struct tb_err *err)
{
    int n;
    const struct store_stmt_info *info = store_statements(&n);
    for (int i = 0; i < n; i++)
        if (!st_stmt(st, (enum stmt)i, err))
            return tb_fail(err, 500, "internal_error", "", "statement %s does not compile", info[i].name);
    return 0;
}

/* ---- open, migrate, backup ---------------------------------------------- */

int store_open(const char *path, struct store **out, struct tb_err *err)
{
    struct store *st = calloc(1, sizeof *st);
    if (!st)
        return TB_INTERNAL(err, "out of memory");
    int rc = sqlite3_open_v2(path, &st->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        tb_fail(err, 500, "database_unavailable", "", "cannot open database %s: %s", path,
                st->db ? sqlite3_errmsg(st->db) : "out of memory");
        sqlite3_close(st->db);
        free(st);
        return -1;
    }
    sqlite3_busy_timeout(st->db, 5000);
    sqlite3_extended_result_codes(st->db, 0);
    const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                          "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
    char *msg = NULL;
    if (sqlite3_exec(st->db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        tb_fail(err, 500, "database_unavailable", "", "cannot configure database %s: %s", path,
                msg ? msg : "unknown error");
        sqlite3_free(msg);
        sqlite3_close(st->db);
        free(st);
        return -1;
    }
    *out = st;
    return 0;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    for (int i = 0; i < STMT__MAX; i++)
        sqlite3_finalize(st->stmts[i]);
    /* Lets SQLite checkpoint and drop the WAL when this is the last connection. */
    sqlite3_close(st->db);
    free(st);
}

static int migration_applied(struct store *st, const char *version, int *yes, struct tb_err *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM schema_migrations WHERE version = ?1", -1, &s,
                           NULL) != SQLITE_OK)
        return st_db_fail(st, err, "migrations");
    sqlite3_bind_text(s, 1, version, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    *yes = rc == SQLITE_ROW;
    sqlite3_finalize(s);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : st_db_fail(st, err, "migrations");
}

int store_migrate(struct store *st, const char *upto, int *applied, struct tb_err *err)
{
    *applied = 0;
    if (sqlite3_exec(st->db,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     "version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
                     NULL, NULL, NULL) != SQLITE_OK)
        return st_db_fail(st, err, "migrations");
    for (const struct embedded_file *f = sql_sqlite_files; f->name; f++) {
        char version[128];
        snprintf(version, sizeof version, "%s", f->name);
        char *dot = strrchr(version, '.');
        if (dot)
            *dot = '\0';
        if (upto && strcmp(version, upto) > 0)
            break;
        int done = 0;
        if (migration_applied(st, version, &done, err) < 0)
            return -1;
        if (done)
            continue;
        if (store_begin(st, err) < 0)
            return -1;
        char *msg = NULL;
        if (sqlite3_exec(st->db, (const char *)f->data, NULL, NULL, &msg) != SQLITE_OK) {
            tb_fail(err, 500, "migration_failed", "", "migration %s failed: %s", version,
                    msg ? msg : "unknown error");
            sqlite3_free(msg);
            store_rollback(st);
            return -1;
        }
        sqlite3_stmt *s;
        char now[32];
        st_now_text(now);
        if (sqlite3_prepare_v2(st->db, "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                               -1, &s, NULL) != SQLITE_OK) {
            store_rollback(st);
            return st_db_fail(st, err, "migrations");
        }
        sqlite3_bind_text(s, 1, version, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, now, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(s);
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE) {
            store_rollback(st);
            return st_db_fail(st, err, "migrations");
        }
        if (store_commit(st, err) < 0)
            return -1;
        (*applied)++;
    }
    return 0;
}

int store_migrations_applied(struct store *st, json_t **out, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_MIGRATIONS_LIST, err);
    if (!s)
        return -1;
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(arr, json_string((const char *)sqlite3_column_text(s, 0)));
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return st_db_fail(st, err, "migrations");
    }
    *out = arr;
    return 0;
}

int store_health(struct store *st, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_HEALTH, err);
    if (!s)
        return -1;
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? 0 : st_db_fail(st, err, "health");
}

int store_backup(struct store *st, const char *dest_path, struct tb_err *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.partial", dest_path);
    unlink(tmp);
    sqlite3 *dest;
    if (sqlite3_open(tmp, &dest) != SQLITE_OK) {
        tb_fail(err, 500, "backup_failed", "", "cannot create %s: %s", tmp, sqlite3_errmsg(dest));
        sqlite3_close(dest);
        return -1;
    }
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", st->db, "main");
    if (!b) {
        tb_fail(err, 500, "backup_failed", "", "backup failed: %s", sqlite3_errmsg(dest));
        sqlite3_close(dest);
        unlink(tmp);
        return -1;
    }
    int rc;
    /* Copy in chunks so writers are held up only briefly between steps;
     * a step that sees a concurrent change restarts transparently. */
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        tb_fail(err, 500, "backup_failed", "", "backup failed: %s", sqlite3_errstr(rc));
        sqlite3_close(dest);
        unlink(tmp);
        return -1;
    }
    /* The copy is a self-contained file: no WAL beside it. */
    sqlite3_exec(dest, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    sqlite3_close(dest);
    if (rename(tmp, dest_path) != 0) {
        unlink(tmp);
        return tb_fail(err, 500, "backup_failed", "", "cannot write %s", dest_path);
    }
    return 0;
}

int store_schema_dump(struct store *st, char **out, struct tb_err *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT type || ' ' || name || ': ' || IFNULL(sql, '') FROM sqlite_master "
                           "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
                           -1, &s, NULL) != SQLITE_OK)
        return st_db_fail(st, err, "schema");
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    buf[0] = '\0';
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(s, 0);
        size_t n = strlen(line);
        while (len + n + 2 > cap)
            buf = realloc(buf, cap *= 2);
        memcpy(buf + len, line, n);
        len += n;
        buf[len++] = '\n';
        buf[len] = '\0';
    }
    sqlite3_finalize(s);
    *out = buf;
    return 0;
}

/* ---- lists and cursors --------------------------------------------------- */

void list_page_free(struct list_page *p)
{
    json_decref(p->items);
    free(p->next_cursor);
    p->items = NULL;
    p->next_cursor = NULL;
}

/* Cursors are opaque to clients: base64url of "sortkey\x1fid". The sort
 * key is a whole field value, so neither side has a fixed buffer. */

static char *cursor_make(const char *key, int64_t id)
{
    char *raw = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&raw, &n);
    if (!f)
        return NULL;
    fprintf(f, "%s\x1f%lld", key ? key : "", (long long)id);
    if (fclose(f) != 0) {
        free(raw);
        return NULL;
    }
    size_t outlen = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = outlen <= CURSOR_MAX + 1 ? malloc(outlen) : NULL;
    if (out)
        sodium_bin2base64(out, outlen, (unsigned char *)raw, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    free(raw);
    return out;
}

/* *key is malloc'd; the caller frees it. */
int st_cursor_parse(const char *cursor, char **key, int64_t *id, struct tb_err *err)
{
    size_t clen = strlen(cursor), n;
    unsigned char *raw = clen <= CURSOR_MAX ? malloc(clen + 1) : NULL;
    if (!raw || sodium_base642bin(raw, clen, cursor, clen, NULL, &n, NULL,
                                  sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
        free(raw);
        return TB_INVALID(err, "cursor", "cursor: not a cursor this server issued");
    }
    raw[n] = '\0';
    char *sep = memchr(raw, '\x1f', n);
    char *end = NULL;
    long long v = -1;
    if (sep) {
        *sep = '\0';
        v = strtoll(sep + 1, &end, 10);
    }
    if (!sep || *end || v < 0 || strlen((char *)raw) != (size_t)(sep - (char *)raw)) {
        free(raw);
        return TB_INVALID(err, "cursor", "cursor: not a cursor this server issued");
    }
    *key = (char *)raw;
    *id = v;
    return 0;
}

/* Binds the paging parameters; key_column names the sort key in each row
 * (NULL: sort by id only). Runs the statement, fills page. */
int st_list_run(struct store *st, sqlite3_stmt *s, const struct list_query *q,
                    const char *key_column, int descending, struct list_page *page,
                    struct tb_err *err)
{
    int limit = q->limit > 0 ? q->limit : 50;
    char *key = NULL;
    int64_t id = descending ? INT64_MAX : 0;
    if (q->cursor && st_cursor_parse(q->cursor, &key, &id, err) < 0)
        return -1;
    st_bind_i64(s, ":after_id", id);
    st_bind_i64(s, ":before_id", id);
    st_bind_text(s, ":after_key", key ? key : "");
    free(key);
    st_bind_i64(s, ":limit", limit + 1);
    page->items = json_array();
    page->next_cursor = NULL;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(page->items, st_row_json(s));
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        list_page_free(page);
        return st_db_fail(st, err, "list");
    }
    size_t n = json_array_size(page->items);
    if (n > (size_t)limit) {
        json_array_remove(page->items, n - 1);
        json_t *last = json_array_get(page->items, n - 2);
        const char *k = key_column ? json_string_value(json_object_get(last, key_column)) : "";
        page->next_cursor = cursor_make(k, json_integer_value(json_object_get(last, "id")));
    }
    return 0;
}

int st_sort_check(const char *sort, const char *const *allowed, struct tb_err *err)
{
    if (!sort)
        return 0;
    for (int i = 0; allowed[i]; i++)
        if (!strcmp(sort, allowed[i]))
            return i;
    char list[128] = "";
    for (int i = 0; allowed[i]; i++) {
        strcat(list, i ? ", " : "");
        strcat(list, allowed[i]);
    }
    return TB_INVALID(err, "sort", "sort: must be one of %s", list);
}

/* ---- audit --------------------------------------------------------------- */

int store_audit_add(struct store *st, const struct tb_actor *a, int64_t org_id,
                    const char *action, const char *entity, int64_t entity_id,
                    const json_t *changes, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_AUDIT_INSERT, err);
    if (!s)
        return -1;
    st_bind_actor(s, a);
    st_bind_i64(s, ":org_id", org_id);
    st_bind_text(s, ":action", action);
    st_bind_text(s, ":entity", entity);
    st_bind_i64(s, ":entity_id", entity_id);
    char *text = json_dumps(changes ? changes : json_object(), JSON_COMPACT | JSON_SORT_KEYS);
    st_bind_text(s, ":changes", text ? text : "{}");
    free(text);
    int rc = st_step_done(st, s, "audit", err);
    if (rc == 0 && sqlite3_changes(st->db) != 1)
        return tb_fail(err, 404, "not_found", "", "%s not found", entity);
    return rc;
}

/* {"field":{"old":x,"new":y}} for each field in `changes` whose value differs. */
json_t *st_diff(const json_t *old, const json_t *changes)
{
    json_t *d = json_object();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)changes, k, v) {
        json_t *was = old ? json_object_get(old, k) : NULL;
        if (was && json_equal(was, v))
            continue;
        json_t *pair = json_object();
        if (old)
            json_object_set(pair, "old", was ? was : json_null());
        json_object_set(pair, "new", v);
        json_object_set_new(d, k, pair);
    }
    return d;
}

int store_audit_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                     struct list_page *page, struct tb_err *err)
{
    static const char *const sorts[] = {"-id", "id", NULL};
    int sort = st_sort_check(q->sort, sorts, err);
    if (sort < 0)
        return -1;
    sqlite3_stmt *s = st_stmt(st, sort == 1 ? STMT_AUDIT_LIST_ASC : STMT_AUDIT_LIST_DESC, err);
    if (!s)
        return -1;
    st_bind_actor(s, a);
    st_bind_text(s, ":entity", q->f1);
    st_bind_text(s, ":action", q->f2);
    st_bind_text(s, ":user_id", q->f3);
    st_bind_text(s, ":entity_id", q->q);
    return st_list_run(st, s, q, NULL, sort != 1, page, err);
}

/* ---- organizations -------------------------------------------------------- */

int store_org_create(struct store *st, const struct tb_actor *a, const char *kind,
                     const char *name, const char *country, int64_t parent_id,
                     int64_t *id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    sqlite3_stmt *s = st_stmt(st, STMT_ORG_INSERT, err);
    if (!s)
        goto out;
    st_bind_actor(s, a);
    st_bind_text(s, ":kind", kind);
    st_bind_text(s, ":name", name);
    st_bind_text(s, ":country", country);
    st_bind_opt_i64(s, ":parent_id", parent_id);
    if (st_step_done(st, s, "organization", err) < 0) {
        if (err->status == 409)
            tb_fail(err, 409, "conflict", "name", "name: an organization called '%s' already exists", name);
        goto out;
    }
    if (sqlite3_changes(st->db) != 1) {
        tb_fail(err, 403, "forbidden", "", "only the foundation can create organizations");
        goto out;
    }
    *id = sqlite3_last_insert_rowid(st->db);
    json_t *fields = json_pack("{s:s, s:s, s:s?}", "kind", kind, "name", name, "country", country);
    json_t *d = st_diff(NULL, fields);
    rc = store_audit_add(st, a, *id, "create", "organization", *id, d, err);
    json_decref(d);
    json_decref(fields);
    if (rc == 0 && !strcmp(kind, "operator"))
        rc = store_default_catalogue(st, a, *id, err);
out:
    return st_tx_end(st, owned, rc, err);
}

int store_org_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                  struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_ORG_GET, err);
    if (!s)
        return -1;
    st_bind_actor(s, a);
    st_bind_i64(s, ":id", id);
    return st_get_one(st, s, "organization", out, err);
}

int store_org_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                   struct list_page *page, struct tb_err *err)
{
    static const char *const sorts[] = {"id", "name", NULL};
    int sort = st_sort_check(q->sort, sorts, err);
    if (sort < 0)
        return -1;
    sqlite3_stmt *s = st_stmt(st, sort == 1 ? STMT_ORG_LIST_NAME : STMT_ORG_LIST_ID, err);
    if (!s)
        return -1;
    st_bind_actor(s, a);
    st_bind_text(s, ":kind", q->f1);
    st_bind_q(s, q->q);
    return st_list_run(st, s, q, sort == 1 ? "name" : NULL, 0, page, err);
}

/* Shared shape of versioned updates: read the row, check the version, write,
 * audit the difference, return the new row. */
int st_version_mismatch(const json_t *row, int64_t version, struct tb_err *err)
{
    int64_t current = json_integer_value(json_object_get(row, "version"));
    if (version && version != current)
        return tb_fail(err, 412, "version_mismatch", "version",
                       "version: the record was changed by someone else (now version %lld); reload and retry",
                       (long long)current);
    return 0;
}

int store_org_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                     const json_t *changes, json_t **out, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *old = NULL;
    int rc = -1;
    if (store_org_get(st, a, id, &old, err) < 0 || st_version_mismatch(old, version, err) < 0)
        goto out;
    if (!actor_has(a, ROLES_STAFF)) {
        tb_fail(err, 403, "forbidden", "", "only coordinators and admins can change an organization");
        goto out;
    }
    sqlite3_stmt *s = st_stmt(st, STMT_ORG_UPDATE, err);
    if (!s)
        goto out;
    st_bind_actor(s, a);
    st_bind_i64(s, ":id", id);
    st_bind_i64(s, ":version", json_integer_value(json_object_get(old, "version")));
    json_t *name = json_object_get(changes, "name"), *country = json_object_get(changes, "country");
    st_bind_text(s, ":name", name ? json_string_value(name) : json_string_value(json_object_get(old, "name")));
    st_bind_text(s, ":country", country ? json_string_value(country)
                                  : json_string_value(json_object_get(old, "country")));
    if (st_step_done(st, s, "organization", err) < 0) {
        if (err->status == 409)
            tb_fail(err, 409, "conflict", "name", "name: another organization already has this name");
        goto out;
    }
    if (sqlite3_changes(st->db) != 1) {
        tb_fail(err, 412, "version_mismatch", "version", "version: the record was changed by someone else");
        goto out;
    }
    json_t *d = st_diff(old, changes);
    rc = store_audit_add(st, a, id, "update", "organization", id, d, err);
    json_decref(d);
    if (rc == 0)
        rc = store_org_get(st, a, id, out, err);
out:
    json_decref(old);
    return st_tx_end(st, owned, rc, err);
}

int store_org_delete(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *old = NULL;
    int rc = -1;
    if (store_org_get(st, a, id, &old, err) < 0)
        goto out;
    if (!a->all_tenants) {
        tb_fail(err, 403, "forbidden", "", "only the foundation can delete organizations");
        goto out;
    }
    sqlite3_stmt *s = st_stmt(st, STMT_ORG_REFS, err);
    if (!s)
        goto out;
    st_bind_actor(s, a);
    st_bind_i64(s, ":id", id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        int64_t members = sqlite3_column_int64(s, 0), children = sqlite3_column_int64(s, 1);
        int64_t records = sqlite3_column_int64(s, 3);
        sqlite3_reset(s);
        if (members || children || records) {
            tb_fail(err, 409, "still_referenced", "",
                    "organization is still referenced by %lld role(s), %lld organization(s) and %lld programme record(s)",
                    (long long)members, (long long)children, (long long)records);
            goto out;
        }
    } else {
        sqlite3_reset(s);
    }
    /* The entry goes to the foundation's log, where admins will look for it;
     * the deleted organization's own audit rows stay (audit_log has no FK). */
    int64_t foundation;
    if (store_org_foundation_id(st, &foundation, err) < 0)
        goto out;
    json_t *gone = json_pack("{s:{s:O}}", "name", "old", json_object_get(old, "name"));
    rc = store_audit_add(st, a, foundation, "delete", "organization", id, gone, err);
    json_decref(gone);
    if (rc < 0)
        goto out;
    rc = -1;
    /* The default catalogue it was given goes with it, if never awarded. */
    s = st_stmt(st, STMT_ORG_CATALOGUE_DELETE, err);
    if (!s)
        goto out;
    st_bind_actor(s, a);
    st_bind_i64(s, ":id", id);
    if (st_step_done(st, s, "organization", err) < 0)
        goto out;
    s = st_stmt(st, STMT_ORG_DELETE, err);
    if (!s)
        goto out;
    st_bind_actor(s, a);
    st_bind_i64(s, ":id", id);
    rc = st_step_done(st, s, "organization", err);
out:
    json_decref(old);
    return st_tx_end(st, owned, rc, err);
}

int store_org_foundation_id(struct store *st, int64_t *id, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_ORG_FOUNDATION, err);
    if (!s)
        return -1;
    int rc = sqlite3_step(s);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return TB_NOT_FOUND(err, "no foundation organization exists yet (run 'tradebridge org add --foundation')");
    return st_db_fail(st, err, "organization");
}

int store_org_by_name(struct store *st, const char *name, int64_t *id, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_ORG_BY_NAME, err);
    if (!s)
        return -1;
    st_bind_text(s, ":name", name);
    int rc = sqlite3_step(s);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return TB_NOT_FOUND(err, "no organization called '%s'", name);
    return st_db_fail(st, err, "organization");
}

/* ---- users and roles ------------------------------------------------------ */

int store_user_create(struct store *st, const struct tb_actor *a, const char *email,
                      const char *name, const char *password_hash, const char *status,
                      int64_t *id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    sqlite3_stmt *s = st_stmt(st, STMT_USER_INSERT, err);
    if (!s)
        goto out;
    st_bind_actor(s, a);
    st_bind_text(s, ":email", email);
    st_bind_text(s, ":name", name);
    st_bind_text(s, ":password_hash", password_hash);
    st_bind_text(s, ":status", status);
    if (st_step_done(st, s, "user", err) < 0) {
        if (err->status == 409)
            tb_fail(err, 409, "conflict", "email", "email: a user with this address already exists");
        goto out;
    }
    *id = sqlite3_last_insert_rowid(st->db);
    /* Audited under the actor's tenant; the password hash is never logged. */
    json_t *fields = json_pack("{s:s, s:s, s:s}", "email", email, "name", name, "status", status);
    json_t *d = st_diff(NULL, fields);
    rc = store_audit_add(st, a, a->tenant_id, "create", "user", *id, d, err);
    json_decref(d);
    json_decref(fields);
out:
    return st_tx_end(st, owned, rc, err);
}

static int user_auth_row(struct store *st, sqlite3_stmt *s, struct user_auth *out,
                         struct tb_err *err)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        out->id = sqlite3_column_int64(s, 0);
        snprintf(out->email, sizeof out->email, "%s", (const char *)sqlite3_column_text(s, 1));
        snprintf(out->name, sizeof out->name, "%s", (const char *)sqlite3_column_text(s, 2));
        const unsigned char *h = sqlite3_column_text(s, 3);
        snprintf(out->password_hash, sizeof out->password_hash, "%s", h ? (const char *)h : "");
        snprintf(out->status, sizeof out->status, "%s", (const char *)sqlite3_column_text(s, 4));
    }
    sqlite3_reset(s);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return TB_NOT_FOUND(err, "user not found");
    return st_db_fail(st, err, "user");
}

int store_user_auth_by_email(struct store *st, const char *email, struct user_auth *out,
                             struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_USER_AUTH_BY_EMAIL, err);
    if (!s)
        return -1;
    st_bind_text(s, ":email", email);
    return user_auth_row(st, s, out, err);
}

int store_user_auth_by_id(struct store *st, int64_t id, struct user_auth *out,
                          struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_USER_AUTH_BY_ID, err);
    if (!s)
        return -1;
    st_bind_i64(s, ":id", id);
    return user_auth_row(st, s, out, err);
}

static int user_roles_scoped(struct store *st, const struct tb_actor *a, int64_t user_id,
                             json_t **out, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_MEMBERSHIPS_OF_USER_SCOPED, err);
    if (!s)
        return -1;
    st_bind_actor(s, a);
    st_bind_i64(s, ":user_id", user_id);
    return st_rows(st, s, out, err);
}

int store_user_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                   struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_USER_GET, err);
    if (!s)
        return -1;
    st_bind_actor(s, a);
    st_bind_i64(s, ":id", id);
    if (st_get_one(st, s, "user", out, err) < 0)
        return -1;
    json_t *roles = NULL;
    if (user_roles_scoped(st, a, id, &roles, err) < 0) {
        json_decref(*out);
        return -1;
    }
    json_object_set_new(*out, "roles", roles);
    return 0;
}

int store_user_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                    struct list_page *page, struct tb_err *err)
{
    static const char *const sorts[] = {"id", "email", NULL};
    int sort = st_sort_check(q->sort, sorts, err);
    if (sort < 0)
        return -1;
    sqlite3_stmt *s = st_stmt(st, sort == 1 ? STMT_USER_LIST_EMAIL : STMT_USER_LIST_ID, err);
    if (!s)
        return -1;
    st_bind_actor(s, a);
    st_bind_q(s, q->q);
    st_bind_text(s, ":role", q->f1);
    st_bind_text(s, ":status", q->f2);
    return st_list_run(st, s, q, sort == 1 ? "email" : NULL, 0, page, err);
}

int store_user_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                      const json_t *changes, json_t **out, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    json_t *old = NULL;
    int rc = -1;
    if (store_user_get(st, a, id, &old, err) < 0 || st_version_mismatch(old, version, err) < 0)
        goto out;
    json_t *status = json_object_get(changes, "status");
    if (status && !actor_has(a, ROLES_STAFF)) {
        tb_fail(err, 403, "forbidden", "status", "status: only coordinators and admins can change it");
        goto out;
    }
    if (!actor_has(a, ROLES_STAFF) && id != a->user_id) {
        tb_fail(err, 403, "forbidden", "", "you can only change your own account");
        goto out;
    }
    /* An account is shared by every organization it has roles in: only the
     * foundation may change one that reaches beyond the actor's operator. */
    if (!a->all_tenants && id != a->user_id) {
        json_t *roles = NULL;
        if (store_user_roles(st, id, &roles, err) < 0)
            goto out;
        size_t i;
        json_t *role;
        int elsewhere = 0;
        json_array_foreach(roles, i, role)
            elsewhere |= json_integer_value(json_object_get(role, "org_id")) != a->tenant_id;
        json_decref(roles);
        if (elsewhere) {
            tb_fail(err, 403, "forbidden", "", "this person also holds roles in other organizations; "
                    "only the foundation can change their account");
            goto out;
        }
    }
    if (status && id == a->user_id && strcmp(json_string_value(status), "active")) {
        tb_fail(err, 422, "unprocessable", "status", "status: you cannot disable your own account");
        goto out;
    }
    sqlite3_stmt *s = st_stmt(st, STMT_USER_UPDATE, err);
    if (!s)
        goto out;
    st_bind_actor(s, a);
    st_bind_i64(s, ":id", id);
    st_bind_i64(s, ":version", json_integer_value(json_object_get(old, "version")));
    json_t *name = json_object_get(changes, "name");
    st_bind_text(s, ":name", json_string_value(name ? name : json_object_get(old, "name")));
    st_bind_text(s, ":status", json_string_value(status ? status : json_object_get(old, "status")));
    if (st_step_done(st, s, "user", err) < 0)
        goto out;
    if (sqlite3_changes(st->db) != 1) {
        tb_fail(err, 412, "version_mismatch", "version", "version: the record was changed by someone else");
        goto out;
    }
    if (status && strcmp(json_string_value(status), "active")) {
        /* A disabled account loses its sessions at once. */
        sqlite3_stmt *d = st_stmt(st, STMT_SESSION_DELETE_USER, err);
        if (!d)
            goto out;
        st_bind_i64(d, ":user_id", id);
        if (st_step_done(st, d, "session", err) < 0)
            goto out;
    }
    json_t *d = st_diff(old, changes);
    rc = store_audit_add(st, a, a->tenant_id, "update", "user", id, d, err);
    json_decref(d);
    if (rc == 0)
        rc = store_user_get(st, a, id, out, err);
out:
    json_decref(old);
    return st_tx_end(st, owned, rc, err);
}

int store_user_set_password(struct store *st, const struct tb_actor *a, int64_t id,
                            const char *password_hash, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    sqlite3_stmt *s = st_stmt(st, STMT_USER_SET_PASSWORD, err);
    if (!s)
        goto out;
    st_bind_actor(s, a);
    st_bind_i64(s, ":id", id);
    st_bind_text(s, ":password_hash", password_hash);
    if (st_step_done(st, s, "user", err) < 0)
        goto out;
    if (sqlite3_changes(st->db) != 1) {
        TB_NOT_FOUND(err, "user not found");
        goto out;
    }
    s = st_stmt(st, STMT_SESSION_DELETE_USER, err);
    if (!s)
        goto out;
    st_bind_i64(s, ":user_id", id);
    if (st_step_done(st, s, "session", err) < 0)
        goto out;
    /* ... and its API tokens: a leaked token must not outlive the new password. */
    s = st_stmt(st, STMT_TOKENS_REVOKE_USER, err);
    if (!s)
        goto out;
    st_bind_i64(s, ":user_id", id);
    char now[32];
    st_now_text(now);
    st_bind_text(s, ":now", now);
    if (st_step_done(st, s, "token", err) < 0)
        goto out;
    /* Record that it changed, never the value. */
    json_t *d = json_pack("{s:{s:s}}", "password", "new", "(changed)");
    struct tb_actor self = *a;
    if (!self.tenant_id) {
        /* Token-based flows act before a tenant is known: log under the user's own org. */
        struct tb_actor owner;
        if (store_actor_load(st, id, &owner, err) == 0)
            self.tenant_id = owner.tenant_id;
        self.all_tenants = 1;
    }
    rc = self.tenant_id ? store_audit_add(st, &self, self.tenant_id, "update", "user", id, d, err) : 0;
    json_decref(d);
out:
    return st_tx_end(st, owned, rc, err);
}

int store_membership_add(struct store *st, const struct tb_actor *a, int64_t user_id,
                         int64_t org_id, enum tb_role role, const char *subject_type,
                         int64_t subject_id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    sqlite3_stmt *s = st_stmt(st, STMT_MEMBERSHIP_INSERT, err);
    if (!s)
        goto out;
    st_bind_actor(s, a);
    st_bind_i64(s, ":user_id", user_id);
    st_bind_i64(s, ":org_id", org_id);
    st_bind_text(s, ":role", role_name(role));
    st_bind_text(s, ":subject_type", subject_type);
    st_bind_opt_i64(s, ":subject_id", subject_id);
    if (st_step_done(st, s, "role", err) < 0) {
        if (err->status == 409)
            tb_fail(err, 409, "conflict", "role", "role: the user already holds this role there");
        goto out;
    }
    if (sqlite3_changes(st->db) != 1) {
        TB_NOT_FOUND(err, "organization not found");
        goto out;
    }
    json_t *d = json_pack("{s:{s:s}, s:{s:I}}", "role", "new", role_name(role), "org_id", "new",
                          (json_int_t)org_id);
    rc = store_audit_add(st, a, org_id, "create", "membership", sqlite3_last_insert_rowid(st->db), d, err);
    json_decref(d);
out:
    return st_tx_end(st, owned, rc, err);
}

/* One membership row into the actor: the first row's org (rows come admin
 * first, then coordinator) is where the user works; roles elsewhere are not
 * merged into this tenant. */
static void actor_add_membership(struct tb_actor *a, int64_t org, const char *kind, const char *role_text,
                                 sqlite3_stmt *s, int subject_col)
{
    enum tb_role role;
    if (!kind || !role_text || role_parse(role_text, &role) < 0)
        return;
    if (!a->tenant_id) {
        a->tenant_id = org;
        if (role == ROLE_ADMIN && !strcmp(kind, "foundation"))
            a->all_tenants = 1;
    }
    if (org != a->tenant_id)
        return;
    a->roles |= ROLE_BIT(role);
    if (!a->subject_id && sqlite3_column_type(s, subject_col) == SQLITE_INTEGER)
        a->subject_id = sqlite3_column_int64(s, subject_col);
}

int store_actor_load(struct store *st, int64_t user_id, struct tb_actor *out, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_MEMBERSHIPS_OF_USER, err);
    if (!s)
        return -1;
    st_bind_i64(s, ":user_id", user_id);
    memset(out, 0, sizeof *out);
    out->user_id = user_id;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        actor_add_membership(out, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 2),
                             (const char *)sqlite3_column_text(s, 3), s, 5);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return st_db_fail(st, err, "roles");
    return 0;
}

int store_user_roles(struct store *st, int64_t user_id, json_t **out, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_MEMBERSHIPS_OF_USER, err);
    if (!s)
        return -1;
    st_bind_i64(s, ":user_id", user_id);
    return st_rows(st, s, out, err);
}

/* ---- sessions ------------------------------------------------------------ */

int store_session_create(struct store *st, const char *token_hash, int64_t user_id,
                         const char *csrf, int64_t now, const char *client_addr,
                         struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_SESSION_INSERT, err);
    if (!s)
        return -1;
    st_bind_text(s, ":token_hash", token_hash);
    st_bind_i64(s, ":user_id", user_id);
    st_bind_text(s, ":csrf", csrf);
    st_bind_i64(s, ":now", now);
    st_bind_text(s, ":client_addr", client_addr);
    return st_step_done(st, s, "session", err);
}

int store_session_get(struct store *st, const char *token_hash, struct session_row *out,
                      struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_SESSION_GET, err);
    if (!s)
        return -1;
    st_bind_text(s, ":token_hash", token_hash);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->user_id = sqlite3_column_int64(s, 0);
        snprintf(out->csrf_token, sizeof out->csrf_token, "%s", (const char *)sqlite3_column_text(s, 1));
        out->created_at = sqlite3_column_int64(s, 2);
        out->last_seen_at = sqlite3_column_int64(s, 3);
    }
    sqlite3_reset(s);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return TB_NOT_FOUND(err, "session not found");
    return st_db_fail(st, err, "session");
}

int store_session_touch(struct store *st, const char *token_hash, int64_t now, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_SESSION_TOUCH, err);
    if (!s)
        return -1;
    st_bind_text(s, ":token_hash", token_hash);
    st_bind_i64(s, ":now", now);
    return st_step_done(st, s, "session", err);
}

int store_session_delete(struct store *st, const char *token_hash, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_SESSION_DELETE, err);
    if (!s)
        return -1;
    st_bind_text(s, ":token_hash", token_hash);
    return st_step_done(st, s, "session", err);
}

int store_session_purge(struct store *st, int64_t idle_before, int64_t created_before,
                        struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_SESSION_PURGE, err);
    if (!s)
        return -1;
    st_bind_i64(s, ":idle_before", idle_before);
    st_bind_i64(s, ":created_before", created_before);
    return st_step_done(st, s, "session", err);
}

/* ---- API tokens ------------------------------------------------------------ */

int store_token_create(struct store *st, const struct tb_actor *a, const char *name,
                       const char *token_hash, const char *prefix, const char *scope,
                       const char *expires_at, int64_t *id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    sqlite3_stmt *s = st_stmt(st, STMT_TOKEN_INSERT, err);
    if (!s)
        goto out;
    st_bind_actor(s, a);
    st_bind_text(s, ":name", name);
    st_bind_text(s, ":token_hash", token_hash);
    st_bind_text(s, ":prefix", prefix);
    st_bind_text(s, ":scope", scope);
    st_bind_text(s, ":expires_at", expires_at);
    if (st_step_done(st, s, "token", err) < 0)
        goto out;
    *id = sqlite3_last_insert_rowid(st->db);
    json_t *d = json_pack("{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}", "name", "new", name, "prefix", "new", prefix,
                          "scope", "new", scope, "expires_at", "new", expires_at);
    rc = store_audit_add(st, a, a->tenant_id, "create", "api_token", *id, d, err);
    json_decref(d);
out:
    return st_tx_end(st, owned, rc, err);
}

int store_token_list(struct store *st, const struct tb_actor *a, const struct list_query *q,
                     struct list_page *page, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_TOKEN_LIST, err);
    if (!s)
        return -1;
    st_bind_actor(s, a);
    return st_list_run(st, s, q, NULL, 0, page, err);
}

int store_token_revoke(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    sqlite3_stmt *s = st_stmt(st, STMT_TOKEN_REVOKE, err);
    if (!s)
        goto out;
    st_bind_actor(s, a);
    st_bind_i64(s, ":id", id);
    if (st_step_done(st, s, "token", err) < 0)
        goto out;
    if (sqlite3_changes(st->db) != 1) {
        TB_NOT_FOUND(err, "token not found (or already revoked)");
        goto out;
    }
    json_t *d = json_pack("{s:{s:b}}", "revoked", "new", 1);
    rc = store_audit_add(st, a, a->tenant_id, "update", "api_token", id, d, err);
    json_decref(d);
out:
    return st_tx_end(st, owned, rc, err);
}

int store_token_auth(struct store *st, const char *token_hash, struct token_auth *out,
                     struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_TOKEN_LOOKUP, err);
    if (!s)
        return -1;
    char now[32], stale[32];
    time_t t = time(NULL);
    struct tm tm;
    st_now_text(now);
    t -= TOKEN_TOUCH_SECONDS;
    gmtime_r(&t, &tm);
    strftime(stale, sizeof stale, "%Y-%m-%dT%H:%M:%SZ", &tm);
    st_bind_text(s, ":token_hash", token_hash);
    st_bind_text(s, ":now", now);
    memset(out, 0, sizeof *out);
    int rc, rows = 0, touch = 0;
    int64_t id = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (!rows++) {
            id = sqlite3_column_int64(s, 0);
            out->user_id = out->actor.user_id = sqlite3_column_int64(s, 1);
            out->read_only = strcmp((const char *)sqlite3_column_text(s, 2), "read_write") != 0;
            const char *used = (const char *)sqlite3_column_text(s, 3);
            touch = !used || strcmp(used, stale) < 0;
            out->active = !strcmp((const char *)sqlite3_column_text(s, 4), "active");
        }
        if (sqlite3_column_type(s, 5) == SQLITE_INTEGER)
            actor_add_membership(&out->actor, sqlite3_column_int64(s, 5), (const char *)sqlite3_column_text(s, 6),
                                 (const char *)sqlite3_column_text(s, 7), s, 8);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return st_db_fail(st, err, "token");
    if (!rows)
        return TB_NOT_FOUND(err, "token not found");
    /* Last use to the minute: a write on every request would serialise readers. */
    if (!touch)
        return 0;
    s = st_stmt(st, STMT_TOKEN_TOUCH, err);
    if (!s)
        return -1;
    st_bind_text(s, ":now", now);
    st_bind_i64(s, ":id", id);
    return st_step_done(st, s, "token", err);
}

int store_token_lookup(struct store *st, const char *token_hash, int64_t *user_id,
                       int *read_only, struct tb_err *err)
{
    struct token_auth ta;
    if (store_token_auth(st, token_hash, &ta, err) < 0)
        return -1;
    *user_id = ta.user_id;
    *read_only = ta.read_only;
    return 0;
}

/* ---- single-use links ------------------------------------------------------ */

/* A user has at most one live link: the newest, or none once one is used. */
static int revoke_other_links(struct store *st, int64_t user_id, const char *keep, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_USER_TOKENS_REVOKE_OTHERS, err);
    if (!s)
        return -1;
    st_bind_i64(s, ":user_id", user_id);
    st_bind_text(s, ":keep", keep);
    return st_step_done(st, s, "link", err);
}

int store_user_token_create(struct store *st, int64_t user_id, const char *purpose,
                            const char *token_hash, int64_t expires_at, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = revoke_other_links(st, user_id, token_hash, err);
    sqlite3_stmt *s = rc < 0 ? NULL : st_stmt(st, STMT_USER_TOKEN_INSERT, err);
    if (s) {
        st_bind_i64(s, ":user_id", user_id);
        st_bind_text(s, ":purpose", purpose);
        st_bind_text(s, ":token_hash", token_hash);
        st_bind_i64(s, ":expires_at", expires_at);
        rc = st_step_done(st, s, "link", err);
    } else {
        rc = -1;
    }
    return st_tx_end(st, owned, rc, err);
}

static int link_gone(struct tb_err *err)
{
    return tb_fail(err, 404, "not_found", "token",
                   "token: this link is unknown, already used or expired; ask for a new one");
}

int store_user_token_peek(struct store *st, const char *purpose, const char *token_hash,
                          int64_t now, int64_t *user_id, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_USER_TOKEN_PEEK, err);
    if (!s)
        return -1;
    st_bind_text(s, ":purpose", purpose);
    st_bind_text(s, ":token_hash", token_hash);
    st_bind_i64(s, ":now", now);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *user_id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return link_gone(err);
    return rc == SQLITE_ROW ? 0 : st_db_fail(st, err, "link");
}

int store_user_token_consume(struct store *st, const char *purpose, const char *token_hash,
                             int64_t now, int64_t *user_id, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_USER_TOKEN_CONSUME, err);
    if (!s)
        return -1;
    st_bind_text(s, ":purpose", purpose);
    st_bind_text(s, ":token_hash", token_hash);
    st_bind_i64(s, ":now", now);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *user_id = sqlite3_column_int64(s, 0);
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return st_db_fail(st, err, "link");
    if (sqlite3_changes(st->db) != 1)
        return link_gone(err);
    return revoke_other_links(st, *user_id, token_hash, err);
}

/* ---- outbox ----------------------------------------------------------------- */

int store_outbox_add(struct store *st, const struct tb_actor *a, int64_t org_id,
                     const char *to, const char *subject, const char *body, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, STMT_OUTBOX_INSERT, err);
    if (!s)
        return -1;
    st_bind_actor(s, a);
    char now[32];
    st_now_text(now);
    st_bind_text(s, ":now_text", now);
    st_bind_i64(s, ":org_id", org_id);
    st_bind_text(s, ":to_addr", to);
    st_bind_text(s, ":subject", subject);
    st_bind_text(s, ":body", body);
    if (st_step_done(st, s, "mail", err) < 0)
        return -1;
    if (sqlite3_changes(st->db) != 1)
        return TB_NOT_FOUND(err, "organization not found");
    return 0;
}

int store_outbox_claim(struct store *st, const char *owner, int64_t now, int64_t lease,
                       struct outbox_row *out, struct tb_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = st_stmt(st, STMT_OUTBOX_CLAIM, err);
    if (!s)
        return -1;
    st_bind_text(s, ":owner", owner);
    st_bind_i64(s, ":now", now);
    st_bind_i64(s, ":lease", lease);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(s, 0);
        out->to = strdup((const char *)sqlite3_column_text(s, 1));
        out->subject = strdup((const char *)sqlite3_column_text(s, 2));
        out->body = strdup((const char *)sqlite3_column_text(s, 3));
        out->attempts = sqlite3_column_int(s, 4);
    }
    sqlite3_reset(s);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : st_db_fail(st, err, "mail");
}

void store_outbox_row_free(struct outbox_row *r)
{
    free(r->to);
    free(r->subject);
    free(r->body);
    memset(r, 0, sizeof *r);
}

int store_outbox_mark(struct store *st, int64_t id, const char *owner, int ok, const char *error,
                      int64_t retry_at, struct tb_err *err)
{
    sqlite3_stmt *s = st_stmt(st, ok ? STMT_OUTBOX_SENT : STMT_OUTBOX_FAILED, err);
    if (!s)
        return -1;
    char now[32];
    st_now_text(now);
    st_bind_text(s, ":now_text", now);
    st_bind_i64(s, ":id", id);
    st_bind_text(s, ":owner", owner);
    st_bind_text(s, ":error", error);
    st_bind_i64(s, ":retry_at", retry_at);
    return st_step_done(st, s, "mail", err);
}
