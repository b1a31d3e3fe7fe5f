/*
 * agreement.h - the terms of a placement's three-party agreement and their
 * hash. The trainee, the company and the operator each accept exactly these
 * terms (by hash), so the hash must be computed the same way everywhere: the
 * HTTP handlers, the demo builder, and any import tool.
 */
#ifndef TB_AGREEMENT_H
#define TB_AGREEMENT_H

#include <jansson.h>

/* The fields that make up the terms, NULL-terminated. */
extern const char *const agreement_term_fields[];

/* A new object with every term field of `placement` (a placement record as the
 * store returns it); absent fields are null. The caller owns the result. */
json_t *agreement_terms(const json_t *placement);

/* SHA-256 (lower-case hex) of the terms as compact JSON with sorted keys.
 * 0, or -1 if out of memory (out is then ""). */
int agreement_terms_hash(const json_t *placement, char out[65]);

/* SHA-256 (hex) of any terms value as compact JSON with sorted keys. */
int agreement_hash_of(const json_t *terms, char out[65]);

/* The learning plan's part of the agreement: per module (in plan order) its
 * code, title, mandatory, selected (booleans), planned_start, due_date and
 * the deliverable as adapted; progress (states, scores) is not a term. */
json_t *agreement_plan_terms(const json_t *modules);

/* What changed from the accepted plan terms to the current ones:
 * [{module, field, old, new}] (old absent for a module that was not there;
 * field "module" with the old terms and new null for a module no longer there). */
json_t *agreement_plan_diff(const json_t *accepted, const json_t *current);

#endif
