/*
 * impact_report.h - the impact report (impact_measures' JSON) as a file:
 * JSON, a funder's PDF (cairo/pango, charts with their tables and N) or
 * XLSX (the figures per group and the definitions).
 */
#ifndef TB_IMPACT_REPORT_H
#define TB_IMPACT_REPORT_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

enum impact_format { IMPACT_FORMAT_NONE, IMPACT_JSON, IMPACT_PDF, IMPACT_XLSX };

/* *data malloc'd, *len bytes. */
int impact_report_render(const json_t *report, enum impact_format fmt, char **data, size_t *len,
                         struct tb_err *err);

#endif
