/*
 * invitation_service.h - inviting a person by email with a role, and the
 * acceptance by the mailed link (src/service/invitation_service.c).
 */
#ifndef TB_INVITATION_SERVICE_H
#define TB_INVITATION_SERVICE_H

#include <stdint.h>

#include "core/auth.h"
#include "core/error.h"
#include "store/store.h"

struct arena;

/* A checked body (invitation_fields in src/http/h_invitations.c). */
struct invitation_input {
    const char *email, *name, *role;
    const char *subject_type;   /* NULL, or "company" / "graduate" / "placement" with subject_id */
    int64_t subject_id;
    int64_t org_id;             /* 0: the actor's operator */
    const char *locale;         /* the mail's language (en, sv); NULL: the account's choice, else the inviter's */
};
/* Records the invitation and queues its mail (link to public_url) in one
 * transaction; *id is the invitation's. Text is built in arena. */
int invitation_service_create(struct store *st, const struct tb_actor *a, const char *public_url,
                              const struct invitation_input *in, struct arena *arena, int64_t *id,
                              struct tb_err *err);

struct invitation_acceptance {
    const char *token, *password;
    const char *name;           /* the name a new account chooses; NULL: the invitation's */
    const char *client_addr;    /* for the audit log */
    /* Around each Argon2id computation (the server's hashing pool); may be NULL. */
    void (*hash_enter)(void), (*hash_leave)(void);
};
/* Accepts the pending invitation behind in->token: 0 (*email: the account's
 * address, in arena), 1 when the token names no pending invitation (the
 * caller may try older kinds of link), -1 with err. */
int invitation_service_accept(struct store *st, const struct invitation_acceptance *in, struct arena *arena,
                              const char **email, struct tb_err *err);

#endif
