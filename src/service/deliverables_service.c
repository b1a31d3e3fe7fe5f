/*
 * deliverables_service.c - see deliverables_service.h. Each public function
 * is one unit of work run by store_in_tx; its mail is a row in the outbox,
 * so a unit that lost a conflict on PostgreSQL can run again whole.
 */
#include <stdio.h>
#include <string.h>

#include "core/msg.h"
#include "service/deliverables_service.h"
#include "store/store_notify.h"

/* Queues the notice of msg key ("KEY.subject", "KEY.body") in `lang` about a
 * deliverable (in the record's operator) to an address, or to the user or
 * trainee the record names (the store looks the address up). */
static int notify(struct store *st, const struct tb_actor *a, struct arena *ar, int64_t org_id,
                  const struct notice_to *to, const char *lang, const char *key, const char *const *vars,
                  struct tb_err *err)
{
    const char *subject, *text;
    if (msg_mail(ar, lang, key, vars, 0, &subject, &text) < 0)
        return TB_INTERNAL(err, "out of memory");
    return store_training_notice(st, a, org_id, to, subject, text, err);
}

static const char *module_url(struct arena *ar, const char *public_url, int64_t module_id)
{
    return arena_printf(ar, "%s/#/plan-modules/%lld", public_url, (long long)module_id);
}

/* ---- a version submitted ------------------------------------------------- */

struct submit_unit {
    const struct tb_actor *a;
    struct arena *ar;
    const char *public_url, *body;
    int64_t module_id, vid;
    const json_t *links;
    const struct deliverable_file *file;
};

static int submit_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct submit_unit *u = ctx;
    json_t *m, *empty = json_array();
    int rc = store_deliverable_submit(st, u->a, u->module_id, u->body, u->links ? u->links : empty, &u->vid, err);
    json_decref(empty);
    int64_t fid;
    const struct deliverable_file *f = u->file;
    if (rc == 0 && f)
        rc = store_deliverable_file_add(st, u->a, u->vid, f->name, f->mime, f->data, f->len, &fid, err);
    if (rc == 0)
        rc = store_plan_module_get(st, u->a, u->module_id, &m, err);
    if (rc < 0)
        return -1;
    struct notice_to mentor = {.user_id = json_integer_value(json_object_get(m, "mentor_user_id"))};
    const char *const vars[] = {"title", json_string_value(json_object_get(m, "title")),
                                "trainee", json_string_value(json_object_get(m, "graduate_name")),
                                "url", module_url(u->ar, u->public_url, u->module_id), NULL};
    rc = notify(st, u->a, u->ar, json_integer_value(json_object_get(m, "org_id")), &mentor,
                store_locale_of(st, mentor.user_id), "mail.review", vars, err);
    json_decref(m);
    return rc;
}

int deliverable_submit(struct store *st, const struct tb_actor *a, struct arena *ar, const char *public_url,
                       int64_t module_id, const char *body, const json_t *links, const struct deliverable_file *file,
                       int64_t *vid, struct tb_err *err)
{
    struct submit_unit u = {.a = a, .ar = ar, .public_url = public_url, .body = body, .module_id = module_id,
                            .links = links, .file = file};
    if (store_in_tx(st, submit_work, &u, err) < 0)
        return -1;
    *vid = u.vid;
    return 0;
}

/* ---- a review ------------------------------------------------------------ */

struct review_unit {
    const struct tb_actor *a;
    struct arena *ar;
    const char *public_url, *link_hash;
    int64_t version_id;
    const json_t *version;
    const struct review_in *rv;
};

static int review_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct review_unit *u = ctx;
    if (u->link_hash) {   /* the link is used up only by a review that is stored */
        json_t *claimed = NULL;
        int rc = store_review_link_claim(st, u->link_hash, &claimed, err);
        json_decref(claimed);
        if (rc < 0)
            return -1;
    }
    if (store_deliverable_review(st, u->a, u->version_id, u->rv, err) < 0)
        return -1;
    if (!strcmp(u->rv->decision, "approve"))
        return 0;
    const json_t *m = json_object_get(u->version, "module");
    int64_t graduate = json_integer_value(json_object_get(m, "graduate_id"));
    const char *const vars[] = {"title", json_string_value(json_object_get(m, "title")), "reviewer",
                                u->rv->reviewer_name, "url",
                                module_url(u->ar, u->public_url, json_integer_value(json_object_get(m, "id"))), NULL};
    return notify(st, u->a, u->ar, json_integer_value(json_object_get(u->version, "org_id")),
                  &(struct notice_to){.graduate_id = graduate}, store_locale_of_graduate(st, graduate),
                  "mail.changes", vars, err);
}

int deliverable_review(struct store *st, const struct tb_actor *a, struct arena *ar, const char *public_url,
                       int64_t version_id, const json_t *version, const struct review_in *rv, const char *link_hash,
                       struct tb_err *err)
{
    struct review_unit u = {.a = a, .ar = ar, .public_url = public_url, .link_hash = link_hash,
                            .version_id = version_id, .version = version, .rv = rv};
    return store_in_tx(st, review_work, &u, err);
}

/* ---- a review link ------------------------------------------------------- */

struct link_unit {
    const struct tb_actor *a;
    struct arena *ar;
    const char *public_url;
    int64_t version_id;
    const json_t *version;
    const struct review_link_in *in;
};

static int link_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct link_unit *u = ctx;
    const struct review_link_in *in = u->in;
    if (store_review_link_create(st, u->a, u->version_id, in->email, in->name, in->token_hash, in->expires, err) < 0)
        return -1;
    /* The reviewer has no account: the mail is in the language the sender
     * picks, else the sender's own. */
    const json_t *m = json_object_get(u->version, "module");
    char number[24];
    snprintf(number, sizeof number, "%lld", (long long)json_integer_value(json_object_get(u->version, "number")));
    const char *const vars[] = {"name", in->name, "trainee", json_string_value(json_object_get(m, "graduate_name")),
                                "title", json_string_value(json_object_get(m, "title")), "version", number,
                                "url", arena_printf(u->ar, "%s/#/review?token=%s", u->public_url, in->token), NULL};
    return notify(st, u->a, u->ar, json_integer_value(json_object_get(u->version, "org_id")),
                  &(struct notice_to){.email = in->email},
                  in->locale ? in->locale : store_locale_of(st, u->a->user_id), "mail.review_link", vars, err);
}

int deliverable_review_link(struct store *st, const struct tb_actor *a, struct arena *ar, const char *public_url,
                            int64_t version_id, const json_t *version, const struct review_link_in *in,
                            struct tb_err *err)
{
    struct link_unit u = {.a = a, .ar = ar, .public_url = public_url, .version_id = version_id, .version = version,
                          .in = in};
    return store_in_tx(st, link_work, &u, err);
}
