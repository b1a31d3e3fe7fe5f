/*
 * curriculum.c - the curriculum document (parse, check, export), checks of a
 * curriculum's content, version diff, the answer key kept from trainees, seeded
 * question order, automatic grading.
 */
#include "core/curriculum.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/validate.h"

/* The ESCO skill pillar's URIs; anything else is not an ESCO skill link. */
/* Paths of nested fields; a path cut short still names the place. */
#define SUBPATH(buf, ...) ((void)(snprintf(buf, sizeof buf, __VA_ARGS__) < 0))

static const char *full_name(char buf[256], const char *path, const char *key)
{
    (void)(snprintf(buf, 256, "%s%s%s", path, *path ? "." : "", key) < 0);
    return buf;
}

#define ESCO_SKILL_PREFIX "http://data.europa.eu/esco/skill/"

static int str_field(const json_t *o, const char *key, size_t min, size_t max, const char *path,
                     struct tb_err *err)
{
    char buf[256];
    json_t *v = json_object_get(o, key);
    if (!v && min == 0)
        return 0;
    if (!json_is_string(v))
        return TB_INVALID(err, full_name(buf, path, key), "%s: must be a text", buf);
    size_t n = utf8_chars(json_string_value(v));
    if (n < min || n > max)
        return TB_INVALID(err, full_name(buf, path, key), "%s: must be %zu to %zu characters", buf, min, max);
    return 0;
}

static int int_field(const json_t *o, const char *key, json_int_t min, json_int_t max, int required,
                     const char *path, struct tb_err *err)
{
    char buf[256];
    json_t *v = json_object_get(o, key);
    if (!v && !required)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return TB_INVALID(err, full_name(buf, path, key), "%s: must be a whole number from %lld to %lld", buf,
                          (long long)min, (long long)max);
    return 0;
}

static int arr_field(const json_t *o, const char *key, size_t min, size_t max, const char *path,
                     struct tb_err *err)
{
    char buf[256];
    json_t *v = json_object_get(o, key);
    if (!json_is_array(v) || json_array_size(v) < min || json_array_size(v) > max)
        return TB_INVALID(err, full_name(buf, path, key), "%s: must be a list of %zu to %zu entries", buf, min, max);
    return 0;
}

static int code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 20)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return 0;
    return 1;
}

static int check_levels(const json_t *c, const char *path, struct tb_err *err)
{
    if (arr_field(c, "levels", 3, 4, path, err) < 0)
        return -1;
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(c, "levels"), i, l) {
        char p[192];
        SUBPATH(p, "%s.levels[%zu]", path, i);
        if (!json_is_object(l) || int_field(l, "level", (json_int_t)i + 1, (json_int_t)i + 1, 1, p, err) < 0 ||
            str_field(l, "description", 1, 1000, p, err) < 0)
            return err->status ? -1 : TB_INVALID(err, p, "%s: levels are numbered 1, 2, 3 (4) with a description", p);
    }
    return 0;
}

