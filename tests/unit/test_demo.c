/* Unit tests: the demo programme (src/cli/demo_programme.c). The same seed
 * gives the same data; the programme has what a demonstration needs (every
 * position status and application stage, signed and draft placements, the
 * demo logins bound to their records); codes are real; graduates' language
 * levels follow the rule stated in src/cli/demo.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/demo.h"
#include "core/agreement.h"
#include "core/auth.h"
#include "core/codes.h"
#include "service/placement_service.h"
#include "store/entity.h"
#include "store/store.h"

static char dbpath[256];

static void remove_db(const char *path)
{
    char side[300];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static struct store *build(uint64_t seed, struct demo_counts *counts)
{
    snprintf(dbpath, sizeof dbpath, "/tmp/tb-demo-test-%d.db", (int)getpid());
    remove_db(dbpath);
    struct store *st;
    struct tb_err err = {0};
    int applied;
    assert_int_equal(store_open(dbpath, &st, &err), 0);
    assert_int_equal(store_migrate(st, NULL, &applied, &err), 0);
    struct demo_counts local;
    assert_int_equal(store_begin(st, &err), 0);
    int rc = demo_build(st, seed, counts ? counts : &local, &err);
    if (rc < 0)
        print_error("demo_build: %s (%s)\n", err.message, err.field);
    assert_int_equal(rc, 0);
    assert_int_equal(store_commit(st, &err), 0);
    return st;
}

static void done(struct store *st)
{
    store_close(st);
    remove_db(dbpath);
}

/* Every row of an entity, in id order, as the system sees it. */
static json_t *all_of(struct store *st, enum entity e)
{
    struct tb_actor sys = actor_system();
    json_t *all = json_array(), *filters = json_object();
    char *cursor = NULL;
    for (;;) {
        struct list_query q = {.limit = 200, .cursor = cursor};
        struct list_page page = {0};
        struct tb_err err = {0};
        assert_int_equal(store_entity_list(st, &sys, e, &q, filters, &page, &err), 0);
        json_array_extend(all, page.items);
        free(cursor);
        cursor = page.next_cursor ? strdup(page.next_cursor) : NULL;
        list_page_free(&page);
        if (!cursor)
            break;
    }
    json_decref(filters);
    return all;
}

static json_t *all_users(struct store *st)
{
    struct tb_actor sys = actor_system();
    json_t *all = json_array();
    char *cursor = NULL;
    for (;;) {
        struct list_query q = {.limit = 200, .cursor = cursor};
        struct list_page page = {0};
        struct tb_err err = {0};
        assert_int_equal(store_user_list(st, &sys, &q, &page, &err), 0);
        json_array_extend(all, page.items);
        free(cursor);
        cursor = page.next_cursor ? strdup(page.next_cursor) : NULL;
        list_page_free(&page);
        if (!cursor)
            break;
    }
    return all;
}

/* The store stamps these with the clock; everything else comes from the seed. */
static void strip_clock(json_t *row)
{
    json_object_del(row, "created_at");
    json_object_del(row, "updated_at");
    json_object_del(row, "at");
}

static void append(char **buf, size_t *len, json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    size_t n = strlen(text);
    *buf = realloc(*buf, *len + n + 2);
    memcpy(*buf + *len, text, n);
    (*buf)[*len + n] = '\n';
    *len += n + 1;
    (*buf)[*len] = '\0';
    free(text);
}

/* Everything the demo wrote, less clock stamps and password hashes. */
static char *dump(struct store *st)
{
    struct tb_actor sys = actor_system();
    struct tb_err err = {0};
    char *buf = calloc(1, 1);
    size_t len = 0;
    size_t i;
    json_t *row;
    for (int e = 0; e < ENT__MAX; e++) {
        json_t *rows = all_of(st, (enum entity)e);
        json_array_foreach(rows, i, row) {
            strip_clock(row);
            append(&buf, &len, row);
            int64_t id = json_integer_value(json_object_get(row, "id"));
            json_t *sub = NULL, *x;
            size_t k;
            if (e == ENT_APPLICATION)
                assert_int_equal(store_application_events(st, &sys, id, &sub, &err), 0);
            else if (e == ENT_PLACEMENT)
                assert_int_equal(store_agreement_list(st, &sys, id, &sub, &err), 0);
            if (sub) {
                json_array_foreach(sub, k, x)
                    strip_clock(x);
                append(&buf, &len, sub);
                json_decref(sub);
            }
        }
        json_decref(rows);
    }
    json_t *users = all_users(st);
    json_array_foreach(users, i, row) {
        strip_clock(row);
        append(&buf, &len, row);
        json_t *roles;
        assert_int_equal(store_user_roles(st, json_integer_value(json_object_get(row, "id")), &roles, &err), 0);
        append(&buf, &len, roles);
        json_decref(roles);
    }
    json_decref(users);
    return buf;
}

