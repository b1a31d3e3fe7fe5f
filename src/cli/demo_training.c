/*
 * demo_training.c - the training part of the demonstration database: every
 * signed or completed placement gets its learning plan from its cohort's
 * curriculum version (the foundation's ITM@1); completed placements have
 * every mandatory module done (deliverable approved with a rubric, test
 * passed, self-assessments before and after, the mentor's rating); signed
 * placements are somewhere along the way, with deliverables submitted,
 * returned with comments and approved, so every training screen has life.
 * Deterministic: every choice comes from the seed and the placement's id.
 */
#include <string.h>

#include "cli/demo.h"
#include "core/curriculum.h"
#include "store/entity.h"
#include "store/store_training.h"

static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int pick(uint64_t *s, int n)
{
    return (int)(mix(s) % (uint64_t)n);
}

/* The right answers to every choice question; short answers left to a person. */
static json_t *good_answers(const json_t *test)
{
    json_t *a = json_object();
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(test, "questions"), i, q)
        if (strcmp(json_string_value(json_object_get(q, "type")), "short"))
            json_object_set(a, json_string_value(json_object_get(q, "id")), json_object_get(q, "answer"));
    return a;
}

static int take_test(struct store *st, const struct tb_actor *a, int64_t module_id, const json_t *test, uint64_t *s,
                     int pass, struct tb_err *err)
{
    int64_t seed = (int64_t)(mix(s) >> 12), id;
    json_t *order = curriculum_question_order(test, (uint64_t)seed);
    int rc = store_attempt_start(st, a, module_id, seed, order, 4102444800 /* 2100-01-01 */, &id, err);
    json_decref(order);
    if (rc < 0)
        return -1;
    json_t *answers = pass ? good_answers(test) : json_object();
    int score, max, pending;
    rc = curriculum_grade(test, answers, &score, &max, &pending, err);
    int pass_mark = (int)json_integer_value(json_object_get(test, "pass_mark"));
    if (rc == 0)
        rc = store_attempt_submit(st, a, id, answers, score, max,
                                  max && score * 100 / max >= pass_mark ? "passed" : "failed", err);
    json_decref(answers);
    return rc;
}

static const char *const bodies[] = {
    "## Summary\n\nDone at the company with the export manager. Sources and figures are in the attached sheet.",
    "## Work done\n\nFirst draft agreed with the mentor; the company used it in its monthly export meeting.",
    "## Result\n\nThe company decided on the next steps from this; see the table and the links below.",
};

static int review(struct store *st, const struct tb_actor *a, int64_t version_id, const char *who, int approve,
                  int rubric, struct tb_err *err)
{
    json_t *comments = approve ? json_array()
                               : json_pack("[{s:s, s:s}]", "on", "text", "text",
                                           "Please add the figures for the second market and name your sources.");
    json_t *levels = approve ? json_pack("{s:i, s:i}", "evidence", 2, "use", rubric > 75 ? 2 : 1) : NULL;
    struct review_in rv = {.reviewer_name = who, .via = "mentor", .decision = approve ? "approve" : "request_changes",
                           .comments = comments, .rubric = levels, .rubric_percent = approve ? rubric : -1};
    int rc = store_deliverable_review(st, a, version_id, &rv, err);
    json_decref(comments);
    json_decref(levels);
    return rc;
}

static int submit(struct store *st, const struct tb_actor *a, int64_t module_id, uint64_t *s, int64_t *vid,
                  struct tb_err *err)
{
    json_t *links = json_pack("[s]", "https://example.org/shared/export-plan");
    int rc = store_deliverable_submit(st, a, module_id, bodies[pick(s, 3)], links, vid, err);
    json_decref(links);
    return rc;
}

static int ratings(struct store *st, const struct tb_actor *a, int64_t placement_id, const json_t *content,
                   int done, uint64_t *s, struct tb_err *err)
{
    size_t i, k;
    json_t *m, *c;
    json_array_foreach(json_object_get(content, "modules"), i, m)
        json_array_foreach(json_object_get(m, "competencies"), k, c) {
            const char *id = json_string_value(json_object_get(c, "id"));
            if (store_rating_put(st, a, placement_id, id, "pre", 1 + pick(s, 2), err) < 0)
                return -1;
            if (done && (store_rating_put(st, a, placement_id, id, "post", 3 + pick(s, 2), err) < 0 ||
                         store_rating_put(st, a, placement_id, id, "mentor", 2 + pick(s, 3), err) < 0))
                return -1;
        }
    return 0;
}