static int check_test(const json_t *t, const char *path, struct tb_err *err)
{
    if (!json_is_object(t))
        return TB_INVALID(err, path, "%s: must be an object", path);
    if (int_field(t, "time_limit_minutes", 1, 480, 1, path, err) < 0 ||
        int_field(t, "attempts", 1, 10, 1, path, err) < 0 || int_field(t, "pass_mark", 0, 100, 1, path, err) < 0 ||
        arr_field(t, "questions", 1, CURRICULUM_MAX_QUESTIONS, path, err) < 0)
        return -1;
    json_t *seen = json_object();
    size_t i;
    json_t *q;
    int rc = 0;
    json_array_foreach(json_object_get(t, "questions"), i, q) {
        char p[192];
        SUBPATH(p, "%s.questions[%zu]", path, i);
        const char *type = json_string_value(json_object_get(q, "type"));
        if (!json_is_object(q) || str_field(q, "id", 1, 20, p, err) < 0 || str_field(q, "text", 1, 2000, p, err) < 0 ||
            int_field(q, "points", 1, 100, 1, p, err) < 0) {
            rc = err->status ? -1 : TB_INVALID(err, p, "%s: must be an object", p);
            break;
        }
        const char *id = json_string_value(json_object_get(q, "id"));
        if (json_object_get(seen, id)) {
            rc = TB_INVALID(err, p, "%s.id: \"%s\" is used twice", p, id);
            break;
        }
        json_object_set_new(seen, id, json_true());
        if (!type || (strcmp(type, "single") && strcmp(type, "multiple") && strcmp(type, "short"))) {
            rc = TB_INVALID(err, p, "%s.type: must be single, multiple or short", p);
            break;
        }
        if (!strcmp(type, "short"))
            continue;
        if ((rc = arr_field(q, "options", 2, 10, p, err)) < 0)
            break;
        size_t nopt = json_array_size(json_object_get(q, "options"));
        json_t *ans = json_object_get(q, "answer");
        int ok = 1;
        if (!strcmp(type, "single")) {
            ok = json_is_integer(ans) && json_integer_value(ans) >= 0 && (size_t)json_integer_value(ans) < nopt;
        } else {
            ok = json_is_array(ans) && json_array_size(ans) >= 1;
            size_t k;
            json_t *a;
            json_array_foreach(ans, k, a)
                ok = ok && json_is_integer(a) && json_integer_value(a) >= 0 && (size_t)json_integer_value(a) < nopt;
        }
        if (!ok) {
            rc = TB_INVALID(err, p, "%s.answer: must name %s of the options by index (from 0)", p,
                            !strcmp(type, "single") ? "one" : "one or more");
            break;
        }
    }
    json_decref(seen);
    return rc;
}

static int check_rubric(const json_t *r, const char *path, struct tb_err *err)
{
    if (!json_is_object(r) || arr_field(r, "criteria", 1, 20, path, err) < 0)
        return err->status ? -1 : TB_INVALID(err, path, "%s: must be an object", path);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(r, "criteria"), i, c) {
        char p[192];
        SUBPATH(p, "%s.criteria[%zu]", path, i);
        if (!json_is_object(c) || str_field(c, "id", 1, 20, p, err) < 0 || str_field(c, "title", 1, 200, p, err) < 0 ||
            arr_field(c, "levels", 2, 6, p, err) < 0)
            return err->status ? -1 : TB_INVALID(err, p, "%s: must be an object", p);
        size_t k;
        json_t *l;
        json_array_foreach(json_object_get(c, "levels"), k, l) {
            char pl[256];
            SUBPATH(pl, "%s.levels[%zu]", p, k);
            if (!json_is_object(l) || int_field(l, "points", 0, 100, 1, pl, err) < 0 ||
                str_field(l, "description", 1, 1000, pl, err) < 0)
                return err->status ? -1 : TB_INVALID(err, pl, "%s: must be an object", pl);
        }
    }
    return 0;
}