static void same_seed_same_data(void **state)
{
    (void)state;
    struct demo_counts c1, c2;
    struct store *st = build(42, &c1);
    char *a = dump(st);
    done(st);
    st = build(42, &c2);
    char *b = dump(st);
    done(st);
    assert_true(strlen(a) > 100000);
    assert_string_equal(a, b);
    assert_memory_equal(&c1, &c2, sizeof c1);
    st = build(43, NULL);
    char *c = dump(st);
    done(st);
    assert_true(strcmp(a, c) != 0);
    free(a);
    free(b);
    free(c);
}

static int count_where(json_t *rows, const char *key, const char *value)
{
    int n = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *v = json_string_value(json_object_get(row, key));
        n += v && !strcmp(v, value);
    }
    return n;
}

static void counts_for_seed(uint64_t seed)
{
    struct store *st = build(seed, NULL);
    json_t *companies = all_of(st, ENT_COMPANY), *graduates = all_of(st, ENT_GRADUATE),
           *cohorts = all_of(st, ENT_COHORT), *positions = all_of(st, ENT_POSITION),
           *apps = all_of(st, ENT_APPLICATION), *placements = all_of(st, ENT_PLACEMENT);
    assert_in_range(json_array_size(companies), 50, 70);
    assert_in_range(json_array_size(graduates), 180, 220);
    static const char *const pstatus[] = {"draft", "submitted", "approved", "open", "closed", "filled"};
    for (int i = 0; i < 6; i++)
        assert_true(count_where(positions, "status", pstatus[i]) >= 2);
    static const char *const stages[] = {"applied", "screened", "interview", "shortlisted", "offered",
                                         "accepted", "declined", "rejected", "withdrawn"};
    for (int i = 0; i < 9; i++)
        assert_true(count_where(apps, "stage", stages[i]) >= 2);
    assert_true(count_where(placements, "status", "signed") >= 5);
    assert_true(count_where(placements, "status", "completed") >= 2);
    assert_true(count_where(placements, "status", "draft") >= 3);

    /* Two cohorts or more per operator, each with sensible dates. */
    json_t *per_org = json_object();
    size_t i;
    json_t *row;
    json_array_foreach(cohorts, i, row) {
        char key[32];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(row, "org_id")));
        json_object_set_new(per_org, key, json_integer(json_integer_value(json_object_get(per_org, key)) + 1));
        assert_true(strcmp(json_string_value(json_object_get(row, "start_date")),
                           json_string_value(json_object_get(row, "end_date"))) < 0);
    }
    assert_int_equal(json_object_size(per_org), 3);
    const char *k;
    json_t *v;
    json_object_foreach(per_org, k, v)
        assert_true(json_integer_value(v) >= 2);
    json_decref(per_org);

    /* Signed and completed placements: three acceptances of the current terms, locked. */
    struct tb_actor sys = actor_system();
    struct tb_err err = {0};
    json_array_foreach(placements, i, row) {
        const char *status = json_string_value(json_object_get(row, "status"));
        json_t *acc;
        assert_int_equal(store_agreement_list(st, &sys, json_integer_value(json_object_get(row, "id")), &acc, &err), 0);
        char hash[65];   /* a draft's terms carry its learning plan */
        assert_int_equal(placement_service_terms_hash(st, &sys, row, hash, &err), 0);
        size_t j;
        json_t *a;
        json_array_foreach(acc, j, a)
            assert_string_equal(json_string_value(json_object_get(a, "terms_hash")), hash);
        if (!strcmp(status, "signed") || !strcmp(status, "completed")) {
            assert_int_equal(json_array_size(acc), 3);
            assert_true(json_is_string(json_object_get(row, "locked_at")));
            assert_string_equal(json_string_value(json_object_get(row, "agreement_hash")), hash);
        } else {
            assert_true(json_array_size(acc) < 3);
            assert_true(json_is_null(json_object_get(row, "locked_at")));
        }
        assert_true(json_is_integer(json_object_get(row, "mentor_user_id")));
        assert_true(strlen(json_string_value(json_object_get(row, "objectives"))) > 100);
        assert_true(strlen(json_string_value(json_object_get(row, "learning_plan"))) > 100);
        json_decref(acc);
    }
    /* A filled position has its one accepted application and its placement. */
    json_array_foreach(positions, i, row) {
        if (strcmp(json_string_value(json_object_get(row, "status")), "filled"))
            continue;
        json_int_t id = json_integer_value(json_object_get(row, "id"));
        int accepted = 0, placed = 0;
        size_t j;
        json_t *x;
        json_array_foreach(apps, j, x)
            accepted += json_integer_value(json_object_get(x, "position_id")) == id &&
                        !strcmp(json_string_value(json_object_get(x, "stage")), "accepted");
        json_array_foreach(placements, j, x)
            placed += json_integer_value(json_object_get(x, "position_id")) == id;
        assert_int_equal(accepted, 1);
        assert_int_equal(placed, 1);
    }
    /* Every history walks through the stages in order. */
    json_array_foreach(apps, i, row) {
        json_t *events;
        assert_int_equal(store_application_events(st, &sys, json_integer_value(json_object_get(row, "id")), &events,
                                                  &err), 0);
        assert_true(json_array_size(events) >= 2 || !strcmp(json_string_value(json_object_get(row, "stage")), "applied"));
        size_t j;
        json_t *ev;
        const char *prev = NULL;
        json_array_foreach(events, j, ev) {
            const char *from = json_string_value(json_object_get(ev, "from_stage"));
            const char *to = json_string_value(json_object_get(ev, "to_stage"));
            if (!prev)
                assert_null(from);
            else
                assert_string_equal(from, prev);
            assert_true(json_is_integer(json_object_get(ev, "user_id")));
            prev = to;
        }
        assert_string_equal(prev, json_string_value(json_object_get(row, "stage")));
        json_decref(events);
    }
    json_decref(companies);
    json_decref(graduates);
    json_decref(cohorts);
    json_decref(positions);
    json_decref(apps);
    json_decref(placements);
    done(st);
}

