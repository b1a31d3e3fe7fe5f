/*
 * store_training.c - training records (issue 12): curricula and versions,
 * learning plans, deliverables, reviews and review links, test attempts,
 * competency ratings, progress. Statements in stmts_training.inc.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/curriculum.h"
#include "store/entity.h"
#include "store/store_int.h"
#include "store/store_training.h"

/* ---- helpers: statements with a JSON object's members bound by name
 * (store_json.c) ---- */
#define run st_jrun
#define rows st_jrows
#define one st_jone
#define prep st_jprep

/* Text columns holding JSON, returned as structure. */
static void decode(json_t *row, const char *const *names)
{
    for (int i = 0; names[i]; i++) {
        json_t *v = json_object_get(row, names[i]);
        if (!json_is_string(v))
            continue;
        json_t *parsed = json_loads(json_string_value(v), JSON_DECODE_ANY, NULL);
        if (parsed)
            json_object_set_new(row, names[i], parsed);
    }
}

static void decode_all(json_t *arr, const char *const *names)
{
    size_t i;
    json_t *row;
    json_array_foreach(arr, i, row)
        decode(row, names);
}

static int64_t org_of(const json_t *row)
{
    return json_integer_value(json_object_get(row, "org_id"));
}

static int audit(struct store *st, const struct tb_actor *a, int64_t org_id, const char *action,
                 const char *entity, int64_t id, json_t *changes, struct tb_err *err)
{
    int rc = store_audit_add(st, a, org_id, action, entity, id, changes, err);
    json_decref(changes);
    return rc;
}

static void sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* ---- curricula ------------------------------------------------------------ */

int store_curriculum_list(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err)
{
    return rows(st, a, STMT_CURRICULUM_LIST, json_object(), out, err);
}

int store_curriculum_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err)
{
    json_t *versions;
    if (one(st, a, STMT_CURRICULUM_GET, json_pack("{s:I}", "id", (json_int_t)id), "curriculum", out, err) < 0)
        return -1;
    if (rows(st, a, STMT_CVERSION_LIST, json_pack("{s:I}", "curriculum_id", (json_int_t)id), &versions, err) < 0) {
        json_decref(*out);
        return -1;
    }
    json_object_set_new(*out, "versions", versions);
    return 0;
}

int store_cversion_add(struct store *st, const struct tb_actor *a, int64_t curriculum_id, const json_t *content,
                       int64_t *version_id, struct tb_err *err)
{
    int n;
    json_t *p = json_pack("{s:I, s:O}", "curriculum_id", (json_int_t)curriculum_id, "content", content);
    if (run(st, a, STMT_CVERSION_INSERT, p, "curriculum version", &n, err) < 0)
        return -1;
    if (n != 1)
        return TB_NOT_FOUND(err, "curriculum not found");
    *version_id = st_last_id(st);
    json_t *v;
    if (store_cversion_get(st, a, *version_id, &v, err) < 0)
        return -1;
    json_t *d = json_pack("{s:{s:I}, s:{s:I}, s:{s:O}}", "curriculum_id", "new", (json_int_t)curriculum_id,
                          "number", "new", json_integer_value(json_object_get(v, "number")), "ref", "new",
                          json_object_get(v, "ref"));
    int64_t org = org_of(v);
    json_decref(v);
    return audit(st, a, org, "create", "curriculum_version", *version_id, d, err);
}

int store_curriculum_create(struct store *st, const struct tb_actor *a, int64_t org_id, const char *code,
                            const char *title, const json_t *content, int64_t *id, int64_t *version_id,
                            struct tb_err *err)
{
    int owned, n;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    json_t *p = json_pack("{s:I, s:s, s:s}", "org_id", (json_int_t)org_id, "code", code, "title", title);
    if (run(st, a, STMT_CURRICULUM_INSERT, p, "curriculum", &n, err) < 0) {
        if (err->status == 409)
            tb_fail(err, 409, "conflict", "code", "code: this operator already has a curriculum %s", code);
        goto out;
    }
    if (n != 1) {
        TB_NOT_FOUND(err, "organization not found");
        goto out;
    }
    *id = st_last_id(st);
    if (audit(st, a, org_id, "create", "curriculum", *id,
              json_pack("{s:{s:s}, s:{s:s}}", "code", "new", code, "title", "new", title), err) < 0)
        goto out;
    rc = store_cversion_add(st, a, *id, content, version_id, err);
out:
    return st_tx_end(st, owned, rc, err);
}

int store_curriculum_import(struct store *st, const struct tb_actor *a, int64_t org_id, const char *code,
                            const char *title, const json_t *content, json_t **out, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    json_t *found = NULL, *cur = NULL;
    int64_t id, vid = 0;
    struct tb_err e = {0};
    if (one(st, a, STMT_CURRICULUM_BY_CODE, json_pack("{s:I, s:s}", "org_id", (json_int_t)org_id, "code", code),
            "curriculum", &found, &e) < 0) {
        if (e.status != 404) {
            *err = e;
            goto out;
        }
        rc = store_curriculum_create(st, a, org_id, code, title, content, &id, &vid, err);
        goto out;
    }
    id = json_integer_value(json_object_get(found, "id"));
    if (store_curriculum_get(st, a, id, &cur, err) < 0)
        goto out;
    json_t *versions = json_object_get(cur, "versions");
    json_t *last = json_array_get(versions, json_array_size(versions) - 1);
    json_t *lv = NULL;
    if (last && store_cversion_get(st, a, json_integer_value(json_object_get(last, "id")), &lv, err) < 0)
        goto out;
    if (lv && json_equal(json_object_get(lv, "content"), content)) {
        vid = json_integer_value(json_object_get(lv, "id"));
        rc = 0;
    } else {
        rc = store_cversion_add(st, a, id, content, &vid, err);
    }
    json_decref(lv);
out:
    json_decref(found);
    json_decref(cur);
    rc = st_tx_end(st, owned, rc, err);
    if (rc == 0)
        rc = store_cversion_get(st, a, vid, out, err);
    return rc;
}

