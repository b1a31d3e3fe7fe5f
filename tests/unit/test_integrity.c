/* Issue 17: the holder's e-mail against the credential's salted hash; an
 * XLSX sheet as CSV (xlsx_read.c); an export's columns read back by the
 * importer (id, version, human headers, bookkeeping columns skipped). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/csv_import.h"
#include "core/fields.h"
#include "core/issuing.h"
#include "core/xlsx_read.h"

static json_t *credential_for(const char *email, const char *salt, const char *name)
{
    json_t *ach = json_pack("{s:s, s:s, s:s}", "name", "Export Trainee", "description", "d", "criteria", "c");
    struct ob3_input in = {
        .credential_id = "urn:uuid:00000000-0000-4000-8000-000000000000",
        .issuer_did = "did:web:test.local:issuers:2", .issuer_name = "ITM Sweden",
        .achievement_url = "https://test.local/achievements/1", .achievement = ach,
        .email = email, .salt = salt, .holder_name = name, .valid_from = "2026-12-01T00:00:00Z",
        .status = json_array(),
    };
    json_t *vc = ob3_credential(&in);
    json_decref(ach);
    return vc;
}

static void holder_email_matches_as_typed_and_in_any_case(void **state)
{
    (void)state;
    json_t *vc = credential_for("Pia.Placed@example.org", "0123456789abcdef0123456789abcdef", "Pia Placed");
    assert_non_null(vc);
    assert_int_equal(ob3_holder_email_check(vc, "Pia.Placed@example.org"), OB3_HOLDER_MATCH);
    assert_int_equal(ob3_holder_email_check(vc, "  Pia.Placed@example.org \n"), OB3_HOLDER_MATCH);
    /* stored in mixed case: lower case typed does not hash to it, as typed does */
    assert_int_equal(ob3_holder_email_check(vc, "pia.placed@example.org"), OB3_HOLDER_NO_MATCH);
    assert_int_equal(ob3_holder_email_check(vc, "other@example.org"), OB3_HOLDER_NO_MATCH);
    assert_int_equal(ob3_holder_email_check(vc, ""), OB3_HOLDER_NO_MATCH);
    json_decref(vc);
    vc = credential_for("pia@example.org", "0123456789abcdef0123456789abcdef", NULL);
    assert_int_equal(ob3_holder_email_check(vc, "PIA@Example.org"), OB3_HOLDER_MATCH);
    /* the salt is part of the hash: another salt, another hash */
    json_t *ids = json_object_get(json_object_get(vc, "credentialSubject"), "identifier");
    json_object_set_new(json_array_get(ids, 0), "salt", json_string("ffff"));
    assert_int_equal(ob3_holder_email_check(vc, "pia@example.org"), OB3_HOLDER_NO_MATCH);
    json_decref(vc);
}

static void holder_email_not_recorded(void **state)
{
    (void)state;
    json_t *vc = credential_for(NULL, "00", "Pia Placed");
    assert_int_equal(ob3_holder_email_check(vc, "pia@example.org"), OB3_HOLDER_NOT_RECORDED);
    json_decref(vc);
    json_t *odd = json_pack("{s:[{s:{s:s, s:s, s:b}}]}", "credentialSubject", "identifier", "identityType",
                            "emailAddress", "identityHash", "x", "hashed", 0);
    assert_int_equal(ob3_holder_email_check(odd, "pia@example.org"), OB3_HOLDER_NOT_RECORDED);
    json_decref(odd);
    assert_int_equal(ob3_holder_email_check(NULL, "pia@example.org"), OB3_HOLDER_NOT_RECORDED);
}

/* ---- XLSX ---- */

