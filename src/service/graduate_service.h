/*
 * graduate_service.h - consent, CV files and the GDPR export of a graduate
 * (src/service/graduate_service.c).
 */
#ifndef TB_GRADUATE_SERVICE_H
#define TB_GRADUATE_SERVICE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/auth.h"
#include "core/error.h"
#include "store/store.h"

#define GRADUATE_CV_MAX_BYTES (5L * 1024 * 1024)

/* 0 when the actor may edit graduate id (not erased; staff or the trainee). */
int graduate_service_editable(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err);
/* Records consent (purpose != NULL) with the server's clock, or withdraws it
 * (purpose == NULL); *out is the updated record. */
int graduate_service_consent(struct store *st, const struct tb_actor *a, int64_t id, const char *purpose,
                             const char *text_version, json_t **out, struct tb_err *err);
/* Stores a PDF (sent as application/pdf, checked by content, at most GRADUATE_CV_MAX_BYTES) as the CV,
 * with its SHA-256 and name, in one transaction. */
int graduate_service_cv_put(struct store *st, const struct tb_actor *a, int64_t id, const char *content_type,
                            const void *data, size_t len, const char *name, json_t **out, struct tb_err *err);
/* The GDPR export document. */
int graduate_service_export(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err);

#endif
