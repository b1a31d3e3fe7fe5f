/* Unit tests: validation of declared fields, passwords and tokens,
 * configuration precedence, login throttling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/auth.h"
#include "core/config.h"
#include "core/date.h"
#include "core/proxy.h"
#include "core/throttle.h"
#include "core/validate.h"

static const char *const colours[] = {"red", "green", NULL};
static const struct field_spec item = {.type = FT_STRING, .min = 1, .max = 5};
static const struct field_spec fields[] = {
    {.name = "email", .type = FT_EMAIL, .required = 1, .min = 3, .max = 254},
    {.name = "name", .type = FT_STRING, .min = 1, .max = 10},
    {.name = "age", .type = FT_INT, .min = 16, .max = 99},
    {.name = "start", .type = FT_DATE},
    {.name = "colour", .type = FT_ENUM, .allowed = colours},
    {.name = "country", .type = FT_CODE, .code_list = 7},
    {.name = "tags", .type = FT_ARRAY, .max = 2, .items = &item},
    {0},
};

static int only_se(int list, const char *code)
{
    return list == 7 && !strcmp(code, "SE");
}

static int check(const char *json, int partial, struct tb_err *err)
{
    json_error_t je;
    json_t *o = json_loads(json, 0, &je);
    assert_non_null(o);
    int rc = validate_object(o, fields, partial, err);
    json_decref(o);
    return rc;
}

static void fields_are_checked_and_named(void **state)
{
    (void)state;
    struct tb_err e;
    validate_set_code_checker(only_se);
    assert_int_equal(check("{\"email\":\"a@b.se\"}", 0, &e), 0);
    assert_int_equal(check("{}", 0, &e), -1);
    assert_string_equal(e.field, "email");
    assert_string_equal(e.message, "email: is required");
    assert_int_equal(check("{}", 1, &e), 0);   /* PATCH */
    assert_int_equal(check("{\"email\":\"nope\"}", 0, &e), -1);
    assert_string_equal(e.message, "email: not a valid address");
    assert_int_equal(check("{\"email\":\"a@b.se\",\"name\":\"Åsa Öberg-Lindström\"}", 0, &e), -1);
    assert_string_equal(e.field, "name");
    assert_int_equal(check("{\"email\":\"a@b.se\",\"name\":\"Åsa Öberg\"}", 0, &e), 0);   /* 9 characters, 11 bytes */
    assert_int_equal(check("{\"email\":\"a@b.se\",\"age\":12}", 0, &e), -1);
    assert_string_equal(e.field, "age");
    assert_int_equal(check("{\"email\":\"a@b.se\",\"age\":\"20\"}", 0, &e), -1);
    assert_int_equal(check("{\"email\":\"a@b.se\",\"start\":\"2026-02-29\"}", 0, &e), -1);
    assert_int_equal(check("{\"email\":\"a@b.se\",\"start\":\"2028-02-29\"}", 0, &e), 0);
    assert_int_equal(check("{\"email\":\"a@b.se\",\"colour\":\"blue\"}", 0, &e), -1);
    assert_string_equal(e.message, "colour: must be one of red, green");
    assert_int_equal(check("{\"email\":\"a@b.se\",\"country\":\"XX\"}", 0, &e), -1);
    assert_string_equal(e.field, "country");
    assert_int_equal(check("{\"email\":\"a@b.se\",\"country\":\"SE\"}", 0, &e), 0);
    assert_int_equal(check("{\"email\":\"a@b.se\",\"extra\":1}", 0, &e), -1);
    assert_string_equal(e.message, "extra: unknown field");
    assert_int_equal(check("{\"email\":\"a@b.se\",\"tags\":[\"a\",\"b\",\"c\"]}", 0, &e), -1);
    assert_int_equal(check("{\"email\":\"a@b.se\",\"tags\":[\"a\",\"toolong\"]}", 0, &e), -1);
    assert_string_equal(e.field, "tags[1]");
    assert_int_equal(check("{\"email\":\"a@b.se\",\"name\":\"a\\u0001b\"}", 0, &e), -1);
}

static void utf8_is_strict(void **state)
{
    (void)state;
    assert_true(valid_utf8("Škoda ÅÄÖ 日本", strlen("Škoda ÅÄÖ 日本")));
    assert_false(valid_utf8("\xC0\xAF", 2));           /* overlong */
    assert_false(valid_utf8("\xED\xA0\x80", 3));       /* surrogate */
    assert_false(valid_utf8("\xF4\x90\x80\x80", 4));   /* above U+10FFFF */
    assert_false(valid_utf8("abc\xE2\x82", 5));        /* truncated */
    assert_int_equal(utf8_chars("Åsa"), 3);
}

