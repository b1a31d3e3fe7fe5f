/*
 * introductions_service.c - see introductions_service.h. Each public
 * function is one unit of work run by store_in_tx: no effect outside the
 * database (the introducer's mail goes through the outbox), so a unit that
 * lost a conflict on PostgreSQL can run again whole.
 */
#include <stdio.h>
#include <string.h>

#include "core/network/directory.h"
#include "service/introductions_service.h"
#include "service/network_service.h"
#include "store/plan_partners.h"

/* ---- a request ----------------------------------------------------------- */

struct request_unit {
    const struct tb_actor *a;
    const struct intro_write *w;
    const char *public_url;
    int64_t id;
};

static int request_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct request_unit *u = ctx;
    int approval;
    if (store_intro_create(st, u->a, u->w, &u->id, &approval, err) < 0)
        return -1;
    if (approval)
        return 0;   /* the owning operator decides first; the link follows its approval */
    json_t *v;
    if (store_intro_get(st, u->a, u->id, &v, err) < 0)
        return -1;
    int rc = network_intro_send_link(st, u->a, v, u->public_url, 0, err);
    json_decref(v);
    return rc;
}

int intro_request(struct store *st, const struct tb_actor *a, const struct intro_write *w, const char *public_url,
                  int64_t *id, struct tb_err *err)
{
    struct request_unit u = {.a = a, .w = w, .public_url = public_url};
    if (store_in_tx(st, request_work, &u, err) < 0)
        return -1;
    *id = u.id;
    return 0;
}

/* ---- a new link ---------------------------------------------------------- */

struct link_unit {
    const struct tb_actor *a;
    int64_t id;
    const char *public_url;
};

static int send_link_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct link_unit *u = ctx;
    json_t *v;
    if (store_intro_get(st, u->a, u->id, &v, err) < 0)
        return -1;
    const char *approval = json_string_value(json_object_get(v, "approval"));
    int rc;
    if (approval && strcmp(approval, "approved"))
        rc = tb_fail(err, 409, "conflict", "approval", "approval: the operator that owns the contact has not approved");
    else if (!json_is_string(json_object_get(v, "introducer_email")))
        rc = TB_INVALID(err, "introducer_id", "introducer_id: the introducer has no e-mail address");
    else if (strcmp(json_string_value(json_object_get(v, "state")), "requested"))
        rc = tb_fail(err, 409, "conflict", "state", "state: the introducer already answered");
    else
        rc = network_intro_send_link(st, u->a, v, u->public_url, 0, err);
    json_decref(v);
    return rc;
}

int intro_send_link(struct store *st, const struct tb_actor *a, int64_t id, const char *public_url,
                    struct tb_err *err)
{
    struct link_unit u = {.a = a, .id = id, .public_url = public_url};
    return store_in_tx(st, send_link_work, &u, err);
}

/* ---- a move: the state machine and the outcome path ---------------------- */

/* The checks before a move from `from`: the state machine, who answers, the
 * approval. */
static int move_allowed(const json_t *v, const char *from, const struct intro_move_in *in, struct tb_err *err)
{
    const char *approval = json_string_value(json_object_get(v, "approval"));
    int refused = approval && !strcmp(approval, "refused"), pending = approval && !strcmp(approval, "pending");
    if (!net_intro_can_move(from, in->to))
        return tb_fail(err, 409, "conflict", "state", "state: an introduction that is '%s' cannot become '%s'", from,
                       in->to);
    int answer = !strcmp(in->to, "accepted") || !strcmp(in->to, "declined");
    if (answer && !in->as_introducer && !in->staff)
        return tb_fail(err, 403, "forbidden", "state", "state: only the introducer (or staff for them) answers");
    if (!strcmp(in->to, "accepted") && (pending || refused))
        return tb_fail(err, 409, "conflict", "state", "state: the operator that owns the contact %s",
                       pending ? "has not approved this introduction yet" : "refused this introduction");
    return 0;
}

/* A closed deal's outcome from in->outcome: 400 naming a missing field. */
static int outcome_of(const struct intro_move_in *in, struct intro_outcome *o, struct tb_err *err)
{
    *o = (struct intro_outcome){0};
    if (strcmp(in->to, "deal_closed"))
        return 0;
    static const char *const need[] = {"value_minor", "currency", "market", "hs", NULL};
    for (int i = 0; need[i]; i++)
        if (!json_object_get(in->outcome, need[i]))
            return TB_INVALID(err, need[i], "%s: a closed deal records its value, currency, market and HS code",
                              need[i]);
    *o = (struct intro_outcome){.value_minor = json_integer_value(json_object_get(in->outcome, "value_minor")),
                                .currency = json_string_value(json_object_get(in->outcome, "currency")),
                                .market = json_string_value(json_object_get(in->outcome, "market")),
                                .hs = json_string_value(json_object_get(in->outcome, "hs"))};
    return 0;
}

/* The move itself, inside the unit of its caller. */
static int move(struct store *st, const struct tb_actor *a, int64_t id, const struct intro_move_in *in,
                struct tb_err *err)
{
    json_t *v;
    if (store_intro_get(st, a, id, &v, err) < 0)
        return -1;
    char from[32];
    snprintf(from, sizeof from, "%s", json_string_value(json_object_get(v, "state")));
    int rc = move_allowed(v, from, in, err);
    json_decref(v);
    struct intro_outcome o;
    if (rc < 0 || outcome_of(in, &o, err) < 0)
        return -1;
    return store_intro_move_with_partners(st, a, id, from, in->to, &o, in->by, in->note, err);   /* -> plan partners */
}

struct move_unit {
    const struct tb_actor *a;
    int64_t id;
    const struct intro_move_in *in;
    const char *token_hash;   /* the introducer's link, used up by the answer; NULL: none */
};

static int move_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct move_unit *u = ctx;
    if (u->token_hash && store_intro_link_claim(st, u->token_hash, err) < 0)
        return -1;
    return move(st, u->a, u->id, u->in, err);
}

int intro_move(struct store *st, const struct tb_actor *a, int64_t id, const struct intro_move_in *in,
               struct tb_err *err)
{
    struct move_unit u = {.a = a, .id = id, .in = in};
    return store_in_tx(st, move_work, &u, err);
}

int intro_link_answer(struct store *st, const struct tb_actor *a, const char *token_hash, int64_t id,
                      const struct intro_move_in *in, struct tb_err *err)
{
    struct move_unit u = {.a = a, .id = id, .in = in, .token_hash = token_hash};
    return store_in_tx(st, move_work, &u, err);
}
