/*
 * h_assessments.c - a module's test: an attempt starts with a random seed
 * (stored, so the question order can be reproduced) and a deadline, shows
 * the questions without their answer key, is graded on submission (choice
 * questions automatically; short answers by a person afterwards) and counts
 * against the attempts the curriculum allows.
 */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/curriculum.h"
#include "http/entity_http.h"
#include "http/fields.h"
#include "http/handlers.h"
#include "http/training.h"
#include "store/store_training.h"

/* A submission may arrive this long after the deadline (network, clocks). */
#define DEADLINE_GRACE 30

static const struct field_spec choice_item = {.type = FT_INT, .min = 0, .max = 20};
static const struct field_spec answer_item = {.type = FT_OBJECT,
    .items = (const struct field_spec[]){
        {.name = "question", .type = FT_STRING, .required = 1, .min = 1, .max = 20},
        {.name = "choice", .type = FT_INT, .min = 0, .max = 20},
        {.name = "choices", .type = FT_ARRAY, .max = 20, .items = &choice_item},
        {.name = "text", .type = FT_TEXT, .max = 4000},
        {0}}};
const struct field_spec attempt_submit_fields[] = {
    {.name = "answers", .type = FT_ARRAY, .required = 1, .max = CURRICULUM_MAX_QUESTIONS, .items = &answer_item},
    {0},
};
static const struct field_spec points_item = {.type = FT_OBJECT,
    .items = (const struct field_spec[]){
        {.name = "question", .type = FT_STRING, .required = 1, .min = 1, .max = 20},
        {.name = "points", .type = FT_INT, .required = 1, .min = 0, .max = 100},
        {0}}};
const struct field_spec attempt_grade_fields[] = {
    {.name = "points", .type = FT_ARRAY, .required = 1, .max = CURRICULUM_MAX_QUESTIONS, .items = &points_item},
    {0},
};

/* The module's test (questions with keys) for a module record; NULL when it has none. */
static json_t *module_test(struct request *r, const json_t *module, struct tb_err *err)
{
    json_t *def;
    if (training_module_definition(r, module, &def, err) < 0)
        return NULL;
    json_t *t = json_incref(json_object_get(def, "test"));
    json_decref(def);
    if (!t)
        TB_NOT_FOUND(err, "this module has no test");
    return t;
}

static json_t *attempt_view(const json_t *at, const json_t *test, int open)
{
    json_t *v = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "id", json_object_get(at, "id"),
                          "plan_module_id", json_object_get(at, "plan_module_id"), "number", json_object_get(at, "number"),
                          "state", json_object_get(at, "state"), "started_at", json_object_get(at, "started_at"),
                          "deadline", json_object_get(at, "deadline"), "submitted_at", json_object_get(at, "submitted_at"),
                          "score", json_object_get(at, "score"), "max_score", json_object_get(at, "max_score"),
                          "percent", json_object_get(at, "percent"));
    json_object_set(v, "time_limit_minutes", json_object_get(test, "time_limit_minutes"));
    json_object_set(v, "pass_mark", json_object_get(test, "pass_mark"));
    if (open)
        json_object_set_new(v, "questions", curriculum_questions_for(test, json_object_get(at, "question_order")));
    return v;
}

int h_attempt_start(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *m, *attempts;
    if (store_plan_module_get(r->store, &r->actor, r->ids[0], &m, err) < 0)
        return -1;
    if (!actor_has(&r->actor, ROLE_BIT(ROLE_TRAINEE)) || r->actor.subject_id != json_integer_value(json_object_get(m, "graduate_id"))) {
        json_decref(m);
        return tb_fail(err, 403, "forbidden", "", "only the trainee takes their test");
    }
    json_t *test = module_test(r, m, err);
    const char *test_state = json_string_value(json_object_get(m, "test_state"));
    int passed = !strcmp(test_state, "passed"), selected = (int)json_integer_value(json_object_get(m, "selected"));
    json_decref(m);
    if (!test)
        return -1;
    if (!selected || passed || store_attempt_list(r->store, &r->actor, r->ids[0], &attempts, err) < 0) {
        json_decref(test);
        return !selected ? tb_fail(err, 409, "invalid_transition", "", "this elective is not part of the plan")
               : passed  ? tb_fail(err, 409, "invalid_transition", "", "this test is already passed")
                         : -1;
    }
    json_int_t allowed = json_integer_value(json_object_get(test, "attempts")), now = (json_int_t)time(NULL);
    size_t i;
    json_t *a;
    json_int_t open_id = 0;
    json_array_foreach(attempts, i, a)
        if (!strcmp(json_string_value(json_object_get(a, "state")), "open") &&
            json_integer_value(json_object_get(a, "deadline_unix")) + DEADLINE_GRACE > now)
            open_id = json_integer_value(json_object_get(a, "id"));
    size_t used = json_array_size(attempts);
    json_decref(attempts);
    if (open_id) {
        json_decref(test);
        return tb_fail(err, 409, "attempt_open", "", "attempt %lld is still open; finish it first", (long long)open_id);
    }
    if ((json_int_t)used >= allowed) {
        json_decref(test);
        return tb_fail(err, 409, "attempts_exhausted", "", "all %lld attempts of this test are used", (long long)allowed);
    }
    uint64_t seed;
    randombytes_buf(&seed, sizeof seed);
    seed >>= 12;   /* fits an SQLite integer and a JSON number exactly */
    json_t *order = curriculum_question_order(test, seed);
    int64_t id;
    json_int_t deadline = now + 60 * json_integer_value(json_object_get(test, "time_limit_minutes"));
    int rc = store_attempt_start(r->store, &r->actor, r->ids[0], (int64_t)seed, order, deadline, &id, err);
    json_decref(order);
    json_t *at = NULL;
    if (rc == 0)
        rc = store_attempt_get(r->store, &r->actor, id, &at, err);
    if (rc < 0) {
        json_decref(test);
        return -1;
    }
    json_t *v = attempt_view(at, test, 1);
    json_decref(at);
    json_decref(test);
    res->location = arena_printf(r->arena, "/api/v1/test-attempts/%lld", (long long)id);
    return respond_json(res, 201, v);
}