/* Text cut to a byte count never ends inside a character. */
static void utf8_cuts_at_character_boundaries(void **state)
{
    (void)state;
    const char *s = "a\xC3\xA9\xE6\x97\xA5\xF0\x9F\x98\x80";   /* a é 日 😀: 1+2+3+4 bytes */
    static const size_t want[] = {0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10};
    for (size_t len = 0; len <= 10; len++)
        assert_int_equal(utf8_cut(s, len), want[len]);
    char buf[8];
    assert_int_equal(utf8_snprintf(buf, sizeof buf, "%s", s), 10);
    assert_string_equal(buf, "a\xC3\xA9\xE6\x97\xA5");   /* 6 bytes: 😀 would need 4 more */
    assert_true(valid_utf8(buf, strlen(buf)));
    assert_int_equal(utf8_snprintf(buf, sizeof buf, "ab"), 2);
    assert_string_equal(buf, "ab");
    /* an error naming an unknown field of 128 'é' stays valid UTF-8 */
    char field[257] = "";
    for (int i = 0; i < 128; i++)
        strcat(field, "\xC3\xA9");
    struct tb_err e;
    TB_INVALID(&e, field, "%s: unknown field", field);
    assert_true(valid_utf8(e.field, strlen(e.field)));
    assert_true(valid_utf8(e.message, strlen(e.message)));
    assert_int_equal(strlen(e.field), 62);
    assert_int_equal(strlen(e.message), 254);
}

static void passwords_hash_and_verify(void **state)
{
    (void)state;
    struct tb_err e;
    char hash[PW_HASH_MAX];
    assert_int_equal(auth_init(), 0);
    auth_set_pw_cost(PW_COST_MIN);
    assert_int_equal(auth_hash_password("correct horse battery", hash, &e), 0);
    assert_non_null(strstr(hash, "$argon2id$"));
    assert_int_equal(auth_check_password(hash, "correct horse battery"), 0);
    assert_int_equal(auth_check_password(hash, "correct horse batterx"), -1);
    assert_int_equal(auth_check_password("", "x"), -1);
    assert_int_equal(auth_password_policy("short", &e), -1);
    assert_string_equal(e.field, "password");
    assert_int_equal(auth_password_policy("long enough pw", &e), 0);
}

static void tokens_are_random_and_hashed(void **state)
{
    (void)state;
    char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1], ha[TOKEN_HASH_LEN + 1], ha2[TOKEN_HASH_LEN + 1];
    auth_random_token(a);
    auth_random_token(b);
    assert_int_equal(strlen(a), TOKEN_LEN);
    assert_string_not_equal(a, b);
    auth_token_hash(a, ha);
    auth_token_hash(a, ha2);
    assert_string_equal(ha, ha2);
    assert_string_not_equal(ha, a);
    assert_true(auth_const_eq(a, a));
    assert_false(auth_const_eq(a, b));
    enum tb_role r;
    assert_int_equal(role_parse("mentor", &r), 0);
    assert_int_equal(r, ROLE_MENTOR);
    assert_int_equal(role_parse("boss", &r), -1);
}

static const char *fake_env(const char *name)
{
    if (!strcmp(name, "TRADEBRIDGE_DB"))
        return "/env.db";
    if (!strcmp(name, "TRADEBRIDGE_THREADS"))
        return "3";
    return NULL;
}

static const char *bad_env(const char *name)
{
    return !strcmp(name, "TRADEBRIDGE_MAX_BODY") ? "lots" : NULL;
}

