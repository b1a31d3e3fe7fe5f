/*
 * error.c - the error struct and the one table of error codes (error.h).
 */
#include "error.h"

#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *wire;
    int status;
} codes[TB_E__COUNT] = {
#define TB_CODE_ROW(name, w, s) [TB_E_##name] = {w, s},
    TB_ERROR_CODES(TB_CODE_ROW)
#undef TB_CODE_ROW
};

const char *tb_code_name(enum tb_code c)
{
    return (unsigned)c < TB_E__COUNT ? codes[c].wire : "internal_error";
}

int tb_code_status(enum tb_code c)
{
    return (unsigned)c < TB_E__COUNT ? codes[c].status : 500;
}

int tb_code_parse(const char *wire, enum tb_code *out)
{
    for (int i = 0; i < TB_E__COUNT; i++)
        if (wire && !strcmp(codes[i].wire, wire)) {
            *out = (enum tb_code)i;
            return 0;
        }
    return -1;
}

static void fill(struct tb_err *e, int status, const char *code, const char *field, const char *fmt, va_list ap)
{
    e->status = status;
    snprintf(e->code, sizeof e->code, "%s", code ? code : "error");
    /* field and message may quote user text: cut at a character boundary */
    utf8_snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    utf8_vsnprintf(e->message, sizeof e->message, fmt, ap);
    /* Messages are one line: a newline would break log lines and CLI output. */
    for (char *p = e->message; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

int tb_error(struct tb_err *e, enum tb_code code, const char *field, const char *fmt, ...)
{
    if (!e)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    fill(e, tb_code_status(code), tb_code_name(code), field, fmt, ap);
    va_end(ap);
    return -1;
}

int tb_fail(struct tb_err *e, int status, const char *code, const char *field,
            const char *fmt, ...)
{
    if (!e)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    fill(e, status, code, field, fmt, ap);
    va_end(ap);
    return -1;
}

void tb_err_clear(struct tb_err *e)
{
    memset(e, 0, sizeof *e);
}
