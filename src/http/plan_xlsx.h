/*
 * plan_xlsx.h - an export plan as an XLSX workbook (libxlsxwriter): the plan,
 * its markets with the price at the chosen Incoterms rule, plan against
 * actual, milestones. *data is malloc'd.
 */
#ifndef TB_PLAN_XLSX_H
#define TB_PLAN_XLSX_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

int plan_xlsx(const json_t *plan, const json_t *progress, void **data, size_t *len, struct tb_err *err);

#endif