static int check_module(const json_t *m, const char *p, const json_t *earlier, struct tb_err *err)
{
    if (!json_is_object(m))
        return TB_INVALID(err, p, "%s: must be an object", p);
    const char *code = json_string_value(json_object_get(m, "code"));
    if (!code || !code_ok(code))
        return TB_INVALID(err, p, "%s.code: 1 to 20 letters, digits, '-' or '_'", p);
    if (json_object_get(earlier, code))
        return TB_INVALID(err, p, "%s.code: \"%s\" is used twice", p, code);
    if (str_field(m, "title", 2, 200, p, err) < 0 || arr_field(m, "outcomes", 1, 20, p, err) < 0 ||
        int_field(m, "hours", 1, 2000, 1, p, err) < 0 || int_field(m, "eqf_level", 1, 8, 1, p, err) < 0 ||
        arr_field(m, "competencies", 1, 12, p, err) < 0 || arr_field(m, "prerequisites", 0, 20, p, err) < 0)
        return -1;
    json_t *ects = json_object_get(m, "ects");
    if (!json_is_number(ects) || json_number_value(ects) < 0 || json_number_value(ects) > 60)
        return TB_INVALID(err, p, "%s.ects: must be a number from 0 to 60", p);
    if (!json_is_boolean(json_object_get(m, "mandatory")))
        return TB_INVALID(err, p, "%s.mandatory: must be true or false", p);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(m, "outcomes"), i, v)
        if (!json_is_string(v) || utf8_chars(json_string_value(v)) < 3 || utf8_chars(json_string_value(v)) > 500)
            return TB_INVALID(err, p, "%s.outcomes[%zu]: must be a text of 3 to 500 characters", p, i);
    json_t *ids = json_object();
    json_array_foreach(json_object_get(m, "competencies"), i, v) {
        char pc[128];
        SUBPATH(pc, "%s.competencies[%zu]", p, i);
        const char *id = json_string_value(json_object_get(v, "id"));
        if (!json_is_object(v) || !id || !code_ok(id) || str_field(v, "title", 2, 200, pc, err) < 0 ||
            check_levels(v, pc, err) < 0 || json_object_get(ids, id)) {
            json_decref(ids);
            return err->status ? -1 : TB_INVALID(err, pc, "%s.id: a unique code of 1 to 20 letters or digits", pc);
        }
        json_object_set_new(ids, id, json_true());
    }
    json_decref(ids);
    json_t *esco = json_object_get(m, "esco");
    if (esco && !json_is_array(esco))
        return TB_INVALID(err, p, "%s.esco: must be a list of ESCO skill URIs (may be empty)", p);
    json_array_foreach(esco, i, v)
        if (!json_is_string(v) || strncmp(json_string_value(v), ESCO_SKILL_PREFIX, strlen(ESCO_SKILL_PREFIX)) ||
            strlen(json_string_value(v)) > 200)
            return TB_INVALID(err, p, "%s.esco[%zu]: must be an ESCO skill URI (" ESCO_SKILL_PREFIX "...)", p, i);
    json_array_foreach(json_object_get(m, "prerequisites"), i, v)
        if (!json_is_string(v) || !json_object_get(earlier, json_string_value(v)))
            return TB_INVALID(err, p, "%s.prerequisites[%zu]: must name a module listed before this one", p, i);
    json_t *d = json_object_get(m, "deliverable");
    char pd[128];
    SUBPATH(pd, "%s.deliverable", p);
    if (!json_is_object(d) || str_field(d, "title", 2, 200, pd, err) < 0 ||
        str_field(d, "description", 1, 4000, pd, err) < 0 || arr_field(d, "fields", 0, 30, pd, err) < 0)
        return err->status ? -1 : TB_INVALID(err, pd, "%s: the workplace deliverable is required", pd);
    json_array_foreach(json_object_get(d, "fields"), i, v) {
        char pf[192];
        SUBPATH(pf, "%s.fields[%zu]", pd, i);
        if (!json_is_object(v) || str_field(v, "name", 1, 60, pf, err) < 0 || str_field(v, "label", 1, 200, pf, err) < 0)
            return err->status ? -1 : TB_INVALID(err, pf, "%s: must be {\"name\", \"label\"}", pf);
    }
    const char *how = json_string_value(json_object_get(m, "assessment"));
    if (!how || (strcmp(how, "test") && strcmp(how, "rubric") && strcmp(how, "both")))
        return TB_INVALID(err, p, "%s.assessment: must be test, rubric or both", p);
    int want_test = strcmp(how, "rubric") != 0, want_rubric = strcmp(how, "test") != 0;
    char ps[128];
    if (want_test) {
        SUBPATH(ps, "%s.test", p);
        if (check_test(json_object_get(m, "test"), ps, err) < 0)
            return -1;
    }
    if (want_rubric) {
        SUBPATH(ps, "%s.rubric", p);
        if (check_rubric(json_object_get(m, "rubric"), ps, err) < 0)
            return -1;
    }
    json_t *w = json_object_get(m, "weights");
    SUBPATH(ps, "%s.weights", p);
    if (!json_is_object(w) || int_field(w, "test", 0, 100, 1, ps, err) < 0 || int_field(w, "rubric", 0, 100, 1, ps, err) < 0)
        return err->status ? -1 : TB_INVALID(err, ps, "%s: must be {\"test\": n, \"rubric\": m}", ps);
    json_int_t wt = json_integer_value(json_object_get(w, "test")), wr = json_integer_value(json_object_get(w, "rubric"));
    if (wt + wr != 100 || (!want_test && wt) || (!want_rubric && wr))
        return TB_INVALID(err, ps, "%s: test and rubric weights add up to 100 and are 0 for a part not assessed", ps);
    return 0;
}

