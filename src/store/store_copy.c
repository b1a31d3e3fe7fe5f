/*
 * store_copy.c - moving an installation from SQLite to PostgreSQL (issue 18,
 * `tradebridge db copy`): every table, in the order its foreign keys need,
 * with ids, times, files and sealed keys copied as stored, in one transaction
 * on the target, verified before it commits.
 *
 * The statements here are not in the closed set: they are made from the two
 * schema catalogs (sqlite_master and pragma_table_info on the source,
 * information_schema and pg_constraint on the target), with every identifier
 * checked to be a plain lower-case name and quoted. They run with the
 * system's elevation (actor_system(), the CLI's): on PostgreSQL the
 * row-level security setting is "all", as for the migrations and the demo.
 *
 * Rows go to PostgreSQL in batches as one JSON parameter each
 * (jsonb_populate_recordset), so one round trip carries hundreds of rows and
 * PostgreSQL converts each value to its column's type. Binary values travel
 * as bytea hex text, exactly.
 *
 * The verification: per table the row count and a checksum over a canonical
 * form of every row, computed here in C from the values each side returns
 * (integers and booleans as decimal integers, floats with 17 digits, bytea as
 * its bytes, JSON re-encoded with sorted keys, text as its bytes; NULL as its
 * own tag), each row hashed (BLAKE2b) and the row hashes added, so the order
 * of rows does not matter. The target's side is read inside the copy's
 * transaction: a mismatch rolls everything back.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/auth.h"
#include "store/store_int.h"

#define COPY_MAX_TABLES 256
#define COPY_MAX_COLS 128
#define BATCH_ROWS 500
#define BATCH_BYTES ((size_t)4 << 20)

/* What a column's PostgreSQL type makes of its values, for the batches and the checksum. */
enum kind { K_TEXT, K_INT, K_FLOAT, K_BYTES, K_JSON };

struct ctable {
    char name[64];
    int ncols;
    char col[COPY_MAX_COLS][64];
    unsigned char kind[COPY_MAX_COLS];
    int ndeps;
    char deps[32][64];   /* tables its foreign keys point at */
    int placed;
    int rowid;           /* the source table has rowids (copied in their order: a parent before its children) */
};

/* A statement made here, run with the system's elevation. */
struct raw {
    struct st_q q;
    int ok;
};

static int raw_prepare(struct store *st, struct raw *r, const char *sql, struct tb_err *err)
{
    memset(r, 0, sizeof *r);
    r->q.st = st;
    struct tb_actor sys = actor_system();
    st_tenant_of(&sys, r->q.tenant);
    if (st->be->prepare(st, &r->q, sql) < 0) {
        TB_INTERNAL(err, "%s: cannot prepare a statement: %s", st->be->name, st->be->errmsg(st));
        return -1;
    }
    r->ok = 1;
    return 0;
}

static void raw_done(struct raw *r)
{
    if (r->ok)
        r->q.st->be->finalize(&r->q);
    r->ok = 0;
}

/* ST_ROW, ST_DONE, or -1 with err. */
static int raw_step(struct raw *r, const char *what, struct tb_err *err)
{
    struct store *st = r->q.st;
    int rc = st->be->step(&r->q);
    if (rc == ST_ROW || rc == ST_DONE)
        return rc;
    TB_INTERNAL(err, "%s (%s): %s", what, st->be->name, st->be->errmsg(st));
    return -1;
}