static const char *const CVERSION_JSON[] = {"content", NULL};

int store_cversion_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err)
{
    if (one(st, a, STMT_CVERSION_GET, json_pack("{s:I}", "id", (json_int_t)id), "curriculum version", out, err) < 0)
        return -1;
    decode(*out, CVERSION_JSON);
    return 0;
}

int store_cversion_by_ref(struct store *st, const struct tb_actor *a, int64_t org_id, const char *ref, json_t **out,
                          struct tb_err *err)
{
    const char *at = ref ? strrchr(ref, '@') : NULL;
    char code[64];
    if (!at || at == ref || (size_t)(at - ref) >= sizeof code || !at[1])
        return TB_INVALID(err, "curriculum_version", "curriculum_version: name a version as CODE@NUMBER, e.g. ITM@1");
    memcpy(code, ref, (size_t)(at - ref));
    code[at - ref] = '\0';
    char *end;
    long long number = strtoll(at + 1, &end, 10);
    if (*end || number < 1)
        return TB_INVALID(err, "curriculum_version", "curriculum_version: name a version as CODE@NUMBER, e.g. ITM@1");
    json_t *p = json_pack("{s:I, s:s, s:I}", "org_id", (json_int_t)org_id, "code", code, "number", (json_int_t)number);
    if (one(st, a, STMT_CVERSION_BY_REF, p, "curriculum version", out, err) < 0) {
        if (err->status == 404)
            tb_fail(err, 400, "validation_failed", "curriculum_version",
                    "curriculum_version: no curriculum version %s is known to this operator", ref);
        return -1;
    }
    decode(*out, CVERSION_JSON);
    return 0;
}

int store_cversion_freeze(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err)
{
    int n;
    if (run(st, a, STMT_CVERSION_FREEZE, json_pack("{s:I}", "id", (json_int_t)id), "curriculum version", &n, err) < 0)
        return -1;
    if (n != 1)
        return 0;   /* already frozen */
    json_t *v;
    if (store_cversion_get(st, a, id, &v, err) < 0)
        return -1;
    /* Recorded in the operator whose cohort or plan froze it (the foundation's
     * curriculum is frozen by the operators that use it). */
    int64_t org = a->all_tenants ? org_of(v) : a->tenant_id;
    json_t *d = json_pack("{s:{s:s, s:s}, s:O}", "status", "old", "draft", "new", "frozen", "ref", json_object_get(v, "ref"));
    json_decref(v);
    return audit(st, a, org, "update", "curriculum_version", id, d, err);
}

int store_cversion_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                          const json_t *content, int64_t *new_id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1, n;
    json_t *old = NULL;
    *new_id = 0;
    if (store_cversion_get(st, a, id, &old, err) < 0)
        goto out;
    if (a->tenant_id != org_of(old) && !a->all_tenants) {
        /* The foundation's curriculum: an operator copies it into a draft of its own. */
        tb_fail(err, 403, "forbidden", "", "this curriculum belongs to the foundation; import it to edit a copy");
        goto out;
    }
    if (strcmp(json_string_value(json_object_get(old, "status")), "draft")) {
        rc = store_cversion_add(st, a, json_integer_value(json_object_get(old, "curriculum_id")), content, new_id, err);
        goto out;
    }
    if (st_version_mismatch(old, version, err) < 0)
        goto out;
    json_t *p = json_pack("{s:I, s:I, s:O}", "id", (json_int_t)id, "version", (json_int_t)version, "content", content);
    if (run(st, a, STMT_CVERSION_UPDATE, p, "curriculum version", &n, err) < 0)
        goto out;
    if (n != 1) {
        tb_fail(err, 412, "version_mismatch", "version", "version: the record changed since you read it");
        goto out;
    }
    json_t *diff = curriculum_diff(json_object_get(old, "content"), content);
    rc = audit(st, a, org_of(old), "update", "curriculum_version", id, json_pack("{s:o}", "content", diff), err);
out:
    json_decref(old);
    return st_tx_end(st, owned, rc, err);
}

/* ---- learning plans ----------------------------------------------------- */