static int load_attempt(struct request *r, json_t **at, json_t **test, struct tb_err *err)
{
    if (store_attempt_get(r->store, &r->actor, r->ids[0], at, err) < 0)
        return -1;
    *test = module_test(r, json_object_get(*at, "module"), err);
    if (!*test) {
        json_decref(*at);
        return -1;
    }
    return 0;
}

int h_attempt_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *at, *test;
    if (load_attempt(r, &at, &test, err) < 0)
        return -1;
    int open = !strcmp(json_string_value(json_object_get(at, "state")), "open");
    json_t *v = attempt_view(at, test, open);
    if (!open)
        json_object_set(v, "answers", json_object_get(at, "answers"));
    json_decref(at);
    json_decref(test);
    return respond_json(res, 200, v);
}

int h_attempt_submit(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *at, *test;
    if (load_attempt(r, &at, &test, err) < 0)
        return -1;
    int rc = -1;
    json_t *answers = json_object();
    json_t *m = json_object_get(at, "module");
    if (!actor_has(&r->actor, ROLE_BIT(ROLE_TRAINEE)) || r->actor.subject_id != json_integer_value(json_object_get(m, "graduate_id"))) {
        tb_fail(err, 403, "forbidden", "", "only the trainee submits their test");
        goto out;
    }
    if (strcmp(json_string_value(json_object_get(at, "state")), "open")) {
        tb_fail(err, 409, "invalid_transition", "", "this attempt was already submitted");
        goto out;
    }
    if (json_integer_value(json_object_get(at, "deadline_unix")) + DEADLINE_GRACE < (json_int_t)time(NULL)) {
        tb_fail(err, 409, "time_over", "", "the time for this attempt ran out at %s; it counts as an attempt without answers",
                json_string_value(json_object_get(at, "deadline")));
        goto out;
    }
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(r->body, "answers"), i, a) {
        json_t *v = json_object_get(a, "choice");
        if (!v)
            v = json_object_get(a, "choices");
        if (!v)
            v = json_object_get(a, "text");
        json_object_set(answers, json_string_value(json_object_get(a, "question")), v ? v : json_null());
    }
    int score, max, pending;
    if (curriculum_grade(test, answers, &score, &max, &pending, err) < 0)
        goto out;
    int pass_mark = (int)json_integer_value(json_object_get(test, "pass_mark"));
    const char *state = pending ? "grading" : max && score * 100 / max >= pass_mark ? "passed" : "failed";
    if (store_attempt_submit(r->store, &r->actor, r->ids[0], answers, score, max, state, err) < 0)
        goto out;
    json_decref(at);
    at = NULL;
    if (store_attempt_get(r->store, &r->actor, r->ids[0], &at, err) < 0)
        goto out;
    json_t *v = attempt_view(at, test, 0);
    json_object_set_new(v, "pending_short_answers", json_integer(pending));
    rc = respond_json(res, 200, v);
out:
    json_decref(answers);
    json_decref(at);
    json_decref(test);
    return rc;
}

int h_attempt_grade(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *at, *test;
    if (load_attempt(r, &at, &test, err) < 0)
        return -1;
    int rc = -1;
    json_t *graded = json_object();
    int score = (int)json_integer_value(json_object_get(at, "score"));
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(r->body, "points"), i, p) {
        const char *qid = json_string_value(json_object_get(p, "question"));
        json_t *q = NULL, *x;
        size_t k;
        json_array_foreach(json_object_get(test, "questions"), k, x)
            if (!strcmp(json_string_value(json_object_get(x, "id")), qid))
                q = x;
        json_int_t pts = json_integer_value(json_object_get(p, "points"));
        if (!q || strcmp(json_string_value(json_object_get(q, "type")), "short") ||
            pts > json_integer_value(json_object_get(q, "points"))) {
            TB_INVALID(err, "points", "points: %s is not a short-answer question of this test, or more than its points", qid);
            goto out;
        }
        json_object_set_new(graded, qid, json_integer(pts));
        score += (int)pts;
    }
    int max = (int)json_integer_value(json_object_get(at, "max_score"));
    int pass_mark = (int)json_integer_value(json_object_get(test, "pass_mark"));
    if (store_attempt_grade(r->store, &r->actor, r->ids[0], graded, score,
                            max && score * 100 / max >= pass_mark ? "passed" : "failed", err) < 0)
        goto out;
    json_decref(at);
    at = NULL;
    if (store_attempt_get(r->store, &r->actor, r->ids[0], &at, err) < 0)
        goto out;
    rc = respond_json(res, 200, attempt_view(at, test, 0));
out:
    json_decref(graded);
    json_decref(at);
    json_decref(test);
    return rc;
}