static void counts_in_range(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {DEMO_DEFAULT_SEED, 2, 99};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
        counts_for_seed(seeds[i]);
}

static int in_list(enum code_list l, json_t *arr, int need_level)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        const struct code_entry *e = codes_find(l, json_string_value(v));
        if (!e || (need_level && e->level != need_level))
            return 0;
    }
    return 1;
}

static int ascii_only(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

static void codes_are_real(void **state)
{
    (void)state;
    struct store *st = build(7, NULL);
    json_t *companies = all_of(st, ENT_COMPANY), *positions = all_of(st, ENT_POSITION);
    size_t i;
    json_t *c;
    json_array_foreach(companies, i, c) {
        const struct code_entry *nace = codes_find(CODES_NACE, json_string_value(json_object_get(c, "nace")));
        assert_non_null(nace);
        assert_int_equal(nace->level, 4);
        assert_true(in_list(CODES_HS, json_object_get(c, "products"), 6));
        assert_true(json_array_size(json_object_get(c, "products")) >= 1);
        assert_true(in_list(CODES_COUNTRY, json_object_get(c, "export_markets"), 0));
        assert_true(in_list(CODES_COUNTRY, json_object_get(c, "target_markets"), 0));
        assert_true(json_array_size(json_object_get(c, "target_markets")) >= 1);
        const char *country = json_string_value(json_object_get(c, "country"));
        const char *currency = json_string_value(json_object_get(c, "currency"));
        assert_string_equal(currency, !strcmp(country, "SE") ? "SEK" : "EUR");
        json_int_t emp = json_integer_value(json_object_get(c, "employees"));
        assert_in_range(emp, 8, 240);
        json_int_t t = json_integer_value(json_object_get(c, "turnover")),
                   x = json_integer_value(json_object_get(c, "export_turnover"));
        assert_true(t > 0 && x > 0 && x < t);
        const char *site = json_string_value(json_object_get(c, "website"));
        assert_true(!strncmp(site, "https://", 8) && strlen(site) > 16 &&
                    !strcmp(site + strlen(site) - 8, ".example"));
        assert_true(ascii_only(site));
        const char *name = json_string_value(json_object_get(c, "legal_name"));
        const char *suffix = !strcmp(country, "SE") ? " AB" : !strcmp(country, "SI") ? " d.o.o." : " OÜ";
        assert_string_equal(name + strlen(name) - strlen(suffix), suffix);
        size_t j;
        json_t *p;
        json_array_foreach(json_object_get(c, "contacts"), j, p)
            assert_true(ascii_only(json_string_value(json_object_get(p, "email"))));
    }
    json_array_foreach(positions, i, c) {
        /* A position's markets are the company's: where it sells or wants to. */
        json_t *co = NULL;
        size_t j;
        json_t *m, *x;
        json_array_foreach(companies, j, x)
            if (json_equal(json_object_get(x, "id"), json_object_get(c, "company_id")))
                co = x;
        assert_non_null(co);
        json_array_foreach(json_object_get(c, "target_markets"), j, m) {
            int known = 0;
            size_t k;
            json_t *y;
            json_array_foreach(json_object_get(co, "export_markets"), k, y)
                known |= json_equal(y, m);
            json_array_foreach(json_object_get(co, "target_markets"), k, y)
                known |= json_equal(y, m);
            if (!known)
                fail_msg("position %lld: market %s is not one of %s's", (long long)json_integer_value(json_object_get(c, "id")),
                         json_string_value(m), json_string_value(json_object_get(co, "legal_name")));
        }
        assert_true(in_list(CODES_HS, json_object_get(c, "products"), 6));
        assert_true(in_list(CODES_COUNTRY, json_object_get(c, "target_markets"), 0));
        assert_true(in_list(CODES_ISCED_F, json_object_get(c, "fields"), 0));
        json_int_t months = json_integer_value(json_object_get(c, "duration_months"));
        assert_in_range(months, 6, 12);
        /* Each target market's first language is required. */
        json_array_foreach(json_object_get(c, "target_markets"), j, m) {
            char first[4] = "";
            const char *langs = codes_country_languages(json_string_value(m));
            assert_non_null(langs);
            sscanf(langs, "%3s", first);
            int found = 0;
            size_t k;
            json_t *l;
            json_array_foreach(json_object_get(c, "languages"), k, l) {
                found |= !strcmp(json_string_value(json_object_get(l, "code")), first);
                assert_true(codes_cefr_rank(json_string_value(json_object_get(l, "min_level"))) >= 4);
            }
            /* Belgium (nl fr de) is sold to together with France: fr covers it. */
            if (!found)
                assert_string_equal(json_string_value(m), "BE");
        }
    }
    json_decref(companies);
    json_decref(positions);
    done(st);
}

/* Months spent in countries where `lang` is official. */
static int months_with(json_t *countries, const char *lang)
{
    int months = 0;
    size_t i;
    json_t *c;
    json_array_foreach(countries, i, c) {
        const char *langs = codes_country_languages(json_string_value(json_object_get(c, "country")));
        char buf[64];
        snprintf(buf, sizeof buf, " %s ", langs ? langs : "");
        char want[8];
        snprintf(want, sizeof want, " %s ", lang);
        if (strstr(buf, want))
            months += (int)json_integer_value(json_object_get(c, "months"));
    }
    return months;
}

static void language_levels_fit_history(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        struct store *st = build(seed == 3 ? DEMO_DEFAULT_SEED : seed, NULL);
        json_t *graduates = all_of(st, ENT_GRADUATE);
        size_t i;
        json_t *g;
        int with_consent = 0;
        json_array_foreach(graduates, i, g) {
            const char *name = json_string_value(json_object_get(g, "name"));
            const char *nat = json_string_value(json_object_get(g, "nationality"));
            char native_lang[4] = "";
            sscanf(codes_country_languages(nat), "%3s", native_lang);
            json_t *langs = json_object_get(g, "languages"), *countries = json_object_get(g, "countries");
            int natives = 0;
            size_t j;
            json_t *l;
            json_array_foreach(langs, j, l) {
                const char *code = json_string_value(json_object_get(l, "code"));
                const char *level = json_string_value(json_object_get(l, "level"));
                int rank = codes_cefr_rank(level);
                assert_non_null(codes_find(CODES_LANGUAGE, code));
                assert_true(rank >= 1);
                if (rank == 7) {
                    natives++;
                    if (strcmp(code, native_lang))
                        fail_msg("%s: native %s, nationality %s", name, code, nat);
                    continue;
                }
                if (!strcmp(code, "en")) {
                    assert_true(rank >= 3);
                    continue;
                }
                int m = months_with(countries, code);
                int max = m >= 24 ? 6 : m >= 12 ? 5 : m >= 6 ? 4 : 3;
                if (rank > max)
                    fail_msg("%s: %s %s after %d months", name, code, level, m);
            }
            assert_int_equal(natives, 1);
            json_t *c;
            json_array_foreach(countries, j, c) {
                int months = (int)json_integer_value(json_object_get(c, "months"));
                char first[4] = "";
                sscanf(codes_country_languages(json_string_value(json_object_get(c, "country"))), "%3s", first);
                if (months < 6 || !strcmp(first, "en") || !strcmp(first, native_lang))
                    continue;
                int rank = 0;
                size_t k;
                json_array_foreach(langs, k, l)
                    if (!strcmp(json_string_value(json_object_get(l, "code")), first))
                        rank = codes_cefr_rank(json_string_value(json_object_get(l, "level")));
                if (rank < 3)
                    fail_msg("%s: %d months in %s but %s at rank %d", name, months,
                             json_string_value(json_object_get(c, "country")), first, rank);
            }
            const char *eqf = json_string_value(json_object_get(g, "eqf_level"));
            assert_true(!strcmp(eqf, "6") || !strcmp(eqf, "7"));
            assert_non_null(codes_find(CODES_ISCED_F, json_string_value(json_object_get(g, "field"))));
            assert_true(ascii_only(json_string_value(json_object_get(g, "email"))));
            json_t *consent = json_object_get(g, "consent");
            if (json_is_object(consent)) {
                with_consent++;
                assert_string_equal(json_string_value(json_object_get(consent, "purpose")),
                                    "Recruitment for the export trainee programme");
                assert_string_equal(json_string_value(json_object_get(consent, "text_version")), "2026-01");
                assert_true(json_is_integer(json_object_get(consent, "given_by")));
            }
        }
        assert_true(with_consent * 10 >= (int)json_array_size(graduates) * 8);
        json_decref(graduates);
        done(st);
    }
}