static int parse_day(const char *s, time_t *t)
{
    struct tm tm = {0};
    if (!s || strlen(s) < 10 || sscanf(s, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = 12;
    *t = timegm(&tm);
    return 0;
}

static void format_day(time_t t, char out[11])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Module i of count of a curriculum version into the plan, its dates spread
 * over the placement's, the deliverable as the curriculum words it, an
 * elective not chosen. */
static int module_insert(struct store *st, const struct tb_actor *a, const json_t *pl, int64_t plan_id,
                         const json_t *m, size_t i, size_t count, struct tb_err *err)
{
    time_t from, to;
    if (parse_day(json_string_value(json_object_get(pl, "start_date")), &from) < 0 ||
        parse_day(json_string_value(json_object_get(pl, "end_date")), &to) < 0 || to < from)
        from = to = time(NULL);
    double span = difftime(to, from) / (double)(count ? count : 1);
    char start[11], due[11];
    format_day(from + (time_t)(span * (double)i), start);
    format_day(from + (time_t)(span * (double)(i + 1)) - (i + 1 < count ? 86400 : 0), due);
    int mandatory = json_is_true(json_object_get(m, "mandatory"));
    json_t *w = json_object_get(m, "weights");
    json_t *q = json_pack("{s:I, s:I, s:O, s:O, s:b, s:b, s:s, s:s, s:O, s:O, s:O}", "plan_id", (json_int_t)plan_id,
                          "position", (json_int_t)i + 1, "code", json_object_get(m, "code"), "title",
                          json_object_get(m, "title"), "mandatory", mandatory, "selected", mandatory,
                          "planned_start", start, "due_date", due, "deliverable", json_object_get(m, "deliverable"),
                          "weight_test", json_object_get(w, "test"), "weight_rubric", json_object_get(w, "rubric"));
    return run(st, a, STMT_PLAN_MODULE_INSERT, q, "plan module", NULL, err);
}

/* The curriculum version the placement's cohort names (*cv NULL when it names
 * none: no cohort, or a free label from before curricula were versioned). */
static int cohort_version(struct store *st, const struct tb_actor *a, const json_t *pl, json_t **cv, const char **ref,
                          json_t **cohort, struct tb_err *err)
{
    *cv = *cohort = NULL;
    *ref = NULL;
    int64_t cohort_id = json_integer_value(json_object_get(pl, "cohort_id"));
    if (!cohort_id)
        return 0;
    if (store_entity_get(st, a, ENT_COHORT, cohort_id, cohort, err) < 0)
        return -1;
    *ref = json_string_value(json_object_get(*cohort, "curriculum_version"));
    if (!*ref || !strchr(*ref, '@'))
        return 0;
    return store_cversion_by_ref(st, a, org_of(pl), *ref, cv, err);
}

int store_plan_create(struct store *st, const struct tb_actor *a, int64_t placement_id, int *created,
                      struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1, n;
    json_t *pl = NULL, *cohort = NULL, *cv = NULL;
    *created = 0;
    if (store_entity_get(st, a, ENT_PLACEMENT, placement_id, &pl, err) < 0)
        goto out;
    int64_t org = org_of(pl);
    const char *ref;
    if ((rc = cohort_version(st, a, pl, &cv, &ref, &cohort, err)) < 0 || !cv)
        goto out;
    int64_t cv_id = json_integer_value(json_object_get(cv, "id"));
    rc = -1;
    if (store_cversion_freeze(st, a, cv_id, err) < 0)
        goto out;
    json_t *p = json_pack("{s:I, s:I}", "placement_id", (json_int_t)placement_id, "curriculum_version_id",
                          (json_int_t)cv_id);
    if (run(st, a, STMT_PLAN_INSERT, p, "learning plan", &n, err) < 0)
        goto out;
    if (n != 1) {
        rc = 0;   /* the plan exists */
        goto out;
    }
    int64_t plan_id = st_last_id(st);
    json_t *modules = json_object_get(json_object_get(cv, "content"), "modules");
    size_t count = json_array_size(modules), i;
    json_t *m;
    json_array_foreach(modules, i, m)
        if (module_insert(st, a, pl, plan_id, m, i, count, err) < 0)
            goto out;
    rc = audit(st, a, org, "create", "learning_plan", plan_id,
               json_pack("{s:{s:I}, s:{s:s}, s:{s:I}}", "placement_id", "new", (json_int_t)placement_id,
                         "curriculum_version", "new", ref, "modules", "new", (json_int_t)count), err);
    *created = rc == 0;
out:
    json_decref(pl);
    json_decref(cohort);
    json_decref(cv);
    return st_tx_end(st, owned, rc, err);
}

static const char *const MODULE_JSON[] = {"deliverable", NULL};

/* The old plan's module with this code, or NULL. */
static json_t *module_by_code(json_t *modules, const char *code)
{
    size_t i;
    json_t *m;
    json_array_foreach(modules, i, m)
        if (!strcmp(json_string_value(json_object_get(m, "code")), code))
            return m;
    return NULL;
}

int store_plan_rebase(struct store *st, const struct tb_actor *a, int64_t placement_id, int *changed,
                      struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    json_t *pl = NULL, *plan = NULL, *cohort = NULL, *cv = NULL;
    json_t *added = json_array(), *removed = json_array(), *kept_out = json_array(), *kept = json_array();
    *changed = 0;
    if (store_entity_get(st, a, ENT_PLACEMENT, placement_id, &pl, err) < 0 ||
        store_plan_get(st, a, placement_id, &plan, err) < 0)
        goto out;
    json_t *row = json_object_get(plan, "plan");
    const char *ref;
    rc = 0;
    if (json_is_null(row) || (rc = cohort_version(st, a, pl, &cv, &ref, &cohort, err)) < 0 || !cv)
        goto out;   /* no plan, or no curriculum to follow: the plan stays as it is */
    int64_t cv_id = json_integer_value(json_object_get(cv, "id")), plan_id = json_integer_value(json_object_get(row, "id"));
    if (cv_id == json_integer_value(json_object_get(row, "curriculum_version_id")))
        goto out;
    rc = -1;
    if (store_cversion_freeze(st, a, cv_id, err) < 0)
        goto out;
    json_t *olds = json_object_get(plan, "modules"), *modules = json_object_get(json_object_get(cv, "content"), "modules");
    size_t count = json_array_size(modules), i;
    json_t *m;
    json_array_foreach(modules, i, m) {
        const char *code = json_string_value(json_object_get(m, "code"));
        json_t *old = code ? module_by_code(olds, code) : NULL, *w = json_object_get(m, "weights");
        int r;
        if (old) {   /* the same module: its dates, adapted deliverable, state and work stay */
            r = run(st, a, STMT_PLAN_MODULE_REBASE,
                    json_pack("{s:O, s:I, s:O, s:i, s:O, s:O}", "id", json_object_get(old, "id"), "position",
                              (json_int_t)i + 1, "title", json_object_get(m, "title"), "mandatory",
                              json_is_true(json_object_get(m, "mandatory")), "weight_test", json_object_get(w, "test"),
                              "weight_rubric", json_object_get(w, "rubric")),
                    "plan module", NULL, err);
            json_array_append_new(kept, json_string(code));
        } else {
            r = module_insert(st, a, pl, plan_id, m, i, count, err);
            json_array_append_new(added, json_string(code));
        }
        if (r < 0)
            goto out;
    }
    size_t pos = count;
    json_array_foreach(olds, i, m) {
        const char *code = json_string_value(json_object_get(m, "code"));
        if (module_by_code(modules, code))
            continue;
        int n;
        if (run(st, a, STMT_PLAN_MODULE_DROP, json_pack("{s:O}", "id", json_object_get(m, "id")), "plan module", &n,
                err) < 0)
            goto out;
        if (n) {
            json_array_append_new(removed, json_string(code));
            continue;
        }
        /* work was done in it: kept, out of the plan (not chosen, not mandatory) */
        if (run(st, a, STMT_PLAN_MODULE_RETIRE,
                json_pack("{s:O, s:I}", "id", json_object_get(m, "id"), "position", (json_int_t)++pos), "plan module",
                NULL, err) < 0)
            goto out;
        json_array_append_new(kept_out, json_string(code));
    }
    if (run(st, a, STMT_PLAN_REBASE, json_pack("{s:I, s:I}", "id", (json_int_t)plan_id, "curriculum_version_id",
                                               (json_int_t)cv_id), "learning plan", NULL, err) < 0 ||
        audit(st, a, org_of(pl), "update", "learning_plan", plan_id,
              json_pack("{s:{s:O, s:s}, s:{s:O}, s:{s:O}, s:{s:O}, s:{s:O}}", "curriculum_version", "old",
                        json_object_get(row, "curriculum_ref"), "new", ref, "modules_kept", "new", kept,
                        "modules_added", "new", added, "modules_removed", "new", removed,
                        "modules_kept_out_of_plan", "new", kept_out), err) < 0)
        goto out;
    *changed = 1;
    rc = 0;
out:
    json_decref(added);
    json_decref(removed);
    json_decref(kept_out);
    json_decref(kept);
    json_decref(pl);
    json_decref(plan);
    json_decref(cohort);
    json_decref(cv);
    return st_tx_end(st, owned, rc, err);
}

int store_plan_get(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                   struct tb_err *err)
{
    json_t *pl, *plan = NULL, *mods;
    if (store_entity_get(st, a, ENT_PLACEMENT, placement_id, &pl, err) < 0)
        return -1;
    json_decref(pl);
    struct tb_err e = {0};
    if (one(st, a, STMT_PLAN_GET, json_pack("{s:I}", "placement_id", (json_int_t)placement_id), "learning plan",
            &plan, &e) < 0 && e.status != 404) {
        *err = e;
        return -1;
    }
    if (rows(st, a, STMT_PLAN_MODULES_LIST, json_pack("{s:I}", "placement_id", (json_int_t)placement_id), &mods,
             err) < 0) {
        json_decref(plan);
        return -1;
    }
    decode_all(mods, MODULE_JSON);
    static const char *const PLAN_JSON[] = {"accepted_terms", NULL};
    if (plan)
        decode(plan, PLAN_JSON);
    *out = json_pack("{s:o, s:o}", "plan", plan ? plan : json_null(), "modules", mods);
    return 0;
}

int store_plan_module_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err)
{
    if (one(st, a, STMT_PLAN_MODULE_GET, json_pack("{s:I}", "id", (json_int_t)id), "plan module", out, err) < 0)
        return -1;
    json_t *pl;
    if (store_entity_get(st, a, ENT_PLACEMENT, json_integer_value(json_object_get(*out, "placement_id")), &pl,
                         err) < 0) {
        json_decref(*out);
        *out = NULL;
        return err->status == 404 ? TB_NOT_FOUND(err, "plan module not found") : -1;
    }
    json_object_set(*out, "graduate_id", json_object_get(pl, "graduate_id"));
    json_object_set(*out, "company_id", json_object_get(pl, "company_id"));
    json_object_set(*out, "mentor_user_id", json_object_get(pl, "mentor_user_id"));
    json_object_set(*out, "graduate_name", json_object_get(pl, "graduate_name"));
    json_decref(pl);
    decode(*out, MODULE_JSON);
    return 0;
}

int store_plan_module_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version,
                             const json_t *changes, json_t **out, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1, n;
    json_t *old = NULL;
    *out = NULL;
    if (store_plan_module_get(st, a, id, &old, err) < 0 || st_version_mismatch(old, version, err) < 0)
        goto out;
    if (json_is_false(json_object_get(changes, "selected")) && json_integer_value(json_object_get(old, "mandatory"))) {
        TB_INVALID(err, "selected", "selected: a mandatory module cannot be left out");
        goto out;
    }
    json_t *p = json_pack("{s:I, s:I}", "id", (json_int_t)id, "version", (json_int_t)version);
    static const char *const keys[] = {"planned_start", "due_date", "deliverable", "selected", NULL};
    for (int i = 0; keys[i]; i++) {
        json_t *v = json_object_get(changes, keys[i]);
        json_object_set(p, keys[i], v ? v : json_object_get(old, keys[i]));
    }
    json_t *diff = st_diff(old, changes);
    if (run(st, a, STMT_PLAN_MODULE_UPDATE, p, "plan module", &n, err) < 0) {
        json_decref(diff);
        goto out;
    }
    if (n != 1) {
        json_decref(diff);
        tb_fail(err, 412, "version_mismatch", "version", "version: the record changed since you read it");
        goto out;
    }
    if (audit(st, a, org_of(old), "update", "plan_module", id, diff, err) < 0)
        goto out;
    rc = store_plan_module_get(st, a, id, out, err);
out:
    json_decref(old);
    return st_tx_end(st, owned, rc, err);
}