/* A plain lower-case SQL name: the only identifiers the generated statements use. */
static int plain_name(const char *s)
{
    if (!s || !*s || strlen(s) >= 64 || !((*s >= 'a' && *s <= 'z') || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static struct ctable *find_table(struct ctable *t, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(t[i].name, name))
            return &t[i];
    return NULL;
}

static enum kind kind_of(const char *pg_type)
{
    if (!strcmp(pg_type, "bigint") || !strcmp(pg_type, "integer") || !strcmp(pg_type, "smallint") ||
        !strcmp(pg_type, "boolean"))
        return K_INT;
    if (!strcmp(pg_type, "double precision") || !strcmp(pg_type, "real") || !strcmp(pg_type, "numeric"))
        return K_FLOAT;
    if (!strcmp(pg_type, "bytea"))
        return K_BYTES;
    if (!strcmp(pg_type, "json") || !strcmp(pg_type, "jsonb"))
        return K_JSON;
    return K_TEXT;
}

/* ---- the schema, from the target's catalog, checked against the source's ---- */

static int target_tables(struct store *to, struct ctable *t, int *n, struct tb_err *err)
{
    struct raw r;
    if (raw_prepare(to, &r, "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c "
                            "JOIN information_schema.tables x ON x.table_name = c.table_name "
                            "AND x.table_schema = c.table_schema "
                            "WHERE c.table_schema = current_schema() AND x.table_type = 'BASE TABLE' "
                            "AND c.is_generated = 'NEVER' AND c.table_name <> 'schema_migrations' "
                            "ORDER BY c.table_name, c.ordinal_position", err) < 0)
        return -1;
    int rc;
    *n = 0;
    while ((rc = raw_step(&r, "the target's tables", err)) == ST_ROW) {
        const char *tn = to->be->col_text(&r.q, 0), *cn = to->be->col_text(&r.q, 1),
                   *ty = to->be->col_text(&r.q, 2);
        if (!plain_name(tn) || !plain_name(cn)) {
            rc = TB_INTERNAL(err, "the target has a table or column named %s.%s, "
                         "which this copy does not handle", tn ? tn : "?", cn ? cn : "?");
            break;
        }
        struct ctable *x = find_table(t, *n, tn);
        if (!x) {
            if (*n >= COPY_MAX_TABLES) {
                rc = TB_INTERNAL(err, "more than %d tables", COPY_MAX_TABLES);
                break;
            }
            x = &t[(*n)++];
            memset(x, 0, sizeof *x);
            snprintf(x->name, sizeof x->name, "%s", tn);
        }
        if (x->ncols >= COPY_MAX_COLS) {
            rc = TB_INTERNAL(err, "table %s has more than %d columns", tn, COPY_MAX_COLS);
            break;
        }
        snprintf(x->col[x->ncols], 64, "%s", cn);
        x->kind[x->ncols++] = (unsigned char)kind_of(ty ? ty : "");
    }
    raw_done(&r);
    if (rc < 0)
        return -1;
    if (raw_prepare(to, &r, "SELECT a.relname, b.relname FROM pg_constraint k "
                            "JOIN pg_class a ON a.oid = k.conrelid JOIN pg_class b ON b.oid = k.confrelid "
                            "JOIN pg_namespace s ON s.oid = a.relnamespace "
                            "WHERE k.contype = 'f' AND s.nspname = current_schema()", err) < 0)
        return -1;
    while ((rc = raw_step(&r, "the target's foreign keys", err)) == ST_ROW) {
        struct ctable *x = find_table(t, *n, to->be->col_text(&r.q, 0));
        const char *dep = to->be->col_text(&r.q, 1);
        if (x && dep && strcmp(dep, x->name) && x->ndeps < 32)
            snprintf(x->deps[x->ndeps++], 64, "%s", dep);
    }
    raw_done(&r);
    return rc < 0 ? -1 : 0;
}

/* Every table and column of the target must be in the source and the other
 * way round (but for SQLite's full-text index, which PostgreSQL keeps as a
 * generated column): nothing is left behind silently. */
static int check_source(struct store *from, struct ctable *t, int n, struct tb_err *err)
{
    struct raw r;
    if (raw_prepare(from, &r, "SELECT m.name, p.name, m.sql LIKE 'CREATE VIRTUAL%', "
                              "EXISTS (SELECT 1 FROM sqlite_master v WHERE v.sql LIKE 'CREATE VIRTUAL%' "
                              "AND substr(m.name, 1, length(v.name) + 1) = v.name || '_'), "
                              "m.sql NOT LIKE '%WITHOUT ROWID%' "
                              "FROM sqlite_master m JOIN pragma_table_info(m.name) p "
                              "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite!_%' ESCAPE '!' "
                              "AND m.name <> 'schema_migrations' ORDER BY m.name, p.cid", err) < 0)
        return -1;
    int rc;
    unsigned seen[COPY_MAX_TABLES][COPY_MAX_COLS / 32 + 1];
    memset(seen, 0, sizeof seen);
    while ((rc = raw_step(&r, "the source's tables", err)) == ST_ROW) {
        const char *tn = from->be->col_text(&r.q, 0), *cn = from->be->col_text(&r.q, 1);
        if (from->be->col_i64(&r.q, 2) || from->be->col_i64(&r.q, 3))
            continue;   /* a full-text index or one of its own tables */
        struct ctable *x = tn ? find_table(t, n, tn) : NULL;
        int c = -1;
        for (int i = 0; x && cn && i < x->ncols; i++)
            if (!strcmp(x->col[i], cn))
                c = i;
        if (c < 0 && x)
            rc = TB_CONFLICT(err, "the source's column %s.%s has no counterpart in the "
                         "target's schema: not the same version of TradeBridge", tn, cn ? cn : "?");
        else if (c < 0)
            rc = TB_CONFLICT(err, "the source's table %s has no counterpart in the "
                         "target's schema: not the same version of TradeBridge", tn ? tn : "?");
        if (c < 0)
            break;
        x->rowid = (int)from->be->col_i64(&r.q, 4);
        seen[x - t][c / 32] |= 1u << (c % 32);
    }
    raw_done(&r);
    if (rc < 0)
        return -1;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < t[i].ncols; c++)
            if (!(seen[i][c / 32] & (1u << (c % 32))))
                return TB_CONFLICT(err, "the target's column %s.%s is not in the source: "
                               "not the same version of TradeBridge", t[i].name, t[i].col[c]);
    return 0;
}

/* Tables in an order where each comes after the tables its foreign keys point
 * at (a cycle, which the schema has not, would leave the rest by name). */
static void dependency_order(struct ctable *t, int n, int *order)
{
    int k = 0;
    for (int progress = 1; progress && k < n;) {
        progress = 0;
        for (int i = 0; i < n; i++) {
            if (t[i].placed)
                continue;
            int ready = 1;
            for (int d = 0; d < t[i].ndeps && ready; d++) {
                struct ctable *x = find_table(t, n, t[i].deps[d]);
                ready = !x || x->placed;
            }
            if (ready) {
                t[i].placed = 1;
                order[k++] = i;
                progress = 1;
            }
        }
    }
    for (int i = 0; i < n; i++)
        if (!t[i].placed) {
            t[i].placed = 1;
            order[k++] = i;
        }
}

/* "a", "b", ... quoted */
static void column_list(struct abuf *b, const struct ctable *t)
{
    for (int c = 0; c < t->ncols; c++)
        abuf_printf(b, "%s\"%s\"", c ? ", " : "", t->col[c]);
}

/* ---- checksums ----------------------------------------------------------- */

struct sum {
    int64_t rows;
    uint64_t lane[2];
};

static void hash_part(crypto_generichash_state *h, char tag, const void *p, size_t n)
{
    unsigned char head[9] = {(unsigned char)tag};
    for (int i = 0; i < 8; i++)
        head[1 + i] = (unsigned char)((uint64_t)n >> (8 * i));
    crypto_generichash_update(h, head, sizeof head);
    if (n)
        crypto_generichash_update(h, p, n);
}

/* The current row of q (columns as in t) into s. */
static void sum_row(struct store *st, struct st_q *q, const struct ctable *t, struct sum *s)
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 16);
    for (int c = 0; c < t->ncols; c++) {
        char buf[64];
        if (st->be->col_type(q, c) == ST_NULL) {
            hash_part(&h, 'N', NULL, 0);
            continue;
        }
        switch (t->kind[c]) {
        case K_INT:
            snprintf(buf, sizeof buf, "%lld", (long long)st->be->col_i64(q, c));
            hash_part(&h, 'I', buf, strlen(buf));
            break;
        case K_FLOAT:
            snprintf(buf, sizeof buf, "%.17g", st->be->col_double(q, c));
            hash_part(&h, 'F', buf, strlen(buf));
            break;
        case K_BYTES: {
            const void *p = st->be->col_blob(q, c);
            hash_part(&h, 'X', p, st->be->col_bytes(q, c));
            break;
        }
        case K_JSON: {
            const char *v = st->be->col_text(q, c);
            json_t *j = v ? json_loads(v, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, NULL) : NULL;
            char *canon = j ? json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
            if (canon)
                hash_part(&h, 'J', canon, strlen(canon));
            else
                hash_part(&h, 'S', v, v ? strlen(v) : 0);
            free(canon);
            json_decref(j);
            break;
        }
        default: {
            const char *v = st->be->col_text(q, c);
            hash_part(&h, 'S', v, v ? st->be->col_bytes(q, c) : 0);
            break;
        }
        }
    }
    unsigned char d[16];
    crypto_generichash_final(&h, d, sizeof d);
    for (int l = 0; l < 2; l++) {
        uint64_t v = 0;
        for (int i = 0; i < 8; i++)
            v |= (uint64_t)d[8 * l + i] << (8 * i);
        s->lane[l] += v;
    }
    s->rows++;
}

