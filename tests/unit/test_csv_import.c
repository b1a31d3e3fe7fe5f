/* Unit tests: CSV import (csv_import.c: parsing, every error with its row and
 * column, quoting, BOM, delimiters, exact money) and the export writer
 * (export.c: RFC 4180 cells, formula protection, a real XLSX file). */
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
#include "service/export_service.h"
#include "http/handlers.h"

static int code_known(int list, const char *code)
{
    return codes_find((enum code_list)list, code) != NULL;
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(codes_init(), 0);
    validate_set_code_checker(code_known);
    return 0;
}

static void parse_ok(enum csv_import_kind kind, const char *csv, struct csv_import *imp)
{
    struct tb_err err = {0};
    const struct field_spec *f = kind == CSV_IMPORT_COMPANIES ? company_create_fields : graduate_create_fields;
    int rc = csv_import_parse(kind, f, csv, strlen(csv), imp, &err);
    if (rc < 0)
        fail_msg("parse failed: %s", err.message);
}

/* 1 when the report has an error at row/column whose message contains part. */
static int has_error(const struct csv_import *imp, long row, const char *column, const char *part)
{
    size_t i;
    json_t *e;
    json_array_foreach(imp->errors, i, e) {
        if (json_integer_value(json_object_get(e, "row")) == row &&
            !strcmp(json_string_value(json_object_get(e, "column")), column) &&
            strstr(json_string_value(json_object_get(e, "message")), part))
            return 1;
    }
    return 0;
}

static void dump(const struct csv_import *imp)
{
    char *s = json_dumps(imp->errors, JSON_INDENT(1));
    print_message("errors: %s\n", s);
    free(s);
}

static json_t *record(const struct csv_import *imp, size_t i)
{
    return json_object_get(json_array_get(imp->records, i), "fields");
}

static void good_company_file(void **state)
{
    (void)state;
    const char *csv =
        "legal_name,registration_number,country,region,city,nace,employees,currency,turnover,export_turnover,"
        "balance_sheet,products,export_markets,target_markets,website,contact_name,contact_email,contact_phone\n"
        "Nordic Fish AB,556000-1234,SE,Västra Götaland,Göteborg,46.38,40,SEK,1250000.50,300000,99.9,"
        "030617;0302,DE; FR,\"NO;DK\",https://nordic.example,Anna Berg,anna@nordic.example,+46 31 123\n"
        "Yen KK,,JP,,,,3,JPY,1000,,,,,,,,,\n";
    struct csv_import imp;
    parse_ok(CSV_IMPORT_COMPANIES, csv, &imp);
    if (imp.error_count)
        dump(&imp);
    assert_int_equal(imp.error_count, 0);
    assert_int_equal(imp.rows, 2);
    assert_int_equal(imp.valid, 2);
    json_t *c = record(&imp, 0);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(imp.records, 0), "row")), 2);
    assert_string_equal(json_string_value(json_object_get(c, "legal_name")), "Nordic Fish AB");
    assert_string_equal(json_string_value(json_object_get(c, "region")), "Västra Götaland");
    assert_int_equal(json_integer_value(json_object_get(c, "employees")), 40);
    assert_int_equal(json_integer_value(json_object_get(c, "turnover")), 125000050);
    assert_int_equal(json_integer_value(json_object_get(c, "export_turnover")), 30000000);
    assert_int_equal(json_integer_value(json_object_get(c, "balance_sheet")), 9990);
    json_t *want = json_pack("[s,s]", "030617", "0302");
    assert_true(json_equal(json_object_get(c, "products"), want));
    json_decref(want);
    want = json_pack("[s,s]", "DE", "FR");
    assert_true(json_equal(json_object_get(c, "export_markets"), want));
    json_decref(want);
    want = json_pack("[{s:s,s:s,s:s}]", "name", "Anna Berg", "email", "anna@nordic.example", "phone", "+46 31 123");
    assert_true(json_equal(json_object_get(c, "contacts"), want));
    json_decref(want);
    assert_int_equal(json_integer_value(json_object_get(record(&imp, 1), "turnover")), 1000);
    assert_null(json_object_get(record(&imp, 1), "products"));   /* empty cells are absent */
    csv_import_free(&imp);
}

