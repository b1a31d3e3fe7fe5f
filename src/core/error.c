#include "error.h"

#include "validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int tb_fail(struct tb_err *e, int status, const char *code, const char *field,
            const char *fmt, ...)
{
    if (!e)
        return -1;
    e->status = status;
    snprintf(e->code, sizeof e->code, "%s", code ? code : "error");
    /* field and message may quote user text: cut at a character boundary */
    utf8_snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    utf8_vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    /* Messages are one line: a newline would break log lines and CLI output. */
    for (char *p = e->message; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return -1;
}

void tb_err_clear(struct tb_err *e)
{
    memset(e, 0, sizeof *e);
}
