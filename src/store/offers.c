/*
 * offers.c - the store side of the offers board and of merging duplicate
 * contacts (store/network.h; statements in stmts_network_sqlite.inc).
 */
#include <stdio.h>
#include <string.h>

#include "store/network.h"
#include "store/store_int.h"

static const char *const OFFER_WRITE[] = {"kind", "title", "description", "hs", "countries", "nace", "contact_id",
                                          "introducer_id", "visibility", "expires_on", NULL};

static void decode_lists(json_t *row, const char *const *names)
{
    for (int i = 0; names[i]; i++) {
        json_t *v = json_object_get(row, names[i]);
        json_t *parsed = json_is_string(v) ? json_loads(json_string_value(v), 0, NULL) : NULL;
        json_object_set_new(row, names[i], parsed ? parsed : json_array());
    }
}

static void decode_rows(json_t *rows, const char *const *names)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        decode_lists(row, names);
}

static const char *const OFFER_LISTS[] = {"hs", "countries", NULL};

static int audited(struct store *st, const struct tb_actor *a, int64_t org, const char *action, const char *entity,
                   int64_t id, json_t *changes, struct tb_err *err)
{
    int rc = store_audit_add(st, a, org, action, entity, id, changes, err);
    json_decref(changes);
    return rc;
}

static json_t *offer_params(const json_t *o)
{
    json_t *p = json_object();
    for (int i = 0; OFFER_WRITE[i]; i++) {
        json_t *v = json_object_get(o, OFFER_WRITE[i]);
        int list = !strcmp(OFFER_WRITE[i], "hs") || !strcmp(OFFER_WRITE[i], "countries");
        json_object_set_new(p, OFFER_WRITE[i], v && !json_is_null(v) ? json_incref(v)
                                               : list ? json_array()
                                               : !strcmp(OFFER_WRITE[i], "description") ? json_string("")
                                                                                         : json_null());
    }
    if (!json_object_get(o, "visibility"))
        json_object_set_new(p, "visibility", json_string("shared"));
    return p;
}

/* The offer's contacts must be ones the actor sees (404 naming the field). */
static int contacts_visible(struct store *st, const struct tb_actor *a, const json_t *o, struct tb_err *err)
{
    static const char *const names[] = {"contact_id", "introducer_id", NULL};
    for (int i = 0; names[i]; i++) {
        json_int_t id = json_integer_value(json_object_get(o, names[i]));
        json_t *c;
        if (!id)
            continue;
        if (store_contact_get(st, a, id, &c, err) < 0) {
            if (err->status == 404)
                snprintf(err->field, sizeof err->field, "%s", names[i]);
            return -1;
        }
        int removed = !json_is_null(json_object_get(c, "removed_at"));
        json_decref(c);
        if (removed)
            return tb_fail(err, 404, "not_found", names[i], "%s: contact not found", names[i]);
    }
    return 0;
}

int store_offer_create(struct store *st, const struct tb_actor *a, const json_t *o, int64_t *id, struct tb_err *err)
{
    if (contacts_visible(st, a, o, err) < 0)
        return -1;
    int64_t org = json_integer_value(json_object_get(o, "org_id"));
    json_int_t company = json_integer_value(json_object_get(o, "company_id"));
    json_t *p = offer_params(o);
    json_object_set_new(p, "org_id", json_integer(org));
    json_object_set_new(p, "company_id", company ? json_integer(company) : json_null());
    int changes = 0;
    if (st_jrun(st, a, STMT_OFFER_INSERT, p, "offer", &changes, err) < 0)
        return -1;
    if (changes != 1)
        return tb_fail(err, 404, "not_found", company ? "company_id" : NULL, "%s not found",
                       company ? "company" : "organization");
    *id = st_last_id(st);
    return audited(st, a, org, "create", "offer", *id,
                   json_pack("{s:{s:O?}, s:{s:O?}}", "kind", "new", json_object_get(o, "kind"), "title", "new",
                             json_object_get(o, "title")),
                   err);
}

