/*
 * test_store_pg.c - the PostgreSQL backend against a throw-away cluster
 * (tests/pg/cluster.sh run sets TRADEBRIDGE_DB): migrations, and row-level
 * security as the second fence: a query that forgets the tenant filter still
 * returns nothing of another operator; a deadlock between two writers (503
 * in a bare transaction, run again whole by store_in_tx); the statements
 * prepared once per connection, forgotten after schema SQL and prepared again
 * when the server lost them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

static struct store *open_pg(void)
{
    const char *url = getenv("TRADEBRIDGE_DB");
    if (!url || !store_is_postgres(url))
        fail_msg("run under tests/pg/cluster.sh run (TRADEBRIDGE_DB=postgresql://...)");
    struct store *st;
    struct tb_err err = {0};
    int applied;
    if (store_open(url, &st, &err) < 0)
        fail_msg("%s", err.message);
    if (store_migrate(st, NULL, &applied, &err) < 0)
        fail_msg("%s", err.message);
    assert_string_equal(store_backend_name(st), "postgresql");
    return st;
}

static json_t *unfiltered(struct store *st, const struct tb_actor *a, const char *sql)
{
    json_t *rows = NULL;
    struct tb_err err = {0};
    if (store_pg_unfiltered(st, a, sql, &rows, &err) < 0)
        fail_msg("%s", err.message);
    return rows;
}

static void an_unfiltered_query_sees_only_its_operator(void **state)
{
    (void)state;
    struct store *st = open_pg();
    struct tb_actor sys = actor_system();
    struct tb_err err = {0};
    int64_t a_id, b_id;
    assert_int_equal(store_org_create(st, &sys, "operator", "RLS Operator A", "SE", 0, &a_id, &err), 0);
    assert_int_equal(store_org_create(st, &sys, "operator", "RLS Operator B", "FI", 0, &b_id, &err), 0);

    /* Each new operator gets its default catalogue (achievements with its org_id). */
    const char *sql = "SELECT org_id, count(*) AS n FROM achievements GROUP BY org_id ORDER BY org_id";
    json_t *all = unfiltered(st, &sys, sql);
    assert_true(json_array_size(all) >= 2);
    json_decref(all);

    struct tb_actor a = {.user_id = 1, .tenant_id = a_id, .roles = ROLE_BIT(ROLE_COORDINATOR)};
    json_t *rows = unfiltered(st, &a, sql);
    assert_int_equal(json_array_size(rows), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "org_id")), a_id);
    json_decref(rows);

    /* Another operator's rows cannot be changed either. */
    char update[160];
    snprintf(update, sizeof update, "UPDATE achievements SET name = 'taken' WHERE org_id = %lld RETURNING id",
             (long long)b_id);
    rows = unfiltered(st, &a, update);
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);

    /* The operators: A sees itself (and the foundation, shared), not B. */
    rows = unfiltered(st, &a, "SELECT id FROM orgs WHERE kind = 'operator'");
    assert_int_equal(json_array_size(rows), 1);
    json_decref(rows);

    /* No tenant at all: nothing. */
    struct tb_actor nobody = {0};
    rows = unfiltered(st, &nobody, "SELECT id FROM achievements");
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);
    store_close(st);
}

static void every_tenant_table_has_the_policy(void **state)
{
    (void)state;
    struct store *st = open_pg();
    struct tb_actor sys = actor_system();
    json_t *rows = unfiltered(st, &sys,
        "SELECT c.table_name FROM information_schema.columns c "
        "JOIN pg_class k ON k.relname = c.table_name AND k.relkind = 'r' "
        "JOIN pg_namespace s ON s.oid = k.relnamespace AND s.nspname = current_schema() "
        "WHERE c.table_schema = current_schema() AND c.column_name = 'org_id' "
        "AND NOT (k.relrowsecurity AND k.relforcerowsecurity AND EXISTS "
        "(SELECT 1 FROM pg_policy p WHERE p.polrelid = k.oid))");
    if (json_array_size(rows))
        fail_msg("tenant tables without row-level security: %s", json_dumps(rows, JSON_COMPACT));
    json_decref(rows);
    rows = unfiltered(st, &sys, "SELECT count(*) AS n FROM pg_class WHERE relrowsecurity AND relforcerowsecurity");
    assert_true(json_integer_value(json_object_get(json_array_get(rows, 0), "n")) > 15);
    json_decref(rows);
    store_close(st);
}