static void config_flags_beat_environment(void **state)
{
    (void)state;
    struct config c;
    struct tb_err e;
    int help;
    config_defaults(&c);
    assert_string_equal(c.listen, "127.0.0.1:8080");
    /* The option table and its bindings line up (defaults land in their fields). */
    assert_int_equal(c.connection_timeout, 30);
    assert_int_equal(c.request_timeout, 15);
    assert_int_equal(c.max_connections_per_address, 32);
    assert_int_equal(c.session_idle, 7200);
    char *argv5[] = {"serve", "--request-timeout", "0", NULL};
    assert_int_equal(config_parse(&c, 3, argv5, NULL, &help, &e), -1);
    assert_string_equal(e.field, "--request-timeout");
    char *argv6[] = {"serve", "--max-connections-per-address=0", NULL};
    config_defaults(&c);
    assert_int_equal(config_parse(&c, 2, argv6, NULL, &help, &e), 0);
    assert_int_equal(c.max_connections_per_address, 0);
    config_defaults(&c);
    char *argv[] = {"serve", "--db", "/flag.db", "--listen=0.0.0.0:9000", NULL};
    assert_int_equal(config_parse(&c, 4, argv, fake_env, &help, &e), 0);
    assert_string_equal(c.db_path, "/flag.db");
    assert_string_equal(c.listen, "0.0.0.0:9000");
    assert_int_equal(c.threads, 3);
    config_defaults(&c);
    assert_int_equal(config_parse(&c, 1, argv, bad_env, &help, &e), -1);
    assert_string_equal(e.field, "TRADEBRIDGE_MAX_BODY");
    config_defaults(&c);
    char *argv2[] = {"serve", "--bogus", NULL};
    assert_int_equal(config_parse(&c, 2, argv2, NULL, &help, &e), -1);
    char *argv3[] = {"serve", "--listen", "nowhere", NULL};
    config_defaults(&c);
    assert_int_equal(config_parse(&c, 3, argv3, NULL, &help, &e), -1);
    assert_string_equal(e.field, "--listen");
    char *argv4[] = {"serve", "--help", NULL};
    assert_int_equal(config_parse(&c, 2, argv4, NULL, &help, &e), 0);
    assert_true(help);
}

static void throttle_blocks_after_failures_and_forgets(void **state)
{
    (void)state;
    struct throttle *t = throttle_new(3, 60, 0);
    assert_int_equal(throttle_check(t, "a:x", 1000), 0);
    for (int i = 0; i < 3; i++)
        throttle_hit(t, "a:x", 1000);
    assert_int_equal(throttle_check(t, "a:x", 1010), 50);
    assert_int_equal(throttle_check(t, "a:y", 1010), 0);
    assert_int_equal(throttle_check(t, "a:x", 1061), 0);   /* window over */
    throttle_hit(t, "a:z", 1000);
    throttle_reset(t, "a:z");
    assert_int_equal(throttle_check(t, "a:z", 1000), 0);
    for (int i = 0; i < 3; i++)
        throttle_hit(t, "a:w", 1000);
    throttle_forgive(t, "a:w");
    assert_int_equal(throttle_check(t, "a:w", 1000), 0);
    throttle_free(t);
}

static void throttle_tables_are_bounded_without_losing_accounts(void **state)
{
    (void)state;
    /* Bounded: a flood of made-up keys keeps the table at its capacity and
     * pushes out only what was hit least recently. */
    struct throttle *b = throttle_new(3, 60, 100);
    for (int i = 0; i < 3; i++)
        throttle_hit(b, "i:victim", 1000);
    for (int i = 0; i < 99; i++) {
        char k[32];
        snprintf(k, sizeof k, "i:%d", i);
        throttle_hit(b, k, 1001);
    }
    assert_int_equal(throttle_size(b), 100);
    assert_int_not_equal(throttle_check(b, "i:victim", 1002), 0);   /* 99 others: still there */
    for (int i = 0; i < 100000; i++) {
        char k[32];
        snprintf(k, sizeof k, "i:x%d", i);
        throttle_hit(b, k, 1002);
    }
    assert_int_equal(throttle_size(b), 100);
    throttle_free(b);
    /* Unbounded (accounts): nothing evicts a count; expired windows go. */
    struct throttle *a = throttle_new(5, 900, 0);
    for (int i = 0; i < 5; i++)
        throttle_hit(a, "u:7", 1000);
    for (int i = 0; i < 20000; i++) {
        char k[32];
        snprintf(k, sizeof k, "u:%d", 100 + i);
        throttle_hit(a, k, 1000 + i % 10);
    }
    assert_int_equal(throttle_check(a, "u:7", 1100), 800);
    throttle_hit(a, "u:1", 1000 + 910);   /* later: the expired ones are dropped */
    assert_int_equal(throttle_size(a), 1);
    throttle_free(a);
}

