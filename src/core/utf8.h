/*
 * utf8.h - the one UTF-8 module (validation, counting, cutting).
 */
#ifndef TB_CORE_UTF8_H
#define TB_CORE_UTF8_H

#include <stdarg.h>
#include <stddef.h>

/* 1 if s[0..len) is well-formed UTF-8 (no surrogates, no overlongs, <= U+10FFFF). */
int valid_utf8(const char *s, size_t len);
size_t utf8_chars(const char *s);
/* The longest prefix of s[0..len) that does not end inside a UTF-8
 * character: every cut of text to a byte count goes through it, because a
 * split character makes the text invalid (jansson refuses it). */
size_t utf8_cut(const char *s, size_t len);
/* snprintf/vsnprintf that, when the text does not fit, drop the partial
 * character at the end. Return what snprintf returns. */
int utf8_snprintf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int utf8_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

#endif