static int one_placement(struct store *st, const struct tb_actor *a, const json_t *p, uint64_t seed,
                         struct tb_err *err)
{
    int64_t pid = json_integer_value(json_object_get(p, "id"));
    int created, done = !strcmp(json_string_value(json_object_get(p, "status")), "completed");
    if (store_plan_create(st, a, pid, &created, err) < 0)
        return -1;
    if (!created)
        return 0;
    json_t *plan, *cv;
    if (store_plan_get(st, a, pid, &plan, err) < 0)
        return -1;
    int rc = store_cversion_get(st, a, json_integer_value(json_object_get(json_object_get(plan, "plan"),
                                                                          "curriculum_version_id")), &cv, err);
    uint64_t s = seed ^ ((uint64_t)pid * 0x2545F4914F6CDD1Dull);
    json_t *modules = json_object_get(plan, "modules"), *content = rc == 0 ? json_object_get(cv, "content") : NULL;
    size_t n = json_array_size(modules), i;
    int progress = done ? (int)n : pick(&s, (int)n);
    const char *mentor = json_string_value(json_object_get(p, "mentor_name"));
    if (!mentor)
        mentor = "The company's mentor";
    json_t *m;
    json_array_foreach(modules, i, m) {
        if (rc < 0 || !json_integer_value(json_object_get(m, "selected")))
            continue;
        int64_t mid = json_integer_value(json_object_get(m, "id")), vid;
        json_t *test = json_object_get(curriculum_module(content, json_string_value(json_object_get(m, "code"))), "test");
        if ((int)i < progress) {
            if (pick(&s, 3) == 0 && (submit(st, a, mid, &s, &vid, err) < 0 || review(st, a, vid, mentor, 0, 0, err) < 0)) {
                rc = -1;
                break;
            }
            if (test && pick(&s, 4) == 0 && take_test(st, a, mid, test, &s, 0, err) < 0)
                rc = -1;
            else if (rc == 0 && (submit(st, a, mid, &s, &vid, err) < 0 ||
                                 review(st, a, vid, mentor, 1, 50 + 25 * pick(&s, 3), err) < 0 ||
                                 (test && take_test(st, a, mid, test, &s, 1, err) < 0)))
                rc = -1;
        } else if ((int)i == progress) {
            int where = pick(&s, 3);   /* 0: not started, 1: waiting for the mentor, 2: returned with comments */
            if (where && submit(st, a, mid, &s, &vid, err) < 0)
                rc = -1;
            else if (where == 2 && review(st, a, vid, mentor, 0, 0, err) < 0)
                rc = -1;
        }
    }
    if (rc == 0)
        rc = ratings(st, a, pid, content, done, &s, err);
    json_decref(plan);
    if (cv)
        json_decref(cv);
    return rc;
}

int demo_training(struct store *st, uint64_t seed, struct tb_err *err)
{
    struct tb_actor sys = actor_system();
    static const char *const statuses[] = {"completed", "signed"};
    for (int k = 0; k < 2; k++) {
        struct list_query q = {.limit = 200};
        json_t *filter = json_pack("{s:s}", "status", statuses[k]);
        char cursor[256] = "";
        for (;;) {
            struct list_page page;
            int rc = store_entity_list(st, &sys, ENT_PLACEMENT, &q, filter, &page, err);
            if (rc < 0) {
                json_decref(filter);
                return -1;
            }
            size_t i;
            json_t *p;
            json_array_foreach(page.items, i, p) {
                struct tb_actor op = sys;   /* each record in its own operator */
                op.tenant_id = json_integer_value(json_object_get(p, "org_id"));
                op.all_tenants = 0;
                if (one_placement(st, &op, p, seed, err) < 0) {
                    list_page_free(&page);
                    json_decref(filter);
                    return -1;
                }
            }
            cursor[0] = '\0';
            if (page.next_cursor)
                snprintf(cursor, sizeof cursor, "%s", page.next_cursor);
            list_page_free(&page);
            if (!*cursor)
                break;
            q.cursor = cursor;
        }
        json_decref(filter);
    }
    return 0;
}
