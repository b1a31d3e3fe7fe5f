/*
 * bench_paths.c - "who can introduce me" on a generated network of PEOPLE
 * people and RELS relationships (default 1,000,000 and 10,000,000), against
 * the same search as a recursive SQL query over the same tables in SQLite.
 *
 * The network: people in 24 operators' records, a third shared with the
 * federation; relationships drawn with a skew (a few people know many), each
 * with a strength 1-5 and a last contact in the past three years. The asker's
 * side is 50 people of operator 1 (staff and alumni). Both sides answer the
 * same question - the best paths of up to three relationships to one contact,
 * through people operator 1 may see - and the best scores are compared.
 *
 * usage: bench_paths [PEOPLE [RELS [QUERIES [SQL_QUERIES]]]]
 */
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/network/paths.h"

#define TODAY 20600
#define SOURCES 50

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t next(void)
{
    /* splitmix64: a reproducible bench generator */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A person drawn with a skew: squaring a uniform favours low ids (hubs). */
static uint32_t skewed(uint32_t n)
{
    double u = (double)(next() >> 11) / 9007199254740992.0;
    return (uint32_t)(u * u * n);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void must(int rc, sqlite3 *db, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

int main(int argc, char **argv)
{
    uint32_t people = argc > 1 ? (uint32_t)atol(argv[1]) : 1000000;
    uint64_t rels = argc > 2 ? (uint64_t)atoll(argv[2]) : 10000000;
    int queries = argc > 3 ? atoi(argv[3]) : 1000;
    int sql_queries = argc > 4 ? atoi(argv[4]) : 10;

    /* ---- generate, and store in SQLite as the peer reads it ---- */
    uint32_t *owner = malloc(people * sizeof *owner);
    uint8_t *shared = malloc(people);
    for (uint32_t p = 0; p < people; p++) {
        owner[p] = 1 + (uint32_t)(next() % 24);
        shared[p] = next() % 3 == 0;
    }
    uint32_t *ra = malloc(rels * sizeof *ra), *rb = malloc(rels * sizeof *rb);
    uint8_t *rs = malloc(rels);
    int32_t *rl = malloc(rels * sizeof *rl);
    for (uint64_t i = 0; i < rels; i++) {
        ra[i] = skewed(people);
        rb[i] = (uint32_t)(next() % people);
        if (rb[i] == ra[i])
            rb[i] = (rb[i] + 1) % people;
        rs[i] = (uint8_t)(1 + next() % 5);
        rl[i] = TODAY - (int32_t)(next() % 1100);
    }
    char dbpath[] = "/tmp/tb-bench-network-XXXXXX";
    int fd = mkstemp(dbpath);
    close(fd);
    sqlite3 *db;
    must(sqlite3_open(dbpath, &db), db, "open");
    double t0 = now();
    must(sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                          "CREATE TABLE person(id INTEGER PRIMARY KEY, owner INTEGER, shared INTEGER);"
                          "CREATE TABLE rel(a INTEGER, b INTEGER, strength INTEGER, last_contact INTEGER, w REAL);",
                      NULL, NULL, NULL), db, "schema");
    must(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), db, "begin");
    sqlite3_stmt *ins;
    sqlite3_prepare_v2(db, "INSERT INTO person VALUES (?,?,?)", -1, &ins, NULL);
    for (uint32_t p = 0; p < people; p++) {
        sqlite3_bind_int(ins, 1, (int)p);
        sqlite3_bind_int(ins, 2, (int)owner[p]);
        sqlite3_bind_int(ins, 3, shared[p]);
        must(sqlite3_step(ins), db, "insert person");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_prepare_v2(db, "INSERT INTO rel VALUES (?,?,?,?,?),(?2,?1,?3,?4,?5)", -1, &ins, NULL);
    for (uint64_t i = 0; i < rels; i++) {
        sqlite3_bind_int(ins, 1, (int)ra[i]);
        sqlite3_bind_int(ins, 2, (int)rb[i]);
        sqlite3_bind_int(ins, 3, rs[i]);
        sqlite3_bind_int(ins, 4, rl[i]);
        sqlite3_bind_double(ins, 5, net_tie_weight(rs[i], rl[i], TODAY, 365));
        must(sqlite3_step(ins), db, "insert rel");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    must(sqlite3_exec(db, "COMMIT; CREATE INDEX rel_a ON rel(a);", NULL, NULL, NULL), db, "index");
    printf("network: %u people, %llu relationships (%llu directed rows); SQLite tables built in %.1f s\n", people,
           (unsigned long long)rels, (unsigned long long)rels * 2, now() - t0);

    /* ---- TradeBridge: compressed rows read from the same tables ---- */
    t0 = now();
    uint64_t *offset = calloc((size_t)people + 1, sizeof *offset);
    uint64_t m = 2 * rels;
    uint32_t *other = malloc(m * sizeof *other);
    uint8_t *strength = malloc(m);
    int32_t *last = malloc(m * sizeof *last);
    sqlite3_stmt *q;
    sqlite3_prepare_v2(db, "SELECT a, count(*) FROM rel GROUP BY a", -1, &q, NULL);
    while (sqlite3_step(q) == SQLITE_ROW)
        offset[sqlite3_column_int(q, 0) + 1] = (uint64_t)sqlite3_column_int64(q, 1);
    sqlite3_finalize(q);
    for (uint32_t p = 0; p < people; p++)
        offset[p + 1] += offset[p];
    uint64_t *fill = malloc(((size_t)people + 1) * sizeof *fill);
    memcpy(fill, offset, ((size_t)people + 1) * sizeof *fill);
    sqlite3_prepare_v2(db, "SELECT a, b, strength, last_contact FROM rel", -1, &q, NULL);
    while (sqlite3_step(q) == SQLITE_ROW) {
        uint64_t e = fill[sqlite3_column_int(q, 0)]++;
        other[e] = (uint32_t)sqlite3_column_int(q, 1);
        strength[e] = (uint8_t)sqlite3_column_int(q, 2);
        last[e] = sqlite3_column_int(q, 3);
    }
    sqlite3_finalize(q);
    free(fill);
    struct net_graph g = {people, offset, other, strength, last, owner, shared};
    printf("TradeBridge: graph loaded from SQLite in %.2f s (%.0f MB)\n", now() - t0,
           (double)((people + 1) * 8 + m * 9 + people * 5) / 1e6);

    uint32_t src[SOURCES];
    for (int i = 0; i < SOURCES;) {
        uint32_t p = (uint32_t)(next() % people);
        if (owner[p] == 1)
            src[i++] = p;
    }
    uint32_t *targets = malloc((size_t)queries * sizeof *targets);
    for (int i = 0; i < queries;) {
        uint32_t p = (uint32_t)(next() % people);
        if (shared[p] || owner[p] == 1)
            targets[i++] = p;
    }
    struct net_scratch *s = net_scratch_new();
    struct net_path out[10];
    struct tb_err err;
    double *lat = malloc((size_t)queries * sizeof *lat), *best = malloc((size_t)queries * sizeof *best);
    int found = 0;
    for (int i = 0; i < queries; i++) {
        double a = now();
        int n = net_paths_to(&g, s, 1, src, SOURCES, targets[i], TODAY, out, 10, &err);
        lat[i] = now() - a;
        best[i] = n > 0 ? out[0].score : 0;
        found += n > 0;
    }
    double total = 0;
    for (int i = 0; i < queries; i++)
        total += lat[i];
    double *sorted = malloc((size_t)queries * sizeof *sorted);
    memcpy(sorted, lat, (size_t)queries * sizeof *sorted);
    qsort(sorted, (size_t)queries, sizeof *sorted, cmp_double);
    double p50 = sorted[queries / 2], p99 = sorted[(int)(queries * 0.99)];
    printf("TradeBridge: %d queries, %d with a path; p50 %.3f ms, p99 %.3f ms, mean %.3f ms\n", queries, found,
           p50 * 1e3, p99 * 1e3, total / queries * 1e3);

    /* ---- SQLite: the same search as a recursive query ---- */
    const char *sql =
        "WITH RECURSIVE walk(person, hops, score, path) AS ("
        " SELECT value, 0, 1.0, ',' || value || ',' FROM json_each(?1)"
        " UNION ALL"
        " SELECT r.b, w.hops + 1, w.score * r.w, w.path || r.b || ','"
        " FROM walk w JOIN rel r ON r.a = w.person JOIN person p ON p.id = r.b"
        " WHERE w.hops < 3 AND w.person != ?2 AND (p.shared OR p.owner = 1 OR r.b = ?2)"
        "   AND instr(w.path, ',' || r.b || ',') = 0)"
        " SELECT max(score) FROM walk WHERE person = ?2 AND hops > 0";
    sqlite3_prepare_v2(db, sql, -1, &q, NULL);
    char list[SOURCES * 12 + 4];
    size_t len = 0;
    list[len++] = '[';
    for (int i = 0; i < SOURCES; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%u", i ? "," : "", src[i]);
    list[len++] = ']';
    list[len] = 0;
    double sql_total = 0;
    int agree = 0;
    double *sql_lat = malloc((size_t)sql_queries * sizeof *sql_lat);
    for (int i = 0; i < sql_queries && i < queries; i++) {
        sqlite3_bind_text(q, 1, list, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 2, (int)targets[i]);
        double a = now();
        int rc = sqlite3_step(q);
        double sc = rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL ? sqlite3_column_double(q, 0) : 0;
        sql_lat[i] = now() - a;
        sql_total += sql_lat[i];
        /* Paths through another source are not proposed by TradeBridge (they start there);
         * the best score agrees unless the best SQL path passes through one. */
        agree += fabs(sc - best[i]) <= 1e-9 * (1 + sc);
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    qsort(sql_lat, (size_t)sql_queries, sizeof *sql_lat, cmp_double);
    double sql_med = sql_lat[sql_queries / 2];
    printf("SQLite recursive query: %d queries; median %.1f ms, mean %.1f ms; best score agrees on %d of %d\n",
           sql_queries, sql_med * 1e3, sql_total / sql_queries * 1e3, agree, sql_queries);
    /* Same queries on both sides for the ratio: the first sql_queries targets. */
    double ours = 0;
    for (int i = 0; i < sql_queries; i++)
        ours += lat[i];
    printf("ratio (mean over the same %d queries): TradeBridge %.0fx faster than the recursive query\n", sql_queries,
           (sql_total / sql_queries) / (ours / sql_queries));
    net_scratch_free(s);
    sqlite3_close(db);
    unlink(dbpath);
    return 0;
}
