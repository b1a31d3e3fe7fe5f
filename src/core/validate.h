/*
 * validate.h - request bodies checked against declared fields.
 *
 * Each route declares its body as an array of field_spec ending with a
 * {NULL} entry. validate_object() enforces type, presence, length (in
 * characters, not bytes), range, UTF-8, formats (email, date, URL) and
 * membership in an enumeration or a code list, and names the first offending
 * field in the error, so handlers only ever see well-formed values.
 */
#ifndef TB_VALIDATE_H
#define TB_VALIDATE_H

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>

#include "core/error.h"

enum field_type {
    FT_STRING,    /* one line of text */
    FT_TEXT,      /* free text, newlines allowed */
    FT_INT,
    FT_BOOL,
    FT_EMAIL,
    FT_DATE,      /* ISO 8601 calendar date YYYY-MM-DD */
    FT_URL,       /* http(s) URL */
    FT_ENUM,      /* one of allowed[] */
    FT_CODE,      /* a code from a code list (code_list, via the checker hook) */
    FT_PASSWORD,  /* never echoed; policy checked by auth */
    FT_ARRAY,     /* array of items (a single field_spec describing each item) */
    FT_OBJECT,    /* nested object described by fields */
    FT_NUMBER     /* any JSON number, within min..max when either is set */
};

struct field_spec {
    const char *name;
    enum field_type type;
    int required;
    long long min, max;               /* string/text: characters; int: value; array: items */
    const char *const *allowed;       /* FT_ENUM: NULL-terminated */
    int code_list;                    /* FT_CODE: the list id the checker understands */
    const struct field_spec *items;   /* FT_ARRAY: one spec (name unused); FT_OBJECT: fields */
};

/* How FT_CODE values are checked: returns 1 when `code` is in list `list`.
 * Set once at start-up by whoever owns the code lists. */
typedef int (*code_checker_fn)(int list, const char *code);
void validate_set_code_checker(code_checker_fn fn);

/* partial != 0 (PATCH): required fields may be absent, but not null. */
int validate_object(const json_t *obj, const struct field_spec *fields, int partial, struct tb_err *err);

/* Building blocks, also used by query-string parsing. */
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
int valid_email(const char *s);
int valid_date(const char *s);    /* YYYY-MM-DD, a real calendar day */
int valid_url(const char *s);

#endif
