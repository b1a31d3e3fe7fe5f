/*
 * application_service.h - applications and their pipeline
 * (src/service/application_service.c).
 */
#ifndef TB_APPLICATION_SERVICE_H
#define TB_APPLICATION_SERVICE_H

#include <jansson.h>
#include <stdint.h>

#include "core/auth.h"
#include "core/error.h"
#include "store/store.h"

/* Who moves an application: the actor's side. */
enum application_mover { BY_STAFF = 1, BY_COMPANY = 2, BY_GRADUATE = 4 };
unsigned application_mover(const struct tb_actor *a);

/* body: a checked application_create_fields body. A graduate applies for
 * themself; staff name the graduate. The application (stage "applied") and
 * its first history event in one transaction; *out is the new record. */
int application_service_create(struct store *st, const struct tb_actor *a, const json_t *body, int64_t *id,
                               json_t **out, struct tb_err *err);
/* Moves application id to stage `to` when the pipeline and the actor's side
 * allow it (sent_version: the version the client saw, 0 = any); *out is the
 * record with its history. */
int application_service_stage(struct store *st, const struct tb_actor *a, int64_t id, const char *to,
                              const char *note, int64_t sent_version, json_t **out, struct tb_err *err);

#endif
