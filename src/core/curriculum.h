/*
 * curriculum.h - a curriculum version's content (a competency framework) as
 * JSON, checked here; the diff between two versions; the trainee's view of a
 * test without its answer key; seeded question order and automatic grading.
 *
 * Content: {"title", "description"?, "modules": [{
 *   "code", "title", "outcomes": [text], "hours", "ects", "eqf_level",
 *   "competencies": [{"id", "title", "levels": [{"level", "description"}] (3-4)}],
 *   "esco": [URI of data.europa.eu/esco/skill/...] (may be empty),
 *   "assessment": "test" | "rubric" | "both", "weights": {"test", "rubric"} (sum 100),
 *   "deliverable": {"title", "description", "fields": [{"name", "label"}]},
 *   "prerequisites": [code], "mandatory": bool,
 *   "test"?: {"time_limit_minutes", "attempts", "pass_mark", "questions": [
 *       {"id", "type": "single"|"multiple"|"short", "text", "options"?, "answer"?, "points"}]},
 *   "rubric"?: {"criteria": [{"id", "title", "levels": [{"points", "description"}]}]}}]}
 */
#ifndef TB_CURRICULUM_H
#define TB_CURRICULUM_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"

#define CURRICULUM_MAX_MODULES 40
#define CURRICULUM_MAX_QUESTIONS 100

/* 0 when content is a valid curriculum; else 400 naming the field
 * ("modules[2].competencies[0].levels"). */
int curriculum_validate(const json_t *content, struct tb_err *err);

/* The module with that code, or NULL (borrowed). */
json_t *curriculum_module(const json_t *content, const char *code);

/* {"added": [code], "removed": [code], "changed": [{"code", "fields": [name]}],
 *  "title_changed": bool} from a to b. New reference. */
json_t *curriculum_diff(const json_t *a, const json_t *b);

/* A deep copy without the answer keys of the tests (what a trainee may see). */
json_t *curriculum_without_keys(const json_t *content);

/* The question ids of a test in the order seed gives (Fisher-Yates over a
 * splitmix64 stream: the same seed always gives the same order). */
json_t *curriculum_question_order(const json_t *test, uint64_t seed);

/* The questions in `order`, answer keys removed (new reference). */
json_t *curriculum_questions_for(const json_t *test, const json_t *order);

/* Grades answers ({"question id": index | [indices] | "text"}): choice
 * questions automatically (multiple choice: all and only the right options);
 * *pending = number of short answers waiting for a person. */
int curriculum_grade(const json_t *test, const json_t *answers, int *score, int *max_score,
                     int *pending, struct tb_err *err);

/* A curriculum document - the file the CLI imports and exports and the API's
 * body: {"code","title","description","modules"} - parsed and checked; *content
 * is what a version stores. */
int curriculum_document_parse(const char *data, size_t len, json_t **doc, json_t **content, struct tb_err *err);
/* The document of a version (as read from the store), for export. */
json_t *curriculum_document_of(const json_t *version);

#endif