static void sum_hex(const struct sum *s, char out[33])
{
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)s->lane[0], (unsigned long long)s->lane[1]);
}

/* ---- copying ------------------------------------------------------------- */

/* The source's value of column c as the JSON value jsonb_populate_recordset
 * turns into the target column's type; NULL (err set) when it cannot. */
static json_t *value_json(struct store *st, struct st_q *q, const struct ctable *t, int c, struct tb_err *err)
{
    int type = st->be->col_type(q, c);
    if (type == ST_NULL)
        return json_null();
    if (t->kind[c] == K_BYTES) {
        const unsigned char *p = st->be->col_blob(q, c);
        size_t n = st->be->col_bytes(q, c);
        char *hex = malloc(2 * n + 3);
        if (!hex)
            return NULL;
        memcpy(hex, "\\x", 2);
        sodium_bin2hex(hex + 2, 2 * n + 1, p ? p : (const unsigned char *)"", n);
        json_t *v = json_string(hex);
        free(hex);
        return v;
    }
    if (t->kind[c] == K_JSON) {
        json_t *v = json_loads(st->be->col_text(q, c), JSON_DECODE_ANY, NULL);
        if (!v)
            TB_INTERNAL(err, "%s.%s holds a value that is not JSON", t->name, t->col[c]);
        return v;
    }
    if (type == ST_INTEGER)
        return json_integer(st->be->col_i64(q, c));
    if (type == ST_FLOAT) {
        json_t *v = json_real(st->be->col_double(q, c));
        if (!v)
            TB_INTERNAL(err, "%s.%s holds a number PostgreSQL cannot store (NaN or infinite)",
                    t->name, t->col[c]);
        return v;
    }
    const char *s = st->be->col_text(q, c);
    json_t *v = json_stringn(s ? s : "", st->be->col_bytes(q, c));
    if (!v)
        TB_INTERNAL(err, "%s.%s holds text that is not UTF-8 (or has a NUL byte)", t->name,
                t->col[c]);
    return v;
}

