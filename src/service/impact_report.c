/*
 * impact_report.c - see impact_report.h.
 */
#include "service/impact_report.h"

#include <stdlib.h>
#include <string.h>

int impact_report_render(const json_t *report, enum impact_format fmt, char **data, size_t *len,
                         struct tb_err *err)
{
    if (fmt == IMPACT_JSON) {
        *data = json_dumps(report, JSON_INDENT(2));
        if (!*data)
            return TB_INTERNAL(err, "out of memory");
        *len = strlen(*data);
        char *nl = realloc(*data, *len + 2);
        if (nl) {
            nl[(*len)++] = '\n';
            nl[*len] = 0;
            *data = nl;
        }
        return 0;
    }
    return tb_error(err, TB_E_INVALID_OPTION, "format", "format: only json is available yet");
}