/* ---- the plan in the signed agreement ---- */

int store_plan_accepted_set(struct store *st, const struct tb_actor *a, int64_t placement_id, const json_t *terms,
                            const char *hash, struct tb_err *err)
{
    char *text = json_dumps(terms, JSON_COMPACT);
    if (!text)
        return TB_INTERNAL(err, "out of memory");
    int rc = run(st, a, STMT_PLAN_ACCEPTED_SET, json_pack("{s:I, s:s, s:s}", "placement_id", (json_int_t)placement_id,
                                                         "terms", text, "hash", hash), "learning plan", NULL, err);
    free(text);
    return rc;
}

int store_plan_acceptance_add(struct store *st, const struct tb_actor *a, int64_t org_id, int64_t placement_id,
                              const char *party, const char *plan_hash, struct tb_err *err)
{
    if (run(st, a, STMT_PLAN_ACCEPT_INSERT, json_pack("{s:I, s:s, s:s}", "placement_id", (json_int_t)placement_id,
                                                      "party", party, "plan_hash", plan_hash), "plan acceptance", NULL,
            err) < 0) {
        if (err->status == 409)
            tb_error(err, TB_E_ALREADY_ACCEPTED, "", "the %s has already accepted this plan amendment", party);
        return -1;
    }
    return audit(st, a, org_id, "update", "placement", placement_id,
                 json_pack("{s:{s:s}, s:{s:s}}", "plan_amendment_accepted_by", "new", party, "plan_hash", "new",
                           plan_hash), err);
}