static int flush_batch(struct raw *ins, json_t *batch, size_t *bytes, struct tb_err *err)
{
    if (!json_array_size(batch))
        return 0;
    struct store *to = ins->q.st;
    char *text = json_dumps(batch, JSON_COMPACT | JSON_REAL_PRECISION(17));
    if (!text)
        return TB_INTERNAL(err, "out of memory");
    to->be->clear(&ins->q);
    to->be->bind_text(&ins->q, 1, text);
    free(text);
    int rc = raw_step(ins, "copying rows", err);
    json_array_clear(batch);
    *bytes = 0;
    return rc < 0 ? -1 : 0;
}

/* Copies table t; *src gets the source's checksum. */
static int copy_table(struct store *from, struct store *to, const struct ctable *t, struct sum *src,
                      struct tb_err *err)
{
    struct abuf sql;
    abuf_init_heap(&sql, 1 << 20);
    abuf_puts(&sql, "SELECT ");
    column_list(&sql, t);
    abuf_printf(&sql, " FROM \"%s\"%s", t->name, t->rowid ? " ORDER BY rowid" : "");
    char *select = abuf_take(&sql);
    abuf_init_heap(&sql, 1 << 20);
    abuf_printf(&sql, "INSERT INTO \"%s\" (", t->name);
    column_list(&sql, t);
    abuf_puts(&sql, ") OVERRIDING SYSTEM VALUE SELECT ");
    column_list(&sql, t);
    abuf_printf(&sql, " FROM jsonb_populate_recordset(NULL::\"%s\", CAST(:rows AS jsonb))", t->name);
    char *insert = abuf_take(&sql);
    if (!select || !insert) {
        free(select);
        free(insert);
        return TB_INTERNAL(err, "out of memory");
    }
    struct raw sel, ins;
    int rc = raw_prepare(from, &sel, select, err);
    if (rc == 0 && raw_prepare(to, &ins, insert, err) < 0) {
        raw_done(&sel);
        rc = -1;
    }
    free(select);
    free(insert);
    if (rc < 0)
        return -1;
    json_t *batch = json_array();
    size_t bytes = 0;
    int drop = 0;
#ifdef TB_FAULT_INJECTION
    /* Test builds: TB_FAULT_DBCOPY_DROP=TABLE leaves TABLE's first row out of
     * the copy (not out of the source's checksum): the verification must see it. */
    const char *fault = getenv("TB_FAULT_DBCOPY_DROP");
    drop = fault && !strcmp(fault, t->name);
#endif
    while (rc == 0 && (rc = raw_step(&sel, "reading the source", err)) == ST_ROW) {
        rc = 0;
        sum_row(from, &sel.q, t, src);
        if (drop) {
            drop = 0;
            continue;
        }
        json_t *row = json_object();
        for (int c = 0; c < t->ncols && rc == 0; c++) {
            json_t *v = value_json(from, &sel.q, t, c, err);
            if (!v)
                rc = err->message[0] ? -1 : TB_INTERNAL(err, "out of memory");
            else
                json_object_set_new(row, t->col[c], v);
            bytes += from->be->col_bytes(&sel.q, c) * 2 + 16;
        }
        json_array_append_new(batch, row);
        if (rc == 0 && (json_array_size(batch) >= BATCH_ROWS || bytes >= BATCH_BYTES))
            rc = flush_batch(&ins, batch, &bytes, err);
    }
    if (rc == ST_DONE)
        rc = flush_batch(&ins, batch, &bytes, err);
    json_decref(batch);
    raw_done(&sel);
    raw_done(&ins);
    return rc < 0 ? -1 : 0;
}

