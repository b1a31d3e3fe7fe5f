/*
 * h_introductions.c - introductions and their outcomes (issue 15):
 *   GET/POST /api/v1/introductions, GET /api/v1/introductions/{id},
 *   POST /api/v1/introductions/{id}/state, POST /api/v1/introductions/{id}/send-link,
 *   GET /api/v1/introduction-outcomes,
 *   GET /api/v1/introduction-approvals, POST /api/v1/introduction-approvals/{id},
 *   POST /api/v1/introduction-links/open and /answer (no account: the link).
 * requested -> accepted | declined (the introducer, by link, or staff for
 * them) -> made -> meeting held -> deal started -> deal closed (value,
 * currency, market, HS), or dropped. A target owned by another operator needs
 * that operator's approval before the introducer may accept.
 */
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/network/directory.h"
#include "http/entity_http.h"
#include "http/handlers.h"
#include "service/network_service.h"
#include "store/plan_partners.h"

const struct field_spec introduction_fields[] = {
    {.name = "introducer_id", .type = FT_INT, .required = 1, .min = 1, .max = INT64_MAX},
    {.name = "target_id", .type = FT_INT, .required = 1, .min = 1, .max = INT64_MAX},
    {.name = "purpose", .type = FT_STRING, .required = 1, .min = 3, .max = 300},
    {.name = "message", .type = FT_TEXT, .max = 4000},
    {.name = "company_id", .type = FT_INT, .min = 1, .max = INT64_MAX},
    {.name = "graduate_id", .type = FT_INT, .min = 1, .max = INT64_MAX}, {0},
};
const struct field_spec introduction_state_fields[] = {
    {.name = "state", .type = FT_ENUM, .required = 1, .allowed = net_intro_states},
    {.name = "note", .type = FT_TEXT, .max = 2000},
    {.name = "value_minor", .type = FT_INT, .min = 1, .max = 100000000000000LL},
    {.name = "currency", .type = FT_CODE, .code_list = CODES_CURRENCY},
    {.name = "market", .type = FT_CODE, .code_list = CODES_COUNTRY},
    {.name = "hs", .type = FT_CODE, .code_list = CODES_HS}, {0},
};
static const char *const decisions[] = {"approve", "refuse", NULL};
const struct field_spec introduction_approval_fields[] = {
    {.name = "decision", .type = FT_ENUM, .required = 1, .allowed = decisions}, {0},
};
static const char *const answers[] = {"accept", "decline", NULL};
const struct field_spec introduction_link_fields[] = {
    {.name = "token", .type = FT_STRING, .required = 1, .min = 43, .max = 43},
    {.name = "decision", .type = FT_ENUM, .allowed = answers},
    {.name = "note", .type = FT_TEXT, .max = 2000}, {0},
};

const char *net_my_name(struct request *r)
{
    json_t *me;
    struct tb_err e;
    const char *name = "TradeBridge user";
    if (r->actor.user_id && store_user_get(r->store, &r->actor, r->actor.user_id, &me, &e) == 0) {
        name = arena_strdup(r->arena, json_string_value(json_object_get(me, "name")));
        json_decref(me);
    }
    return name;
}

int net_finish(struct request *r, int rc, struct tb_err *err)
{
    if (rc < 0 || store_commit(r->store, err) < 0) {
        store_rollback(r->store);
        return -1;
    }
    http_mail_wake();
    return 0;
}

static int reply_intro(struct request *r, struct response *res, int status, int64_t id, struct tb_err *err)
{
    json_t *v;
    if (store_intro_get(r->store, &r->actor, id, &v, err) < 0)
        return -1;
    if (status == 201)
        res->location = arena_printf(r->arena, "/api/v1/introductions/%lld", (long long)id);
    return entity_reply(r, res, status, v);
}

