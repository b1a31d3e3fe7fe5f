/*
 * jcs.h - JSON Canonicalization Scheme (RFC 8785), the canonical form
 * eddsa-jcs-2022 hashes: members sorted by UTF-16 code units, ECMAScript
 * number formatting, minimal string escapes, no whitespace.
 */
#ifndef TB_CRED_JCS_H
#define TB_CRED_JCS_H

#include <jansson.h>

#include "core/arena.h"
#include "core/error.h"

/* Appends the JCS form of v to out. Fails (code "jcs_invalid") on NaN/Infinity
 * or strings that are not UTF-8, or when out reaches its max. */
int jcs_serialize(const json_t *v, struct abuf *out, struct tb_err *err);

/* ECMAScript Number.prototype.toString(d) into buf (>= 32 bytes); -1 on NaN/Inf. */
int jcs_format_number(double d, char *buf, size_t size);

/* Compares two UTF-8 strings by their UTF-16 code units (<0, 0, >0). */
int jcs_utf16_cmp(const char *a, size_t alen, const char *b, size_t blen);

#endif