static int target_sum(struct store *to, const struct ctable *t, struct sum *s, struct tb_err *err)
{
    struct abuf sql;
    abuf_init_heap(&sql, 1 << 20);
    abuf_puts(&sql, "SELECT ");
    column_list(&sql, t);
    abuf_printf(&sql, " FROM \"%s\"", t->name);
    char *text = abuf_take(&sql);
    if (!text)
        return TB_INTERNAL(err, "out of memory");
    struct raw r;
    int rc = raw_prepare(to, &r, text, err);
    free(text);
    if (rc < 0)
        return -1;
    while ((rc = raw_step(&r, "verifying the target", err)) == ST_ROW)
        sum_row(to, &r.q, t, s);
    raw_done(&r);
    return rc < 0 ? -1 : 0;
}

/* One statement without parameters or rows (generated), with the system's elevation. */
static int raw_run(struct store *st, const char *sql, const char *what, struct tb_err *err)
{
    struct raw r;
    if (raw_prepare(st, &r, sql, err) < 0)
        return -1;
    int rc;
    while ((rc = raw_step(&r, what, err)) == ST_ROW)
        ;
    raw_done(&r);
    return rc < 0 ? -1 : 0;
}

/* The first table of the target that has a row, or NULL. */
static const char *first_nonempty(struct store *to, struct ctable *t, int n, struct tb_err *err, int *failed)
{
    *failed = 0;
    for (int i = 0; i < n; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT 1 FROM \"%s\" LIMIT 1", t[i].name);
        struct raw r;
        if (raw_prepare(to, &r, sql, err) < 0) {
            *failed = 1;
            return NULL;
        }
        int rc = raw_step(&r, "reading the target", err);
        raw_done(&r);
        if (rc < 0) {
            *failed = 1;
            return NULL;
        }
        if (rc == ST_ROW)
            return t[i].name;
    }
    return NULL;
}

