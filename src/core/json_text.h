/*
 * json_text.h - JSON text written straight into an abuf, byte for byte as
 * jansson's json_dump with JSON_COMPACT | JSON_ENSURE_ASCII writes it (the
 * server's answers), for hot paths that have their values as C data (a row
 * of the store) and would otherwise build a jansson tree only to dump it.
 * Every function returns 0, or -1 when the buffer failed (its max, out of
 * memory; sticky, see abuf) or a string is not valid UTF-8.
 */
#ifndef TB_JSON_TEXT_H
#define TB_JSON_TEXT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

/* A string value (quoted, escaped; non-ASCII as \uXXXX, as jansson). */
int jt_string(struct abuf *b, const char *s, size_t n);
/* "key": - an object member's name and its colon. */
int jt_key(struct abuf *b, const char *key);
int jt_int(struct abuf *b, int64_t v);
int jt_real(struct abuf *b, double v);
/* Any jansson value, dumped by jansson with the same flags. */
int jt_value(struct abuf *b, const json_t *v);
/* JSON text stored by us (a JSON column): copied as it is when it is
 * compact ASCII - what jansson would dump again - else parsed and dumped. */
int jt_stored(struct abuf *b, const char *text, size_t n);

#endif