/* One side of a deadlock: its second row, then (if it lost) its rollback, so
 * the other side can go on. */
struct side {
    struct store *st;
    char sql[160];
    int rc;
    struct tb_err err;
};

/* The names of the statements prepared on the store's connection (the probe itself runs unnamed). */
static size_t prepared_count(struct store *st)
{
    struct tb_actor sys = actor_system();
    json_t *rows = unfiltered(st, &sys, "SELECT name FROM pg_prepared_statements WHERE name LIKE 's%'");
    size_t n = json_array_size(rows);
    json_decref(rows);
    return n;
}

static void statements_are_prepared_once_per_connection(void **state)
{
    (void)state;
    struct store *st = open_pg();
    struct tb_actor sys = actor_system();
    struct tb_err err = {0};
    int64_t id;
    assert_int_equal(store_org_create(st, &sys, "operator", "Prepared Operator", "SE", 0, &id, &err), 0);
    struct tb_actor a = {.user_id = 1, .tenant_id = id, .roles = ROLE_BIT(ROLE_COORDINATOR)};
    json_t *org = NULL;
    assert_int_equal(store_org_get(st, &a, id, &org, &err), 0);
    json_decref(org);
    size_t first = prepared_count(st);
    assert_true(first >= 1);
    /* Past PostgreSQL's five custom plans: the same statements, no new ones, the same answer
     * (row-level security reads the tenant at execution, not from the plan). */
    for (int i = 0; i < 8; i++) {
        assert_int_equal(store_org_get(st, &a, id, &org, &err), 0);
        assert_string_equal(json_string_value(json_object_get(org, "name")), "Prepared Operator");
        json_decref(org);
    }
    assert_int_equal(prepared_count(st), first);

    /* Schema SQL (a migration run) forgets them all: deallocated, prepared again on use
     * (left: the one statement the run used after its schema SQL, the applied list). */
    int applied;
    assert_true(first > 1);
    assert_int_equal(store_migrate(st, NULL, &applied, &err), 0);
    assert_int_equal(prepared_count(st), 1);
    assert_int_equal(store_org_get(st, &a, id, &org, &err), 0);
    json_decref(org);
    assert_true(prepared_count(st) >= 1);

    /* Gone on the server behind the store's back (26000): prepared again, the request answered. */
    json_decref(unfiltered(st, &sys, "DEALLOCATE ALL"));
    assert_int_equal(store_org_get(st, &a, id, &org, &err), 0);
    assert_string_equal(json_string_value(json_object_get(org, "name")), "Prepared Operator");
    json_decref(org);
    assert_true(prepared_count(st) >= 1);
    store_close(st);
}

static void *second_update(void *p)
{
    struct side *s = p;
    struct tb_actor sys = actor_system();
    json_t *rows = NULL;
    s->rc = store_pg_unfiltered(s->st, &sys, s->sql, &rows, &s->err);
    json_decref(rows);
    if (s->rc < 0)
        store_rollback(s->st);
    return NULL;
}

