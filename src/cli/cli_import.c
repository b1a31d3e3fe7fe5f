/*
 * cli_import.c - `tradebridge import`: the server operator's bulk load of
 * companies, graduates or directory contacts from a CSV file, with the same checks, report and
 * all-or-nothing write as POST /api/v1/import/{kind} (src/http/import.c).
 */
#include <getopt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_import.h"
#include "core/codes.h"
#include "service/import_service.h"

static const char import_help[] =
    "usage: tradebridge import companies|graduates FILE --org ORG [--dry-run] [--db PATH]\n\n"
    "Checks every row of the CSV or XLSX file (UTF-8, first row naming the columns;\n"
    "see docs/import-export.md) and, unless --dry-run, writes all rows in one\n"
    "transaction to operator ORG (its id or name): rows with an id (an exported\n"
    "list) update that record if its version is still the file's, rows without\n"
    "one are added; nothing is written if any row has an error.\n"
    "Prints one line per error. Exit status: 0 imported (or dry run clean), 1 rows\n"
    "have errors or the import failed, 2 usage.\n";

/* The whole file; one larger than CSV_IMPORT_MAX_BYTES fails as the importer would. */
static char *read_file(const char *path, size_t *len, struct tb_err *err)
{
    char *buf = cli_read_file(path, (size_t)CSV_IMPORT_MAX_BYTES, len);
    if (!buf && errno == EFBIG)
        tb_error(err, TB_E_PAYLOAD_TOO_LARGE, "file", "file: at most %ld MiB; split it", CSV_IMPORT_MAX_BYTES >> 20);
    else if (!buf)
        tb_error(err, TB_E_IO_ERROR, "FILE", "cannot %s %s: %s", errno == EIO ? "read" : "open", path, strerror(errno));
    return buf;
}

int cli_import_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"org", required_argument, NULL, 'o'}, {"db", required_argument, NULL, 'd'},
        {"dry-run", no_argument, NULL, 'n'}, {"help", no_argument, NULL, 'h'}, {0}};
    const char *org = NULL, *db = NULL;
    int dry_run = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case 'o': org = optarg; break;
        case 'd': db = optarg; break;
        case 'n': dry_run = 1; break;
        case 'h': fputs(import_help, stdout); return EXIT_OK;
        default: return cli_usage("import", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    /* Options may also follow the positional arguments. */
    const char *args[2];
    int nargs = 0;
    for (int i = optind; i < argc; i++) {
        if (!strcmp(argv[i], "--dry-run")) {
            dry_run = 1;
        } else if ((!strcmp(argv[i], "--org") || !strcmp(argv[i], "--db")) && i + 1 < argc) {
            *(argv[i][2] == 'o' ? &org : &db) = argv[i + 1];
            i++;
        } else if (!strncmp(argv[i], "--org=", 6)) {
            org = argv[i] + 6;
        } else if (!strncmp(argv[i], "--db=", 5)) {
            db = argv[i] + 5;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage("import", "unknown or incomplete option '%s'", argv[i]);
        } else if (nargs < 2) {
            args[nargs++] = argv[i];
        } else {
            return cli_usage("import", "unexpected argument '%s'", argv[i]);
        }
    }
    enum csv_import_kind kind;
    if (nargs != 2)
        return cli_usage("import", "expected companies|graduates and a FILE");
    if (csv_import_kind_parse(args[0], &kind) < 0)
        return cli_usage("import", "'%s': import companies, graduates or contacts", args[0]);
    if (!org || !*org)
        return cli_usage("import", "--org is required (the operator the records belong to)");
    if (auth_init() < 0 || codes_init() < 0) {
        fprintf(stderr, "tradebridge import: cannot initialise the crypto library or code lists\n");
        return EXIT_RUNTIME;
    }
    validate_set_code_checker(codes_known);
    struct tb_err err = {0};
    size_t len;
    char *data = read_file(args[1], &len, &err);
    if (!data)
        return cli_fail("import", &err);
    struct store *st = cli_open_store("import", cli_db_path(db));
    if (!st) {
        free(data);
        return EXIT_RUNTIME;
    }
    int64_t org_id;
    json_t *report = NULL, *ids = NULL;
    struct tb_actor sys = actor_system();
    int rc = cli_resolve_org(st, org, &org_id, &err);
    if (rc < 0 && err.status == 404)
        tb_error(&err, TB_E_NOT_FOUND, "org", "--org: no organization '%s'", org);
    if (rc == 0)
        rc = import_run(st, &sys, kind, data, len, org_id, dry_run, &report, &ids, &err);
    store_close(st);
    free(data);
    if (rc < 0)
        return cli_fail("import", &err);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(report, "errors"), i, e) {
        const char *column = json_string_value(json_object_get(e, "column"));
        printf("row %lld%s%s: %s\n", (long long)json_integer_value(json_object_get(e, "row")),
               column && *column ? ", column " : "", column && *column ? column : "",
               json_string_value(json_object_get(e, "message")));
    }
    long long rows = json_integer_value(json_object_get(report, "rows"));
    long long valid = json_integer_value(json_object_get(report, "valid"));
    long long errors = json_integer_value(json_object_get(report, "error_count"));
    if (json_is_true(json_object_get(report, "errors_truncated")))
        printf("(only the first %zu of %lld errors are listed)\n", json_array_size(json_object_get(report, "errors")),
               errors);
    if (errors)
        printf("%s: %lld rows, %lld valid, %lld error%s; nothing was imported\n", args[0], rows, valid, errors,
               errors == 1 ? "" : "s");
    else if (dry_run)
        printf("%s: %lld rows, all valid (dry run: nothing was imported)\n", args[0], rows);
    else if (json_array_size(ids) == 0 && json_array_size(json_object_get(report, "updated_ids")) == 0)
        printf("%s: the file has no rows; nothing was imported\n", args[0]);
    else {
        size_t nu = json_array_size(json_object_get(report, "updated_ids"));
        if (json_array_size(ids))
            printf("%s: imported %zu row%s (ids %lld to %lld)\n", args[0], json_array_size(ids),
                   json_array_size(ids) == 1 ? "" : "s",
                   (long long)json_integer_value(json_array_get(ids, 0)),
                   (long long)json_integer_value(json_array_get(ids, json_array_size(ids) - 1)));
        if (nu)
            printf("%s: updated %zu record%s named by their id\n", args[0], nu, nu == 1 ? "" : "s");
    }
    json_decref(report);
    json_decref(ids);
    return errors ? EXIT_RUNTIME : EXIT_OK;
}