int store_offer_get(struct store *st, const struct tb_actor *a, int64_t id, json_t **out, struct tb_err *err)
{
    if (st_jone(st, a, STMT_OFFER_GET, json_pack("{s:I}", "id", (json_int_t)id), "offer", out, err) < 0)
        return -1;
    decode_lists(*out, OFFER_LISTS);
    json_object_set_new(*out, "open", json_boolean(json_is_true(json_object_get(*out, "open")) ||
                                                   json_integer_value(json_object_get(*out, "open"))));
    return 0;
}

int store_offer_list(struct store *st, const struct tb_actor *a, const json_t *filters, int64_t before_id, int limit,
                     json_t **out, struct tb_err *err)
{
    json_t *p = json_pack("{s:I, s:i, s:i, s:O?, s:O?, s:O?}", "before_id", (json_int_t)before_id, "limit", limit,
                          "f_open", json_is_true(json_object_get(filters, "open")), "f_kind",
                          json_object_get(filters, "kind"), "f_country", json_object_get(filters, "country"), "f_hs",
                          json_object_get(filters, "hs"));
    if (st_jrows(st, a, STMT_OFFER_LIST, p, out, err) < 0)
        return -1;
    size_t i;
    json_t *row;
    json_array_foreach(*out, i, row) {
        decode_lists(row, OFFER_LISTS);
        json_object_set_new(row, "open", json_boolean(json_is_true(json_object_get(row, "open")) ||
                                                      json_integer_value(json_object_get(row, "open"))));
    }
    return 0;
}

int store_offer_update(struct store *st, const struct tb_actor *a, int64_t id, int64_t version, const json_t *o,
                       struct tb_err *err)
{
    json_t *old;
    if (store_offer_get(st, a, id, &old, err) < 0)
        return -1;
    int64_t org = json_integer_value(json_object_get(old, "org_id"));
    int rc = st_version_mismatch(old, version, err);
    json_decref(old);
    if (rc < 0 || contacts_visible(st, a, o, err) < 0)
        return -1;
    json_t *p = offer_params(o);
    json_object_set_new(p, "id", json_integer(id));
    json_object_set_new(p, "version", json_integer(version));
    json_object_set_new(p, "closed", json_boolean(json_is_true(json_object_get(o, "closed"))));
    int changes = 0;
    if (st_jrun(st, a, STMT_OFFER_UPDATE, p, "offer", &changes, err) < 0)
        return -1;
    if (changes != 1)
        return tb_fail(err, 403, "forbidden", NULL, "only the operator that posted this offer can change it");
    return audited(st, a, org, "update", "offer", id,
                   json_pack("{s:{s:b}}", "closed", "new", json_is_true(json_object_get(o, "closed"))), err);
}

int store_offer_candidates(struct store *st, const struct tb_actor *a, const json_t *offer, json_t **companies,
                           json_t **contacts, struct tb_err *err)
{
    static const char *const company_lists[] = {"hs", "target_markets", "export_markets", NULL};
    static const char *const contact_lists[] = {"hs", "markets", NULL};
    *companies = *contacts = NULL;
    if (st_jrows(st, a, STMT_OFFER_MATCH_COMPANIES, json_object(), companies, err) < 0)
        return -1;
    json_t *chapters = json_array(), *v;
    size_t i;
    json_array_foreach(json_object_get(offer, "hs"), i, v)
        json_array_append_new(chapters, json_stringn(json_string_value(v), 2));
    json_t *p = json_pack("{s:O, s:o}", "countries", json_object_get(offer, "countries"), "chapters", chapters);
    if (st_jrows(st, a, STMT_OFFER_MATCH_CONTACTS, p, contacts, err) < 0) {
        json_decref(*companies);
        *companies = NULL;
        return -1;
    }
    decode_rows(*companies, company_lists);
    decode_rows(*contacts, contact_lists);
    return 0;
}

