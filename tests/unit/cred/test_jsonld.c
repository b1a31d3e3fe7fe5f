/*
 * test_jsonld.c - unit tests of jsonld.c on the documents TradeBridge signs:
 * VC 2.0 and Open Badges 3.0 credentials expand and convert with the embedded
 * contexts, the W3C eddsa-rdfc-2022 vector canonicalizes to its published
 * form, unknown contexts are refused (naming the URL) and nothing is fetched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>

#include <cmocka.h>

#include "core/cred/jsonld.h"
#include "core/cred/jsonld_int.h"
#include "core/cred/nquads.h"
#include "core/cred/rdfc.h"

static const char *shared(void)
{
    const char *s = getenv("TB_VENDOR_DIR");
    return s ? s : "tests/vendor";
}

static const char OB3[] =
    "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
    "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\","
    "\"https://purl.imsglobal.org/spec/ob/v3p0/extensions.json\"],"
    "\"id\":\"urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58\","
    "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
    "\"name\":\"Export Readiness - Level 1\","
    "\"issuer\":{\"id\":\"https://tradebridge.example/issuers/1\",\"type\":[\"Profile\"],"
    "\"name\":\"TradeBridge Programme\",\"url\":\"https://tradebridge.example\"},"
    "\"validFrom\":\"2026-01-01T00:00:00Z\","
    "\"credentialSubject\":{\"id\":\"did:example:trainee42\",\"type\":[\"AchievementSubject\"],"
    "\"achievement\":{\"id\":\"https://tradebridge.example/achievements/export-1\","
    "\"type\":[\"Achievement\"],\"name\":\"Export Readiness\","
    "\"description\":\"Completed market selection and export plan.\","
    "\"criteria\":{\"narrative\":\"Pass the market-selection assessment.\"},"
    "\"achievementType\":\"Certificate\","
    "\"alignment\":[{\"type\":[\"Alignment\"],\"targetName\":\"HS 2022\","
    "\"targetUrl\":\"https://www.wcoomd.org/\"}]}},"
    "\"credentialSchema\":[{\"id\":\"https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json\","
    "\"type\":\"1EdTechJsonSchemaValidator2019\"}]}";

static json_t *parse(const char *s)
{
    json_t *j = json_loads(s, 0, NULL);
    assert_non_null(j);
    return j;
}

static int has_quad(const struct rdf_dataset *ds, const char *s, const char *p, const char *o)
{
    for (size_t i = 0; i < ds->len; i++) {
        const struct rdf_quad *q = &ds->quads[i];
        if ((!s || !strcmp(q->subject.value, s)) && !strcmp(q->predicate.value, p) &&
            (!o || !strcmp(q->object.value, o)))
            return 1;
    }
    return 0;
}

static void test_ob3_to_rdf(void **state)
{
    (void)state;
    json_t *doc = parse(OB3);
    struct arena *a = arena_new(0);
    struct rdf_dataset ds;
    rdf_dataset_init(&ds, a);
    struct tb_err err;
    int rc = jsonld_to_rdf(doc, NULL, &ds, &err);
    if (rc)
        fail_msg("%s: %s", err.code, err.message);
    assert_true(ds.len >= 20);
    const char *id = "urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58";
    assert_true(has_quad(&ds, id, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                         "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"));
    assert_true(has_quad(&ds, id, "https://www.w3.org/2018/credentials#validFrom", "2026-01-01T00:00:00Z"));
    assert_true(has_quad(&ds, "did:example:trainee42",
                         "https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement",
                         "https://tradebridge.example/achievements/export-1"));
    assert_true(has_quad(&ds, NULL, "https://schema.org/targetName", "HS 2022"));
    /* achievementType is a plain string in the 3.0.3 context (type-scoped). */
    assert_true(has_quad(&ds, NULL, "https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievementType",
                         "Certificate"));
    /* Canonicalizes (the signing path). */
    struct rdfc_result r;
    assert_int_equal(rdfc_canonicalize(&ds, NULL, a, &r, &err), 0);
    assert_non_null(strstr(r.nquads, "OpenBadgeCredential"));
    json_decref(doc);
    arena_free(a);
}