int store_plan_acceptance_list(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                               struct tb_err *err)
{
    return rows(st, a, STMT_PLAN_ACCEPT_LIST, json_pack("{s:I}", "placement_id", (json_int_t)placement_id), out, err);
}

int store_plan_acceptance_clear(struct store *st, const struct tb_actor *a, int64_t placement_id, struct tb_err *err)
{
    return run(st, a, STMT_PLAN_ACCEPT_CLEAR, json_pack("{s:I}", "placement_id", (json_int_t)placement_id),
               "plan acceptance", NULL, err);
}

/* ---- deliverables ----------------------------------------------------------- */

static int module_scores(struct store *st, const struct tb_actor *a, int64_t module_id, json_t *params,
                         struct tb_err *err)
{
    json_object_set_new(params, "id", json_integer(module_id));
    /* A score left out is unchanged: bound as NULL, never left unbound. */
    static const char *const parts[] = {"test_state", "test_score", "rubric_score"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (!json_object_get(params, parts[i]))
            json_object_set_new(params, parts[i], json_null());
    if (run(st, a, STMT_PLAN_MODULE_RESULT, params, "plan module", NULL, err) < 0)
        return -1;
    return run(st, a, STMT_PLAN_MODULE_RECOMPUTE, json_pack("{s:I}", "id", (json_int_t)module_id), "plan module",
               NULL, err);
}

static int module_state(struct store *st, const struct tb_actor *a, int64_t module_id, const char *state,
                        struct tb_err *err)
{
    return run(st, a, STMT_PLAN_MODULE_STATE, json_pack("{s:I, s:s}", "id", (json_int_t)module_id, "state", state),
               "plan module", NULL, err);
}

int store_deliverable_submit(struct store *st, const struct tb_actor *a, int64_t module_id, const char *body,
                             const json_t *links, int64_t *version_id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    json_t *m = NULL;
    if (store_plan_module_get(st, a, module_id, &m, err) < 0)
        goto out;
    const char *state = json_string_value(json_object_get(m, "state"));
    if (!strcmp(state, "approved")) {
        tb_fail(err, 409, "invalid_transition", "", "this deliverable is approved; nothing more to submit");
        goto out;
    }
    if (!json_integer_value(json_object_get(m, "selected"))) {
        tb_fail(err, 409, "invalid_transition", "", "this elective is not part of the plan");
        goto out;
    }
    char *text = json_dumps(links, JSON_COMPACT);
    size_t blen = strlen(body), llen = strlen(text);
    char *buf = malloc(blen + llen + 1);
    if (!buf) {
        free(text);
        TB_INTERNAL(err, "out of memory");
        goto out;
    }
    memcpy(buf, body, blen);
    memcpy(buf + blen, text, llen + 1);
    char hash[65];
    sha256_hex(buf, blen + llen, hash);
    free(buf);
    free(text);
    json_t *p = json_pack("{s:I, s:s, s:O, s:s}", "plan_module_id", (json_int_t)module_id, "body", body, "links",
                          links, "sha256", hash);
    if (run(st, a, STMT_DVERSION_INSERT, p, "deliverable version", NULL, err) < 0)
        goto out;
    *version_id = st_last_id(st);
    if (module_state(st, a, module_id, "submitted", err) < 0 ||
        audit(st, a, org_of(m), "create", "deliverable_version", *version_id,
              json_pack("{s:{s:I}, s:{s:s}}", "plan_module_id", "new", (json_int_t)module_id, "sha256", "new", hash),
              err) < 0)
        goto out;
    rc = 0;
out:
    json_decref(m);
    return st_tx_end(st, owned, rc, err);
}

static const char *const DVERSION_JSON[] = {"links", NULL};
static const char *const REVIEW_JSON[] = {"comments", "rubric", NULL};

int store_deliverable_history(struct store *st, const struct tb_actor *a, int64_t module_id, json_t **versions,
                              json_t **reviews, struct tb_err *err)
{
    json_t *m, *files;
    if (store_plan_module_get(st, a, module_id, &m, err) < 0)
        return -1;
    json_decref(m);
    if (rows(st, a, STMT_DVERSION_LIST, json_pack("{s:I}", "plan_module_id", (json_int_t)module_id), versions, err) < 0)
        return -1;
    if (rows(st, a, STMT_DFILE_LIST, json_pack("{s:I}", "plan_module_id", (json_int_t)module_id), &files, err) < 0 ||
        rows(st, a, STMT_DREVIEW_LIST, json_pack("{s:I}", "plan_module_id", (json_int_t)module_id), reviews, err) < 0) {
        json_decref(*versions);
        return -1;
    }
    decode_all(*versions, DVERSION_JSON);
    decode_all(*reviews, REVIEW_JSON);
    size_t i, k;
    json_t *v, *f;
    json_array_foreach(*versions, i, v) {
        json_t *mine = json_array();
        json_array_foreach(files, k, f)
            if (json_integer_value(json_object_get(f, "version_id")) == json_integer_value(json_object_get(v, "id")))
                json_array_append(mine, f);
        json_object_set_new(v, "files", mine);
    }
    json_decref(files);
    return 0;
}

int store_deliverable_version_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out,
                                  struct tb_err *err)
{
    if (one(st, a, STMT_DVERSION_GET, json_pack("{s:I}", "id", (json_int_t)id), "deliverable version", out, err) < 0)
        return -1;
    json_t *m;
    if (store_plan_module_get(st, a, json_integer_value(json_object_get(*out, "plan_module_id")), &m, err) < 0) {
        json_decref(*out);
        *out = NULL;
        return err->status == 404 ? TB_NOT_FOUND(err, "deliverable version not found") : -1;
    }
    json_object_set_new(*out, "module", m);
    decode(*out, DVERSION_JSON);
    return 0;
}

