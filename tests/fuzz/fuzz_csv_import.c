/*
 * fuzz_csv_import.c - a CSV upload (POST /api/v1/import/{kind}, `tradebridge
 * import`) through csv_import_parse() with the API's own field declarations,
 * then the report the caller sends back. Input: 'g' then a graduates file,
 * any other first byte then a companies file.
 */
#include "core/codes.h"
#include "core/csv_import.h"
#include "fuzz.h"

extern const struct field_spec company_create_fields[], graduate_create_fields[];

static int code_known(int list, const char *code)
{
    return codes_find((enum code_list)list, code) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    validate_set_code_checker(code_known);
    if (size < 1)
        return 0;
    enum csv_import_kind kind = data[0] == 'g' ? CSV_IMPORT_GRADUATES : CSV_IMPORT_COMPANIES;
    /* An exact-size copy: the parser gets no terminating NUL to lean on. */
    char *csv = malloc(size - 1 ? size - 1 : 1);
    if (!csv)
        abort();
    for (size_t i = 1; i < size; i++)
        csv[i - 1] = (char)data[i];
    struct csv_import imp;
    struct tb_err err = {0};
    int rc = csv_import_parse(kind, kind == CSV_IMPORT_GRADUATES ? graduate_create_fields : company_create_fields,
                              csv, size - 1, &imp, &err);
    if (rc == 0) {
        FUZZ_ASSERT(imp.valid <= imp.rows && json_array_size(imp.records) == imp.valid);
        json_t *report = csv_import_report(&imp);
        FUZZ_ASSERT(report);
        free(json_dumps(report, 0));
        json_decref(report);
    }
    csv_import_free(&imp);
    free(csv);
    return 0;
}