static char *corpus_file(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fuzz/corpus/xlsx_read/%s", TB_SOURCE_ROOT, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

static char *sheet_csv(const char *name)
{
    size_t len, n;
    char *data = corpus_file(name, &len), *csv;
    struct tb_err err = {0};
    assert_true(xlsx_looks_like(data, len));
    if (xlsx_to_csv(data, len, &csv, &n, &err) < 0)
        fail_msg("%s: %s", name, err.message);
    assert_int_equal(strlen(csv), n);
    return csv;
}

static void xlsx_cells_as_csv(void **state)
{
    (void)state;
    /* the first sheet through the workbook's relationships; rich text without its
     * phonetic guide; a custom date format, a built-in date-time (22), a number
     * that only looks like a date format, TRUE, an error, a shared string out
     * of range, an exponent */
    char *csv = sheet_csv("styles-rich.xlsx");
    assert_string_equal(csv, "\"name\",\"available_from\"\r\n"
                             "\"\xC3\x85sa\",\"2027-01-15\",\"3.5\",\"2027-01-15T18:00:00Z\",\"TRUE\",\"#N/A\",\"\",\"0.0012\"\r\n");
    free(csv);
    /* saved by openpyxl: an empty row stays an empty line, quotes doubled, dates */
    csv = sheet_csv("openpyxl.xlsx");
    assert_non_null(strstr(csv, "\"Alfa AB\",\"SE\",\"40\",\"SEK\",\"1250000.5\""));
    assert_non_null(strstr(csv, "\"2027-01-15\",\"2026-12-07T18:30:05Z\",\"TRUE\"\r\n\r\n\"Beta \"\"Q\"\" AB\""));
    free(csv);
    /* no workbook part: sheet1; inline strings; row 7 is line 7 */
    csv = sheet_csv("inline-no-workbook.xlsx");
    assert_string_equal(csv, "\"legal_name\",\"country\"\r\n\"Gamma & Co\",\"SE\"\r\n\r\n\r\n\r\n\r\n\"\",\"DE\",\"Delta\"\r\n");
    free(csv);
}

static void xlsx_refuses_what_it_cannot_read(void **state)
{
    (void)state;
    const char *bad[] = {"truncated.xlsx", "malformed-sheet.xlsx", "rows-backwards.xlsx"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t len, n;
        char *data = corpus_file(bad[i], &len), *csv = (char *)"x";
        struct tb_err err = {0};
        assert_int_equal(xlsx_to_csv(data, len, &csv, &n, &err), -1);
        assert_null(csv);
        assert_int_equal(err.status, 400);
        assert_string_equal(err.field, "file");
    }
    size_t len;
    const char *text = corpus_file("not-zip.xlsx", &len);
    assert_false(xlsx_looks_like(text, len));
}

/* ---- an export read back ---- */

static int code_known(int list, const char *code)
{
    return codes_find((enum code_list)list, code) != NULL;
}

static void import_reads_an_export(void **state)
{
    (void)state;
    assert_int_equal(codes_init(), 0);
    validate_set_code_checker(code_known);
    json_t *aliases = json_pack("{s:s, s:s}", "juridiskt namn", "legal_name", "kontaktpersoner", "contacts");
    const char *csv =
        "id,org_id,Juridiskt namn,country,currency,turnover,Kontaktpersoner,website,created_at,version,sme_check\r\n"
        "7,2,Alfa AB,SE,SEK,1250000.50,Anna Berg:anna@alfa.example::Boss; Bo:,,2026-01-01T00:00:00Z,3,SME\r\n"
        ",2,Beta AB,SE,,,,,,,\r\n"
        "8,2,Gamma AB,SE,,,,,,,\r\n"
        "7,2,Alfa again,SE,,,,,,4,\r\n";
    struct csv_import imp;
    struct tb_err err = {0};
    assert_int_equal(csv_import_parse_aliased(CSV_IMPORT_COMPANIES, company_create_fields, aliases, csv, strlen(csv),
                                              &imp, &err), 0);
    json_decref(aliases);
    /* rows 4 (id without version) and 5 (id twice) are reported; 2 and 3 are read */
    assert_int_equal(imp.rows, 4);
    assert_int_equal(imp.valid, 2);
    char *errors = json_dumps(imp.errors, JSON_COMPACT);
    assert_non_null(strstr(errors, "{\"row\":4,\"column\":\"version\""));
    assert_non_null(strstr(errors, "{\"row\":5,\"column\":\"id\""));
    assert_null(strstr(errors, "unknown column"));
    free(errors);
    json_t *alfa = json_array_get(imp.records, 0), *beta = json_array_get(imp.records, 1);
    assert_int_equal(json_integer_value(json_object_get(alfa, "id")), 7);
    assert_int_equal(json_integer_value(json_object_get(alfa, "version")), 3);
    json_t *f = json_object_get(alfa, "fields");
    assert_int_equal(json_integer_value(json_object_get(f, "turnover")), 125000050);
    json_t *contacts = json_object_get(f, "contacts");
    assert_int_equal(json_array_size(contacts), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(contacts, 0), "role")), "Boss");
    assert_null(json_object_get(json_array_get(contacts, 0), "phone"));
    assert_true(json_is_null(json_object_get(f, "website")));   /* an update clears the cleared cell */
    assert_null(json_object_get(f, "org_id"));
    assert_null(json_object_get(f, "sme_check"));
    assert_null(json_object_get(beta, "id"));   /* a new record */
    assert_null(json_object_get(json_object_get(beta, "fields"), "website"));
    csv_import_free(&imp);
    /* with an id column, a required column is needed by new rows only */
    const char *update_only = "id,version,employees\r\n7,3,12\r\n,,4\r\n";
    assert_int_equal(csv_import_parse_aliased(CSV_IMPORT_COMPANIES, company_create_fields, NULL, update_only,
                                              strlen(update_only), &imp, &err), 0);
    assert_int_equal(imp.valid, 1);
    errors = json_dumps(imp.errors, JSON_COMPACT);
    assert_non_null(strstr(errors, "{\"row\":3,\"column\":\"legal_name\""));
    free(errors);
    csv_import_free(&imp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(holder_email_matches_as_typed_and_in_any_case),
        cmocka_unit_test(holder_email_not_recorded),
        cmocka_unit_test(xlsx_cells_as_csv),
        cmocka_unit_test(xlsx_refuses_what_it_cannot_read),
        cmocka_unit_test(import_reads_an_export),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