int curriculum_validate(const json_t *content, struct tb_err *err)
{
    if (!json_is_object(content))
        return TB_INVALID(err, "content", "content: must be an object");
    if (str_field(content, "title", 2, 200, "", err) < 0 || str_field(content, "description", 0, 4000, "", err) < 0 ||
        arr_field(content, "modules", 1, CURRICULUM_MAX_MODULES, "", err) < 0)
        return -1;
    json_t *earlier = json_object();
    size_t i;
    json_t *m;
    int rc = 0;
    json_array_foreach(json_object_get(content, "modules"), i, m) {
        char p[64];
        SUBPATH(p, "modules[%zu]", i);
        if ((rc = check_module(m, p, earlier, err)) < 0)
            break;
        json_object_set_new(earlier, json_string_value(json_object_get(m, "code")), json_true());
    }
    json_decref(earlier);
    return rc;
}

json_t *curriculum_module(const json_t *content, const char *code)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(content, "modules"), i, m)
        if (code && json_is_string(json_object_get(m, "code")) &&
            !strcmp(json_string_value(json_object_get(m, "code")), code))
            return m;
    return NULL;
}

json_t *curriculum_diff(const json_t *a, const json_t *b)
{
    json_t *added = json_array(), *removed = json_array(), *changed = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(b, "modules"), i, m) {
        const char *code = json_string_value(json_object_get(m, "code"));
        json_t *old = curriculum_module(a, code);
        if (!old) {
            json_array_append_new(added, json_string(code));
            continue;
        }
        json_t *fields = json_array();
        const char *k;
        json_t *v;
        json_object_foreach(m, k, v)
            if (!json_equal(v, json_object_get(old, k)))
                json_array_append_new(fields, json_string(k));
        json_object_foreach(old, k, v)
            if (!json_object_get(m, k))
                json_array_append_new(fields, json_string(k));
        if (json_array_size(fields))
            json_array_append_new(changed, json_pack("{s:s, s:o}", "code", code, "fields", fields));
        else
            json_decref(fields);
    }
    json_array_foreach(json_object_get(a, "modules"), i, m) {
        const char *code = json_string_value(json_object_get(m, "code"));
        if (!curriculum_module(b, code))
            json_array_append_new(removed, json_string(code));
    }
    int title = !json_equal(json_object_get(a, "title"), json_object_get(b, "title")) ||
                !json_equal(json_object_get(a, "description"), json_object_get(b, "description"));
    return json_pack("{s:o, s:o, s:o, s:b}", "added", added, "removed", removed, "changed", changed,
                     "title_changed", title);
}

static void strip_question(json_t *q)
{
    json_object_del(q, "answer");
    json_object_del(q, "explanation");
}

json_t *curriculum_without_keys(const json_t *content)
{
    json_t *c = json_deep_copy(content);
    size_t i, k;
    json_t *m, *q;
    json_array_foreach(json_object_get(c, "modules"), i, m)
        json_array_foreach(json_object_get(json_object_get(m, "test"), "questions"), k, q)
            strip_question(q);
    return c;
}

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

json_t *curriculum_question_order(const json_t *test, uint64_t seed)
{
    json_t *qs = json_object_get(test, "questions");
    size_t n = json_array_size(qs);
    json_t *order = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append(order, json_object_get(json_array_get(qs, i), "id"));
    uint64_t s = seed;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(splitmix64(&s) % i);
        json_t *a = json_incref(json_array_get(order, i - 1)), *b = json_incref(json_array_get(order, j));
        json_array_set_new(order, i - 1, b);
        json_array_set_new(order, j, a);
    }
    return order;
}

static json_t *question_by_id(const json_t *test, const char *id)
{
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(test, "questions"), i, q)
        if (id && !strcmp(json_string_value(json_object_get(q, "id")), id))
            return q;
    return NULL;
}

json_t *curriculum_questions_for(const json_t *test, const json_t *order)
{
    json_t *out = json_array();
    size_t i;
    json_t *id;
    json_array_foreach(order, i, id) {
        json_t *q = question_by_id(test, json_string_value(id));
        if (!q)
            continue;
        json_t *c = json_deep_copy(q);
        strip_question(c);
        json_array_append_new(out, c);
    }
    return out;
}

