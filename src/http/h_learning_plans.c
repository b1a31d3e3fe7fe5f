/*
 * h_learning_plans.c - a placement's learning plan (made when the agreement
 * is signed, or by the coordinator for a placement signed before), its
 * modules adapted to the company, the trainee's home (due, late, returned),
 * competency self-assessments and the mentor's rating.
 */
#include <string.h>

#include "core/curriculum.h"
#include "http/entity_http.h"
#include "core/fields.h"
#include "http/handlers.h"
#include "http/training.h"
#include "service/placement_service.h"
#include "store/store_training.h"

static const struct field_spec deliverable_field_item = {.type = FT_OBJECT,
    .items = (const struct field_spec[]){
        {.name = "name", .type = FT_STRING, .required = 1, .min = 1, .max = 60},
        {.name = "label", .type = FT_STRING, .required = 1, .min = 1, .max = 200},
        {0}}};
static const struct field_spec adapted_deliverable[] = {
    {.name = "title", .type = FT_STRING, .required = 1, .min = 2, .max = 200},
    {.name = "description", .type = FT_TEXT, .required = 1, .min = 1, .max = 4000},
    {.name = "fields", .type = FT_ARRAY, .max = 30, .items = &deliverable_field_item},
    {0},
};
const struct field_spec plan_module_update_fields[] = {
    {.name = "planned_start", .type = FT_DATE},
    {.name = "due_date", .type = FT_DATE},
    {.name = "deliverable", .type = FT_OBJECT, .items = adapted_deliverable},
    {.name = "selected", .type = FT_BOOL},
    {.name = "version", .type = FT_INT, .min = 1, .max = ID_MAX},
    {0},
};
static const char *const rating_kinds[] = {"pre", "post", "mentor", NULL};
const struct field_spec rating_fields[] = {
    {.name = "kind", .type = FT_ENUM, .required = 1, .allowed = rating_kinds},
    {.name = "competency", .type = FT_STRING, .required = 1, .min = 1, .max = 20},
    {.name = "level", .type = FT_INT, .required = 1, .min = 1, .max = 4},
    {0},
};

int training_module_definition(struct request *r, const json_t *module, json_t **def, struct tb_err *err)
{
    json_t *plan, *cv;
    if (store_plan_get(r->store, &r->actor, json_integer_value(json_object_get(module, "placement_id")), &plan, err) < 0)
        return -1;
    int rc = store_cversion_get(r->store, &r->actor,
                                json_integer_value(json_object_get(json_object_get(plan, "plan"), "curriculum_version_id")),
                                &cv, err);
    json_decref(plan);
    if (rc < 0)
        return -1;
    json_t *m = curriculum_module(json_object_get(cv, "content"), json_string_value(json_object_get(module, "code")));
    *def = m ? json_deep_copy(m) : json_object();
    json_object_set(*def, "curriculum_ref", json_object_get(cv, "ref"));
    json_decref(cv);
    return 0;
}

int h_learning_plan_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *plan, *ratings;
    if (store_plan_get(r->store, &r->actor, r->ids[0], &plan, err) < 0)
        return -1;
    if (store_rating_list(r->store, &r->actor, r->ids[0], &ratings, err) < 0) {
        json_decref(plan);
        return -1;
    }
    json_object_set_new(plan, "ratings", ratings);
    return respond_json(res, 200, plan);
}

/* The plan of a placement signed before training existed (see
 * placement_service_learning_plan). */
int h_learning_plan_create(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *plan;
    if (placement_service_learning_plan(r->store, &r->actor, r->ids[0], &plan, err) < 0)
        return -1;
    res->location = arena_printf(r->arena, "/api/v1/placements/%lld/learning-plan", (long long)r->ids[0]);
    return respond_json(res, 201, plan);
}

int h_plan_module_get(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *m, *def, *versions, *reviews, *attempts;
    if (store_plan_module_get(r->store, &r->actor, r->ids[0], &m, err) < 0)
        return -1;
    if (training_module_definition(r, m, &def, err) < 0) {
        json_decref(m);
        return -1;
    }
    /* The test's questions and keys stay with the attempt. */
    json_t *test = json_object_get(def, "test");
    if (test)
        json_object_del(test, "questions");
    if (store_deliverable_history(r->store, &r->actor, r->ids[0], &versions, &reviews, err) < 0 ||
        store_attempt_list(r->store, &r->actor, r->ids[0], &attempts, err) < 0) {
        json_decref(m);
        json_decref(def);
        return -1;
    }
    size_t i;
    json_t *a;
    json_array_foreach(attempts, i, a)
        if (!is_staff(r)) json_object_del(a, "answers");
    json_object_set_new(m, "definition", def);
    json_object_set_new(m, "versions", versions);
    json_object_set_new(m, "reviews", reviews);
    json_object_set_new(m, "attempts", attempts);
    return entity_reply(r, res, 200, m);
}

