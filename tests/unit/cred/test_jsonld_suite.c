/*
 * test_jsonld_suite.c - runs the W3C JSON-LD 1.1 toRdf or expand test
 * manifest (argv[1]) against jsonld.c and prints one TAP line per test.
 * toRdf results are compared after RDFC-1.0 canonicalization of both sides
 * (blank-node labels differ); expand results as JSON with unordered arrays
 * (except @list). Tests needing remote documents, HTML or JSON-LD 1.0-only
 * behaviour are reported as "# SKIP" with the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cred/jsonld.h"
#include "core/cred/nquads.h"
#include "core/cred/rdfc.h"

#define SUITE_BASE "https://w3c.github.io/json-ld-api/tests/"

static char suite_dir[1024];

/* Test documents and contexts are addressed by their W3C URLs: map those to
 * the local copies; anything else is refused like any unknown context. */
static json_t *fetch_local(void *user, const char *url, struct tb_err *err)
{
    (void)user;
    size_t n = strlen(SUITE_BASE);
    if (strncmp(url, SUITE_BASE, n) != 0) {
        tb_fail(err, 400, "loading remote context failed", "", "not local: %s", url);
        return NULL;
    }
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", suite_dir, url + n);
    char *hash = strchr(path, '#');
    if (hash)
        *hash = 0;
    json_t *doc = json_load_file(path, JSON_DECODE_ANY, NULL);
    if (!doc)
        tb_fail(err, 400, "loading document failed", "", "cannot load %s", path);
    return doc;
}

/* JSON-LD expanded-form equality: arrays are unordered except @list values. */
static int ld_equal(const json_t *a, const json_t *b, int ordered)
{
    if (json_is_array(a) && json_is_array(b)) {
        size_t n = json_array_size(a);
        if (n != json_array_size(b))
            return 0;
        if (ordered) {
            for (size_t i = 0; i < n; i++)
                if (!ld_equal(json_array_get(a, i), json_array_get(b, i), 0))
                    return 0;
            return 1;
        }
        char *used = calloc(n + 1, 1);
        int ok = 1;
        for (size_t i = 0; i < n && ok; i++) {
            int found = 0;
            for (size_t j = 0; j < n; j++) {
                if (!used[j] && ld_equal(json_array_get(a, i), json_array_get(b, j), 0)) {
                    used[j] = 1;
                    found = 1;
                    break;
                }
            }
            ok = found;
        }
        free(used);
        return ok;
    }
    if (json_is_object(a) && json_is_object(b)) {
        if (json_object_size(a) != json_object_size(b))
            return 0;
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)a, k, v) {
            json_t *w = json_object_get(b, k);
            if (!w || !ld_equal(v, w, !strcmp(k, "@list")))
                return 0;
        }
        return 1;
    }
    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b);
    return json_equal((json_t *)a, (json_t *)b);
}

