/* Unit tests: curriculum checks, version diff, answer keys kept from trainees,
 * seeded question order, automatic grading (src/core/curriculum.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/agreement.h"
#include "core/curriculum.h"
#include "core/embedded.h"

extern const struct embedded_file curriculum_files[];

static json_t *default_content(void)
{
    const struct embedded_file *f = embedded_find(curriculum_files, "default.json");
    assert_non_null(f);
    json_t *doc = json_loadb((const char *)f->data, f->size, 0, NULL);
    assert_non_null(doc);
    json_object_del(doc, "code");
    return doc;
}

static void the_default_curriculum_is_valid(void **state)
{
    (void)state;
    json_t *c = default_content();
    struct tb_err err = {0};
    assert_int_equal(curriculum_validate(c, &err), 0);
    assert_int_equal(json_array_size(json_object_get(c, "modules")), 8);
    json_decref(c);
}

static void bad_content_names_the_field(void **state)
{
    (void)state;
    json_t *c = default_content();
    json_t *levels = json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(c, "modules"), 1),
                                                                     "competencies"), 0), "levels");
    json_array_remove(levels, 0);
    json_array_remove(levels, 0);
    struct tb_err err = {0};
    assert_int_equal(curriculum_validate(c, &err), -1);
    assert_int_equal(err.status, 400);
    assert_string_equal(err.field, "modules[1].competencies[0].levels");
    json_decref(c);

    c = default_content();
    json_t *m = json_array_get(json_object_get(c, "modules"), 0);
    json_array_append_new(json_object_get(m, "esco"), json_string("https://example.org/skills/42"));
    memset(&err, 0, sizeof err);
    assert_int_equal(curriculum_validate(c, &err), -1);
    assert_non_null(strstr(err.message, "ESCO skill URI"));
    json_decref(c);
}

static void diff_lists_added_removed_changed(void **state)
{
    (void)state;
    json_t *a = default_content(), *b = default_content();
    json_t *mods = json_object_get(b, "modules");
    json_object_set_new(json_array_get(mods, 0), "hours", json_integer(99));
    json_object_set_new(json_array_get(mods, 7), "code", json_string("DIG2"));
    json_t *d = curriculum_diff(a, b);
    assert_string_equal(json_string_value(json_array_get(json_object_get(d, "added"), 0)), "DIG2");
    assert_string_equal(json_string_value(json_array_get(json_object_get(d, "removed"), 0)), "DIG");
    json_t *ch = json_array_get(json_object_get(d, "changed"), 0);
    assert_string_equal(json_string_value(json_object_get(ch, "code")), "MR");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "fields"), 0)), "hours");
    json_decref(d);
    json_decref(a);
    json_decref(b);
}

static void no_answer_key_for_trainees(void **state)
{
    (void)state;
    json_t *c = default_content();
    json_t *stripped = curriculum_without_keys(c);
    char *text = json_dumps(stripped, 0);
    assert_null(strstr(text, "\"answer\""));
    free(text);
    json_t *test = json_object_get(json_array_get(json_object_get(c, "modules"), 0), "test");
    json_t *order = curriculum_question_order(test, 42);
    json_t *qs = curriculum_questions_for(test, order);
    text = json_dumps(qs, 0);
    assert_null(strstr(text, "\"answer\""));
    free(text);
    json_decref(qs);
    json_decref(order);
    json_decref(stripped);
    json_decref(c);
}

static void the_seed_reproduces_the_order(void **state)
{
    (void)state;
    json_t *c = default_content();
    json_t *test = json_object_get(json_array_get(json_object_get(c, "modules"), 0), "test");
    json_t *a = curriculum_question_order(test, 123456789), *b = curriculum_question_order(test, 123456789);
    assert_true(json_equal(a, b));
    size_t n = json_array_size(json_object_get(test, "questions"));
    assert_int_equal(json_array_size(a), n);
    int differs = 0;   /* some seed gives another order */
    for (uint64_t s = 1; s < 50 && !differs; s++) {
        json_t *o = curriculum_question_order(test, s);
        differs = !json_equal(o, a);
        json_decref(o);
    }
    assert_true(differs);
    json_decref(a);
    json_decref(b);
    json_decref(c);
}

