/*
 * bench_search.c - directory search over N generated contacts (default
 * 1,000,000): the full-text query the server runs (FTS5, unicode61 with
 * diacritics removed, prefix indexes, the filters and who may see what as
 * facet tokens; sql/sqlite/0050_network.sql and 0053_contact_search_facets.sql
 * create the same tables and triggers) against the same search as it was
 * before 0053 (every match of the words, up to 20,000, ranked, then
 * filtered) and a plain LIKE scan over the same table, in the same run.
 * BENCH_DB=FILE keeps the generated contacts in FILE and reuses them. Names from many languages, real ISO countries, NACE and HS
 * codes; a third of the contacts shared, the rest private to 24 operators.
 *
 * usage: bench_search MIGRATION_SQL [N [QUERIES [LIKE_QUERIES]]]
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const given[] = {"Anna", "Lars", "Maria", "José", "Zoë", "Björn", "Łukasz", "Ana", "Jürgen",
    "François", "Ingrid", "Søren", "Mateja", "Žiga", "Tõnu", "Aleksandr", "Mehmet", "Ayşe", "Nguyễn", "Hiroshi",
    "Chiara", "Åsa", "Dóra", "Ľubica", "Ioana", "Grzegorz", "Pekka", "Jānis", "Rūta", "Oğuz", "Fatima", "Kwame"};
static const char *const family[] = {"Berg", "Holm", "Costa", "García", "Müller", "Novák", "Kovačič", "Tamm",
    "Nowak", "Dubois", "Rossi", "Öberg", "Søndergaard", "Horváth", "Popescu", "Yılmaz", "Tanaka", "Ivanov",
    "Kask", "Bērziņš", "Jankauskas", "Virtanen", "Ó Briain", "Lindqvist", "Štefan", "Petrović", "Mensah"};
static const char *const orgs[] = {"Nordic Seafood", "Ljubljana Fish Import", "Tallinn Logistics", "Hanse Trade",
    "Iberia Alimentación", "Göteborg Hamn", "Kraków Meble", "Société Générale d'Import", "Baltic Timber",
    "Adriatic Wines", "Danube Agro", "Aegean Olive", "Øresund Freight", "Málaga Frutas", "Brno Machinery"};
static const char *const cities[] = {"Göteborg", "Malmö", "Ljubljana", "Tallinn", "Hamburg", "München", "Kraków",
    "Łódź", "Zürich", "Besançon", "Sevilla", "Córdoba", "Plzeň", "Tartu", "Rīga", "Vilnius", "İstanbul", "Oslo"};
static const char *const countries[] = {"SE", "SI", "EE", "DE", "PL", "FR", "ES", "CZ", "LV", "LT", "TR", "NO",
    "FI", "DK", "IT", "AT", "HU", "RO", "PT", "NL", "BE", "IE", "GR", "HR"};
static const char *const roles[] = {"Purchasing manager", "Export director", "CEO", "Sales agent", "Buyer",
    "Logistics coordinator", "Trade advisor", "Category manager", "Founder", "Head of imports"};
static const char *const nace[] = {"46.38", "10.20", "46.17", "52.29", "01.13", "16.10", "28.30", "11.02"};
static const char *const hs[] = {"030617", "0306", "160520", "4407", "8433", "2204", "1509", "0805"};
static const char *const queries[] = {"Goteborg", "lars holm", "nordic sea", "kovacic", "lodz", "garcia",
    "muller", "export dir", "ljubl", "bjorn berg", "tanaka", "purchas", "oresund", "rossi buyer", "tonu tamm",
    "cordoba frutas", "ivanov", "jurgen", "brno mach", "zoe"};

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t pick(uint32_t n)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) % n);
}
#define PICK(a) a[pick(sizeof a / sizeof a[0])]

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this thread: what a query costs, whatever else the machine runs. */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
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

/* The words of q as the server builds them: "lars"* "holm"*; with facets,
 * the filters too, as store/network.c (sqlite_match) does. */
static void match_of(const char *q, const char *country, int facets, int whole, char *out, size_t cap)
{
    char buf[200], words[300] = "";
    snprintf(buf, sizeof buf, "%s", q);
    for (char *w = strtok(buf, " "); w; w = strtok(NULL, " "))
        snprintf(words + strlen(words), sizeof words - strlen(words), "%s\"%s\"%s", words[0] ? " " : "", w,
                 whole ? "" : "*");
    if (!facets) {
        snprintf(out, cap, "%s", words);
        return;
    }
    snprintf(out, cap, "{name organisation roles tags city} : (%s)", words);
    if (country)
        snprintf(out + strlen(out), cap - strlen(out), " AND facets : (\"c%s\")", country);
}