static void good_graduate_file(void **state)
{
    (void)state;
    const char *csv =
        "name,email,phone,nationality,residence,eqf_level,field,university,graduation_year,languages,countries,"
        "skills,mobility,available_from\n"
        "Åsa Ström,asa@example.se,+46 70 1,SE,SE,7,0413,Lund University,2024,\"de:B2;en:C1;sv:native\","
        "\"DE:12:studied;FR:6\",\"export sales; Excel\",DE;FR,2026-01-01\n";
    struct csv_import imp;
    parse_ok(CSV_IMPORT_GRADUATES, csv, &imp);
    if (imp.error_count)
        dump(&imp);
    assert_int_equal(imp.error_count, 0);
    json_t *g = record(&imp, 0);
    json_t *want = json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s}]", "code", "de", "level", "B2", "code", "en", "level",
                             "C1", "code", "sv", "level", "native");
    assert_true(json_equal(json_object_get(g, "languages"), want));
    json_decref(want);
    want = json_pack("[{s:s,s:i,s:s},{s:s,s:i}]", "country", "DE", "months", 12, "kind", "studied", "country", "FR",
                     "months", 6);
    assert_true(json_equal(json_object_get(g, "countries"), want));
    json_decref(want);
    want = json_pack("[s,s]", "export sales", "Excel");
    assert_true(json_equal(json_object_get(g, "skills"), want));
    json_decref(want);
    assert_string_equal(json_string_value(json_object_get(g, "eqf_level")), "7");
    csv_import_free(&imp);
}

static void every_bad_cell_is_reported(void **state)
{
    (void)state;
    const char *csv =
        "legal_name,country,nace,employees,currency,turnover,products,export_markets,website,contact_email\n"
        "X,XX,99.99,many,EUR,12.345,12345678,DE;QQ,ftp://x,not-an-email\n"   /* row 2: every cell wrong */
        "Fine AB,SE,,,,,,,,\n"                                                /* row 3: fine */
        "Money Only,SE,,,,100,,,,\n"                                          /* row 4: money, no currency */
        ",SE,,,,,,,,\n";                                                      /* row 5: no legal_name */
    struct csv_import imp;
    parse_ok(CSV_IMPORT_COMPANIES, csv, &imp);
    assert_int_equal(imp.rows, 4);
    assert_int_equal(imp.valid, 1);
    assert_true(has_error(&imp, 2, "legal_name", "at least 2 characters"));
    assert_true(has_error(&imp, 2, "country", "'XX' is not a known code"));
    assert_true(has_error(&imp, 2, "nace", "'99.99' is not a known code"));
    assert_true(has_error(&imp, 2, "employees", "whole number"));
    assert_true(has_error(&imp, 2, "turnover", "more than 2 decimals"));
    assert_true(has_error(&imp, 2, "products", "'12345678' is not a known code"));
    assert_true(has_error(&imp, 2, "export_markets", "'QQ'"));
    assert_true(has_error(&imp, 2, "website", "http(s) URL"));
    assert_true(has_error(&imp, 2, "contact_email", "not a valid address"));
    assert_true(has_error(&imp, 2, "contact_name", "is required"));   /* a contact needs its name */
    assert_true(has_error(&imp, 4, "turnover", "currency: required with turnover"));
    assert_true(has_error(&imp, 5, "legal_name", "is required"));
    assert_int_equal(imp.error_count, json_array_size(imp.errors));
    assert_int_equal(json_array_size(imp.records), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(imp.records, 0), "row")), 3);
    json_t *report = csv_import_report(&imp);
    assert_int_equal(json_integer_value(json_object_get(report, "invalid")), 3);
    json_decref(report);
    csv_import_free(&imp);
}

static void graduate_rules(void **state)
{
    (void)state;
    const char *csv =
        "name,email,languages,countries,eqf_level,graduation_year,available_from\n"
        "A,a@example.se,de:B2;de:C1,DE:x,9,1800,2026-02-30\n"
        "B,a@example.se,en,SE:3:holiday,,,\n";
    struct csv_import imp;
    parse_ok(CSV_IMPORT_GRADUATES, csv, &imp);
    assert_true(has_error(&imp, 2, "languages", "de is listed twice"));
    assert_true(has_error(&imp, 2, "countries", "months must be a whole number"));
    assert_true(has_error(&imp, 2, "eqf_level", "'9' is not a known code"));
    assert_true(has_error(&imp, 2, "graduation_year", "between 1950 and 2100"));
    assert_true(has_error(&imp, 2, "available_from", "YYYY-MM-DD"));
    assert_true(has_error(&imp, 3, "email", "also on row 2"));
    assert_true(has_error(&imp, 3, "languages", "code:level"));
    assert_true(has_error(&imp, 3, "countries", "kind: must be one of lived, studied, worked"));
    assert_int_equal(imp.valid, 0);
    csv_import_free(&imp);
}

