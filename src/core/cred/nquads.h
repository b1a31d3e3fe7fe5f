/*
 * nquads.h - N-Quads (RDF 1.1) in and canonical N-Quads out.
 * The parser validates UTF-8, resolves \u/\U and ECHAR escapes, and reports
 * the line of the first error; the writer emits the canonical form RDFC-1.0
 * hashes and signs (no IRI escapes, minimal literal escapes).
 */
#ifndef TB_CRED_NQUADS_H
#define TB_CRED_NQUADS_H

#include <stddef.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/cred/rdf.h"

#define RDF_XSD_STRING "http://www.w3.org/2001/XMLSchema#string"
#define RDF_LANGSTRING "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

/* Parses text[0..len) into out (whose arena holds the strings). On error fills
 * err with code "nquads_syntax" and a message "line N: ...", returns -1. */
int nquads_parse(const char *text, size_t len, struct rdf_dataset *out, struct tb_err *err);

/* Canonical serialization of one term / one quad (with " .\n"). 0 or -1 (buffer full). */
int nquads_write_term(struct abuf *b, const struct rdf_term *t);
int nquads_write_quad(struct abuf *b, const struct rdf_quad *q);
/* Escaped literal body (without quotes). */
int nquads_write_escaped(struct abuf *b, const char *s);

#endif