static void test_ob3_expand(void **state)
{
    (void)state;
    json_t *doc = parse(OB3);
    struct arena *a = arena_new(0);
    json_t *out = NULL;
    struct tb_err err;
    assert_int_equal(jsonld_expand(doc, jsonld_loader_default(), a, &out, &err), 0);
    assert_true(json_is_array(out));
    assert_int_equal(json_array_size(out), 1);
    json_t *node = json_array_get(out, 0);
    assert_string_equal(json_string_value(json_object_get(node, "@id")),
                        "urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58");
    assert_non_null(json_object_get(node, "https://www.w3.org/2018/credentials#credentialSubject"));
    json_decref(out);
    json_decref(doc);
    arena_free(a);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        fclose(f);
        return NULL;
    }
    b[n] = 0;
    fclose(f);
    return b;
}

/* The W3C eddsa-rdfc-2022 vector: our toRdf + RDFC must give the published
 * canonical document and proof configuration. */
static void check_vector(struct jsonld_loader *l, const char *json_path, const char *canon_path)
{
    json_t *doc = json_load_file(json_path, 0, NULL);
    char *want = slurp(canon_path);
    assert_non_null(doc);
    assert_non_null(want);
    struct arena *a = arena_new(0);
    struct rdf_dataset ds;
    rdf_dataset_init(&ds, a);
    struct tb_err err;
    if (jsonld_to_rdf(doc, l, &ds, &err))
        fail_msg("%s: %s", err.code, err.message);
    struct rdfc_result r;
    assert_int_equal(rdfc_canonicalize(&ds, NULL, a, &r, &err), 0);
    size_t wl = strlen(want);
    while (wl && (want[wl - 1] == '\n' || want[wl - 1] == ' '))
        want[--wl] = 0;
    size_t gl = r.len;
    while (gl && r.nquads[gl - 1] == '\n')
        gl--;
    assert_int_equal(gl, wl);
    assert_memory_equal(r.nquads, want, wl);
    free(want);
    json_decref(doc);
    arena_free(a);
}

static void test_eddsa_rdfc_vector(void **state)
{
    (void)state;
    char p1[1024], p2[1024], ctx[1024];
    snprintf(ctx, sizeof ctx, "%s/standards/contexts/credentials-examples-v2.json", shared());
    struct jsonld_loader *l = jsonld_loader_new();
    struct tb_err err;
    assert_int_equal(jsonld_loader_add_file(l, "https://www.w3.org/ns/credentials/examples/v2", ctx, &err), 0);
    snprintf(p1, sizeof p1, "%s/vc-di-eddsa-test-vectors/unsigned.json", shared());
    snprintf(p2, sizeof p2, "%s/vc-di-eddsa-test-vectors/eddsa-rdfc-2022/canonDocDataInt.txt", shared());
    check_vector(l, p1, p2);
    snprintf(p1, sizeof p1, "%s/vc-di-eddsa-test-vectors/eddsa-rdfc-2022/proofConfigDataInt.json", shared());
    snprintf(p2, sizeof p2, "%s/vc-di-eddsa-test-vectors/eddsa-rdfc-2022/proofCanonDataInt.txt", shared());
    check_vector(l, p1, p2);
    /* Run twice: the second pass goes through the context cache. */
    check_vector(l, p1, p2);
    jsonld_loader_free(l);
}

/* The examples context is test-only: the default loader must not know it,
 * and refusing it names the URL. No fetch happens (there is no network code
 * at all; the default loader has no fetch hook). */