static void client_address_behind_trusted_proxies(void **state)
{
    (void)state;
    struct proxy_list l;
    char bad[80], out[CLIENT_ADDR_LEN];
    assert_int_equal(proxy_list_parse("127.0.0.1, 10.0.0.0/8 ::1", &l, bad, sizeof bad), 0);
    assert_int_equal(l.count, 3);
    assert_int_equal(proxy_list_parse("10.0.0.0/33", &l, bad, sizeof bad), -1);
    assert_string_equal(bad, "10.0.0.0/33");
    assert_int_equal(proxy_list_parse("127.0.0.1,nginx", &l, bad, sizeof bad), -1);
    assert_string_equal(bad, "nginx");
    assert_int_equal(proxy_list_parse("127.0.0.1, 10.0.0.0/8, fd00::/8", &l, bad, sizeof bad), 0);
    /* not from a proxy: the headers are ignored */
    proxy_client_addr(&l, "203.0.113.9", "198.51.100.1", NULL, out);
    assert_string_equal(out, "203.0.113.9");
    /* from a proxy: the right-most address that is not a proxy */
    proxy_client_addr(&l, "127.0.0.1", "6.6.6.6, 198.51.100.1, 10.1.2.3", NULL, out);
    assert_string_equal(out, "198.51.100.1");
    proxy_client_addr(&l, "10.0.0.1", "10.0.0.2", NULL, out);   /* all proxies: the left-most */
    assert_string_equal(out, "10.0.0.2");
    proxy_client_addr(&l, "127.0.0.1", "junk", NULL, out);        /* junk: the proxy itself */
    assert_string_equal(out, "127.0.0.1");
    proxy_client_addr(&l, "127.0.0.1", NULL, "for=192.0.2.60;proto=http, for=\"[2001:db8::1]:4711\"", out);
    assert_string_equal(out, "2001:db8::1");
    proxy_client_addr(&l, "127.0.0.1", "", "For=192.0.2.60:80", out);
    assert_string_equal(out, "192.0.2.60");
    proxy_client_addr(&l, "127.0.0.1", NULL, NULL, out);
    assert_string_equal(out, "127.0.0.1");
    char key[CLIENT_ADDR_LEN + 8];
    proxy_throttle_key("2001:db8:1:2:3:4:5:6", key);
    assert_string_equal(key, "2001:db8:1:2::/64");
    proxy_throttle_key("192.0.2.1", key);
    assert_string_equal(key, "192.0.2.1");
}

static void config_trusted_proxies(void **state)
{
    (void)state;
    struct config c;
    struct tb_err e;
    int help;
    config_defaults(&c);
    char *argv[] = {"serve", "--trusted-proxies", "127.0.0.1,::1", NULL};
    assert_int_equal(config_parse(&c, 3, argv, NULL, &help, &e), 0);
    assert_int_equal(c.proxies.count, 2);
    char *argv2[] = {"serve", "--trusted-proxies=localhost", NULL};
    config_defaults(&c);
    assert_int_equal(config_parse(&c, 2, argv2, NULL, &help, &e), -1);
    assert_string_equal(e.field, "--trusted-proxies");
}

/* Follow-up waves (end of placement + 6/12/24 months) fall on the last day of
 * a shorter month, as in PostgreSQL, not in the month after (issue 18). */
static void add_months_clamps_to_the_end_of_the_month(void **state)
{
    (void)state;
    static const struct { const char *from; int n; const char *to; } cases[] = {
        {"2027-01-31", 1, "2027-02-28"}, {"2028-01-31", 1, "2028-02-29"}, {"2026-08-31", 6, "2027-02-28"},
        {"2026-12-31", 2, "2027-02-28"}, {"2026-03-31", 6, "2026-09-30"}, {"2028-02-29", 12, "2029-02-28"},
        {"2026-08-15", 6, "2027-02-15"}, {"2026-05-31", 0, "2026-05-31"}, {"2026-11-30", 24, "2028-11-30"},
        {"2027-03-31", -1, "2027-02-28"}, {"2026-01-31", -2, "2025-11-30"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[11];
        assert_int_equal(tb_iso_add_months(cases[i].from, cases[i].n, out), 0);
        assert_string_equal(out, cases[i].to);
    }
    char out[11];
    const char *bad[] = {NULL, "", "2026-02-30", "2026-8-31", "2026-08-31T00:00:00Z", "not a date"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(tb_iso_add_months(bad[i], 6, out), -1);
    assert_int_equal(tb_iso_add_months("9999-12-31", 1, out), -1);
    assert_int_equal(tb_iso_add_months("0000-01-31", -1, out), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_are_checked_and_named),
        cmocka_unit_test(add_months_clamps_to_the_end_of_the_month),
        cmocka_unit_test(utf8_is_strict),
        cmocka_unit_test(utf8_cuts_at_character_boundaries),
        cmocka_unit_test(passwords_hash_and_verify),
        cmocka_unit_test(tokens_are_random_and_hashed),
        cmocka_unit_test(config_flags_beat_environment),
        cmocka_unit_test(throttle_blocks_after_failures_and_forgets),
        cmocka_unit_test(throttle_tables_are_bounded_without_losing_accounts),
        cmocka_unit_test(client_address_behind_trusted_proxies),
        cmocka_unit_test(config_trusted_proxies),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
