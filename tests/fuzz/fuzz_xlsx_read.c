/*
 * fuzz_xlsx_read.c - an XLSX upload (POST /api/v1/import/{kind},
 * `tradebridge import`): the workbook's first sheet to CSV (libzip + expat,
 * src/core/xlsx_read.c), then that CSV through the companies importer as the
 * service does. Input: the file's bytes.
 */
#include <string.h>

#include "core/codes.h"
#include "core/csv_import.h"
#include "core/xlsx_read.h"
#include "fuzz.h"

extern const struct field_spec company_create_fields[];

static int code_known(int list, const char *code)
{
    return codes_find((enum code_list)list, code) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    validate_set_code_checker(code_known);
    char *csv = NULL;
    size_t len = 0;
    struct tb_err err = {0};
    if (xlsx_to_csv((const char *)data, size, &csv, &len, &err) < 0) {
        FUZZ_ASSERT(csv == NULL && err.status >= 400 && err.status < 500);
        return 0;
    }
    FUZZ_ASSERT(csv && strlen(csv) == len && len <= (size_t)XLSX_MAX_CSV_BYTES);
    struct csv_import imp;
    if (csv_import_parse_aliased(CSV_IMPORT_COMPANIES, company_create_fields, NULL, csv, len, &imp, &err) == 0)
        FUZZ_ASSERT(imp.valid <= imp.rows);
    csv_import_free(&imp);
    free(csv);
    return 0;
}
