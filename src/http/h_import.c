/*
 * h_import.c - POST /api/v1/import/{companies|graduates}: a CSV upload
 * (Content-Type: text/csv, raw body) checked in full and written all or
 * nothing. dry_run (the default) only reports; staff only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/entity_http.h"
#include "http/handlers.h"
#include "service/import_service.h"

static int flag_value(const char *v, int dflt, int *out)
{
    if (!v || !*v) {
        *out = dflt;
        return 0;
    }
    if (!strcmp(v, "true") || !strcmp(v, "1")) {
        *out = 1;
        return 0;
    }
    if (!strcmp(v, "false") || !strcmp(v, "0")) {
        *out = 0;
        return 0;
    }
    return -1;
}

int h_import(struct request *r, struct response *res, struct tb_err *err)
{
    const char *name = r->path + strlen("/api/v1/import/");
    enum csv_import_kind kind;
    if (csv_import_kind_parse(name, &kind) < 0)
        return TB_NOT_FOUND(err, "nothing to import as '%s' (companies, graduates or contacts)", name);
    if (!is_staff(r))
        return tb_error(err, TB_E_FORBIDDEN, "", "only coordinators import records");
    const char *ct = req_header(r, "Content-Type");
    /* Spreadsheet tools and browsers label CSV in a few ways; all are text. */
    /* An XLSX workbook too (its first sheet is read; import_service.c), and vCards of contacts. */
    int vcard = kind == CSV_IMPORT_CONTACTS && ct && (!strncasecmp(ct, "text/vcard", 10) ||
                                                      !strncasecmp(ct, "text/x-vcard", 12));
    if (!vcard && (!ct || (strncasecmp(ct, "text/csv", 8) && strncasecmp(ct, "application/csv", 15) &&
                           strncasecmp(ct, "text/plain", 10) &&
                           strncasecmp(ct, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 65))))
        return tb_error(err, TB_E_UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                       "Content-Type: send the file as text/csv (UTF-8) or as an XLSX workbook "
                       "(application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)");
    int dry_run;
    /* Nothing is written unless the caller says so: a forgotten parameter
     * must not import a file meant to be checked first. */
    if (flag_value(req_query(r, "dry_run"), 1, &dry_run) < 0)
        return TB_INVALID(err, "dry_run", "dry_run: must be true or false");
    int64_t org_id = 0;
    const char *org = req_query(r, "org_id");
    if (org && *org) {
        char *end;
        long long v = strtoll(org, &end, 10);
        if (*end || v <= 0)
            return TB_INVALID(err, "org_id", "org_id: expected a positive whole number");
        org_id = v;
    }
    json_t *report, *ids;
    if (import_run(r->store, &r->actor, kind, r->raw_body, r->raw_len, org_id, dry_run, &report, &ids, err) < 0)
        return -1;
    json_int_t errors = json_integer_value(json_object_get(report, "error_count"));
    if (dry_run) {
        json_decref(ids);
        json_object_set_new(report, "dry_run", json_true());
        return respond_json(res, 200, report);
    }
    if (errors) {
        json_decref(ids);
        /* The usual error shape too, so generic clients show something. */
        char msg[160];
        snprintf(msg, sizeof msg, "%lld error%s in the file; nothing was imported", (long long)errors,
                 errors == 1 ? "" : "s");
        json_object_set_new(report, "error", json_pack("{s:s, s:s}", "code", tb_code_name(TB_E_IMPORT_REJECTED), "message", msg));
        return respond_json(res, 422, report);
    }
    json_t *updated = json_object_get(report, "updated_ids");
    json_t *out = json_pack("{s:I, s:o, s:I, s:O, s:O, s:I}", "created", (json_int_t)json_array_size(ids), "ids", ids,
                            "updated", (json_int_t)json_array_size(updated), "updated_ids", updated,
                            "unchanged", json_object_get(report, "unchanged_rows"),
                            "rows", json_integer_value(json_object_get(report, "rows")));
    json_decref(report);
    return respond_json(res, 201, out);
}
