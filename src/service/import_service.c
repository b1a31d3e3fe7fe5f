/*
 * import_service.c - CSV import of companies and graduates, for HTTP and the
 * CLI alike. Writes checked CSV rows all or nothing: every valid row is
 * inserted in one transaction (so duplicates against the database surface
 * with their row), then committed only for a clean, non-dry run.
 */
#include "service/import_service.h"

#include <string.h>
#include <strings.h>

#include <stdlib.h>

#include "core/fields.h"
#include "core/xlsx_read.h"
#include "service/labels.h"
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

/* A row with an id, as read from the file and found in the store. */
struct row_update {
    struct csv_import *imp;
    size_t index;          /* in imp->records */
    enum csv_import_kind kind;
    int64_t id, version;   /* from the file */
    int64_t now, owner;    /* the record's version and operator today */
    int erased;
    json_t *changes;       /* what the row changes */
    const json_t *old;     /* the record as stored */
};

static const char *kind_word(enum csv_import_kind k)
{
    return k == CSV_IMPORT_COMPANIES ? "company" : k == CSV_IMPORT_CONTACTS ? "contact" : "graduate";
}

/* A directory contact is written whole: the stored record with the row's
 * changes, under the API's rules and without becoming a duplicate of another
 * contact (issue 15). 0 written, 1 reported on the row, -1 the request fails;
 * otherwise as store_contact_update (err set, status 4xx). */
static int contact_update(struct store *st, const struct tb_actor *a, const struct row_update *u, struct tb_err *err)
{
    json_t *c = json_object();
    const char *const *cols = csv_import_columns(CSV_IMPORT_CONTACTS);
    for (size_t k = 0; c && cols[k]; k++) {
        json_t *v = json_object_get(u->changes, cols[k]);
        v = v ? v : json_object_get(u->old, cols[k]);
        if (v && !json_is_null(v))
            json_object_set(c, cols[k], v);
    }
    if (!c)
        return TB_INTERNAL(err, "out of memory");
    int rc = network_contact_normalize(c, 1, err);
    json_t *dups = NULL;
    if (rc == 0 && (json_object_get(u->changes, "email") || json_object_get(u->changes, "name") ||
                    json_object_get(u->changes, "kind")))
        rc = network_contact_duplicates(st, a, c, &dups, err);
    for (size_t i = 0; rc == 0 && i < json_array_size(dups); i++) {
        json_t *d = json_array_get(dups, i);
        if (json_integer_value(json_object_get(d, "id")) == u->id)
            continue;   /* itself */
        csv_import_fail_record(u->imp, u->index, "", "duplicate_of", "duplicate of contact %lld (%s, %s): merge them instead",
                               (long long)json_integer_value(json_object_get(d, "id")),
                               json_string_value(json_object_get(d, "name")), json_string_value(json_object_get(d, "reason")));
        rc = 1;
    }
    json_decref(dups);
    if (rc == 0)
        rc = store_contact_update(st, a, u->id, u->version, c, err);
    json_decref(c);
    return rc;
}

/* The checks and the write: 0 updated, 2 unchanged, 1 failed (reported), -1 the request fails. */
static int update_checked(struct store *st, const struct tb_actor *a, enum entity e, const struct row_update *u,
                          int64_t org_id, struct tb_err *err)
{
    const char *what = kind_word(u->kind);
    json_t *out;
    struct tb_err e2 = {0};
    if (org_id > 0 && u->owner != org_id) {
        csv_import_fail_record(u->imp, u->index, "id", "id", "id: %s %lld belongs to another operator", what,
                               (long long)u->id);
        return 1;
    }
    if (u->erased) {
        csv_import_fail_record(u->imp, u->index, "id", "id",
                               u->kind == CSV_IMPORT_CONTACTS
                                   ? "id: this contact was removed on request; it cannot be updated"
                                   : "id: this graduate's personal data was erased; it cannot be updated");
        return 1;
    }
    if (u->now != u->version) {
        /* Someone changed the record after the export: their change stays. */
        csv_import_fail_record(u->imp, u->index, "version", "version",
                               "version: %s %lld was changed after this file was exported (file: version %lld, now %lld); "
                               "nothing in this row was written: export again and redo the change",
                               what, (long long)u->id, (long long)u->version, (long long)u->now);
        return 1;
    }
    if (!json_object_size(u->changes))
        return 2;
    /* A contact another operator shares is in the export, but only its operator changes it. */
    if (u->kind == CSV_IMPORT_CONTACTS && !a->all_tenants && u->owner != a->tenant_id) {
        csv_import_fail_record(u->imp, u->index, "id", "id",
                               "id: contact %lld is shared by another operator; only that operator can change it",
                               (long long)u->id);
        return 1;
    }
    if (u->kind == CSV_IMPORT_CONTACTS) {
        int rc = contact_update(st, a, u, &e2);
        if (rc >= 0)
            return rc;
    } else if (store_entity_update(st, a, e, u->id, u->version, u->changes, &out, &e2) == 0) {
        json_decref(out);
        return 0;
    }
    if (e2.status == 412)
        csv_import_fail_record(u->imp, u->index, "version", "version", "version: %s", e2.message);
    else if (e2.status == 409 && u->kind == CSV_IMPORT_GRADUATES)
        csv_import_fail_record(u->imp, u->index, "email", "email", "email: another graduate has this address");
    else if (e2.status == 409 || e2.status == 400 || e2.status == 403)
        csv_import_fail_record(u->imp, u->index, "", e2.field, "%s", e2.message);
    else {
        *err = e2;
        return -1;
    }
    return 1;
}

