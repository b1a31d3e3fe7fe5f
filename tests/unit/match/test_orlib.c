/*
 * test_orlib.c - the 12 OR-Library assignment problems (shared/orlib-assign)
 * must give their published optima exactly, each with an LP-duality
 * certificate; the dense ones are also solved through the sparse solver.
 */
#include <string.h>

#include "check_assign.h"
#include "core/arena.h"
#include "core/match/assign.h"
#include "core/match/parse.h"
#include "tap.h"

static const struct {
    const char *file;
    int64_t optimum;
} problems[] = {
    { "assign100.txt", 305 },    { "assign200.txt", 475 },    { "assign300.txt", 626 },
    { "assign400.txt", 804 },    { "assign500.txt", 991 },    { "assign600.txt", 1176 },
    { "assign700.txt", 1362 },   { "assign800.txt", 1552 },   { "assignp800.txt", 2239 },
    { "assignp1500.txt", 5839 }, { "assignp3000.txt", 18696 }, { "assignp5000.txt", 48533 },
};

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    *n = fread(buf, 1, (size_t)len, f);
    fclose(f);
    return buf;
}

int main(void)
{
    const char *dir = getenv("TB_VENDOR_DIR");
    if (!dir)
        dir = "tests/vendor";
    for (size_t k = 0; k < sizeof problems / sizeof problems[0]; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/orlib-assign/%s", dir, problems[k].file);
        size_t n;
        char *buf = slurp(path, &n);
        if (!buf) {
            tap_ok(0, "%s: cannot read %s", problems[k].file, path);
            continue;
        }
        struct arena *a = arena_new(0);
        struct tb_match_input in;
        struct tb_err err;
        int rc = tb_match_parse(buf, n, a, &in, &err);
        free(buf);
        if (rc < 0) {
            tap_ok(0, "%s: %s", problems[k].file, err.message);
            arena_free(a);
            continue;
        }
        struct tb_assign_problem p = in.assign;
        p.want_duals = 1;
        struct tb_assign_result r;
        rc = tb_assign_solve(&p, a, &r, &err);
        char why[200] = "ok";
        int cert = rc == 0 && check_assign_certificate(&p, &r, why, sizeof why) == 0;
        tap_ok(rc == 0 && r.total == problems[k].optimum && cert,
               "%s: total %lld, published optimum %lld, certificate %s", problems[k].file,
               (long long)r.total, (long long)problems[k].optimum, why);
        if (p.dense) {
            /* same problem through the sparse solver */
            int64_t m = (int64_t)p.rows * p.cols;
            struct tb_assign_edge *e = malloc((size_t)m * sizeof *e);
            for (int64_t t = 0; t < m; t++)
                e[t] = (struct tb_assign_edge){ (int32_t)(t / p.cols), (int32_t)(t % p.cols),
                                                p.dense[t] };
            struct tb_assign_problem q = p;
            q.dense = NULL;
            q.edges = e;
            q.n_edges = m;
            rc = tb_assign_solve(&q, a, &r, &err);
            tap_ok(rc == 0 && r.total == problems[k].optimum, "%s via the sparse solver: %lld",
                   problems[k].file, (long long)r.total);
            free(e);
        }
        arena_free(a);
    }
    return tap_done();
}