/* The visible part, the same guard as the server's statements (operator 1). */
/* As the server (store/network.c, store_contact_search): whole words over
 * the first 1000 contacts holding them; if fewer than 50 results, prefixes
 * over the first 1000 matches; if still fewer and the cap held matches back,
 * over the first 20000 (before 0053: that alone, without the filters). */
#define CANDIDATES "1000"
#define CANDIDATES_WIDE "20000"
#define VIS "(c.org_id = 1 OR c.visibility = 'shared') AND c.removed_at IS NULL"

/* One pass: adds the ids not seen yet to seen[] (at most 50); *more when the
 * cap held matches back. */
static int run_pass(sqlite3 *db, sqlite3_stmt *q, const char *m, const char *country, int cap, long *seen, int n,
                    int *more)
{
    sqlite3_bind_text(q, 1, m, -1, SQLITE_TRANSIENT);
    if (country)
        sqlite3_bind_text(q, 2, country, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, 2);
    int rc, first = 1;
    *more = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        long id = sqlite3_column_int64(q, 0);
        if (first)
            *more = sqlite3_column_int(q, 2) >= cap;
        first = 0;
        int dup = 0;
        for (int k = 0; k < n; k++)
            dup |= seen[k] == id;
        if (!dup && n < 50)
            seen[n++] = id;
    }
    must(rc, db, "fts");
    sqlite3_reset(q);
    return n;
}

static void report(const char *what, double *t, double *c, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp);
    qsort(c, (size_t)n, sizeof *c, cmp);
    int p99 = (int)(n * 0.99) < n ? (int)(n * 0.99) : n - 1;
    printf("%-34s n=%-5d wall p50 %8.3f ms  p99 %8.3f ms  max %8.3f ms\n", what, n, t[n / 2] * 1e3, t[p99] * 1e3,
           t[n - 1] * 1e3);
    printf("%-34s         cpu  p50 %8.3f ms  p99 %8.3f ms  max %8.3f ms\n", "", c[n / 2] * 1e3, c[p99] * 1e3,
           c[n - 1] * 1e3);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s MIGRATION_SQL [N [QUERIES [LIKE_QUERIES]]]\n", argv[0]);
        return 2;
    }
    long n = argc > 2 ? atol(argv[2]) : 1000000, nq = argc > 3 ? atol(argv[3]) : 1000;
    long nl = argc > 4 ? atol(argv[4]) : 20;
    FILE *f = fopen(argv[1], "r");
    if (!f)
        return perror(argv[1]), 1;
    static char schema[1 << 17];
    schema[fread(schema, 1, sizeof schema - 1, f)] = '\0';
    fclose(f);
    sqlite3 *db;
    const char *file = getenv("BENCH_DB");
    must(sqlite3_open(file ? file : ":memory:", &db), db, "open");
    sqlite3_stmt *have;
    long had = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM contacts", -1, &have, NULL) == SQLITE_OK) {
        if (sqlite3_step(have) == SQLITE_ROW)
            had = sqlite3_column_int64(have, 0);
        sqlite3_finalize(have);
    }
    if (had && had != n) {
        fprintf(stderr, "%s holds %ld contacts, not %ld\n", file, had, n);
        return 1;
    }
    if (!had)
        must(sqlite3_exec(db, schema, NULL, NULL, NULL), db, "schema");
    double t0 = now();
    must(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), db, "begin");
    sqlite3_stmt *ins;
    must(sqlite3_prepare_v2(db, "INSERT INTO contacts (org_id, kind, category, name, organisation, roles, country, "
                            "city, nace, hs, visibility, created_at, updated_at) VALUES (?1, 'person', 'agent', ?2, ?3, "
                            "?4, ?5, ?6, ?7, json_array(?8), ?9, '2026-01-01', '2026-01-01')", -1, &ins, NULL),
         db, "prepare insert");
    for (long i = had ? n : 0; i < n; i++) {
        char name[200];
        snprintf(name, sizeof name, "%s %s", PICK(given), PICK(family));
        sqlite3_bind_int(ins, 1, 1 + (int)pick(24));
        sqlite3_bind_text(ins, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, PICK(orgs), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, PICK(roles), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, PICK(countries), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 6, PICK(cities), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 7, PICK(nace), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 8, PICK(hs), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 9, pick(3) == 0 ? "shared" : "private", -1, SQLITE_STATIC);
        must(sqlite3_step(ins), db, "insert");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    must(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), db, "commit");
    if (had)
        printf("%ld contacts reused from %s\n", n, file);
    else
        printf("%ld contacts generated and indexed in %.1f s\n", n, now() - t0);

    sqlite3_stmt *fts, *wide, *old, *like;