static void test_unknown_context_refused(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/vc-di-eddsa-test-vectors/unsigned.json", shared());
    json_t *doc = json_load_file(path, 0, NULL);
    assert_non_null(doc);
    struct arena *a = arena_new(0);
    struct rdf_dataset ds;
    rdf_dataset_init(&ds, a);
    struct tb_err err;
    assert_int_equal(jsonld_to_rdf(doc, NULL, &ds, &err), -1);
    assert_string_equal(err.code, "loading remote context failed");
    assert_int_equal(err.status, 400);
    assert_non_null(strstr(err.message, "https://www.w3.org/ns/credentials/examples/v2"));
    json_decref(doc);

    json_t *d2 = parse("{\"@context\":\"https://evil.example/ctx.jsonld\",\"a\":1}");
    json_t *out = NULL;
    assert_int_equal(jsonld_expand(d2, NULL, a, &out, &err), -1);
    assert_null(out);
    assert_non_null(strstr(err.message, "https://evil.example/ctx.jsonld"));
    json_decref(d2);
    arena_free(a);
}

static void test_embedded_contexts_all_load(void **state)
{
    (void)state;
    const char *const *urls = jsonld_embedded_urls();
    struct arena *a = arena_new(0);
    int n = 0;
    for (; *urls; urls++, n++) {
        json_t *doc = json_pack("{s:s,s:s}", "@context", *urls, "@id", "urn:x:1");
        json_t *out = NULL;
        struct tb_err err;
        if (jsonld_expand(doc, NULL, a, &out, &err))
            fail_msg("%s: %s %s", *urls, err.code, err.message);
        json_decref(out);
        json_decref(doc);
    }
    assert_true(n >= 12);
    arena_free(a);
}

static void test_error_codes(void **state)
{
    (void)state;
    static const struct { const char *doc, *code; } cases[] = {
        {"{\"@context\":{\"@id\":\"x\"}}", "keyword redefinition"},
        {"{\"@context\":{\"a\":{\"@id\":\"http://x/\",\"@container\":\"@foo\"}}}", "invalid container mapping"},
        {"{\"@context\":[\"https://www.w3.org/ns/credentials/v2\",{\"id\":\"http://x/id\"}]}",
         "protected term redefinition"},
        {"{\"@context\":{\"a\":{\"@id\":\"http://x/a\",\"@foo\":1}}}", "invalid term definition"},
        {"{\"@context\":{\"a\":\"b\",\"b\":\"a\"},\"a\":1}", "cyclic IRI mapping"},
        {"{\"@context\":5}", "invalid local context"},
    };
    struct arena *a = arena_new(0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *doc = parse(cases[i].doc);
        json_t *out = NULL;
        struct tb_err err;
        assert_int_equal(jsonld_expand(doc, NULL, a, &out, &err), -1);
        if (strcmp(err.code, cases[i].code))
            fail_msg("case %zu: want %s, got %s (%s)", i, cases[i].code, err.code, err.message);
        json_decref(doc);
    }
    arena_free(a);
}

/* Loader lifecycle: added JSON documents and derived contexts are released
 * with the loader (ASan checks the leak side). */
static void test_loader_add_json(void **state)
{
    (void)state;
    struct jsonld_loader *l = jsonld_loader_new();
    struct tb_err err;
    json_t *ctx = parse("{\"@context\":{\"@vocab\":\"https://tb.example/v#\"}}");
    assert_int_equal(jsonld_loader_add_json(l, "https://tb.example/ctx", ctx, &err), 0);
    json_decref(ctx);
    json_t *doc = parse("{\"@context\":\"https://tb.example/ctx\",\"@id\":\"urn:x\",\"hs\":\"0901\"}");
    struct arena *a = arena_new(0);
    struct rdf_dataset ds;
    rdf_dataset_init(&ds, a);
    for (int i = 0; i < 3; i++)
        assert_int_equal(jsonld_to_rdf(doc, l, &ds, &err), 0);
    assert_int_equal(ds.len, 1);
    assert_true(has_quad(&ds, "urn:x", "https://tb.example/v#hs", "0901"));
    /* A URL keeps the document it was given once contexts are built from it:
     * the same document again is accepted, another one refused by name. */
    json_t *same = parse("{\"@context\":{\"@vocab\":\"https://tb.example/v#\"}}");
    json_t *other = parse("{\"@context\":{\"@vocab\":\"https://other.example/v#\"}}");
    assert_int_equal(jsonld_loader_add_json(l, "https://tb.example/ctx", same, &err), 0);
    assert_int_equal(jsonld_loader_add_json(l, "https://tb.example/ctx", other, &err), -1);
    assert_string_equal(err.code, "context_conflict");
    assert_non_null(strstr(err.message, "https://tb.example/ctx"));
    json_decref(same);
    json_decref(other);
    struct rdf_dataset again;
    rdf_dataset_init(&again, a);
    assert_int_equal(jsonld_to_rdf(doc, l, &again, &err), 0);
    assert_true(has_quad(&again, "urn:x", "https://tb.example/v#hs", "0901"));
    /* The default loader is read-only. */
    assert_int_equal(jsonld_loader_add_json(jsonld_loader_default(), "https://x", doc, &err), -1);
    json_decref(doc);
    arena_free(a);
    jsonld_loader_free(l);
}

