/*
 * cli_demo.c - `tradebridge demo`: builds a demonstration database (the
 * foundation, national operators, one login per role, and a programme
 * generated from a seed by demo_programme.c) and serves it.
 * Demo passwords are printed and are for demonstration only.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/training_cli.h"
#include "cli/demo.h"
#include "core/auth.h"

/* base64 of 32 fixed bytes; demonstration only. */
#define DEMO_KEK "VHJhZGVCcmlkZ2UtZGVtby1vbmx5LWtleS1lbmNyeXA="
#define DEMO_PASSWORD "TradeBridge-demo-2026"

struct demo_org {
    const char *name, *country;
};

static const struct demo_org operators[] = {
    {"ITM Sweden", "SE"},
    {"ITM Slovenia", "SI"},
    {"ITM Estonia", "EE"},
};

struct demo_login {
    const char *email, *name, *org, *role, *what;
};

static const struct demo_login logins[] = {
    {"admin@demo.tradebridge.org", "Astrid Lindqvist", "Export Trainee Foundation", "admin",
     "foundation admin: every operator"},
    {"coordinator@demo.tradebridge.org", "Erik Johansson", "ITM Sweden", "coordinator",
     "runs ITM Sweden"},
    {"coordinator.si@demo.tradebridge.org", "Maja Novak", "ITM Slovenia", "coordinator",
     "runs ITM Slovenia"},
    {"coordinator.ee@demo.tradebridge.org", "Kristel Raudsepp", "ITM Estonia", "coordinator",
     "runs ITM Estonia"},
    {"company@demo.tradebridge.org", "Lars Berg", "ITM Sweden", "company",
     "manages Norrland Pumpteknik AB (Sundsvall)"},
    {"trainee@demo.tradebridge.org", "Sofia Andersson", "ITM Sweden", "trainee",
     "a graduate; her placement awaits her signature"},
    {"mentor@demo.tradebridge.org", "Karin Holm", "ITM Sweden", "mentor",
     "in-company mentor at Norrland Pumpteknik AB"},
    {"viewer@demo.tradebridge.org", "Jonas Ek", "ITM Sweden", "viewer", "a funder reading reports"},
};

int demo_build(struct store *st, uint64_t seed, struct demo_counts *counts, struct tb_err *err)
{
    struct tb_actor sys = actor_system();
    struct demo_people people = {0};
    int64_t foundation;
    memset(counts, 0, sizeof *counts);
    if (store_org_create(st, &sys, "foundation", "Export Trainee Foundation", NULL, 0, &foundation, err) < 0)
        return -1;
    /* The foundation's default curriculum (ITM@1), which every cohort follows. */
    json_t *curriculum;
    if (training_import_default(st, &sys, foundation, &curriculum, err) < 0)
        return -1;
    json_decref(curriculum);
    for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++)
        if (store_org_create(st, &sys, "operator", operators[i].name, operators[i].country, foundation,
                             &people.operators[i], err) < 0)
            return -1;
    char hash[PW_HASH_MAX];
    if (auth_hash_password(DEMO_PASSWORD, hash, err) < 0)
        return -1;
    people.password_hash = hash;
    for (size_t i = 0; i < sizeof logins / sizeof logins[0]; i++) {
        int64_t org, user;
        enum tb_role role;
        role_parse(logins[i].role, &role);
        if (store_org_by_name(st, logins[i].org, &org, err) < 0)
            return -1;
        sys.tenant_id = org;
        if (store_user_create(st, &sys, logins[i].email, logins[i].name, hash, "active", &user, err) < 0)
            return -1;
        counts->users++;
        /* The company and trainee roles are bound to their records by the programme. */
        if (role == ROLE_COMPANY)
            people.company_user = user;
        else if (role == ROLE_TRAINEE)
            people.trainee_user = user;
        else if (store_membership_add(st, &sys, user, org, role, NULL, 0, err) < 0)
            return -1;
        if (role == ROLE_MENTOR)
            people.mentor_user = user;
        for (size_t k = 0; role == ROLE_COORDINATOR && k < sizeof operators / sizeof operators[0]; k++)
            if (org == people.operators[k] && !people.coordinators[k])
                people.coordinators[k] = user;
    }
    if (demo_programme_build(st, &people, seed, counts, err) < 0)
        return -1;
    return demo_training(st, seed, err);
}

