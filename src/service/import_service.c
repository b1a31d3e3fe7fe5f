/*
 * import_service.c - CSV import of companies and graduates, for HTTP and the
 * CLI alike. Writes checked CSV rows all or nothing: every valid row is
 * inserted in one transaction (so duplicates against the database surface
 * with their row), then committed only for a clean, non-dry run.
 */
#include "service/import_service.h"

#include <string.h>
#include <strings.h>

#include "core/fields.h"
#include "core/network/directory.h"
#include "core/network/vcard.h"
#include "service/network_service.h"
#include "store/entity.h"
#include "store/network.h"

/* A directory contact (issue 15): the API's rules, and no duplicate of a
 * contact already there (same e-mail; an organisation of the same name,
 * accents and case aside) - each reported with the contact it duplicates,
 * to merge by hand. 1 when the row was reported. */
static int import_contact(struct store *st, const struct tb_actor *a, struct csv_import *imp, size_t i, json_t *f,
                          int64_t org_id, int64_t *id, struct tb_err *err)
{
    json_t *dups;
    if (network_contact_normalize(f, 1, err) < 0) {
        csv_import_fail_record(imp, i, err->field, err->field, "%s", err->message);
        return 1;
    }
    if (network_contact_duplicates(st, a, f, &dups, err) < 0)
        return -1;
    json_t *d = json_array_get(dups, 0);
    if (d) {
        csv_import_fail_record(imp, i, "", "duplicate_of", "duplicate of contact %lld (%s, %s): merge them instead",
                               (long long)json_integer_value(json_object_get(d, "id")),
                               json_string_value(json_object_get(d, "name")),
                               json_string_value(json_object_get(d, "reason")));
        json_decref(dups);
        return 1;
    }
    json_decref(dups);
    if (!json_object_get(f, "org_id"))
        json_object_set_new(f, "org_id", json_integer(org_id > 0 ? org_id : a->tenant_id));
    return store_contact_create(st, a, f, id, err);
}

/* A vCard file (it starts with BEGIN:VCARD) read into the shape of a CSV
 * import: each card a record ("row" = its BEGIN line), checked against the
 * contact's declared fields; every problem with its line. */
static int vcard_import(const char *data, size_t len, struct csv_import *imp, struct tb_err *err)
{
    json_t *cards, *errors;
    memset(imp, 0, sizeof *imp);
    int rc = vcard_read(data, len, &cards, &errors, err);
    imp->records = json_array();
    imp->errors = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
        json_array_append_new(imp->errors, json_pack("{s:O, s:s, s:O, s:O}", "row", json_object_get(e, "line"), "column",
                                                     "", "field", json_object_get(e, "field"), "message",
                                                     json_object_get(e, "message")));
    imp->rows = json_array_size(cards) + json_array_size(errors);
    imp->error_count = json_array_size(errors);
    json_array_foreach(cards, i, e) {
        json_t *f = json_object_get(e, "fields");
        if (!json_object_get(f, "kind"))
            json_object_set_new(f, "kind", json_string("person"));
        json_object_set_new(f, "category", json_string("other"));
        if (!strcmp(json_string_value(json_object_get(f, "kind")), "person") && !json_object_get(f, "legal_basis"))
            json_object_set_new(f, "legal_basis", json_string("legitimate_interest"));
        struct tb_err v = {0};
        if (validate_object(f, contact_create_fields, 0, &v) < 0) {
            json_array_append_new(imp->errors, json_pack("{s:O, s:s, s:s, s:s}", "row", json_object_get(e, "line"),
                                                         "column", "", "field", v.field, "message", v.message));
            imp->error_count++;
            continue;
        }
        json_array_append_new(imp->records, json_pack("{s:O, s:O}", "row", json_object_get(e, "line"), "fields", f));
        imp->valid++;
    }
    json_decref(cards);
    json_decref(errors);
    return rc;
}

static int is_vcard(const char *data, size_t len)
{
    size_t i = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < len && (data[i] == ' ' || data[i] == '\r' || data[i] == '\n' || data[i] == '\t'))
        i++;
    return len - i >= 11 && !strncasecmp(data + i, "BEGIN:VCARD", 11);
}

int import_run(struct store *st, const struct tb_actor *a, enum csv_import_kind kind,
               const char *data, size_t len, int64_t org_id, int dry_run, json_t **report,
               json_t **ids, struct tb_err *err)
{
    const struct field_spec *fields = kind == CSV_IMPORT_COMPANIES ? company_create_fields
                                      : kind == CSV_IMPORT_CONTACTS ? contact_create_fields
                                                                    : graduate_create_fields;
    enum entity e = kind == CSV_IMPORT_COMPANIES ? ENT_COMPANY : ENT_GRADUATE;
    struct csv_import imp;
    *report = *ids = NULL;
    if (a->all_tenants && org_id <= 0)
        return TB_INVALID(err, "org_id", "org_id: is required (which operator do the records belong to?)");
    if ((kind == CSV_IMPORT_CONTACTS && is_vcard(data, len) ? vcard_import(data, len, &imp, err)
                                                            : csv_import_parse(kind, fields, data, len, &imp, err)) < 0) {
        csv_import_free(&imp);
        return -1;
    }
    json_t *created = json_array();
    size_t n = json_array_size(imp.records);
    if (n > 0) {
        if (store_begin(st, err) < 0)
            goto fail;
        /* Every row is tried even after one failed, so the report names all
         * duplicates; a failed INSERT leaves the transaction usable. */
        for (size_t i = 0; i < n; i++) {
            json_t *rec = json_array_get(imp.records, i);
            json_t *f = json_deep_copy(json_object_get(rec, "fields"));
            if (org_id > 0)
                json_object_set_new(f, "org_id", json_integer(org_id));
            int64_t id;
            struct tb_err e2 = {0};
            int rc = kind == CSV_IMPORT_CONTACTS ? import_contact(st, a, &imp, i, f, org_id, &id, &e2)
                                                 : store_entity_create(st, a, e, f, &id, &e2);
            json_decref(f);
            if (rc == 1)
                continue;   /* reported with its row */
            if (rc == 0) {
                json_array_append_new(created, json_integer(id));
                continue;
            }
            if (e2.status == 409 && kind == CSV_IMPORT_GRADUATES) {
                csv_import_fail_record(&imp, i, "email", "email",
                                       "email: a graduate with this address is already registered");
            } else if (e2.status == 409) {
                csv_import_fail_record(&imp, i, "", e2.field, "%s", e2.message);
            } else {
                /* Not about a row (org_id, the database): the request fails. */
                *err = e2;
                store_rollback(st);
                goto fail;
            }
        }
        if (dry_run || imp.error_count) {
            store_rollback(st);
            json_array_clear(created);
        } else if (store_commit(st, err) < 0) {
            goto fail;
        }
    }
    *report = csv_import_report(&imp);
    *ids = created;
    csv_import_free(&imp);
    return 0;
fail:
    json_decref(created);
    csv_import_free(&imp);
    return -1;
}
