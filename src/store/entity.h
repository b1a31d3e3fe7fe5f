/*
 * entity.h - the programme's records (companies, graduates, cohorts,
 * positions, applications, placements) through one generic store API.
 *
 * Each entity is described once (entity.c: its table, columns and which
 * columns hold JSON arrays); its SQL is literal in stmts_sqlite.c. The
 * store binds the tenant AND the actor's row scope (a company user sees its
 * own company's rows, a trainee their own record and open positions, a
 * mentor the placements they supervise), so handlers cannot forget either.
 * Every create, update and delete is audited with old and new values.
 */
#ifndef TB_ENTITY_H
#define TB_ENTITY_H

#include "store/store.h"

enum entity {
    ENT_COMPANY,
    ENT_GRADUATE,
    ENT_COHORT,
    ENT_POSITION,
    ENT_APPLICATION,
    ENT_PLACEMENT,
    ENT_MATCH_RUN,
    ENT_MATCH_CONSTRAINT,
    ENT_ACHIEVEMENT,
    ENT_ACCREDITATION,
    ENT_CREDENTIAL,
    ENT__MAX
};

const char *entity_name(enum entity e);   /* "company" ... (audit, messages) */

/* fields: the columns to set (already validated). For the foundation admin,
 * fields must carry "org_id" (which operator the record belongs to). */
int store_entity_create(struct store *st, const struct tb_actor *a, enum entity e,
                        const json_t *fields, int64_t *id, struct tb_err *err);
int store_entity_get(struct store *st, const struct tb_actor *a, enum entity e, int64_t id,
                     json_t **out, struct tb_err *err);
/* The same record as the JSON text of the API's answer (with x's member
 * last, if x), appended to out: the read path builds no JSON tree;
 * *version for its ETag. */
struct abuf;
int store_entity_get_text(struct store *st, const struct tb_actor *a, enum entity e, int64_t id,
                          const struct row_member *x, struct abuf *out, int64_t *version, struct tb_err *err);
/* filters: {"name": "value"} for the filters the entity documents (see
 * entity_filters()); q: free text; sort: "id" | "name" (or the entity's
 * name column); all validated here. */
/* The match runs of a position's cohort, in the actor's operator, for anyone
 * who may read the position (runs are staff records: the store reads them
 * with the operator's staff scope, after reading the position with the
 * actor's own). */
int store_position_runs(struct store *st, const struct tb_actor *a, int64_t position_id,
                        const struct list_query *q, struct list_page *page, struct tb_err *err);
int store_entity_list(struct store *st, const struct tb_actor *a, enum entity e,
                      const struct list_query *q, const json_t *filters, struct list_page *page,
                      struct tb_err *err);
/* The same page as JSON text: its items (a JSON array, each with x's member)
 * into items, *next_cursor malloc'd or NULL on the last page. */
int store_entity_list_text(struct store *st, const struct tb_actor *a, enum entity e,
                           const struct list_query *q, const json_t *filters, const struct row_member *x,
                           struct abuf *items, char **next_cursor, struct tb_err *err);
/* Applies changes (only declared columns) if version matches (else 412). */
int store_entity_update(struct store *st, const struct tb_actor *a, enum entity e, int64_t id,
                        int64_t version, const json_t *changes, json_t **out, struct tb_err *err);
/* Refused with 409 while other records refer to it; the message says by what. */
/* store_entity_update of one text field: {field: value}. */
int store_entity_set_text(struct store *st, const struct tb_actor *a, enum entity e, int64_t id, int64_t version,
                          const char *field, const char *value, json_t **out, struct tb_err *err);
int store_entity_delete(struct store *st, const struct tb_actor *a, enum entity e, int64_t id,
                        struct tb_err *err);
/* Names of list filters an entity accepts, NULL-terminated. */
const char *const *entity_filters(enum entity e);

/* Application history. */
int store_application_event(struct store *st, const struct tb_actor *a, int64_t org_id,
                            int64_t application_id, const char *from, const char *to,
                            const char *note, struct tb_err *err);
int store_application_events(struct store *st, const struct tb_actor *a, int64_t application_id,
                             json_t **out, struct tb_err *err);

/* The three-party agreement. */
int store_agreement_accept(struct store *st, const struct tb_actor *a, int64_t org_id,
                           int64_t placement_id, const char *party, const char *terms_hash,
                           struct tb_err *err);