static void header_problems(void **state)
{
    (void)state;
    struct csv_import imp;
    parse_ok(CSV_IMPORT_COMPANIES, "Legal_Name,colour,country,COUNTRY,,\nAcme,red,SE,SE,,\nB2,,SE,,,x\n", &imp);
    assert_true(has_error(&imp, 1, "colour", "unknown column 'colour'"));
    assert_true(has_error(&imp, 1, "COUNTRY", "appears twice"));
    assert_true(has_error(&imp, 3, "", "no name"));   /* a value under a nameless column */
    assert_false(has_error(&imp, 2, "", "no name"));  /* trailing empty columns are fine */
    csv_import_free(&imp);
    parse_ok(CSV_IMPORT_GRADUATES, "email\nx@example.se\n", &imp);
    assert_true(has_error(&imp, 1, "name", "the column is required"));
    assert_false(has_error(&imp, 2, "name", "required"));   /* said once, not on every row */
    assert_int_equal(imp.valid, 0);                          /* yet no row can be imported */
    assert_int_equal(json_array_size(imp.records), 0);
    csv_import_free(&imp);
}

static void quoting(void **state)
{
    (void)state;
    struct csv_import imp;
    /* Commas, doubled quotes, ';' inside a quoted list, a newline inside
     * quotes (one cell; the API refuses it in a name), rows counted right. */
    parse_ok(CSV_IMPORT_COMPANIES,
             "legal_name,country,export_markets\r\n"
             "\"Comma, \"\"Quoted\"\" AB\",SE,\"DE; FR\"\r\n"
             "\"Two\r\nLines\",SE,\r\n"
             "Third AB,XX,\r\n",
             &imp);
    assert_int_equal(imp.rows, 3);
    assert_string_equal(json_string_value(json_object_get(record(&imp, 0), "legal_name")), "Comma, \"Quoted\" AB");
    assert_int_equal(json_array_size(json_object_get(record(&imp, 0), "export_markets")), 2);
    assert_true(has_error(&imp, 3, "legal_name", "control characters"));
    assert_true(has_error(&imp, 4, "country", "'XX'"));
    csv_import_free(&imp);
    /* A stray quote is reported where it is; what follows is not trusted. */
    parse_ok(CSV_IMPORT_COMPANIES, "legal_name,country\nGood AB,SE\nBad \"AB,SE\nNext,SE\n", &imp);
    assert_true(has_error(&imp, 3, "legal_name", "malformed quoting"));
    csv_import_free(&imp);
    parse_ok(CSV_IMPORT_COMPANIES, "legal_name,country\n\"Never closed,SE\n", &imp);
    assert_true(has_error(&imp, 2, "legal_name", "malformed quoting"));
    csv_import_free(&imp);
}

static void bom_delimiters_blank_lines(void **state)
{
    (void)state;
    struct csv_import imp;
    /* BOM, ';' as the delimiter (European spreadsheets), a blank line
     * (counted as a row, as a spreadsheet shows it) and ",,," rows. */
    parse_ok(CSV_IMPORT_COMPANIES, "\xEF\xBB\xBFlegal_name;country;products\r\nA AB;SE;\"0302;030617\"\r\n\r\n;;\r\nB AB;XX;\r\n",
             &imp);
    assert_int_equal(imp.rows, 2);
    assert_int_equal(imp.valid, 1);
    assert_int_equal(json_array_size(json_object_get(record(&imp, 0), "products")), 2);
    assert_true(has_error(&imp, 5, "country", "'XX'"));
    csv_import_free(&imp);
    parse_ok(CSV_IMPORT_COMPANIES, "legal_name\tcountry\nTab AB\tSE\n", &imp);
    assert_int_equal(imp.valid, 1);
    csv_import_free(&imp);
    /* Bad UTF-8 is named with its cell. */
    parse_ok(CSV_IMPORT_COMPANIES, "legal_name,country\nBad \xC3\x28 AB,SE\n", &imp);
    assert_true(has_error(&imp, 2, "legal_name", "UTF-8"));
    csv_import_free(&imp);
    /* Our export's formula protection comes off again. */
    parse_ok(CSV_IMPORT_COMPANIES, "legal_name,country\n'=Cmd AB,SE\n", &imp);
    assert_string_equal(json_string_value(json_object_get(record(&imp, 0), "legal_name")), "=Cmd AB");
    csv_import_free(&imp);
}