static int same_set(const json_t *key, const json_t *given, size_t nopt)
{
    unsigned char want[16] = {0}, got[16] = {0};
    size_t i;
    json_t *v;
    json_array_foreach(key, i, v)
        want[json_integer_value(v)] = 1;
    json_array_foreach(given, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || (size_t)json_integer_value(v) >= nopt)
            return -1;
        got[json_integer_value(v)] = 1;
    }
    return memcmp(want, got, sizeof want) == 0;
}

int curriculum_grade(const json_t *test, const json_t *answers, int *score, int *max_score, int *pending,
                     struct tb_err *err)
{
    if (!json_is_object(answers))
        return TB_INVALID(err, "answers", "answers: must be an object of question id to answer");
    *score = *max_score = *pending = 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)answers, k, v)
        if (!question_by_id(test, k))
            return TB_INVALID(err, "answers", "answers: \"%.40s\" is not a question of this test", k);
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(test, "questions"), i, q) {
        const char *type = json_string_value(json_object_get(q, "type"));
        const char *id = json_string_value(json_object_get(q, "id"));
        int points = (int)json_integer_value(json_object_get(q, "points"));
        json_t *a = json_object_get(answers, id), *key = json_object_get(q, "answer");
        size_t nopt = json_array_size(json_object_get(q, "options"));
        *max_score += points;
        if (!a || json_is_null(a))
            continue;
        if (!strcmp(type, "short")) {
            if (!json_is_string(a) || utf8_chars(json_string_value(a)) > 4000)
                return TB_INVALID(err, "answers", "answers.%s: a text of up to 4000 characters", id);
            (*pending)++;
        } else if (!strcmp(type, "single")) {
            if (!json_is_integer(a) || json_integer_value(a) < 0 || (size_t)json_integer_value(a) >= nopt)
                return TB_INVALID(err, "answers", "answers.%s: the index of one option (0 to %zu)", id, nopt - 1);
            if (json_integer_value(a) == json_integer_value(key))
                *score += points;
        } else {
            int same = json_is_array(a) ? same_set(key, a, nopt) : -1;
            if (same < 0)
                return TB_INVALID(err, "answers", "answers.%s: a list of option indices (0 to %zu)", id, nopt - 1);
            if (same)
                *score += points;
        }
    }
    return 0;
}

int curriculum_document_parse(const char *data, size_t len, json_t **doc, json_t **content, struct tb_err *err)
{
    json_error_t je;
    *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    *content = NULL;
    if (!*doc)
        return TB_INVALID(err, "body", "body: not valid JSON (line %d: %s)", je.line, je.text);
    if (!json_is_object(*doc)) {
        json_decref(*doc);
        *doc = NULL;
        return TB_INVALID(err, "body", "body: expected a curriculum document (a JSON object)");
    }
    const char *code = json_string_value(json_object_get(*doc, "code"));
    size_t n = code ? strlen(code) : 0;
    int ok = n >= 1 && n <= 20;
    for (size_t i = 0; ok && i < n; i++)
        ok = (code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= 'a' && code[i] <= 'z') || (code[i] >= '0' && code[i] <= '9') ||
             code[i] == '-' || code[i] == '_';
    if (!ok) {
        json_decref(*doc);
        *doc = NULL;
        return TB_INVALID(err, "code", "code: 1 to 20 letters, digits, '-' or '_'");
    }
    *content = json_object();
    static const char *const keys[] = {"title", "description", "modules", NULL};
    for (int i = 0; keys[i]; i++)
        if (json_object_get(*doc, keys[i]))
            json_object_set(*content, keys[i], json_object_get(*doc, keys[i]));
    if (curriculum_validate(*content, err) < 0) {
        json_decref(*doc);
        json_decref(*content);
        *doc = *content = NULL;
        return -1;
    }
    return 0;
}

json_t *curriculum_document_of(const json_t *version)
{
    json_t *content = json_object_get(version, "content");
    json_t *doc = json_pack("{s:O, s:O, s:O}", "code", json_object_get(version, "code"), "version",
                            json_object_get(version, "number"), "title", json_object_get(content, "title"));
    if (doc && json_object_get(content, "description"))
        json_object_set(doc, "description", json_object_get(content, "description"));
    if (doc)
        json_object_set(doc, "modules", json_object_get(content, "modules"));
    return doc;
}