int cli_demo_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"listen", required_argument, NULL, 'l'},
        {"force", no_argument, NULL, 'f'}, {"no-serve", no_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'}, {"help", no_argument, NULL, 'h'}, {0}};
    const char *db = "demo.db", *listen = NULL;
    int force = 0, serve = 1, c;
    uint64_t seed = DEMO_DEFAULT_SEED;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l': listen = optarg; break;
        case 'f': force = 1; break;
        case 'n': serve = 0; break;
        case 's': {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || optarg[0] == '-')
                return cli_usage("demo", "--seed: expected a non-negative integer, got '%s'", optarg);
            seed = v;
            break;
        }
        case 'h':
            printf("usage: tradebridge demo [--db PATH] [--force] [--seed N] [--no-serve] [--listen HOST:PORT]\n\n"
                   "Builds a demonstration database (default demo.db): the foundation, national\n"
                   "operators in Sweden, Slovenia and Estonia, one login per role, and a programme\n"
                   "generated from --seed (default %u; the same seed gives the same data): about\n"
                   "60 SMEs, 200 graduates, cohorts, positions, applications and placements. Prints\n"
                   "the logins, then serves it (like 'tradebridge serve'). --force replaces an\n"
                   "existing file. The passwords are for demonstration only.\n", DEMO_DEFAULT_SEED);
            return EXIT_OK;
        default:
            return cli_usage("demo", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("demo", "unexpected argument '%s'", argv[optind]);
    if (cli_lock_db("demo", db) < 0)   /* never rebuild a file a server is serving */
        return EXIT_RUNTIME;
    if (access(db, F_OK) == 0) {
        if (!force) {
            fprintf(stderr, "tradebridge demo: %s already exists; pass --force to rebuild it\n", db);
            return EXIT_RUNTIME;
        }
        char side[4096];
        unlink(db);
        snprintf(side, sizeof side, "%s-wal", db);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", db);
        unlink(side);
    }
    if (auth_init() < 0)
        return EXIT_RUNTIME;
    struct store *st = cli_create_store("demo", db);
    if (!st)
        return EXIT_RUNTIME;
    struct tb_err err = {0};
    struct demo_counts counts;
    int rc = store_begin(st, &err);
    int past = 0;
    if (rc == 0 && demo_build(st, seed, &counts, &err) == 0 && cli_fx_load_embedded(st, &err) == 0)
        rc = store_commit(st, &err);
    else if (rc == 0) {
        store_rollback(st);
        rc = -1;
    }
    /* Credentials need a key-encryption key; the demo brings its own,
     * used only when none is configured, and says so. */
    const char *kek = getenv("TRADEBRIDGE_KEK");
    int demo_kek = !kek || !*kek;
    if (demo_kek) {
        setenv("TRADEBRIDGE_KEK", DEMO_KEK, 1);
        kek = DEMO_KEK;
    }
    /* Credentials name the server's address: the one it will listen on,
     * unless a public URL is configured. */
    const char *public_url = getenv("TRADEBRIDGE_PUBLIC_URL");
    char listen_url[300];
    if (!public_url || !*public_url) {
        size_t n = listen ? strlen(listen) : 0;
        int fixed_port = n > 2 && strcmp(listen + n - 2, ":0");   /* port 0 is not known yet */
        snprintf(listen_url, sizeof listen_url, "http://%s", fixed_port ? listen : "127.0.0.1:8080");
        public_url = listen_url;
        if (fixed_port)
            setenv("TRADEBRIDGE_PUBLIC_URL", listen_url, 1);
    }
    int issued = 0, plans = 0;
    if (rc == 0)
        rc = demo_credentials(st, public_url, kek, &issued, &err);
    /* Market selection: the real shrimp extract, then the export plans. */
    if (rc == 0 && demo_trade_import(db) < 0)
        fprintf(stderr, "tradebridge demo: the BACI extract could not be imported; rankings will be empty\n");
    if (rc == 0)
        rc = demo_plans(st, db, &plans, &err);
    /* Impact: past cohorts, after the credentials and plans of the current ones. */
    if (rc == 0 && (rc = store_begin(st, &err)) == 0) {
        rc = demo_impact(st, seed, &past, &err);
        if (rc == 0)
            rc = store_commit(st, &err);
        else
            store_rollback(st);
    }
    int contacts = 0, links = 0, intros = 0;   /* the trade network (issue 15) */
    if (rc == 0)
        rc = demo_network(st, &contacts, &links, &intros, &err);
    if (rc == 0)   /* a PostgreSQL demo is often copied as a template */
        rc = store_log_sequences(st, &err);
    store_close(st);
    if (rc < 0)
        return cli_fail("demo", &err);
    printf("Demo database: %s\n\nDemo logins (password for all: %s; demonstration only):\n", db, DEMO_PASSWORD);
    for (size_t i = 0; i < sizeof logins / sizeof logins[0]; i++)
        printf("  %-12s %-38s %s\n", logins[i].role, logins[i].email, logins[i].what);
    printf("\nProgramme (seed %llu): %d companies, %d graduates, %d cohorts, %d positions, %d applications,\n"
           "%d placements; %d users (the company managers, mentors and placed trainees share the password).\n\n",
           (unsigned long long)seed, counts.companies, counts.graduates, counts.cohorts, counts.positions,
           counts.applications, counts.placements, counts.users);
    printf("Qualification: every operator accredited; %d signed credentials issued for completed placements.\n"
           "Verify one at %s/verify (Qualifications page, or the QR code on its PDF certificate).\n", issued, public_url);
    printf("Markets: the real CEPII BACI 2018 shrimp extract (HS12, data/trade) is imported; %d export plans,\n"
           "one for the seafood exporter " "Bohus Skaldjur AB" " citing its ranking and one per placement\n"
           "(their sales targets, actuals and other products' rankings are SYNTHETIC demonstration figures).\n", plans);
    printf("Impact: %d placements in past cohorts (2021-2023) with baselines, costs, follow-up surveys with some\n"
           "non-response and a register comparison group (SYNTHETIC figures); see the Impact page.\n", past);
    printf("Trade network: %d contacts (alumni included), %d relationships, %d introductions in every state.\n",
           contacts, links, intros);
    if (demo_kek)
        printf("Signing keys are sealed with the demo's key-encryption key TRADEBRIDGE_KEK=%s\n"
               "(demonstration only: set your own for real use; serve this database again with it).\n", DEMO_KEK);
    printf("\n");
    fflush(stdout);
    if (!serve)
        return EXIT_OK;
    char *serve_argv[8];
    int n = 0;
    serve_argv[n++] = "serve";
    serve_argv[n++] = "--db";
    serve_argv[n++] = (char *)db;
    if (listen) {
        serve_argv[n++] = "--listen";
        serve_argv[n++] = (char *)listen;
    }
    serve_argv[n] = NULL;
    return cli_serve_main(n, serve_argv);
}