int store_offer_interest(struct store *st, const struct tb_actor *a, int64_t offer_id, int64_t company_id,
                         const char *message, int64_t *id, struct tb_err *err)
{
    json_t *offer;
    if (store_offer_get(st, a, offer_id, &offer, err) < 0)
        return -1;
    int open = json_is_true(json_object_get(offer, "open"));
    json_decref(offer);
    if (!open)
        return tb_fail(err, 409, "conflict", NULL, "this offer is closed or expired");
    int changes = 0;
    json_t *p = json_pack("{s:I, s:I, s:s?}", "offer_id", (json_int_t)offer_id, "company_id", (json_int_t)company_id,
                          "message", message);
    if (!json_object_get(p, "message"))
        json_object_set_new(p, "message", json_null());
    if (st_jrun(st, a, STMT_OFFER_INTEREST_INSERT, p, "interest in this offer", &changes, err) < 0)
        return -1;
    if (changes != 1)
        return tb_fail(err, 404, "not_found", "company_id", "company not found");
    *id = st_last_id(st);
    return audited(st, a, a->tenant_id, "create", "offer_interest", *id,
                   json_pack("{s:{s:I}, s:{s:I}}", "offer_id", "new", (json_int_t)offer_id, "company_id", "new",
                             (json_int_t)company_id),
                   err);
}

int store_offer_interest_intro(struct store *st, const struct tb_actor *a, int64_t id, int64_t intro_id,
                               struct tb_err *err)
{
    return st_jrun(st, a, STMT_OFFER_INTEREST_INTRO,
                   json_pack("{s:I, s:I}", "id", (json_int_t)id, "introduction_id", (json_int_t)intro_id),
                   "interest", NULL, err);
}

int store_offer_interests(struct store *st, const struct tb_actor *a, int64_t offer_id, json_t **out,
                          struct tb_err *err)
{
    return st_jrows(st, a, STMT_OFFER_INTERESTS, json_pack("{s:I}", "offer_id", (json_int_t)offer_id), out, err);
}

/* ---- merging duplicate contacts ---- */

static int moved(struct store *st, const struct tb_actor *a, enum stmt id, int64_t keep, int64_t drop,
                 const char *key, json_t *summary, struct tb_err *err)
{
    json_t *rows, *ids = json_array();
    size_t i;
    json_t *row;
    if (st_jrows(st, a, id, json_pack("{s:I, s:I}", "a", (json_int_t)keep, "b", (json_int_t)drop), &rows, err) < 0) {
        json_decref(ids);
        return -1;
    }
    json_array_foreach(rows, i, row)
        json_array_append(ids, json_object_get(row, "id"));
    json_decref(rows);
    json_object_set_new(summary, key, ids);
    return 0;
}

int store_contact_merge(struct store *st, const struct tb_actor *a, int64_t keep, int64_t version, const json_t *merged,
                        const json_t *dropped, json_t **summary, struct tb_err *err)
{
    int64_t drop = json_integer_value(json_object_get(dropped, "id"));
    int64_t org = json_integer_value(json_object_get(dropped, "org_id"));
    int owned, rc;
    *summary = json_pack("{s:I, s:I}", "kept", (json_int_t)keep, "merged", (json_int_t)drop);
    if (st_tx_begin(st, &owned, err) < 0)
        return -1;
    rc = moved(st, a, STMT_CONTACT_MERGE_LINKS_DROP, keep, drop, "links_dropped", *summary, err);
    if (rc == 0)
        rc = moved(st, a, STMT_CONTACT_MERGE_LINKS_MOVE, keep, drop, "links_moved", *summary, err);
    if (rc == 0)
        rc = moved(st, a, STMT_CONTACT_MERGE_INTROS, keep, drop, "introductions_moved", *summary, err);
    if (rc == 0)
        rc = moved(st, a, STMT_CONTACT_MERGE_APPROVALS, keep, drop, "approvals_moved", *summary, err);
    if (rc == 0)
        rc = moved(st, a, STMT_CONTACT_MERGE_OFFERS, keep, drop, "offers_moved", *summary, err);
    if (rc == 0)
        rc = store_contact_update(st, a, keep, version, merged, err);
    int changes = 0;
    if (rc == 0)
        rc = st_jrun(st, a, STMT_CONTACT_MERGED, json_pack("{s:I, s:I}", "a", (json_int_t)keep, "b", (json_int_t)drop),
                     "contact", &changes, err);
    if (rc == 0 && changes != 1)
        rc = tb_fail(err, 409, "conflict", "from_id", "the duplicate changed meanwhile");
    /* the audit keeps what B was and what moved, so the merge can be undone by hand */
    if (rc == 0) {
        json_t *was = json_deep_copy(dropped);
        json_object_del(was, "links");
        rc = audited(st, a, org, "update", "contact", drop,
                     json_pack("{s:{s:I}, s:O, s:o}", "merged_into", "new", (json_int_t)keep, "moved", *summary,
                               "was", was),
                     err);
    }
    if (rc == 0)
        rc = audited(st, a, org, "update", "contact", keep, json_pack("{s:{s:I}}", "merged_from", "new", (json_int_t)drop),
                     err);
    rc = st_tx_end(st, owned, rc, err);
    if (rc < 0) {
        json_decref(*summary);
        *summary = NULL;
    }
    return rc;
}

