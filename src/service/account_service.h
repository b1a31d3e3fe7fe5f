/*
 * account_service.h - account workflows as units of work (store_in_tx,
 * docs/store.md section 7), shared by the HTTP handlers (h_auth.c) and the
 * command line: a single-use link sets its person's password; an account
 * made with its first role.
 */
#ifndef TB_ACCOUNT_SERVICE_H
#define TB_ACCOUNT_SERVICE_H

#include <jansson.h>

#include "store/store.h"

/* Uses the single-use link (`purpose` "invite" or "reset", token_hash) and
 * sets its person's password to password_hash (already hashed: the slow part
 * stays outside the transaction) and, when given, their name; they act as
 * themself, from client_addr. 403 account_disabled (token) for a disabled
 * account; the link's own errors (404, 410) otherwise. *user_id: the person. */
int account_link_set_password(struct store *st, const char *purpose, const char *token_hash,
                              const char *password_hash, const json_t *name, const char *client_addr,
                              int64_t *user_id, struct tb_err *err);

/* A new active account (email, name, password_hash) with `role` in operator
 * org_id, as actor `a`: one unit of work. 409 (email) for a taken address.
 * *user_id: the account. */
int account_create(struct store *st, const struct tb_actor *a, const char *email, const char *name,
                   const char *password_hash, int64_t org_id, enum tb_role role, int64_t *user_id,
                   struct tb_err *err);

#endif