static void grading(void **state)
{
    (void)state;
    json_t *c = default_content();
    json_t *test = json_object_get(json_array_get(json_object_get(c, "modules"), 0), "test");
    /* MR: q1 single (1 point, answer 1), q2 multiple (2, [0,1,3]), q3 single (1, answer 1), q4 short (2) */
    json_t *answers = json_pack("{s:i, s:[i,i,i], s:i, s:s}", "q1", 1, "q2", 0, 1, 3, "q3", 0, "q4", "UN Comtrade");
    int score, max, pending;
    struct tb_err err = {0};
    assert_int_equal(curriculum_grade(test, answers, &score, &max, &pending, &err), 0);
    assert_int_equal(score, 3);
    assert_int_equal(max, 6);
    assert_int_equal(pending, 1);
    json_decref(answers);
    answers = json_pack("{s:[i,i]}", "q2", 0, 1);   /* not all the right options: no points */
    assert_int_equal(curriculum_grade(test, answers, &score, &max, &pending, &err), 0);
    assert_int_equal(score, 0);
    json_decref(answers);
    answers = json_pack("{s:i}", "q1", 9);
    assert_int_equal(curriculum_grade(test, answers, &score, &max, &pending, &err), -1);
    assert_int_equal(err.status, 400);
    json_decref(answers);
    json_decref(c);
}

/* The learning plan's part of the agreement: progress is not a term, 0/1 and
 * false/true are the same term, a change shows as module/field/old/new. */
static void plan_terms_hash_and_diff(void **state)
{
    (void)state;
    json_t *mods = json_pack("[{s:s, s:s, s:i, s:i, s:s, s:s, s:{s:s}, s:s, s:i}]", "code", "MR", "title", "Market research",
                             "mandatory", 1, "selected", 1, "planned_start", "2027-01-01", "due_date", "2027-02-01",
                             "deliverable", "title", "Market screen", "state", "planned", "id", 7);
    json_t *t1 = agreement_plan_terms(mods);
    assert_true(json_is_true(json_object_get(json_array_get(t1, 0), "selected")));
    assert_null(json_object_get(json_array_get(t1, 0), "state"));
    char h1[65], h2[65], h3[65];
    assert_int_equal(agreement_hash_of(t1, h1), 0);
    /* progress moves: the same terms */
    json_object_set_new(json_array_get(mods, 0), "state", json_string("approved"));
    json_t *t2 = agreement_plan_terms(mods);
    assert_int_equal(agreement_hash_of(t2, h2), 0);
    assert_string_equal(h1, h2);
    /* a due date moves: other terms, one change listed */
    json_object_set_new(json_array_get(mods, 0), "due_date", json_string("2027-03-15"));
    json_t *t3 = agreement_plan_terms(mods);
    assert_int_equal(agreement_hash_of(t3, h3), 0);
    assert_string_not_equal(h1, h3);
    json_t *d = agreement_plan_diff(t1, t3);
    assert_int_equal(json_array_size(d), 1);
    json_t *c = json_array_get(d, 0);
    assert_string_equal(json_string_value(json_object_get(c, "module")), "MR");
    assert_string_equal(json_string_value(json_object_get(c, "field")), "due_date");
    assert_string_equal(json_string_value(json_object_get(c, "old")), "2027-02-01");
    assert_string_equal(json_string_value(json_object_get(c, "new")), "2027-03-15");
    json_decref(d);
    d = agreement_plan_diff(t1, t1);
    assert_int_equal(json_array_size(d), 0);
    json_decref(d);
    /* a module gone from the plan: listed as the module, old terms, new null */
    json_t *none = json_array();
    d = agreement_plan_diff(t1, none);
    assert_int_equal(json_array_size(d), 1);
    c = json_array_get(d, 0);
    assert_string_equal(json_string_value(json_object_get(c, "module")), "MR");
    assert_string_equal(json_string_value(json_object_get(c, "field")), "module");
    assert_true(json_is_null(json_object_get(c, "new")));
    json_decref(d);
    json_decref(none);
    json_decref(t1);
    json_decref(t2);
    json_decref(t3);
    json_decref(mods);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_default_curriculum_is_valid),
        cmocka_unit_test(bad_content_names_the_field),
        cmocka_unit_test(diff_lists_added_removed_changed),
        cmocka_unit_test(no_answer_key_for_trainees),
        cmocka_unit_test(the_seed_reproduces_the_order),
        cmocka_unit_test(grading),
        cmocka_unit_test(plan_terms_hash_and_diff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