static void a_deadlock_victim_gets_503_and_the_other_commits(void **state)
{
    (void)state;
    struct store *st[2] = {open_pg(), open_pg()};
    struct tb_actor sys = actor_system();
    struct tb_err err = {0};
    int64_t id[2];
    assert_int_equal(store_org_create(st[0], &sys, "operator", "Deadlock A", "SE", 0, &id[0], &err), 0);
    assert_int_equal(store_org_create(st[0], &sys, "operator", "Deadlock B", "FI", 0, &id[1], &err), 0);
    struct side side[2];
    for (int i = 0; i < 2; i++) {   /* each locks its own row first ... */
        memset(&side[i], 0, sizeof side[i]);
        side[i].st = st[i];
        char first[160];
        snprintf(first, sizeof first, "UPDATE orgs SET name = name WHERE id = %lld", (long long)id[i]);
        snprintf(side[i].sql, sizeof side[i].sql, "UPDATE orgs SET name = name WHERE id = %lld", (long long)id[1 - i]);
        assert_int_equal(store_begin(st[i], &err), 0);
        json_decref(unfiltered(st[i], &sys, first));
    }
    pthread_t t;   /* ... then the other's: one of the two is chosen as the victim */
    assert_int_equal(pthread_create(&t, NULL, second_update, &side[1]), 0);
    second_update(&side[0]);
    pthread_join(t, NULL);
    assert_true((side[0].rc < 0) != (side[1].rc < 0));
    struct side *lost = side[0].rc < 0 ? &side[0] : &side[1], *won = side[0].rc < 0 ? &side[1] : &side[0];
    assert_int_equal(lost->err.status, 503);
    assert_string_equal(lost->err.code, "unavailable");
    assert_int_equal(store_commit(won->st, &err), 0);
    store_close(st[0]);
    store_close(st[1]);
}

/* The same deadlock, each side one store_in_tx unit: the victim's unit is
 * rolled back and run again whole, so both commit and nobody sees a 503. */
struct unit_side {
    struct store *st;
    int64_t mine, theirs;
    int runs, rc;
    pthread_barrier_t *both_locked;
    struct tb_err err;
};

static int update_org(struct store *st, int64_t id, struct tb_err *err)
{
    struct tb_actor sys = actor_system();
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE orgs SET name = name WHERE id = %lld", (long long)id);
    json_t *rows = NULL;
    int rc = store_pg_unfiltered(st, &sys, sql, &rows, err);
    json_decref(rows);
    return rc;
}

static int crossing_unit(struct store *st, void *ctx, struct tb_err *err)
{
    struct unit_side *s = ctx;
    if (update_org(st, s->mine, err) < 0)
        return -1;
    if (++s->runs == 1)   /* only the first runs cross: each holds its row, then wants the other's */
        pthread_barrier_wait(s->both_locked);
    return update_org(st, s->theirs, err);
}

static void *run_unit(void *p)
{
    struct unit_side *s = p;
    s->rc = store_in_tx(s->st, crossing_unit, s, &s->err);
    return NULL;
}

static void a_deadlock_victims_unit_runs_again_and_both_commit(void **state)
{
    (void)state;
    struct store *st[2] = {open_pg(), open_pg()};
    struct tb_actor sys = actor_system();
    struct tb_err err = {0};
    int64_t id[2];
    assert_int_equal(store_org_create(st[0], &sys, "operator", "Retry A", "SE", 0, &id[0], &err), 0);
    assert_int_equal(store_org_create(st[0], &sys, "operator", "Retry B", "FI", 0, &id[1], &err), 0);
    pthread_barrier_t both_locked;
    pthread_barrier_init(&both_locked, NULL, 2);
    struct unit_side side[2];
    for (int i = 0; i < 2; i++)
        side[i] = (struct unit_side){.st = st[i], .mine = id[i], .theirs = id[1 - i], .both_locked = &both_locked};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, run_unit, &side[1]), 0);
    run_unit(&side[0]);
    pthread_join(t, NULL);
    pthread_barrier_destroy(&both_locked);
    if (side[0].rc < 0 || side[1].rc < 0)
        fail_msg("a unit failed: %s / %s", side[0].err.message, side[1].err.message);
    assert_int_equal(side[0].runs + side[1].runs, 3);   /* the victim's unit ran twice */
    store_close(st[0]);
    store_close(st[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_unfiltered_query_sees_only_its_operator),
        cmocka_unit_test(every_tenant_table_has_the_policy),
        cmocka_unit_test(a_deadlock_victim_gets_503_and_the_other_commits),
        cmocka_unit_test(a_deadlock_victims_unit_runs_again_and_both_commit),
        cmocka_unit_test(statements_are_prepared_once_per_connection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