int store_deliverable_file_add(struct store *st, const struct tb_actor *a, int64_t version_id, const char *name,
                               const char *mime, const void *data, size_t len, int64_t *id, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1;
    json_t *v = NULL;
    if (store_deliverable_version_get(st, a, version_id, &v, err) < 0)
        goto out;
    if (strcmp(json_string_value(json_object_get(v, "status")), "submitted") ||
        json_integer_value(json_object_get(v, "number")) != json_integer_value(json_object_get(v, "latest_number"))) {
        tb_fail(err, 409, "invalid_transition", "", "files are added to the latest version before it is reviewed");
        goto out;
    }
    char hash[65];
    sha256_hex(data, len, hash);
    struct st_q *s = prep(st, a, STMT_DFILE_INSERT, NULL, err);
    if (!s)
        goto out;
    st_bind_i64(st, s, ":version_id", version_id);
    st_bind_text(st, s, ":name", name);
    st_bind_text(st, s, ":mime", mime);
    st_bind_i64(st, s, ":size", (int64_t)len);
    st_bind_text(st, s, ":sha256", hash);
    st_bind_blob(st, s, ":data", data, len);
    if (st_step_done(st, s, "deliverable file", err) < 0)
        goto out;
    *id = st_last_id(st);
    rc = audit(st, a, org_of(v), "create", "deliverable_file", *id,
               json_pack("{s:{s:s}, s:{s:s}, s:{s:I}, s:{s:s}}", "name", "new", name, "mime", "new", mime, "size", "new",
                         (json_int_t)len, "sha256", "new", hash), err);
out:
    json_decref(v);
    return st_tx_end(st, owned, rc, err);
}

int store_deliverable_file_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **meta, void **data,
                               size_t *len, struct tb_err *err)
{
    struct st_q *s = prep(st, a, STMT_DFILE_GET, NULL, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":id", id);
    int rc = st_step(st, s);
    if (rc != ST_ROW) {
        st_reset(s);
        return rc == ST_DONE ? TB_NOT_FOUND(err, "file not found") : st_db_fail(st, err, "file");
    }
    *len = (size_t)st_col_bytes(s, 6);
    *data = malloc(*len ? *len : 1);
    if (!*data) {
        st_reset(s);
        return TB_INTERNAL(err, "out of memory");
    }
    if (*len)   /* an erased file's content is empty (the blob is then NULL) */
        memcpy(*data, st_col_blob(s, 6), *len);
    *meta = json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:I}", "id", (json_int_t)st_col_i64(s, 0), "version_id",
                      (json_int_t)st_col_i64(s, 1), "name", st_col_text(s, 2), "mime",
                      st_col_text(s, 3), "size", (json_int_t)st_col_i64(s, 4), "sha256",
                      st_col_text(s, 5), "plan_module_id", (json_int_t)st_col_i64(s, 7));
    st_reset(s);
    /* The file is the module's: readable by whoever may read the module. */
    json_t *m;
    if (store_plan_module_get(st, a, json_integer_value(json_object_get(*meta, "plan_module_id")), &m, err) < 0) {
        json_decref(*meta);
        free(*data);
        *data = NULL;
        return err->status == 404 ? TB_NOT_FOUND(err, "file not found") : -1;
    }
    json_decref(m);
    return 0;
}

int store_deliverable_review(struct store *st, const struct tb_actor *a, int64_t version_id,
                             const struct review_in *rv, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1, n;
    json_t *v = NULL;
    if (store_deliverable_version_get(st, a, version_id, &v, err) < 0)
        goto out;
    if (json_integer_value(json_object_get(v, "number")) != json_integer_value(json_object_get(v, "latest_number"))) {
        tb_fail(err, 409, "superseded", "", "a newer version of this deliverable was submitted; review that one");
        goto out;
    }
    int approve = !strcmp(rv->decision, "approve");
    json_t *p = json_pack("{s:I, s:s}", "id", (json_int_t)version_id, "status", approve ? "approved" : "changes_requested");
    if (run(st, a, STMT_DVERSION_STATUS, p, "deliverable version", &n, err) < 0)
        goto out;
    if (n != 1) {
        tb_fail(err, 409, "invalid_transition", "", "this version was already reviewed (%s)",
                json_string_value(json_object_get(v, "status")));
        goto out;
    }
    p = json_pack("{s:I, s:o, s:s, s:s, s:s, s:O, s:O}", "version_id", (json_int_t)version_id, "reviewer_id",
                  rv->reviewer_id ? json_integer(rv->reviewer_id) : json_null(), "reviewer_name", rv->reviewer_name,
                  "via", rv->via, "decision", rv->decision, "comments", rv->comments,
                  "rubric", rv->rubric ? rv->rubric : json_null());
    if (run(st, a, STMT_DREVIEW_INSERT, p, "review", NULL, err) < 0)
        goto out;
    int64_t review_id = st_last_id(st);
    int64_t module_id = json_integer_value(json_object_get(v, "plan_module_id"));
    if (module_state(st, a, module_id, approve ? "approved" : "changes_requested", err) < 0)
        goto out;
    if (rv->rubric_percent >= 0 &&
        module_scores(st, a, module_id, json_pack("{s:I}", "rubric_score", (json_int_t)rv->rubric_percent), err) < 0)
        goto out;
    rc = audit(st, a, org_of(v), "create", "deliverable_review", review_id,
               json_pack("{s:{s:I}, s:{s:s}, s:{s:s}, s:{s:s}}", "version_id", "new", (json_int_t)version_id, "decision",
                         "new", rv->decision, "via", "new", rv->via, "reviewer", "new", rv->reviewer_name), err);
out:
    json_decref(v);
    return st_tx_end(st, owned, rc, err);
}