static void limits(void **state)
{
    (void)state;
    struct csv_import imp;
    struct tb_err err = {0};
    assert_int_equal(csv_import_parse(CSV_IMPORT_COMPANIES, company_create_fields, "\r\n\r\n", 4, &imp, &err), -1);
    assert_int_equal(err.status, 400);
    csv_import_free(&imp);
    size_t big = (size_t)CSV_IMPORT_MAX_BYTES + 1;
    char *buf = malloc(big);
    memset(buf, 'a', big);
    assert_int_equal(csv_import_parse(CSV_IMPORT_COMPANIES, company_create_fields, buf, big, &imp, &err), -1);
    assert_int_equal(err.status, 413);
    csv_import_free(&imp);
    /* One row more than allowed. */
    size_t len = 0;
    len += (size_t)sprintf(buf + len, "legal_name,country\n");
    for (int i = 0; i <= CSV_IMPORT_MAX_ROWS; i++)
        len += (size_t)sprintf(buf + len, "Company %d,SE\n", i);
    assert_int_equal(csv_import_parse(CSV_IMPORT_COMPANIES, company_create_fields, buf, len, &imp, &err), -1);
    assert_string_equal(err.code, "too_many_rows");
    csv_import_free(&imp);
    free(buf);
}

static void money_is_exact(void **state)
{
    (void)state;
    long long v;
    char why[200];
    assert_int_equal(codes_currency_minor_units("JPY"), 0);
    assert_int_equal(codes_currency_minor_units("BHD"), 3);
    assert_int_equal(csv_money_parse("1000", 0, &v, why, sizeof why), 0);
    assert_int_equal(v, 1000);
    assert_int_equal(csv_money_parse("1000.", 0, &v, why, sizeof why), 0);
    assert_int_equal(v, 1000);
    assert_int_equal(csv_money_parse("1000.5", 0, &v, why, sizeof why), -1);
    assert_int_equal(csv_money_parse("1.234", 3, &v, why, sizeof why), 0);
    assert_int_equal(v, 1234);
    assert_int_equal(csv_money_parse("0.5", 3, &v, why, sizeof why), 0);
    assert_int_equal(v, 500);
    assert_int_equal(csv_money_parse("1.2345", 3, &v, why, sizeof why), -1);
    /* Values binary floating point gets wrong. */
    assert_int_equal(csv_money_parse("0.29", 2, &v, why, sizeof why), 0);
    assert_int_equal(v, 29);
    assert_int_equal(csv_money_parse("1250000.50", 2, &v, why, sizeof why), 0);
    assert_int_equal(v, 125000050);
    assert_int_equal(csv_money_parse("9007199254740.99", 2, &v, why, sizeof why), 0);
    assert_int_equal(v, 900719925474099LL);
    assert_int_equal(csv_money_parse("10000000000000", 2, &v, why, sizeof why), 0);   /* 10^15 minor */
    assert_int_equal(csv_money_parse("10000000000000.01", 2, &v, why, sizeof why), -1);
    assert_int_equal(csv_money_parse("99999999999999999999999", 0, &v, why, sizeof why), -1);
    assert_int_equal(csv_money_parse("1,000", 2, &v, why, sizeof why), -1);
    assert_non_null(strstr(why, "thousands"));
    assert_int_equal(csv_money_parse("-5", 2, &v, why, sizeof why), -1);
    assert_int_equal(csv_money_parse("1e3", 2, &v, why, sizeof why), -1);
    assert_int_equal(csv_money_parse(".", 2, &v, why, sizeof why), -1);
    assert_int_equal(csv_money_parse("1.2.3", 2, &v, why, sizeof why), -1);
    /* And through a whole row: JPY has no decimals, BHD three. */
    struct csv_import imp;
    parse_ok(CSV_IMPORT_COMPANIES, "legal_name,country,currency,turnover\nJ KK,JP,JPY,123456789\nB WLL,BH,BHD,1.5\n", &imp);
    assert_int_equal(imp.error_count, 0);
    assert_int_equal(json_integer_value(json_object_get(record(&imp, 0), "turnover")), 123456789);
    assert_int_equal(json_integer_value(json_object_get(record(&imp, 1), "turnover")), 1500);
    csv_import_free(&imp);
}

