/*
 * deliverables_service.h - the workplace deliverables' workflows as units of
 * work (store_in_tx, docs/store.md section 7), shared by the HTTP handlers
 * (h_deliverables.c, h_export_plans.c) and the command line: a version
 * submitted with its notice to the mentor, a review with its notice to the
 * trainee, a review link mailed to a reviewer without an account. Notices
 * are queued in the outbox; the caller wakes the sender after success.
 * `ar` holds the mails' words (the request's arena); public_url starts the
 * links in them.
 */
#ifndef TB_DELIVERABLES_SERVICE_H
#define TB_DELIVERABLES_SERVICE_H

#include <jansson.h>

#include "core/arena.h"
#include "store/store.h"
#include "store/store_training.h"

struct deliverable_file {
    const char *name, *mime;
    const void *data;
    size_t len;
};
/* A new version of plan module `module_id` (body, links, optional file) and
 * the notice to the module's mentor. *vid: the version. */
int deliverable_submit(struct store *st, const struct tb_actor *a, struct arena *ar, const char *public_url,
                       int64_t module_id, const char *body, const json_t *links, const struct deliverable_file *file,
                       int64_t *vid, struct tb_err *err);

/* Review `rv` of version `version_id` (`version`: its row, with "module" and
 * "org_id"); a request for changes tells the trainee. link_hash, when not
 * NULL, is the review link the review uses up (only a stored review does). */
int deliverable_review(struct store *st, const struct tb_actor *a, struct arena *ar, const char *public_url,
                       int64_t version_id, const json_t *version, const struct review_in *rv, const char *link_hash,
                       struct tb_err *err);

/* A review link for version `version_id` (`version`: its row) to `email`
 * (`name`), valid until `expires`: stored as token_hash, the token itself
 * mailed in `locale` (NULL: the sender's language). */
struct review_link_in {
    const char *email, *name, *locale, *token, *token_hash;
    int64_t expires;
};
int deliverable_review_link(struct store *st, const struct tb_actor *a, struct arena *ar, const char *public_url,
                            int64_t version_id, const json_t *version, const struct review_link_in *in,
                            struct tb_err *err);

#endif