#define FTS(cap) "SELECT c.id, c.name, f.candidates FROM (SELECT id, rank, count(*) OVER () AS candidates FROM " \
    "(SELECT rowid AS id, bm25(contacts_fts, 10.0, 5.0, 3.0, 2.0, 2.0, 0.0) AS rank FROM contacts_fts " \
    "WHERE contacts_fts MATCH ?1 LIMIT " cap ")) f JOIN contacts c ON c.id = f.id WHERE " VIS \
    " AND (?2 IS NULL OR c.country = ?2) ORDER BY f.rank LIMIT 50"
    must(sqlite3_prepare_v2(db, FTS(CANDIDATES), -1, &fts, NULL), db, "prepare fts");
    must(sqlite3_prepare_v2(db, FTS(CANDIDATES_WIDE), -1, &wide, NULL), db, "prepare fts wide");
    must(sqlite3_prepare_v2(db, FTS(CANDIDATES_WIDE), -1, &old, NULL), db, "prepare fts before");
    must(sqlite3_prepare_v2(db, "SELECT c.id, c.name FROM contacts c WHERE (c.name LIKE ?1 OR c.organisation LIKE ?1 "
                            "OR c.roles LIKE ?1 OR c.tags LIKE ?1 OR c.city LIKE ?1) AND " VIS
                            " AND (?2 IS NULL OR c.country = ?2) ORDER BY c.name LIMIT 50", -1, &like, NULL),
         db, "prepare like");
    double *t = malloc(sizeof *t * (size_t)(nq > nl ? nq : nl)), *c = malloc(sizeof *c * (size_t)(nq > nl ? nq : nl));
    for (int pass = 0; pass < 2; pass++) {
        long hits = 0, retried = 0;
        double worst = 0;
        const char *worst_q = "";
        int worst_country = 0;
        for (long i = 0; i < nq; i++) {
            char m[600], w[600];
            const char *q = queries[i % (long)(sizeof queries / sizeof queries[0])];
            const char *country = i % 2 ? countries[i % 24] : NULL;
            long seen[50];
            int got, more;
            match_of(q, country, !pass, 0, m, sizeof m);
            match_of(q, country, 1, 1, w, sizeof w);
            double s = now(), sc = cpu();
            if (pass)
                got = run_pass(db, old, m, country, 20000, seen, 0, &more);
            else {
                got = run_pass(db, fts, w, country, 1000, seen, 0, &more);
                if (got < 50)
                    got = run_pass(db, fts, m, country, 1000, seen, got, &more);
                if (got < 50 && more) {
                    retried++;
                    got = run_pass(db, wide, m, country, 20000, seen, got, &more);
                }
            }
            hits += got;
            t[i] = now() - s;
            c[i] = cpu() - sc;
            if (t[i] > worst) {
                worst = t[i];
                worst_q = q;
                worst_country = i % 2;
            }
        }
        report(pass ? "full text as before 0053" : "full text (FTS5, prefix, facets)", t, c, (int)nq);
        printf("  %.1f results per query on average (at most 50); slowest: \"%s\"%s", (double)hits / (double)nq,
               worst_q, worst_country ? " with a country filter" : "");
        if (!pass)
            printf("; %ld of %ld widened to " CANDIDATES_WIDE " matches", retried, nq);
        printf("\n");
    }
    for (long i = 0; i < nl; i++) {
        char w[200];
        snprintf(w, sizeof w, "%%%s%%", queries[i % (long)(sizeof queries / sizeof queries[0])]);
        sqlite3_bind_text(like, 1, w, -1, SQLITE_TRANSIENT);
        if (i % 2)
            sqlite3_bind_text(like, 2, countries[i % 24], -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(like, 2);
        double s = now(), sc = cpu();
        int rc;
        while ((rc = sqlite3_step(like)) == SQLITE_ROW)
            ;
        must(rc, db, "like");
        t[i] = now() - s;
        c[i] = cpu() - sc;
        sqlite3_reset(like);
    }
    report("LIKE '%word%' scan (no folding)", t, c, (int)nl);
    free(t);
    free(c);
    sqlite3_finalize(fts);
    sqlite3_finalize(old);
    sqlite3_finalize(wide);
    sqlite3_finalize(like);
    sqlite3_close(db);
    return 0;
}