int h_introduction_create(struct request *r, struct response *res, struct tb_err *err)
{
    int64_t introducer = json_integer_value(json_object_get(r->body, "introducer_id"));
    int64_t target = json_integer_value(json_object_get(r->body, "target_id"));
    if (introducer == target)
        return TB_INVALID(err, "target_id", "target_id: the introducer cannot be introduced to themself");
    json_t *c;
    if (store_contact_get(r->store, &r->actor, introducer, &c, err) < 0) {
        struct tb_err was = *err;   /* tb_fail must not read what it writes */
        return tb_fail(err, was.status, was.code, "introducer_id", "introducer_id: %s", was.message);
    }
    json_decref(c);
    int64_t org = r->actor.tenant_id;
    if (!org && store_org_foundation_id(r->store, &org, err) < 0)
        return -1;
    struct intro_write w = {.org_id = org, .introducer_id = introducer, .target_id = target,
                            .company_id = json_integer_value(json_object_get(r->body, "company_id")),
                            .graduate_id = json_integer_value(json_object_get(r->body, "graduate_id")),
                            .asker_name = net_my_name(r), .purpose = json_string_value(json_object_get(r->body, "purpose")),
                            .message = json_string_value(json_object_get(r->body, "message"))};
    if (actor_has(&r->actor, ROLE_BIT(ROLE_COMPANY)) && !is_staff(r))
        w.company_id = r->actor.subject_id;
    if (actor_has(&r->actor, ROLE_BIT(ROLE_TRAINEE)) && !is_staff(r))
        w.graduate_id = r->actor.subject_id;
    int64_t id;
    int approval;
    if (store_begin(r->store, err) < 0)
        return -1;
    int rc = store_intro_create(r->store, &r->actor, &w, &id, &approval, err);
    if (rc == 0 && !approval) {
        json_t *v;
        rc = store_intro_get(r->store, &r->actor, id, &v, err);
        if (rc == 0)
            rc = network_intro_send_link(r->store, &r->actor, v, r->cfg->public_url, 0, err);
        json_decref(v);
    }
    if (net_finish(r, rc, err) < 0)
        return -1;
    return reply_intro(r, res, 201, id, err);
}

