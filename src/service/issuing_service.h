/*
 * issuing_service.h - issuing and managing credentials over the store, shared
 * by the HTTP handlers (h_credentials.c) and the command line (demo, CLI):
 * the operator's key (made on first use, sealed with the KEK), signing,
 * status lists, issuing a credential for a completed placement, and
 * suspending, reinstating and revoking it.
 */
#ifndef TB_ISSUING_SERVICE_H
#define TB_ISSUING_SERVICE_H

#include <jansson.h>

#include "core/arena.h"
#include "store/entity.h"

struct issuing_ctx {
    struct store *st;
    const struct tb_actor *actor;
    const char *public_url;
    const char *kek;          /* TRADEBRIDGE_KEK (base64) */
    struct arena *arena;      /* for strings that live as long as the call */
};

/* The document signed with the operator's current key (eddsa-rdfc-2022). */
int issuing_sign(const struct issuing_ctx *c, int64_t org, const json_t *doc, json_t **signed_doc,
                 struct tb_err *err);
/* Issues the achievement to the graduate for a completed placement; *id of the new credential. */
int issuing_issue(const struct issuing_ctx *c, int64_t graduate_id, int64_t achievement_id,
                  int64_t placement_id, const char *valid_from, int64_t *id, struct tb_err *err);
/* The same; where the placement has a learning plan it must be complete
 * (409 plan_incomplete) unless override_reason says why not (stored with the
 * credential, audited). The credential lists the plan's competencies with the
 * levels reached and the approved deliverables as evidence. */
int issuing_issue_ex(const struct issuing_ctx *c, int64_t graduate_id, int64_t achievement_id,
                     int64_t placement_id, const char *valid_from, const char *override_reason, int64_t *id,
                     struct tb_err *err);
/* to: "suspended", "active" (reinstate) or "revoked" (final). */
int issuing_change_status(const struct issuing_ctx *c, int64_t credential_id, const char *to,
                          const char *reason, struct tb_err *err);
/* Retires the current key and makes a new one. */
int issuing_rotate_key(const struct issuing_ctx *c, int64_t org, struct tb_err *err);
/* The public URL of an operator's status list. */
char *issuing_list_url(const struct issuing_ctx *c, int64_t org, const char *purpose);

#endif
