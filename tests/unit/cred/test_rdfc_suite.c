/*
 * test_rdfc_suite.c - the W3C RDFC-1.0 test suite, every entry of its
 * manifest: eval tests compare canonical N-Quads byte for byte, map tests the
 * issued identifier map, the negative (poison) test must hit the work limit.
 */
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "core/cred/nquads.h"
#include "core/cred/rdfc.h"
#include "tap.h"

static int run(const char *dir, json_t *e)
{
    const char *id = json_string_value(json_object_get(e, "id"));
    const char *type = json_string_value(json_object_get(e, "type"));
    const char *name = json_string_value(json_object_get(e, "name"));
    const char *action = json_string_value(json_object_get(e, "action"));
    const char *result = json_string_value(json_object_get(e, "result"));
    const char *halg = json_string_value(json_object_get(e, "hashAlgorithm"));
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, action);
    size_t len;
    char *in = tap_slurp(path, &len);
    struct arena *a = arena_new(0);
    struct rdf_dataset ds;
    rdf_dataset_init(&ds, a);
    struct tb_err err = {0};
    struct rdfc_options opt = {.hash = halg && !strcmp(halg, "SHA384") ? CRED_SHA384 : CRED_SHA256};
    struct rdfc_result res;
    int ok = 0;
    char detail[1400] = "";
    clock_t t0 = clock();
    if (!in) {
        snprintf(detail, sizeof detail, "cannot read %s", path);
    } else if (nquads_parse(in, len, &ds, &err)) {
        snprintf(detail, sizeof detail, "parse: %s", err.message);
    } else if (!strcmp(type, "rdfc:RDFC10NegativeEvalTest")) {
        int rc = rdfc_canonicalize(&ds, &opt, a, &res, &err);
        ok = rc != 0 && !strcmp(err.code, "canon_work_limit");
        if (!ok)
            snprintf(detail, sizeof detail, "expected work-limit refusal");
    } else if (rdfc_canonicalize(&ds, &opt, a, &res, &err)) {
        snprintf(detail, sizeof detail, "canon: %s", err.message);
    } else {
        snprintf(path, sizeof path, "%s/%s", dir, result);
        char *want = tap_slurp(path, NULL);
        if (!want) {
            snprintf(detail, sizeof detail, "cannot read %s", path);
        } else if (!strcmp(type, "rdfc:RDFC10EvalTest")) {
            ok = !strcmp(want, res.nquads);
            if (!ok)
                snprintf(detail, sizeof detail, "canonical N-Quads differ");
        } else {
            json_t *map = json_loads(want, 0, NULL);
            ok = map && json_object_size(map) == res.nblank;
            for (size_t i = 0; ok && i < res.nblank; i++) {
                const char *v = json_string_value(json_object_get(map, res.input_labels[i]));
                ok = v && !strcmp(v, res.canon_labels[i]);
            }
            if (!ok)
                snprintf(detail, sizeof detail, "issued identifier map differs");
            json_decref(map);
        }
        free(want);
    }
    double ms = 1000.0 * (double)(clock() - t0) / CLOCKS_PER_SEC;
    tap_ok(ok, "%s %s%s%s (%.1f ms, work %lu)", id, name, *detail ? ": " : "", detail, ms,
           ok && strcmp(type, "rdfc:RDFC10NegativeEvalTest") ? res.work : 0UL);
    free(in);
    arena_free(a);
    return ok;
}

int main(void)
{
    char dir[900], path[1024];
    snprintf(dir, sizeof dir, "%s/standards/rdf-canon", tap_vendor());
    snprintf(path, sizeof path, "%s/manifest.jsonld", dir);
    json_error_t je;
    json_t *m = json_load_file(path, 0, &je);
    if (!m) {
        printf("Bail out! cannot read %s\n", path);
        return 1;
    }
    json_t *entries = json_object_get(m, "entries"), *e;
    size_t i;
    json_array_foreach(entries, i, e)
        run(dir, e);
    json_decref(m);
    return tap_done();
}