static char *canon(struct rdf_dataset *ds, struct arena *a)
{
    struct rdfc_result r;
    struct tb_err e;
    if (rdfc_canonicalize(ds, NULL, a, &r, &e))
        return NULL;
    return (char *)r.nquads;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Tests this implementation does not pass, with the reason (kept honest:
 * each is a known gap, see docs/jsonld.md). */
static const struct { const char *id, *why; } known[] = {
    {"toRdf#te075", "not supported: comparing generalized RDF (blank-node predicates) - the N-Quads reader rejects them"},
    {NULL, NULL},
};

static const char *known_gap(const char *suite, const char *id)
{
    char full[64];
    snprintf(full, sizeof full, "%s%s", suite, id);
    for (size_t i = 0; known[i].id; i++)
        if (!strcmp(known[i].id, full))
            return known[i].why;
    return NULL;
}

int main(int argc, char **argv)
{
    const char *suite = argc > 1 ? argv[1] : "toRdf";
    const char *only = argc > 2 ? argv[2] : NULL;
    int is_rdf = !strcmp(suite, "toRdf");
    const char *shared = getenv("TB_VENDOR_DIR");
    snprintf(suite_dir, sizeof suite_dir, "%s/standards/json-ld-api", shared ? shared : "tests/vendor");
    char mpath[1200];
    snprintf(mpath, sizeof mpath, "%s/%s-manifest.jsonld", suite_dir, suite);
    json_t *manifest = json_load_file(mpath, 0, NULL);
    if (!manifest) {
        printf("1..0 # SKIP cannot read %s\n", mpath);
        return 0;
    }
    json_t *seq = json_object_get(manifest, "sequence");
    int n = 0, pass = 0, skip = 0, fail = 0;
    int skip_10 = 0, skip_remote = 0, skip_known = 0;
    size_t i;
    json_t *t;
    json_array_foreach(seq, i, t) {
        const char *id = json_string_value(json_object_get(t, "@id"));
        if (only && strcmp(only, id))
            continue;
        const char *input = json_string_value(json_object_get(t, "input"));
        const char *name = json_string_value(json_object_get(t, "name"));
        json_t *types = json_object_get(t, "@type");
        json_t *opt = json_object_get(t, "option");
        int negative = 0, syntax = 0;
        size_t k;
        json_t *ty;
        json_array_foreach(types, k, ty) {
            if (!strcmp(json_string_value(ty), "jld:NegativeEvaluationTest"))
                negative = 1;
            if (!strcmp(json_string_value(ty), "jld:PositiveSyntaxTest"))
                syntax = 1;
        }
        n++;
        const char *spec = json_string_value(json_object_get(opt, "specVersion"));
        const char *why = NULL;
        if (spec && !strcmp(spec, "json-ld-1.0")) {
            why = "JSON-LD 1.0-only test (this is a 1.1 processor)";
            skip_10++;
        } else if (strstr(input, ".html") || json_object_get(opt, "contentType") ||
                   json_object_get(opt, "redirectTo") || json_object_get(opt, "httpLink")) {
            why = "needs remote document loading or HTML";
            skip_remote++;
        } else if ((why = known_gap(suite, id))) {
            skip_known++;
        }
        if (why) {
            printf("ok %d - %s%s %s # SKIP %s\n", n, suite, id, name, why);
            skip++;
            continue;
        }
        struct jsonld_opts o = {0};
        char base[1200];
        snprintf(base, sizeof base, "%s%s", SUITE_BASE, input);
        o.base = base;
        if (json_object_get(opt, "base"))
            o.base = json_string_value(json_object_get(opt, "base"));
        const char *pm = json_string_value(json_object_get(opt, "processingMode"));
        o.processing_mode_10 = pm && !strcmp(pm, "json-ld-1.0");
        o.produce_generalized_rdf = json_is_true(json_object_get(opt, "produceGeneralizedRdf"));
        o.rdf_direction = json_string_value(json_object_get(opt, "rdfDirection"));
        json_t *ectx = NULL;
        if (json_object_get(opt, "expandContext")) {
            char p[2048];
            snprintf(p, sizeof p, "%s/%s", suite_dir, json_string_value(json_object_get(opt, "expandContext")));
            ectx = json_load_file(p, 0, NULL);
            o.expand_context = ectx;
        }
        char ipath[2048];
        snprintf(ipath, sizeof ipath, "%s/%s", suite_dir, input);
        json_t *doc = json_load_file(ipath, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        struct jsonld_loader *l = jsonld_loader_new();
        jsonld_loader_set_fetch(l, fetch_local, NULL);
        struct tb_err err;
        tb_err_clear(&err);
        struct arena *a = arena_new(0);
        int ok = 0;
        char detail[800] = "";
        int rc;
        json_t *expanded = NULL;
        struct rdf_dataset ds;
        rdf_dataset_init(&ds, a);
        if (!doc) {
            rc = -1;
            snprintf(err.code, sizeof err.code, "loading document failed");
        } else if (is_rdf) {
            rc = jsonld_to_rdf_opts(doc, l, &o, &ds, &err);
        } else {
            rc = jsonld_expand_opts(doc, l, &o, a, &expanded, &err);
        }
        if (negative) {
            const char *want = json_string_value(json_object_get(t, "expectErrorCode"));
            ok = rc != 0 && want && !strcmp(want, err.code);
            if (!ok)
                snprintf(detail, sizeof detail, "want error '%s', got %s '%s' %s", want,
                         rc ? "error" : "success", err.code, err.message);
        } else if (rc) {
            snprintf(detail, sizeof detail, "error %s: %s", err.code, err.message);
        } else if (syntax) {
            ok = 1;
        } else {
            char epath[2048];
            snprintf(epath, sizeof epath, "%s/%s", suite_dir,
                     json_string_value(json_object_get(t, "expect")));
            if (is_rdf) {
                size_t len;
                char *text = slurp(epath, &len);
                struct rdf_dataset want;
                rdf_dataset_init(&want, a);
                struct tb_err e2;
                if (text && nquads_parse(text, len, &want, &e2) == 0) {
                    char *c1 = canon(&ds, a), *c2 = canon(&want, a);
                    ok = c1 && c2 && !strcmp(c1, c2);
                    if (!ok && getenv("JSONLD_DEBUG"))
                        fprintf(stderr, "--- got\n%s--- want\n%s", c1 ? c1 : "(null)\n",
                                c2 ? c2 : "(null)\n");
                    if (!ok)
                        snprintf(detail, sizeof detail, "quads differ (%zu vs %zu)", ds.len, want.len);
                } else {
                    snprintf(detail, sizeof detail, "cannot read expected %.700s", epath);
                }
                free(text);
            } else {
                json_t *want = json_load_file(epath, JSON_DECODE_ANY, NULL);
                ok = want && ld_equal(expanded, want, 0);
                if (!ok) {
                    snprintf(detail, sizeof detail, "expanded output differs");
                    if (getenv("JSONLD_DEBUG")) {
                        char *s1 = json_dumps(expanded, JSON_INDENT(1)), *s2 = json_dumps(want, JSON_INDENT(1));
                        fprintf(stderr, "--- got\n%s\n--- want\n%s\n", s1, s2);
                        free(s1);
                        free(s2);
                    }
                }
                json_decref(want);
            }
        }
        if (ok)
            pass++;
        else
            fail++;
        printf("%s %d - %s%s %s%s%s\n", ok ? "ok" : "not ok", n, suite, id, name,
               detail[0] ? " # " : "", detail);
        json_decref(expanded);
        json_decref(doc);
        json_decref(ectx);
        jsonld_loader_free(l);
        arena_free(a);
    }
    printf("1..%d\n", n);
    printf("# %s: passed %d of %d (%d skipped: %d JSON-LD 1.0-only, %d remote/HTML, %d known gaps; %d failed)\n",
           suite, pass, n, skip, skip_10, skip_remote, skip_known, fail);
    json_decref(manifest);
    return fail ? 1 : 0;
}