int h_plan_module_update(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t version;
    if (req_version(r, &version, err) < 0)
        return -1;
    json_t *changes = json_deep_copy(r->body), *out;
    json_object_del(changes, "version");
    const char *s = json_string_value(json_object_get(changes, "planned_start"));
    const char *d = json_string_value(json_object_get(changes, "due_date"));
    if (s && d && strcmp(s, d) > 0) {
        json_decref(changes);
        return TB_INVALID(err, "due_date", "due_date: must not be before planned_start");
    }
    int rc = placement_service_plan_module_update(r->store, &r->actor, r->ids[0], version, changes, &out, err);
    json_decref(changes);
    return rc < 0 ? -1 : entity_reply(r, res, 200, out);
}

/* The trainee's home: for each of their placements, what is due next, what
 * is late, what came back with comments. */
int h_me_training(struct request *r, struct response *res, struct tb_err *err)
{
    struct list_query q = {.limit = 50};
    struct list_page page;
    if (store_entity_list(r->store, &r->actor, ENT_PLACEMENT, &q, NULL, &page, err) < 0)
        return -1;
    json_t *due = json_array(), *late = json_array(), *returned = json_array(), *waiting = json_array();
    size_t i, k;
    json_t *p, *m;
    int rc = 0;
    json_array_foreach(page.items, i, p) {
        json_t *plan;
        if ((rc = store_plan_get(r->store, &r->actor, json_integer_value(json_object_get(p, "id")), &plan, err)) < 0)
            break;
        json_array_foreach(json_object_get(plan, "modules"), k, m) {
            if (!json_integer_value(json_object_get(m, "selected")))
                continue;
            const char *state = json_string_value(json_object_get(m, "state"));
            json_t *item = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "id", json_object_get(m, "id"), "code",
                                     json_object_get(m, "code"), "title", json_object_get(m, "title"), "due_date",
                                     json_object_get(m, "due_date"), "state", json_object_get(m, "state"),
                                     "placement_id", json_object_get(p, "id"), "deliverable",
                                     json_object_get(json_object_get(m, "deliverable"), "title"));
            if (!strcmp(state, "changes_requested"))
                json_array_append(returned, item);
            if (json_integer_value(json_object_get(m, "late")))
                json_array_append(late, item);
            else if (!strcmp(state, "planned"))
                json_array_append(due, item);
            else if (!strcmp(state, "submitted"))
                json_array_append(waiting, item);
            json_decref(item);
        }
        json_decref(plan);
    }
    list_page_free(&page);
    if (rc < 0) {
        json_decref(due);
        json_decref(late);
        json_decref(returned);
        json_decref(waiting);
        return -1;
    }
    /* Due next: the earliest planned modules first (already in plan order per placement). */
    while (json_array_size(due) > 3)
        json_array_remove(due, json_array_size(due) - 1);
    return respond_json(res, 200, json_pack("{s:o, s:o, s:o, s:o}", "due_next", due, "late", late, "returned", returned,
                                            "waiting_for_review", waiting));
}

int h_rating_put(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *p;
    if (entity_load(r, ENT_PLACEMENT, &p, err) < 0)
        return -1;
    int64_t graduate = json_integer_value(json_object_get(p, "graduate_id"));
    int64_t mentor = json_integer_value(json_object_get(p, "mentor_user_id"));
    json_decref(p);
    const char *kind = json_string_value(json_object_get(r->body, "kind"));
    int self = !strcmp(kind, "pre") || !strcmp(kind, "post");
    /* Self-assessments are the trainee's; the behaviour rating the mentor's (staff may record either). */
    if (!is_staff(r) && (self ? !(actor_has(&r->actor, ROLE_BIT(ROLE_TRAINEE)) && r->actor.subject_id == graduate)
                              : !(actor_has(&r->actor, ROLE_BIT(ROLE_MENTOR)) && r->actor.user_id == mentor)))
        return tb_error(err, TB_E_FORBIDDEN, "kind", "kind: %s",
                       self ? "only the trainee assesses themself" : "only the placement's mentor rates the trainee");
    json_t *plan;
    if (store_plan_get(r->store, &r->actor, r->ids[0], &plan, err) < 0)
        return -1;
    const char *competency = json_string_value(json_object_get(r->body, "competency"));
    int known = 0;
    if (!json_is_null(json_object_get(plan, "plan"))) {
        json_t *cv;
        if (store_cversion_get(r->store, &r->actor, json_integer_value(json_object_get(json_object_get(plan, "plan"),
                                                                                       "curriculum_version_id")), &cv, err) == 0) {
            size_t i, k;
            json_t *m, *c;
            json_array_foreach(json_object_get(json_object_get(cv, "content"), "modules"), i, m)
                json_array_foreach(json_object_get(m, "competencies"), k, c)
                    known |= !strcmp(json_string_value(json_object_get(c, "id")), competency) &&
                             json_integer_value(json_object_get(r->body, "level")) <= (json_int_t)json_array_size(json_object_get(c, "levels"));
            json_decref(cv);
        }
    }
    json_decref(plan);
    if (!known)
        return TB_INVALID(err, "competency", "competency: not a competency of this plan's curriculum (or level above its levels)");
    if (store_rating_put(r->store, &r->actor, r->ids[0], competency, kind,
                         (int)json_integer_value(json_object_get(r->body, "level")), err) < 0)
        return -1;
    json_t *ratings;
    if (store_rating_list(r->store, &r->actor, r->ids[0], &ratings, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:o}", "ratings", ratings));
}