/* Each identity column's sequence set to the largest id copied (the next
 * insert takes the one after), WAL-logged. */
static int fix_sequences(struct store *to, struct tb_err *err)
{
    struct raw r;
    if (raw_prepare(to, &r, "SELECT table_name, column_name FROM information_schema.columns "
                            "WHERE table_schema = current_schema() AND (is_identity = 'YES' "
                            "OR column_default LIKE 'nextval(%')", err) < 0)
        return -1;
    int rc;
    char (*cols)[2][64] = calloc(COPY_MAX_TABLES * 2, sizeof *cols);
    int n = 0;
    if (!cols) {
        raw_done(&r);
        return TB_INTERNAL(err, "out of memory");
    }
    while ((rc = raw_step(&r, "the target's sequences", err)) == ST_ROW && n < COPY_MAX_TABLES * 2) {
        const char *tn = to->be->col_text(&r.q, 0), *cn = to->be->col_text(&r.q, 1);
        if (plain_name(tn) && plain_name(cn)) {
            snprintf(cols[n][0], 64, "%s", tn);
            snprintf(cols[n][1], 64, "%s", cn);
            n++;
        }
    }
    raw_done(&r);
    for (int i = 0; i < n && rc >= 0; i++) {
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT setval(pg_get_serial_sequence('\"%s\"', '%s'), "
                 "COALESCE(max(\"%s\"), 1), max(\"%s\") IS NOT NULL) FROM \"%s\"",
                 cols[i][0], cols[i][1], cols[i][1], cols[i][1], cols[i][0]);
        rc = raw_run(to, sql, "setting the sequences", err);
    }
    free(cols);
    if (rc < 0)
        return -1;
    return store_log_sequences(to, err);
}

/* The database's applied migrations against the binary's: 0, or -1 with a one-line reason. */
static int same_version(struct store *st, const char *which, struct tb_err *err)
{
    json_t *applied = NULL;
    if (store_migrations_applied(st, &applied, err) < 0)
        return -1;
    size_t known = 0, i;
    const char *last = NULL;
    for (const struct embedded_file *f = st->be->migrations; f->name; f++)
        known++, last = f->name;
    json_t *v;
    int rc = 0;
    json_array_foreach(applied, i, v) {
        const char *name = json_string_value(v);
        int found = 0;
        for (const struct embedded_file *f = st->be->migrations; f->name && !found; f++)
            found = name && !strncmp(f->name, name, strlen(name)) && f->name[strlen(name)] == '.';
        if (!found) {
            rc = TB_CONFLICT(err, "the %s database has migration %s, which this binary does "
                         "not know: it is newer than this TradeBridge; use the newer binary", which,
                         name ? name : "?");
            break;
        }
    }
    if (rc == 0 && json_array_size(applied) != known)
        rc = TB_CONFLICT(err, "the %s database is at an older schema (%zu of %zu migrations, "
                     "this binary's last is %s): run 'tradebridge migrate --db ...' on it first", which,
                     json_array_size(applied), known, last ? last : "?");
    json_decref(applied);
    return rc;
}

/* Runs `verb` (TRUNCATE, ANALYZE) on every copied table in one statement. */
static int on_all_tables(struct store *to, const char *verb, const struct ctable *t, int n)
{
    struct abuf b;
    abuf_init_heap(&b, 1 << 20);
    abuf_printf(&b, "%s ", verb);
    for (int i = 0; i < n; i++)
        abuf_printf(&b, "%s\"%s\"", i ? ", " : "", t[i].name);
    char *sql = abuf_take(&b);
    int ok = sql && st_exec(to, sql) == 0;
    free(sql);
    return ok ? 0 : -1;
}