/* The demo logins see a story: the company manager their SME, the trainee
 * their record with a placement to sign, the mentor their trainees. */
static void logins_are_bound(void **state)
{
    (void)state;
    struct store *st = build(DEMO_DEFAULT_SEED, NULL);
    struct tb_err err = {0};
    struct user_auth u;
    struct tb_actor a;
    json_t *row;

    assert_int_equal(store_user_auth_by_email(st, "company@demo.tradebridge.org", &u, &err), 0);
    assert_int_equal(store_actor_load(st, u.id, &a, &err), 0);
    assert_true(actor_has(&a, ROLE_BIT(ROLE_COMPANY)));
    assert_true(a.subject_id > 0);
    assert_int_equal(store_entity_get(st, &a, ENT_COMPANY, a.subject_id, &row, &err), 0);
    assert_string_equal(json_string_value(json_object_get(row, "country")), "SE");
    assert_string_equal(json_string_value(json_object_get(row, "legal_name")), "Norrland Pumpteknik AB");
    json_decref(row);

    assert_int_equal(store_user_auth_by_email(st, "trainee@demo.tradebridge.org", &u, &err), 0);
    assert_int_equal(store_actor_load(st, u.id, &a, &err), 0);
    assert_true(actor_has(&a, ROLE_BIT(ROLE_TRAINEE)));
    assert_int_equal(store_entity_get(st, &a, ENT_GRADUATE, a.subject_id, &row, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(row, "user_id")), u.id);
    json_decref(row);
    struct list_query q = {.limit = 200};
    struct list_page page = {0};
    json_t *filters = json_object();
    assert_int_equal(store_entity_list(st, &a, ENT_APPLICATION, &q, filters, &page, &err), 0);
    assert_true(json_array_size(page.items) >= 2);
    list_page_free(&page);
    assert_int_equal(store_entity_list(st, &a, ENT_PLACEMENT, &q, filters, &page, &err), 0);
    assert_int_equal(json_array_size(page.items), 1);
    row = json_array_get(page.items, 0);
    assert_string_equal(json_string_value(json_object_get(row, "status")), "draft");
    json_t *acc;
    struct tb_actor sys = actor_system();
    assert_int_equal(store_agreement_list(st, &sys, json_integer_value(json_object_get(row, "id")), &acc, &err), 0);
    assert_int_equal(json_array_size(acc), 2);   /* operator and company; the trainee's is pending */
    size_t i;
    json_t *x;
    json_array_foreach(acc, i, x)
        assert_string_not_equal(json_string_value(json_object_get(x, "party")), "trainee");
    json_decref(acc);
    list_page_free(&page);

    assert_int_equal(store_user_auth_by_email(st, "mentor@demo.tradebridge.org", &u, &err), 0);
    assert_int_equal(store_actor_load(st, u.id, &a, &err), 0);
    assert_int_equal(store_entity_list(st, &a, ENT_PLACEMENT, &q, filters, &page, &err), 0);
    assert_true(json_array_size(page.items) >= 2);
    list_page_free(&page);

    assert_int_equal(store_user_auth_by_email(st, "coordinator.ee@demo.tradebridge.org", &u, &err), 0);
    json_decref(filters);
    done(st);
}

int main(void)
{
    if (auth_init() < 0)
        return 1;
    auth_set_pw_cost(PW_COST_MIN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_data),
        cmocka_unit_test(counts_in_range),
        cmocka_unit_test(codes_are_real),
        cmocka_unit_test(language_levels_fit_history),
        cmocka_unit_test(logins_are_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