/* Not a benchmark, a guard: toRdf of the OB3 credential stays in the tens of
 * microseconds once contexts are cached (prints the figure). */
static void test_ob3_timing(void **state)
{
    (void)state;
    json_t *doc = parse(OB3);
    struct arena *a = arena_new(0);
    struct tb_err err;
    int n = 2000;
    struct timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);   /* CPU time: CI machines are shared */
    for (int i = 0; i < n; i++) {
        struct rdf_dataset ds;
        rdf_dataset_init(&ds, a);
        assert_int_equal(jsonld_to_rdf(doc, NULL, &ds, &err), 0);
        arena_reset(a);
    }
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    double us = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / 1e3 / n;
    printf("# jsonld_to_rdf on the OB3 credential: %.1f us CPU per document\n", us);
    json_decref(doc);
    arena_free(a);
}

/* Safe mode: what toRdf would silently drop (so a signature would not cover
 * it) is refused instead, naming the key. */
static void test_safe_mode(void **state)
{
    (void)state;
    static const struct { const char *patch, *field; } bad[] = {
        {"{\"credentialSubject\":{\"id\":\"did:example:trainee42\",\"type\":[\"AchievementSubject\"],\"yyy\":1}}", "yyy"},
        {"{\"unknownTop\":\"x\"}", "unknownTop"},
        {"{\"id\":\"relative/id\"}", "relative/id"},
        {"{\"type\":[\"VerifiableCredential\",\"NoSuchType\"]}", "NoSuchType"},
        {"{\"@foo\":\"x\"}", "@foo"},
    };
    struct jsonld_opts safe = {.safe = 1};
    struct arena *a = arena_new(0);
    struct tb_err err;
    json_t *doc = parse(OB3);
    struct rdf_dataset ds;
    rdf_dataset_init(&ds, a);
    if (jsonld_to_rdf_opts(doc, NULL, &safe, &ds, &err))
        fail_msg("clean OB3 refused: %s", err.message);
    size_t clean = ds.len;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *d = json_deep_copy(doc);
        json_t *patch = parse(bad[i].patch);
        json_object_update(d, patch);
        rdf_dataset_init(&ds, a);
        assert_int_equal(jsonld_to_rdf_opts(d, NULL, &safe, &ds, &err), -1);
        assert_string_equal(err.code, "safe mode validation error");
        if (strcmp(err.field, bad[i].field))
            fail_msg("case %zu: field '%s', message %s", i, err.field, err.message);
        /* Without safe mode the same document converts (dropping data). */
        rdf_dataset_init(&ds, a);
        assert_int_equal(jsonld_to_rdf(d, NULL, &ds, &err), 0);
        assert_true(ds.len <= clean + 2);
        json_decref(patch);
        json_decref(d);
    }
    json_decref(doc);
    arena_free(a);
}