/* A row with an id: the update, with its problems reported on the row. 0
 * updated, 2 unchanged, 1 when the row failed (reported), -1 when the request
 * as a whole fails. */
static int update_row(struct store *st, const struct tb_actor *a, enum entity e, enum csv_import_kind kind,
                      struct csv_import *imp, size_t i, int64_t org_id, struct tb_err *err)
{
    json_t *rec = json_array_get(imp->records, i), *old;
    struct row_update u = {.imp = imp, .index = i, .kind = kind, .id = json_integer_value(json_object_get(rec, "id")),
                           .version = json_integer_value(json_object_get(rec, "version"))};
    struct tb_err e2 = {0};
    if ((kind == CSV_IMPORT_CONTACTS ? store_contact_get(st, a, u.id, &old, &e2)
                                     : store_entity_get(st, a, e, u.id, &old, &e2)) < 0) {
        if (e2.status != 404) {
            *err = e2;
            return -1;
        }
        csv_import_fail_record(imp, i, "id", "id", "id: no %s with id %lld here; remove the id to create a new one",
                               kind_word(kind), (long long)u.id);
        return 1;
    }
    u.owner = json_integer_value(json_object_get(old, "org_id"));
    u.now = json_integer_value(json_object_get(old, "version"));
    u.erased = json_is_string(json_object_get(old, kind == CSV_IMPORT_CONTACTS ? "removed_at" : "erased_at"));
    u.old = old;
    u.changes = json_object();
    /* Only what the spreadsheet changed: a row exported and imported back
     * unchanged writes nothing (no new version, nothing in the audit). */
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(rec, "fields"), k, v) {
        json_t *was = json_object_get(old, k);
        int same = json_is_null(v) ? (!was || json_is_null(was) || (json_is_string(was) && !json_string_length(was)) ||
                                      (json_is_array(was) && !json_array_size(was)))
                                   : (was && json_equal(was, v));
        if (!same)
            json_object_set(u.changes, k, v);
    }
    int rc = u.changes ? update_checked(st, a, e, &u, org_id, err) : TB_INTERNAL(err, "out of memory");
    json_decref(u.changes);
    json_decref(old);
    return rc;
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
    /* A spreadsheet saved as XLSX: its first sheet as CSV, then the same checks. */
    char *sheet = NULL;
    if (xlsx_looks_like(data, len)) {
        if (xlsx_to_csv(data, len, &sheet, &len, err) < 0)
            return -1;
        data = sheet;
    }
    int parsed;
    if (kind == CSV_IMPORT_CONTACTS && is_vcard(data, len)) {
        parsed = vcard_import(data, len, &imp, err);
    } else {
        json_t *aliases = labels_import_aliases(kind);
        parsed = csv_import_parse_aliased(kind, fields, aliases, data, len, &imp, err);
        json_decref(aliases);
    }
    free(sheet);
    if (parsed < 0) {
        csv_import_free(&imp);
        return -1;
    }
    json_t *created = json_array(), *updated = json_array();
    size_t n = json_array_size(imp.records), unchanged = 0, to_update = 0, to_create = 0;
    if (n > 0) {
        if (store_begin(st, err) < 0)
            goto fail;
        /* Every row is tried even after one failed, so the report names all
         * duplicates; a failed INSERT leaves the transaction usable. */
        for (size_t i = 0; i < n; i++) {
            json_t *rec = json_array_get(imp.records, i);
            if (json_object_get(rec, "id")) {
                int rc = update_row(st, a, e, kind, &imp, i, org_id, err);
                if (rc < 0) {
                    store_rollback(st);
                    goto fail;
                }
                if (rc == 0)
                    json_array_append(updated, json_object_get(rec, "id"));
                unchanged += rc == 2;
                continue;
            }
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
        to_update = json_array_size(updated);
        to_create = json_array_size(created);
        if (dry_run || imp.error_count) {
            store_rollback(st);
            json_array_clear(created);
            json_array_clear(updated);
        } else if (store_commit(st, err) < 0) {
            goto fail;
        }
    }
    *report = csv_import_report(&imp);
    json_object_set_new(*report, "updated_ids", updated);
    /* What the file does (or would do, on a dry run): new rows, changed rows, rows as they are. */
    json_object_set_new(*report, "new_rows", json_integer((json_int_t)to_create));
    json_object_set_new(*report, "changed_rows", json_integer((json_int_t)to_update));
    json_object_set_new(*report, "unchanged_rows", json_integer((json_int_t)unchanged));
    *ids = created;
    csv_import_free(&imp);
    return 0;
fail:
    json_decref(created);
    json_decref(updated);
    csv_import_free(&imp);
    return -1;
}