static void csv_cells_are_escaped(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"plain", "plain"},
        {"=1+2", "'=1+2"},
        {"+46 70 123", "'+46 70 123"},
        {"-2", "'-2"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"\tx", "'\tx"},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""},
        {"two\nlines", "\"two\nlines\""},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = export_csv_cell(cases[i][0]);
        assert_string_equal(got, cases[i][1]);
        free(got);
    }
}

static void csv_export_rows(void **state)
{
    (void)state;
    struct export_writer *w;
    struct tb_err err = {0};
    assert_int_equal(export_writer_new(EXPORT_CSV, "graduates", &w, &err), 0);
    json_t *rows = json_loads("[{\"id\":1,\"name\":\"=cmd\",\"currency\":\"BHD\",\"stipend\":1500,"
                              "\"languages\":[{\"code\":\"de\",\"level\":\"B2\"},{\"code\":\"sv\",\"level\":\"native\"}],"
                              "\"skills\":[\"a\",\"b, c\"],\"consent\":null,\"ok\":true},"
                              "{\"id\":2,\"name\":\"Ann\",\"currency\":\"JPY\",\"stipend\":5000,\"languages\":[],"
                              "\"skills\":[],\"consent\":{\"purpose\":\"x\"},\"ok\":false}]",
                              0, NULL);
    assert_int_equal(export_writer_rows(w, rows, &err), 0);
    json_decref(rows);
    char *data;
    size_t len;
    assert_int_equal(export_writer_finish(w, &data, &len, &err), 0);
    const char *want = "\xEF\xBB\xBFid,name,currency,stipend,languages,skills,consent,ok\r\n"
                       "1,'=cmd,BHD,1.500,\"de:B2; sv:native\",\"a; b, c\",,true\r\n"
                       "2,Ann,JPY,5000,,,\"{\"\"purpose\"\":\"\"x\"\"}\",false\r\n";
    assert_int_equal(len, strlen(want));
    assert_string_equal(data, want);
    free(data);
}

static void xlsx_is_produced(void **state)
{
    (void)state;
    struct export_writer *w;
    struct tb_err err = {0};
    assert_int_equal(export_writer_new(EXPORT_XLSX, "companies", &w, &err), 0);
    json_t *rows = json_loads("[{\"id\":1,\"legal_name\":\"=1+2\",\"currency\":\"EUR\",\"turnover\":125000050,"
                              "\"created_at\":\"2026-11-27T03:05:40Z\",\"start\":\"2026-01-31\",\"products\":[\"0302\"]}]",
                              0, NULL);
    assert_int_equal(export_writer_rows(w, rows, &err), 0);
    json_decref(rows);
    char *data;
    size_t len;
    assert_int_equal(export_writer_finish(w, &data, &len, &err), 0);
    assert_true(len > 1000);
    assert_memory_equal(data, "PK\x03\x04", 4);   /* a zip container */
    free(data);
    /* An empty list still makes a valid file. */
    assert_int_equal(export_writer_new(EXPORT_XLSX, "users", &w, &err), 0);
    assert_int_equal(export_writer_finish(w, &data, &len, &err), 0);
    assert_true(len > 100);
    free(data);
    /* Abandoned writers clean up (no temp file or leak left: ASan). */
    assert_int_equal(export_writer_new(EXPORT_XLSX, "audit", &w, &err), 0);
    export_writer_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_company_file),
        cmocka_unit_test(good_graduate_file),
        cmocka_unit_test(every_bad_cell_is_reported),
        cmocka_unit_test(graduate_rules),
        cmocka_unit_test(header_problems),
        cmocka_unit_test(quoting),
        cmocka_unit_test(bom_delimiters_blank_lines),
        cmocka_unit_test(limits),
        cmocka_unit_test(money_is_exact),
        cmocka_unit_test(csv_cells_are_escaped),
        cmocka_unit_test(csv_export_rows),
        cmocka_unit_test(xlsx_is_produced),
    };
    return cmocka_run_group_tests_name("csv_import", tests, setup, NULL);
}