int store_review_link_create(struct store *st, const struct tb_actor *a, int64_t version_id, const char *email,
                             const char *name, const char *token_hash, int64_t expires_at, struct tb_err *err)
{
    json_t *v;
    if (store_deliverable_version_get(st, a, version_id, &v, err) < 0)
        return -1;
    int64_t org = org_of(v);
    json_decref(v);
    json_t *p = json_pack("{s:I, s:s, s:s, s:s, s:I}", "version_id", (json_int_t)version_id, "email", email, "name", name,
                          "token_hash", token_hash, "expires_at", (json_int_t)expires_at);
    if (run(st, a, STMT_RLINK_INSERT, p, "review link", NULL, err) < 0)
        return -1;
    return audit(st, a, org, "create", "review_link", st_last_id(st),
                 json_pack("{s:{s:I}, s:{s:s}}", "version_id", "new", (json_int_t)version_id, "email", "new", email), err);
}

int store_review_link_peek(struct store *st, const char *token_hash, json_t **out, struct tb_err *err)
{
    if (one(st, NULL, STMT_RLINK_PEEK, json_pack("{s:s}", "token_hash", token_hash), "review link", out, err) < 0)
        return err->status == 404
                   ? tb_fail(err, 404, "not_found", "token", "token: this review link is unknown; ask for a new one")
                   : -1;
    const char *why = json_is_string(json_object_get(*out, "used_at")) ? "was already used"
                      : json_integer_value(json_object_get(*out, "expired")) ? "has expired" : NULL;
    if (why) {
        json_decref(*out);
        *out = NULL;
        return tb_fail(err, 410, "link_gone", "token", "token: this review link %s; ask the trainee for a new one", why);
    }
    return 0;
}

int store_review_link_claim(struct store *st, const char *token_hash, json_t **out, struct tb_err *err)
{
    if (store_review_link_peek(st, token_hash, out, err) < 0)
        return -1;
    json_decref(*out);
    return one(st, NULL, STMT_RLINK_CLAIM, json_pack("{s:s}", "token_hash", token_hash), "review link", out, err) < 0
               ? tb_fail(err, 410, "link_gone", "token", "token: this review link was already used")
               : 0;
}

/* ---- tests -------------------------------------------------------------------- */

static const char *const ATTEMPT_JSON[] = {"question_order", "answers", "graded", NULL};

int store_attempt_start(struct store *st, const struct tb_actor *a, int64_t module_id, int64_t seed,
                        const json_t *order, int64_t deadline, int64_t *id, struct tb_err *err)
{
    json_t *m;
    if (store_plan_module_get(st, a, module_id, &m, err) < 0)
        return -1;
    int64_t org = org_of(m);
    json_decref(m);
    json_t *p = json_pack("{s:I, s:I, s:O, s:I}", "plan_module_id", (json_int_t)module_id, "seed", (json_int_t)seed,
                          "question_order", order, "deadline", (json_int_t)deadline);
    if (run(st, a, STMT_ATTEMPT_INSERT, p, "test attempt", NULL, err) < 0)
        return -1;
    *id = st_last_id(st);
    return audit(st, a, org, "create", "test_attempt", *id,
                 json_pack("{s:{s:I}, s:{s:I}}", "plan_module_id", "new", (json_int_t)module_id, "seed", "new",
                           (json_int_t)seed), err);
}

int store_attempt_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err)
{
    if (one(st, a, STMT_ATTEMPT_GET, json_pack("{s:I}", "id", (json_int_t)id), "test attempt", out, err) < 0)
        return -1;
    json_t *m;
    if (store_plan_module_get(st, a, json_integer_value(json_object_get(*out, "plan_module_id")), &m, err) < 0) {
        json_decref(*out);
        *out = NULL;
        return err->status == 404 ? TB_NOT_FOUND(err, "test attempt not found") : -1;
    }
    json_object_set_new(*out, "module", m);
    decode(*out, ATTEMPT_JSON);
    return 0;
}

int store_attempt_list(struct store *st, const struct tb_actor *a, int64_t module_id, json_t **out, struct tb_err *err)
{
    json_t *m;
    if (store_plan_module_get(st, a, module_id, &m, err) < 0)
        return -1;
    json_decref(m);
    if (rows(st, a, STMT_ATTEMPT_LIST, json_pack("{s:I}", "plan_module_id", (json_int_t)module_id), out, err) < 0)
        return -1;
    decode_all(*out, ATTEMPT_JSON);
    return 0;
}

int store_attempt_submit(struct store *st, const struct tb_actor *a, int64_t id, const json_t *answers, int score,
                         int max_score, const char *state, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1, n;
    json_t *at = NULL;
    if (store_attempt_get(st, a, id, &at, err) < 0)
        goto out;
    int percent = max_score ? score * 100 / max_score : 0;
    json_t *p = json_pack("{s:I, s:O, s:i, s:i, s:i, s:s}", "id", (json_int_t)id, "answers", answers, "score", score,
                          "max_score", max_score, "percent", percent, "state", state);
    if (run(st, a, STMT_ATTEMPT_SUBMIT, p, "test attempt", &n, err) < 0)
        goto out;
    if (n != 1) {
        tb_fail(err, 409, "invalid_transition", "", "this attempt was already submitted");
        goto out;
    }
    int64_t module_id = json_integer_value(json_object_get(at, "plan_module_id"));
    p = json_pack("{s:s, s:o}", "test_state", state, "test_score",
                  strcmp(state, "grading") ? json_integer(percent) : json_null());
    if (module_scores(st, a, module_id, p, err) < 0)
        goto out;
    rc = audit(st, a, org_of(at), "update", "test_attempt", id,
               json_pack("{s:{s:s, s:s}, s:{s:i}}", "state", "old", "open", "new", state, "percent", "new", percent), err);
out:
    json_decref(at);
    return st_tx_end(st, owned, rc, err);
}