/* The default loader is shared by all request threads: several threads
 * converting at once (the first ones racing to fill the context cache) must
 * all get the same statements. */
struct thread_arg {
    struct jsonld_loader *loader;
    size_t count;
};

static void *convert_many(void *arg)
{
    struct thread_arg *ta = arg;
    size_t *count = &ta->count;
    json_t *doc = json_loads(OB3, 0, NULL);
    struct arena *a = arena_new(0);
    for (int i = 0; i < 200 && doc && a; i++) {
        struct rdf_dataset ds;
        rdf_dataset_init(&ds, a);
        struct tb_err err;
        if (jsonld_to_rdf(doc, ta->loader, &ds, &err)) {
            *count = 0;
            break;
        }
        if (i == 0)
            *count = ds.len;
        else if (ds.len != *count)
            *count = 0;
        arena_reset(a);
    }
    arena_free(a);
    json_decref(doc);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    pthread_t th[4];
    struct thread_arg args[4];
    /* A fresh loader, so the threads race to fill its empty cache. */
    struct jsonld_loader *l = jsonld_loader_new();
    assert_non_null(l);
    for (int i = 0; i < 4; i++) {
        args[i].loader = l;
        args[i].count = 0;
        assert_int_equal(pthread_create(&th[i], NULL, convert_many, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) {
        assert_true(args[i].count > 0);
        assert_int_equal(args[i].count, args[0].count);
    }
    jsonld_loader_free(l);
}

/* The byte-at-a-time definition the sixteen-bytes-a-step scan must agree with. */
static int wellformed_reference(const char *s)
{
    if (!jl_is_absolute_iri(s))
        return 0;
    int hashes = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= 0x20 || strchr("<>\"{}|\\^`", *p))
            return 0;
        if (*p == '#' && ++hashes > 1)
            return 0;
    }
    return 1;
}

/* toRdf keeps only well-formed IRIs (safe mode refuses the rest): each bad
 * character and a second '#', at every offset of strings from 1 to 80 bytes,
 * so both the vector steps and the tail see them. */
static void test_wellformed_iri(void **state)
{
    (void)state;
    static const char bad[] = " <>\"{}|\\^`\x01\x1f#";
    char s[96];
    int mismatches = 0, checked = 0;
    for (size_t len = 1; len <= 80; len++) {
        for (size_t pos = 0; pos < len; pos++) {
            for (const char *b = bad; *b; b++) {
                memcpy(s, "https:", 6);
                for (size_t i = 6; i < len + 6; i++)
                    s[i] = (char)('a' + (i % 26));
                s[len + 6] = 0;
                s[6 + pos] = *b;
                if (*b == '#' && pos > 0)
                    s[6 + pos / 2] = '#';   /* two fragments */
                mismatches += jl_is_wellformed_iri(s) != wellformed_reference(s);
                checked++;
            }
            s[6 + pos] = (char)0xc3;   /* UTF-8 is allowed */
            mismatches += jl_is_wellformed_iri(s) != wellformed_reference(s);
        }
    }
    assert_int_equal(mismatches, 0);
    assert_true(checked > 30000);
    assert_true(jl_is_wellformed_iri("https://example.org/a-rather-long-path/with/segments#frag"));
    assert_false(jl_is_wellformed_iri("https://example.org/a-rather-long-path/with/seg ments"));
    assert_false(jl_is_wellformed_iri("https://example.org/a-rather-long-path#with#two"));
    assert_false(jl_is_wellformed_iri("relative/path/that/is/longer/than/sixteen"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ob3_to_rdf),
        cmocka_unit_test(test_ob3_expand),
        cmocka_unit_test(test_eddsa_rdfc_vector),
        cmocka_unit_test(test_unknown_context_refused),
        cmocka_unit_test(test_embedded_contexts_all_load),
        cmocka_unit_test(test_error_codes),
        cmocka_unit_test(test_loader_add_json),
        cmocka_unit_test(test_safe_mode),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_ob3_timing),
        cmocka_unit_test(test_wellformed_iri),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