int store_agreement_list(struct store *st, const struct tb_actor *a, int64_t placement_id,
                         json_t **out, struct tb_err *err);
int store_agreement_clear(struct store *st, const struct tb_actor *a, int64_t placement_id,
                          struct tb_err *err);

/* CV files (PDF), kept out of the graduate row. */
int store_cv_put(struct store *st, const struct tb_actor *a, int64_t graduate_id,
                 const void *data, size_t len, const char *sha256, struct tb_err *err);
/* *data is malloc'd; the caller frees it. */
int store_cv_get(struct store *st, const struct tb_actor *a, int64_t graduate_id, void **data,
                 size_t *len, char sha256[65], struct tb_err *err);
int store_cv_delete(struct store *st, const struct tb_actor *a, int64_t graduate_id,
                    struct tb_err *err);

/* GDPR erasure: empties the graduate's personal fields, deletes the CV,
 * anonymises and disables their login, scrubs notes and the audit entries
 * about them; keeps the pseudonymous record (EQF level, field, graduation
 * year, languages, nationality) and the programme history for statistics. */
int store_graduate_erase(struct store *st, const struct tb_actor *a, int64_t id, struct tb_err *err);

/* The operator's score weights as stored ({"criterion": weight, ...}), or
 * *out = NULL when the operator never set them (defaults apply). */
int store_match_settings_get(struct store *st, const struct tb_actor *a, int64_t org_id,
                             json_t **out, struct tb_err *err);
int store_match_settings_put(struct store *st, const struct tb_actor *a, int64_t org_id,
                             const json_t *weights, struct tb_err *err);

/* ---- issuing credentials ---- */
struct issuer_key {
    int64_t id;
    char public_key[128];     /* publicKeyMultibase */
    char sealed_secret[256];  /* base64(nonce || secretbox(seed)) */
};
/* The operator's current signing key; *found = 0 when it has none yet. */
int store_issuer_key_current(struct store *st, const struct tb_actor *a, int64_t org_id,
                             struct issuer_key *out, int *found, struct tb_err *err);
/* Retires the current key (kept for verifying older credentials) and adds a new one. */
int store_issuer_key_rotate(struct store *st, const struct tb_actor *a, int64_t org_id,
                            const char *public_key, const char *sealed_secret, struct tb_err *err);
/* Every key an operator ever had, for its DID document (public). */
int store_issuer_keys_public(struct store *st, int64_t org_id, json_t **out, struct tb_err *err);
int store_status_list_get(struct store *st, const struct tb_actor *a, int64_t org_id,
                          const char *purpose, char **encoded, int *found, struct tb_err *err);
int store_status_list_put(struct store *st, const struct tb_actor *a, int64_t org_id,
                          const char *purpose, const char *encoded, const json_t *credential,
                          struct tb_err *err);
/* The signed status list credential, public; 404 when none was issued. */
int store_status_list_public(struct store *st, int64_t org_id, const char *purpose, json_t **out,
                             struct tb_err *err);
int store_credential_next_index(struct store *st, const struct tb_actor *a, int64_t org_id,
                                int64_t *index, struct tb_err *err);
/* Whether the foundation accredited org_id on `date` (YYYY-MM-DD); public. */
int store_accredited_on(struct store *st, int64_t org_id, const char *date, int *yes,
                        struct tb_err *err);
int store_credential_set_status(struct store *st, const struct tb_actor *a, int64_t id,
                                const char *status, const char *reason, struct tb_err *err);

/* A credential's signed document by its id (urn:uuid:...), for anyone the
 * holder shared it with; 404 when unknown. */
int store_credential_public(struct store *st, const char *credential_id, json_t **document,
                            struct tb_err *err);

/* The default catalogue a new operator starts with: the export-trainee
 * qualification in international trade management (EQF 6, 60 ECTS). */
#define DEFAULT_ACHIEVEMENT_NAME "Export Trainee Certificate in International Trade Management"
int store_default_catalogue(struct store *st, const struct tb_actor *a, int64_t org_id, struct tb_err *err);

/* Counts for dashboards: {"applications":{"applied":n,...},"positions":{...},"placements":{...}}
 * within the actor's tenant and scope; a viewer (funder) counts the whole operator. */
int store_programme_counts(struct store *st, const struct tb_actor *a, json_t **out,
                           struct tb_err *err);

#endif
