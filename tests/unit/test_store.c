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

/* Table names a statement touches: the word after FROM, JOIN, INTO, UPDATE. */
static int touches_tenant_table(const char *sql, char *which, size_t n)
{
    static const char *const kw[] = {"FROM ", "JOIN ", "INTO ", "UPDATE ", NULL};
    for (int k = 0; kw[k]; k++) {
        for (const char *p = strstr(sql, kw[k]); p; p = strstr(p + 1, kw[k])) {
            const char *t = p + strlen(kw[k]);
            char name[64];
            size_t i = 0;
            while ((isalnum((unsigned char)t[i]) || t[i] == '_') && i < sizeof name - 1) {
                name[i] = t[i];
                i++;
            }
            name[i] = '\0';
            if (!i)
                continue;
            int global = 0;
            for (int g = 0; store_global_tables[g]; g++)
                global |= !strcmp(name, store_global_tables[g]);
            if (!global) {
                snprintf(which, n, "%s", name);
                return 1;
            }
        }
    }
    return 0;
}

static void every_tenant_statement_filters_by_tenant(void **state)
{
    (void)state;
    int n;
    const struct store_stmt_info *s = store_statements(&n);
    int checked = 0;
    for (int i = 0; i < n; i++) {
        assert_non_null(s[i].sql);
        char table[64];
        if (!touches_tenant_table(s[i].sql, table, sizeof table))
            continue;
        checked++;
        int filtered = strstr(s[i].sql, ":tenant") != NULL || strstr(s[i].sql, ":all = 1") != NULL;
        if (!filtered && !s[i].global_reason)
            fail_msg("statement %s touches tenant table %s without :tenant and has no global_reason",
                     s[i].name, table);
    }
    assert_true(checked > 10);
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
    assert_int_equal(store_invitation_claim(f.st, "ih1", &o, &err), 0);
    assert_string_equal(json_string_value(json_object_get(o, "email")), "new@x.example");
    json_decref(o);
    assert_int_equal(store_invitation_claim(f.st, "ih1", &o, &err), -1);   /* once */
    assert_int_equal(err.status, 404);
    assert_int_equal(store_commit(f.st, &err), 0);
    assert_int_equal(store_invitation_withdraw(f.st, &f.coord_se, id, &err), -1);   /* accepted already */
    assert_int_equal(err.status, 409);
    struct invitation_new old = {f.se, "late@x.example", "Late", "viewer", NULL, 0, "ih2", 1000};
    assert_int_equal(store_invitation_create(f.st, &f.coord_se, &old, &id, &err), 0);
    assert_int_equal(store_invitation_claim(f.st, "ih2", &o, &err), -1);   /* expired */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_tenant_statement_filters_by_tenant),
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
        cmocka_unit_test(a_newer_link_ends_the_older_ones),
        cmocka_unit_test(backup_is_a_complete_copy),
        cmocka_unit_test(outbox_mail_is_claimed_by_one_sender),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
