/*
 * plan_xlsx.c - see plan_xlsx.h. Money is written in major units with the
 * currency's number of decimals.
 */
#include "http/plan_xlsx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/codes.h"
#include "core/market/plan.h"

static double major(const json_t *minor, const char *currency)
{
    int d = codes_currency_minor_units(currency);
    return (double)json_integer_value(minor) / pow(10, d < 0 ? 2 : d);
}

static const char *s(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static void header(lxw_worksheet *ws, lxw_format *bold, const char *const *cols)
{
    for (int c = 0; cols[c]; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c], bold);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, c ? 16 : 22, NULL);
    }
}

static void sheets(lxw_workbook *wb, const json_t *plan, const json_t *progress)
{
    lxw_format *bold = workbook_add_format(wb), *money = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_num_format(money, "#,##0.00");
    const json_t *doc = json_object_get(plan, "doc");
    const char *cur = s(doc, "currency");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Plan");
    static const char *const kv[] = {"Field", "Value", NULL};
    header(ws, bold, kv);
    worksheet_set_column(ws, 1, 1, 60, NULL);
    lxw_row_t row = 1;
    const char *fields[][2] = {{"Title", s(plan, "title")}, {"Company", s(plan, "company_name")},
                               {"Status", s(plan, "status")}, {"Currency", cur},
                               {"Updated", s(plan, "updated_at")}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++, row++) {
        worksheet_write_string(ws, row, 0, fields[i][0], bold);
        worksheet_write_string(ws, row, 1, fields[i][1], NULL);
    }
    worksheet_write_string(ws, row, 0, "Version", bold);
    worksheet_write_number(ws, row++, 1, (double)json_integer_value(json_object_get(plan, "version")), NULL);
    if (json_is_true(json_object_get(doc, "synthetic")))
        worksheet_write_string(ws, row++, 0, "SYNTHETIC DEMONSTRATION FIGURES", bold);

    ws = workbook_add_worksheet(wb, "Markets");
    static const char *const mcols[] = {"Country", "Product", "Entry mode", "Incoterms", "Named place",
                                        "Price currency", "Ex works", "Price at rule", "Channel partners",
                                        "Rationale", "Ranking", "Channel partners (network directory)", NULL};
    header(ws, bold, mcols);
    size_t i;
    json_t *m;
    row = 1;
    json_array_foreach(json_object_get(doc, "markets"), i, m) {
        const json_t *p = json_object_get(m, "price_at_rule");
        worksheet_write_string(ws, row, 0, s(m, "country"), NULL);
        worksheet_write_string(ws, row, 1, s(m, "product"), NULL);
        worksheet_write_string(ws, row, 2, s(m, "entry_mode"), NULL);
        worksheet_write_string(ws, row, 3, s(m, "incoterm"), NULL);
        worksheet_write_string(ws, row, 4, s(m, "named_place"), NULL);
        if (p) {
            worksheet_write_string(ws, row, 5, s(p, "currency"), NULL);
            worksheet_write_number(ws, row, 6, major(json_object_get(p, "ex_works_minor"), s(p, "currency")), money);
            worksheet_write_number(ws, row, 7, major(json_object_get(p, "price_minor"), s(p, "currency")), money);
        }
        worksheet_write_string(ws, row, 8, s(m, "channel_partners"), NULL);
        worksheet_write_string(ws, row, 9, s(m, "rationale"), NULL);
        worksheet_write_string(ws, row, 10, s(json_object_get(m, "ranking"), "rank_explanation"), NULL);
        char linked[1024];
        plan_partner_contacts(m, linked, sizeof linked);
        worksheet_write_string(ws, row++, 11, linked, NULL);
    }

    ws = workbook_add_worksheet(wb, "Plan vs actual");
    static const char *const pcols[] = {"Country", "Product", "Quarter", "Target", "Actual", "Variance",
                                        "Attainment", NULL};
    header(ws, bold, pcols);
    const char *pc = s(progress, "currency");
    row = 1;
    json_array_foreach(json_object_get(progress, "markets"), i, m) {
        size_t k;
        json_t *r;
        json_array_foreach(json_object_get(m, "rows"), k, r) {
            worksheet_write_string(ws, row, 0, s(m, "country"), NULL);
            worksheet_write_string(ws, row, 1, s(m, "product"), NULL);
            worksheet_write_string(ws, row, 2, s(r, "quarter"), NULL);
            worksheet_write_number(ws, row, 3, major(json_object_get(r, "target_minor"), pc), money);
            if (!json_is_null(json_object_get(r, "actual_minor"))) {
                worksheet_write_number(ws, row, 4, major(json_object_get(r, "actual_minor"), pc), money);
                worksheet_write_number(ws, row, 5, major(json_object_get(r, "variance_minor"), pc), money);
            }
            if (json_is_number(json_object_get(r, "attainment")))
                worksheet_write_number(ws, row, 6, json_number_value(json_object_get(r, "attainment")), NULL);
            row++;
        }
    }
    char note[200];
    snprintf(note, sizeof note, "Amounts in %s; %s", pc, s(progress, "basis"));
    worksheet_write_string(ws, row + 1, 0, note, NULL);

    ws = workbook_add_worksheet(wb, "Milestones");
    static const char *const scols[] = {"Milestone", "Owner", "Due", "Done", NULL};
    header(ws, bold, scols);
    row = 1;
    json_array_foreach(json_object_get(doc, "milestones"), i, m) {
        worksheet_write_string(ws, row, 0, s(m, "title"), NULL);
        worksheet_write_string(ws, row, 1, s(m, "owner"), NULL);
        worksheet_write_string(ws, row, 2, s(m, "due"), NULL);
        worksheet_write_boolean(ws, row++, 3, json_is_true(json_object_get(m, "done")), NULL);
    }
    ws = workbook_add_worksheet(wb, "Budget");
    static const char *const bcols[] = {"Item", "Amount", NULL};
    header(ws, bold, bcols);
    row = 1;
    json_array_foreach(json_object_get(doc, "budget"), i, m) {
        worksheet_write_string(ws, row, 0, s(m, "label"), NULL);
        worksheet_write_number(ws, row++, 1, major(json_object_get(m, "amount_minor"), cur), money);
    }
}

int plan_xlsx(const json_t *plan, const json_t *progress, void **data, size_t *len, struct tb_err *err)
{
    char path[256];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/tb-plan-XXXXXX", dir && *dir && strlen(dir) < 200 ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return TB_INTERNAL(err, "cannot create a temporary file for the spreadsheet");
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        unlink(path);
        return TB_INTERNAL(err, "cannot start the spreadsheet");
    }
    sheets(wb, plan, progress);
    lxw_error e = workbook_close(wb);
    FILE *f = e == LXW_NO_ERROR ? fopen(path, "rb") : NULL;
    long n = -1;
    if (f && fseek(f, 0, SEEK_END) == 0)
        n = ftell(f);
    *data = n > 0 ? malloc((size_t)n) : NULL;
    int ok = *data && fseek(f, 0, SEEK_SET) == 0 && fread(*data, 1, (size_t)n, f) == (size_t)n;
    if (f)
        fclose(f);
    unlink(path);
    if (!ok) {
        free(*data);
        return TB_INTERNAL(err, "could not write the spreadsheet");
    }
    *len = (size_t)n;
    return 0;
}