int h_introduction_list(struct request *r, struct response *res, struct tb_err *err)
{
    const char *state = req_query(r, "state");
    json_t *items;
    if (state) {
        int known = 0;
        for (int i = 0; net_intro_states[i]; i++)
            known |= !strcmp(state, net_intro_states[i]);
        if (!known)
            return TB_INVALID(err, "state", "state: '%s' is not a state of an introduction", state);
    }
    if (store_intro_list(r->store, &r->actor, state, &items, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:o}", "items", items));
}

int h_introduction_get(struct request *r, struct response *res, struct tb_err *err)
{
    return reply_intro(r, res, 200, r->ids[0], err);
}

/* A move by `actor`: checks the state machine, the approval and the outcome. */
static int move(struct request *r, const struct tb_actor *actor, int64_t id, const char *to, const char *by,
                const char *note, int as_introducer, struct tb_err *err)
{
    json_t *v;
    if (store_intro_get(r->store, actor, id, &v, err) < 0)
        return -1;
    const char *from = arena_strdup(r->arena, json_string_value(json_object_get(v, "state")));
    const char *approval = json_string_value(json_object_get(v, "approval"));
    int refused = approval && !strcmp(approval, "refused"), pending = approval && !strcmp(approval, "pending");
    json_decref(v);
    if (!net_intro_can_move(from, to))
        return tb_fail(err, 409, "conflict", "state", "state: an introduction that is '%s' cannot become '%s'", from, to);
    int answer = !strcmp(to, "accepted") || !strcmp(to, "declined");
    if (answer && !as_introducer && !is_staff(r))
        return tb_fail(err, 403, "forbidden", "state", "state: only the introducer (or staff for them) answers");
    if (!strcmp(to, "accepted") && (pending || refused))
        return tb_fail(err, 409, "conflict", "state", "state: the operator that owns the contact %s",
                       pending ? "has not approved this introduction yet" : "refused this introduction");
    struct intro_outcome o = {0};
    if (!strcmp(to, "deal_closed")) {
        static const char *const need[] = {"value_minor", "currency", "market", "hs", NULL};
        for (int i = 0; need[i]; i++)
            if (!json_object_get(r->body, need[i]))
                return TB_INVALID(err, need[i], "%s: a closed deal records its value, currency, market and HS code",
                                  need[i]);
        o = (struct intro_outcome){.value_minor = json_integer_value(json_object_get(r->body, "value_minor")),
                                   .currency = json_string_value(json_object_get(r->body, "currency")),
                                   .market = json_string_value(json_object_get(r->body, "market")),
                                   .hs = json_string_value(json_object_get(r->body, "hs"))};
    }
    return store_intro_move_with_partners(r->store, actor, id, from, to, &o, by, note, err);   /* -> plan partners */
}

int h_introduction_state(struct request *r, struct response *res, struct tb_err *err)
{
    if (move(r, &r->actor, r->ids[0], json_string_value(json_object_get(r->body, "state")), net_my_name(r),
             json_string_value(json_object_get(r->body, "note")), 0, err) < 0)
        return -1;
    return reply_intro(r, res, 200, r->ids[0], err);
}

int h_introduction_send_link(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *v;
    if (store_intro_get(r->store, &r->actor, r->ids[0], &v, err) < 0)
        return -1;
    const char *approval = json_string_value(json_object_get(v, "approval"));
    int rc = 0;
    if (approval && strcmp(approval, "approved"))
        rc = tb_fail(err, 409, "conflict", "approval", "approval: the operator that owns the contact has not approved");
    else if (!json_is_string(json_object_get(v, "introducer_email")))
        rc = TB_INVALID(err, "introducer_id", "introducer_id: the introducer has no e-mail address");
    else if (strcmp(json_string_value(json_object_get(v, "state")), "requested"))
        rc = tb_fail(err, 409, "conflict", "state", "state: the introducer already answered");
    if (rc == 0 && store_begin(r->store, err) == 0)
        rc = net_finish(r, network_intro_send_link(r->store, &r->actor, v, r->cfg->public_url, 0, err), err);
    json_decref(v);
    return rc < 0 ? -1 : respond_json(res, 202, json_pack("{s:b}", "sent", 1));
}

int h_introduction_outcomes(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *items;
    if (store_intro_outcomes(r->store, &r->actor, &items, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:o}", "items", items));
}

int h_introduction_approval_list(struct request *r, struct response *res, struct tb_err *err)
{
    json_t *items;
    if (store_intro_approvals(r->store, &r->actor, req_query(r, "state"), &items, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:o}", "items", items));
}

int h_introduction_approval_decide(struct request *r, struct response *res, struct tb_err *err)
{
    int approve = !strcmp(json_string_value(json_object_get(r->body, "decision")), "approve");
    if (store_intro_approval_decide(r->store, &r->actor, r->ids[0], approve, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:I, s:s}", "id", (json_int_t)r->ids[0], "state",
                                            approve ? "approved" : "refused"));
}

/* The introducer behind a link: nobody, within the introduction's operator. */
static struct tb_actor link_actor(struct request *r, const json_t *link)
{
    struct tb_actor a = {0};
    a.tenant_id = json_integer_value(json_object_get(link, "org_id"));
    a.roles = ROLE_BIT(ROLE_COORDINATOR);   /* reads and answers the one introduction the link names */
    a.client_addr = r->actor.client_addr ? r->actor.client_addr : r->client_addr;
    return a;
}

static int link_open(struct request *r, json_t **link, char hash[TOKEN_HASH_LEN + 1], struct tb_err *err)
{
    auth_token_hash(json_string_value(json_object_get(r->body, "token")), hash);
    return store_intro_link_peek(r->store, hash, link, err);
}

int h_introduction_link_open(struct request *r, struct response *res, struct tb_err *err)
{
    char hash[TOKEN_HASH_LEN + 1];
    json_t *link, *v;
    if (link_open(r, &link, hash, err) < 0)
        return -1;
    struct tb_actor a = link_actor(r, link);
    int rc = store_intro_get(r->store, &a, json_integer_value(json_object_get(link, "introduction_id")), &v, err);
    json_decref(link);
    if (rc < 0)
        return -1;
    json_t *out = json_pack("{s:O, s:O, s:O, s:O, s:O?, s:O, s:O?}", "id", json_object_get(v, "id"), "asker_name",
                            json_object_get(v, "asker_name"), "target_name", json_object_get(v, "target_name"),
                            "purpose", json_object_get(v, "purpose"), "message", json_object_get(v, "message"), "state",
                            json_object_get(v, "state"), "approval", json_object_get(v, "approval"));
    json_decref(v);
    return respond_json(res, 200, out);
}

int h_introduction_link_answer(struct request *r, struct response *res, struct tb_err *err)
{
    char hash[TOKEN_HASH_LEN + 1];
    json_t *link;
    const char *decision = json_string_value(json_object_get(r->body, "decision"));
    if (!decision)
        return TB_INVALID(err, "decision", "decision: accept or decline");
    if (link_open(r, &link, hash, err) < 0)
        return -1;
    struct tb_actor a = link_actor(r, link);
    int64_t id = json_integer_value(json_object_get(link, "introduction_id"));
    json_decref(link);
    const char *to = !strcmp(decision, "accept") ? "accepted" : "declined";
    json_t *v;
    if (store_intro_get(r->store, &a, id, &v, err) < 0)
        return -1;
    const char *by = arena_printf(r->arena, "%s (by link)", json_string_value(json_object_get(v, "introducer_name")));
    json_decref(v);
    if (store_begin(r->store, err) < 0)
        return -1;
    int rc = store_intro_link_claim(r->store, hash, err);   /* used up only by an answer that is stored */
    if (rc == 0)
        rc = move(r, &a, id, to, by, json_string_value(json_object_get(r->body, "note")), 1, err);
    if (net_finish(r, rc, err) < 0)
        return -1;
    return respond_json(res, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", to));
}