int store_copy(struct store *from, struct store *to, int replace, struct store_copy_result *out, struct tb_err *err)
{
    memset(out, 0, sizeof *out);
    if (from->be == &st_pg_backend || to->be != &st_pg_backend)
        return TB_INVALID(err, "to", "copies from SQLite (--from) to PostgreSQL (--to) only");
    if (same_version(from, "source", err) < 0)
        return -1;
    int applied;
    if (store_migrate(to, NULL, &applied, err) < 0 || same_version(to, "target", err) < 0)
        return -1;
    struct ctable *t = calloc(COPY_MAX_TABLES, sizeof *t);
    int n = 0, order[COPY_MAX_TABLES];
    struct sum *src = calloc(COPY_MAX_TABLES, sizeof *src), *dst = calloc(COPY_MAX_TABLES, sizeof *dst);
    out->tables = calloc(COPY_MAX_TABLES, sizeof *out->tables);
    if (!t || !src || !dst || !out->tables) {
        free(t);
        free(src);
        free(dst);
        return TB_INTERNAL(err, "out of memory");
    }
    int rc = -1;
    /* The source in one read transaction (one snapshot), the target in one write transaction. */
    if (st_exec(from, "BEGIN") < 0) {
        st_db_fail(from, err, "source");
        goto done;
    }
    if (store_begin(to, err) < 0)
        goto done;
    if (target_tables(to, t, &n, err) < 0 || check_source(from, t, n, err) < 0)
        goto done;
    dependency_order(t, n, order);
    int failed;
    const char *busy = first_nonempty(to, t, n, err, &failed);
    if (failed)
        goto done;
    if (busy && !replace) {
        TB_CONFLICT(err, "the target database is not empty (table %s has rows): "
                "use --replace to empty it first", busy);
        goto done;
    }
    if (busy) {
        if (on_all_tables(to, "TRUNCATE", t, n) < 0) {
            st_db_fail(to, err, "emptying the target");
            goto done;
        }
        out->replaced = 1;
    }
    for (int k = 0; k < n; k++)
        if (copy_table(from, to, &t[order[k]], &src[order[k]], err) < 0) {
            char why[180];
            snprintf(why, sizeof why, "%.179s", err->message);
            snprintf(err->message, sizeof err->message, "table %.63s: %s", t[order[k]].name, why);
            goto done;
        }
    if (fix_sequences(to, err) < 0)
        goto done;
    for (int k = 0; k < n; k++) {
        int i = order[k];
        if (target_sum(to, &t[i], &dst[i], err) < 0)
            goto done;
        struct store_copy_table *r = &out->tables[out->n++];
        snprintf(r->name, sizeof r->name, "%s", t[i].name);
        r->rows_from = src[i].rows;
        r->rows_to = dst[i].rows;
        sum_hex(&src[i], r->sum_from);
        sum_hex(&dst[i], r->sum_to);
        r->ok = r->rows_from == r->rows_to && !strcmp(r->sum_from, r->sum_to);
        out->rows += r->rows_from;
        out->mismatches += !r->ok;
    }
    if (out->mismatches) {
        TB_INTERNAL(err, "verification failed: %d table(s) differ; nothing was written",
                out->mismatches);
        goto done;
    }
    rc = store_commit(to, err);
    /* Statistics for the planner, as after a restore: without them PostgreSQL
     * plans the copied tables as empty until autovacuum comes round. The copy
     * stands if this fails (the operator can run ANALYZE). */
    if (rc == 0 && on_all_tables(to, "ANALYZE", t, n) < 0)
        fprintf(stderr, "db copy: ANALYZE failed (%s): run ANALYZE on the target\n", to->be->errmsg(to));
done:
    store_rollback(to);
    if (st_in_tx(from))
        st_exec(from, "ROLLBACK");
    free(t);
    free(src);
    free(dst);
    return rc;
}

void store_copy_result_free(struct store_copy_result *r)
{
    free(r->tables);
    r->tables = NULL;
    r->n = 0;
}