int store_attempt_grade(struct store *st, const struct tb_actor *a, int64_t id, const json_t *graded, int score,
                        const char *state, struct tb_err *err)
{
    int owned;
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    int rc = -1, n;
    json_t *at = NULL;
    if (store_attempt_get(st, a, id, &at, err) < 0)
        goto out;
    int max = (int)json_integer_value(json_object_get(at, "max_score"));
    int percent = max ? score * 100 / max : 0;
    json_t *p = json_pack("{s:I, s:i, s:i, s:s, s:O}", "id", (json_int_t)id, "score", score, "percent", percent,
                          "state", state, "graded", graded);
    if (run(st, a, STMT_ATTEMPT_GRADE, p, "test attempt", &n, err) < 0)
        goto out;
    if (n != 1) {
        tb_fail(err, 409, "invalid_transition", "", "this attempt is %s, not waiting for grading",
                json_string_value(json_object_get(at, "state")));
        goto out;
    }
    int64_t module_id = json_integer_value(json_object_get(at, "plan_module_id"));
    if (module_scores(st, a, module_id, json_pack("{s:s, s:i}", "test_state", state, "test_score", percent), err) < 0)
        goto out;
    rc = audit(st, a, org_of(at), "update", "test_attempt", id,
               json_pack("{s:{s:s, s:s}, s:{s:i}}", "state", "old", "grading", "new", state, "percent", "new", percent), err);
out:
    json_decref(at);
    return st_tx_end(st, owned, rc, err);
}

/* ---- competency ratings ----------------------------------------------------------- */

int store_rating_put(struct store *st, const struct tb_actor *a, int64_t placement_id, const char *competency,
                     const char *kind, int level, struct tb_err *err)
{
    json_t *pl;
    if (store_entity_get(st, a, ENT_PLACEMENT, placement_id, &pl, err) < 0)
        return -1;
    int64_t org = org_of(pl);
    json_decref(pl);
    json_t *p = json_pack("{s:I, s:s, s:s, s:i}", "placement_id", (json_int_t)placement_id, "competency", competency,
                          "kind", kind, "level", level);
    if (run(st, a, STMT_RATING_PUT, p, "competency rating", NULL, err) < 0)
        return -1;
    return audit(st, a, org, "update", "competency_rating", placement_id,
                 json_pack("{s:s, s:s, s:{s:i}}", "competency", competency, "kind", kind, "level", "new", level), err);
}

int store_rating_list(struct store *st, const struct tb_actor *a, int64_t placement_id, json_t **out,
                      struct tb_err *err)
{
    json_t *pl;
    if (store_entity_get(st, a, ENT_PLACEMENT, placement_id, &pl, err) < 0)
        return -1;
    json_decref(pl);
    return rows(st, a, STMT_RATING_LIST, json_pack("{s:I}", "placement_id", (json_int_t)placement_id), out, err);
}

/* ---- progress ---------------------------------------------------------------------- */

int store_progress_grid(struct store *st, const struct tb_actor *a, int64_t cohort_id, grid_row_fn fn, void *ctx,
                        struct tb_err *err)
{
    json_t *cohort;
    if (store_entity_get(st, a, ENT_COHORT, cohort_id, &cohort, err) < 0)
        return -1;
    json_decref(cohort);
    /* 12,000 cells for a large cohort: each row handed over as it is read. */
    struct st_q *s = prep(st, a, STMT_PROGRESS_GRID, NULL, err);
    if (!s)
        return -1;
    st_bind_i64(st, s, ":cohort_id", cohort_id);
    char today[32];   /* late: due before today, selected, neither submitted nor approved */
    st_now_text(today);
    today[10] = '\0';
    int rc;
    while ((rc = st_step(st, s)) == ST_ROW) {
        struct grid_row r = {
            .placement_id = st_col_i64(s, 0),
            .trainee = st_col_text(s, 1),
            .code = st_col_text(s, 2),
            .state = st_col_text(s, 3),
            .test_state = st_col_text(s, 4),
            .has_result = st_col_type(s, 5) != ST_NULL,
            .result = st_col_int(s, 5),
            .selected = st_col_int(s, 6),
            .last_activity = st_col_text(s, 8),
        };
        const char *due = st_col_text(s, 7);
        r.late = r.selected && due && strcmp(due, today) < 0 && strcmp(r.state, "submitted") &&
                 strcmp(r.state, "approved");
        if (fn(ctx, &r) < 0) {
            st_reset(s);
            return TB_INTERNAL(err, "out of memory");
        }
    }
    st_reset(s);
    return rc == ST_DONE ? 0 : st_db_fail(st, err, "progress");
}

int store_progress_counts(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err)
{
    return rows(st, a, STMT_PROGRESS_COUNTS, json_object(), out, err);
}

int store_reminders_due(struct store *st, const struct tb_actor *a, int days, json_t **out, struct tb_err *err)
{
    return rows(st, a, STMT_REMINDERS_DUE, json_pack("{s:i}", "days", days), out, err);
}

int store_reminder_sent(struct store *st, const struct tb_actor *a, int64_t module_id, struct tb_err *err)
{
    return run(st, a, STMT_REMINDER_SENT, json_pack("{s:I}", "id", (json_int_t)module_id), "plan module", NULL, err);
}

/* ---- notices ------------------------------------------------------------------ */

int store_training_notice(struct store *st, const struct tb_actor *a, int64_t org_id, const struct notice_to *to,
                          const char *subject, const char *body, struct tb_err *err)
{
    struct tb_actor sys = st_elevate(a, ELEV_TRAINING_NOTICE);
    struct tb_err ignored = {0};
    json_t *row = NULL;
    if (to->user_id)
        store_user_get(st, &sys, to->user_id, &row, &ignored);
    else if (to->graduate_id)
        store_entity_get(st, &sys, ENT_GRADUATE, to->graduate_id, &row, &ignored);
    const char *addr = row ? json_string_value(json_object_get(row, "email")) : to->email;
    int rc = addr && *addr ? store_outbox_add(st, &sys, org_id, addr, subject, body, err) : 0;
    json_decref(row);
    return rc;
}