/* ---- the offers digest ---- */

int store_digest_sent(struct store *st, const struct tb_actor *a, json_t **out, struct tb_err *err)
{
    return st_jrows(st, a, STMT_DIGEST_SENT_LIST, json_object(), out, err);
}

int store_digest_sent_add(struct store *st, const struct tb_actor *a, int64_t company_id, int64_t offer_id, int score,
                          int mails, struct tb_err *err)
{
    return st_jrun(st, a, STMT_DIGEST_SENT_ADD,
                   json_pack("{s:I, s:I, s:i, s:i}", "company_id", (json_int_t)company_id, "offer_id",
                             (json_int_t)offer_id, "score", score, "mails", mails),
                   "digest", NULL, err);
}

int store_digest_recipients(struct store *st, const struct tb_actor *a, int64_t company_id, json_t **out,
                            struct tb_err *err)
{
    return st_jrows(st, a, STMT_DIGEST_RECIPIENTS, json_pack("{s:I}", "company_id", (json_int_t)company_id), out, err);
}

int store_digest_pref(struct store *st, const struct tb_actor *a, int64_t user_id, const char *set, const char *hash,
                      json_t **out, struct tb_err *err)
{
    json_t *rows;
    int rc = 0;
    if (set)
        rc = st_jrun(st, a, STMT_DIGEST_PREF_SET, json_pack("{s:I, s:s}", "user_id", (json_int_t)user_id, "digest", set),
                     "digest setting", NULL, err);
    if (rc == 0 && hash)
        rc = st_jrun(st, a, STMT_DIGEST_PREF_LINK, json_pack("{s:I, s:s}", "user_id", (json_int_t)user_id, "hash", hash),
                     "digest setting", NULL, err);
    if (rc < 0 || !out)
        return rc;
    if (st_jrows(st, a, STMT_DIGEST_PREF_GET, json_pack("{s:I}", "user_id", (json_int_t)user_id), &rows, err) < 0)
        return -1;
    json_t *row = json_array_get(rows, 0);
    *out = json_pack("{s:s, s:O?}", "digest", row ? json_string_value(json_object_get(row, "digest")) : "on",
                     "updated_at", row ? json_object_get(row, "updated_at") : NULL);
    json_decref(rows);
    return 0;
}

int store_digest_unsubscribe(struct store *st, const char *hash, struct tb_err *err)
{
    json_t *rows;
    if (st_jrows(st, NULL, STMT_DIGEST_UNSUBSCRIBE, json_pack("{s:s}", "hash", hash), &rows, err) < 0)
        return -1;
    size_t n = json_array_size(rows);
    json_decref(rows);
    return n ? 0 : tb_fail(err, 404, "not_found", "token", "token: this link is not known (a newer digest has a newer one)");
}
