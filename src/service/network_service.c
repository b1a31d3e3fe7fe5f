/*
 * network_service.c - see network_service.h.
 */
#include "service/network_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/auth.h"
#include "core/codes.h"
#include "core/date.h"
#include "core/msg.h"
#include "core/network/directory.h"
#include "core/network/paths.h"
#include "store/network.h"
#include "store/store_notify.h"

int network_search(struct store *st, const struct tb_actor *a, const char *q, const json_t *filters,
                   int64_t after_id, int limit, json_t **out, struct tb_err *err)
{
    if (!q || !*q)
        return store_contact_list(st, a, filters, after_id, limit, out, err);
    char match[512];
    if (net_match_query(q, match, sizeof match, err) < 0 ||
        store_contact_search(st, a, match, filters, limit, out, err) < 0)
        return -1;
    size_t i;
    json_t *row;
    json_array_foreach(*out, i, row) {
        json_t *why = net_match_reasons(row, q);
        const char *country = json_string_value(json_object_get(filters, "country"));
        const char *hs = json_string_value(json_object_get(filters, "hs"));
        const char *nace = json_string_value(json_object_get(filters, "nace"));
        if (country)
            json_array_append_new(why, json_sprintf("in %s", country));
        if (nace)
            json_array_append_new(why, json_sprintf("sector %s", nace));
        if (hs)
            json_array_append_new(why, json_sprintf("trades HS %s", hs));
        json_object_set_new(row, "reasons", why);
    }
    return 0;
}

/* ---- paths ---- */

static long index_of(const struct store_graph *g, int64_t id)
{
    size_t lo = 0, hi = g->people;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (g->id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->people && g->id[lo] == id ? (long)lo : -1;
}

struct csr {
    uint64_t *offset;
    uint32_t *other;
    uint8_t *strength;
    int32_t *last;
    uint32_t *owner;
    uint8_t *shared;
};

static void csr_free(struct csr *c)
{
    free(c->offset);
    free(c->other);
    free(c->strength);
    free(c->last);
    free(c->owner);
    free(c->shared);
}

/* Both directions of every relationship between people of the graph. */
static int csr_build(const struct store_graph *g, struct csr *c, struct net_graph *ng)
{
    size_t n = g->people;
    memset(c, 0, sizeof *c);
    c->offset = calloc(n + 1, sizeof *c->offset);
    c->owner = calloc(n ? n : 1, sizeof *c->owner);
    c->shared = malloc(n ? n : 1);
    c->other = malloc((2 * g->links + 1) * sizeof *c->other);
    c->strength = malloc(2 * g->links + 1);
    c->last = malloc((2 * g->links + 1) * sizeof *c->last);
    if (!c->offset || !c->owner || !c->shared || !c->other || !c->strength || !c->last)
        return -1;
    memset(c->shared, 1, n ? n : 1);   /* the store loaded only what the asker may see */
    long *from = malloc((g->links + 1) * sizeof *from), *to = malloc((g->links + 1) * sizeof *to);
    if (!from || !to) {
        free(from);
        free(to);
        return -1;
    }
    for (size_t e = 0; e < g->links; e++) {
        from[e] = index_of(g, g->from[e]);
        to[e] = index_of(g, g->to[e]);
        if (from[e] >= 0 && to[e] >= 0) {
            c->offset[from[e] + 1]++;
            c->offset[to[e] + 1]++;
        }
    }
    for (size_t p = 0; p < n; p++)
        c->offset[p + 1] += c->offset[p];
    uint64_t *fill = calloc(n ? n : 1, sizeof *fill);
    if (!fill) {
        free(from);
        free(to);
        return -1;
    }
    for (size_t e = 0; e < g->links; e++) {
        if (from[e] < 0 || to[e] < 0)
            continue;
        int32_t day = 0;
        if (g->last_contact[e][0] && tb_day_from_iso(g->last_contact[e], &day) < 0)
            day = 0;
        long ends[2][2] = {{from[e], to[e]}, {to[e], from[e]}};
        for (int d = 0; d < 2; d++) {
            uint64_t at = c->offset[ends[d][0]] + fill[ends[d][0]]++;
            c->other[at] = (uint32_t)ends[d][1];
            c->strength[at] = g->strength[e];
            c->last[at] = day;
        }
    }
    free(fill);
    free(from);
    free(to);
    *ng = (struct net_graph){.people = (uint32_t)n, .offset = c->offset, .other = c->other, .strength = c->strength,
                             .last_contact = c->last, .owner = c->owner, .shared = c->shared};
    return 0;
}

static const char *strength_words(int s)
{
    static const char *const w[] = {"", "slightly", "a little", "fairly well", "well", "very well"};
    return s >= 1 && s <= 5 ? w[s] : "";
}

/* "Anna Berg (alumnus, now at Nordic Seafood in Oslo)" */
static char *describe(const json_t *c)
{
    const char *name = json_string_value(json_object_get(c, "name"));
    const char *cat = json_string_value(json_object_get(c, "category"));
    const char *org = json_string_value(json_object_get(c, "organisation"));
    const char *city = json_string_value(json_object_get(c, "city"));
    char buf[800];
    int n = snprintf(buf, sizeof buf, "%s (%s", name ? name : "?", cat ? cat : "contact");
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' ';
    if (org && *org)
        n += snprintf(buf + n, sizeof buf - (size_t)n, ", %s %s", !strcmp(cat ? cat : "", "alumnus") ? "now at" : "at", org);
    if (city && *city && n < (int)sizeof buf)
        n += snprintf(buf + n, sizeof buf - (size_t)n, " in %s", city);
    if (n < (int)sizeof buf)
        snprintf(buf + n, sizeof buf - (size_t)n, ")");
    return strdup(buf);
}

static void ago(int32_t days, char *out, size_t cap)
{
    if (days < 1)
        snprintf(out, cap, "today");
    else if (days < 45)
        snprintf(out, cap, "%d day%s ago", days, days == 1 ? "" : "s");
    else if (days < 730)
        snprintf(out, cap, "%d months ago", (days + 15) / 30);
    else
        snprintf(out, cap, "%d years ago", days / 365);
}

/* One path as JSON with its explanation. */
static json_t *path_json(struct store *st, const struct tb_actor *a, const struct store_graph *g,
                         const struct net_graph *ng, const struct net_path *p, int32_t today)
{
    json_t *people = json_array(), *steps = json_array();
    json_t *c[NET_MAX_HOPS + 1] = {0};
    struct tb_err e;
    for (uint32_t i = 0; i <= p->hops; i++) {
        if (store_contact_get(st, a, g->id[p->person[i]], &c[i], &e) < 0)
            c[i] = json_pack("{s:I, s:s}", "id", (json_int_t)g->id[p->person[i]], "name", "?");
        json_array_append_new(people, json_pack("{s:O, s:O, s:O?, s:O?, s:O?, s:O?}", "id", json_object_get(c[i], "id"),
                                                "name", json_object_get(c[i], "name"), "category",
                                                json_object_get(c[i], "category"), "organisation",
                                                json_object_get(c[i], "organisation"), "country",
                                                json_object_get(c[i], "country"), "city", json_object_get(c[i], "city")));
    }
    for (uint32_t i = 0; i < p->hops; i++) {
        uint32_t x = p->person[i], y = p->person[i + 1];
        int strength = 0;
        int32_t last = 0;
        for (uint64_t k = ng->offset[x]; k < ng->offset[x + 1]; k++)
            if (ng->other[k] == y && ng->strength[k] > strength) {
                strength = ng->strength[k];
                last = ng->last_contact[k];
            }
        char *who = describe(c[i]), when[40];
        const char *other = json_string_value(json_object_get(c[i + 1], "name"));
        if (last)
            ago(today - last, when, sizeof when);
        json_array_append_new(steps, json_sprintf("%s knows %s %s%s%s", who, other ? other : "?",
                                                  strength_words(strength), last ? ", last contact " : "",
                                                  last ? when : ""));
        free(who);
    }
    for (uint32_t i = 0; i <= p->hops; i++)
        json_decref(c[i]);
    json_t *text = json_string("");
    size_t i;
    json_t *s;
    json_array_foreach(steps, i, s) {
        json_t *joined = json_sprintf("%s%s%s", json_string_value(text), i ? "; " : "", json_string_value(s));
        json_decref(text);
        text = joined;
    }
    return json_pack("{s:f, s:i, s:o, s:o, s:o}", "score", p->score, "hops", (int)p->hops, "people", people, "steps",
                     steps, "explanation", text);
}

int network_paths(struct store *st, const struct tb_actor *a, int64_t target, const json_t *filters, int k,
                  json_t **out, struct tb_err *err)
{
    json_t *targets = NULL;
    if (target) {   /* 404 before anything else for a contact the asker may not see */
        json_t *c;
        if (store_contact_get(st, a, target, &c, err) < 0)
            return -1;
        json_decref(c);
    } else if (store_contact_list(st, a, filters, 0, 5000, &targets, err) < 0) {
        return -1;
    }
    struct store_graph g;
    if (store_graph_load(st, a, &g, err) < 0) {
        json_decref(targets);
        return -1;
    }
    struct csr c = {0};
    struct net_graph ng;
    uint32_t *src = malloc((g.nsources + 1) * sizeof *src);
    uint8_t *is_target = calloc(g.people + 1, 1);
    struct net_path *paths = calloc((size_t)k, sizeof *paths);
    struct net_scratch *scratch = net_scratch_new();
    int rc = -1;
    if (!src || !is_target || !paths || !scratch || csr_build(&g, &c, &ng) < 0) {
        TB_INTERNAL(err, "out of memory");
        goto done;
    }
    size_t ns = 0;
    for (size_t i = 0; i < g.nsources; i++) {
        long x = index_of(&g, g.sources[i]);
        if (x >= 0)
            src[ns++] = (uint32_t)x;
    }
    int32_t today = (int32_t)(time(NULL) / 86400);
    int n = 0;
    if (ns == 0) {
        n = 0;
    } else if (target) {
        long t = index_of(&g, target);
        n = t < 0 ? 0 : net_paths_to(&ng, scratch, 0, src, ns, (uint32_t)t, today, paths, (size_t)k, err);
    } else {
        size_t i;
        json_t *row;
        json_array_foreach(targets, i, row) {
            long t = index_of(&g, json_integer_value(json_object_get(row, "id")));
            if (t >= 0)
                is_target[t] = 1;
        }
        n = net_paths_to_any(&ng, scratch, 0, src, ns, is_target, today, paths, (size_t)k, err);
    }
    if (n < 0)
        goto done;
    *out = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(*out, path_json(st, a, &g, &ng, &paths[i], today));
    rc = 0;
done:
    csr_free(&c);
    net_scratch_free(scratch);
    free(paths);
    free(is_target);
    free(src);
    store_graph_free(&g);
    json_decref(targets);
    return rc;
}

/* ---- introductions ---- */

#define INTRO_LINK_TTL (7 * 86400)

int network_intro_send_link(struct store *st, const struct tb_actor *a, const json_t *intro, const char *public_url,
                            int reminder, struct tb_err *err)
{
    const char *email = json_string_value(json_object_get(intro, "introducer_email"));
    if (!email || !*email)
        return 0;
    char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
    auth_random_token(token);
    auth_token_hash(token, hash);
    int64_t id = json_integer_value(json_object_get(intro, "id"));
    if (store_intro_link_create(st, a, id, email, hash, (int64_t)time(NULL) + INTRO_LINK_TTL, err) < 0)
        return -1;
    /* The introducer is a contact, without an account: the sender's language. */
    const char *lang = store_locale_of(st, a->user_id);
    struct arena *ar = arena_new(0);
    const char *const vars[] = {"name", json_string_value(json_object_get(intro, "introducer_name")),
                                "asker", json_string_value(json_object_get(intro, "asker_name")),
                                "target", json_string_value(json_object_get(intro, "target_name")),
                                "purpose", json_string_value(json_object_get(intro, "purpose")),
                                "url", ar ? arena_printf(ar, "%s/#/introduction-answer?token=%s", public_url, token) : NULL,
                                NULL};
    const char *subject, *body;
    int rc = !ar || !vars[9] || msg_mail(ar, lang, "mail.intro", vars, reminder, &subject, &body) < 0
                 ? TB_INTERNAL(err, "out of memory")
                 : store_outbox_add(st, a, json_integer_value(json_object_get(intro, "org_id")), email, subject, body,
                                    err);
    arena_free(ar);
    return rc;
}

struct remind_unit {
    const struct tb_actor *a;
    const json_t *row;
    const char *public_url;
};

/* One reminder: a new link, and the introduction marked as reminded. */
static int remind_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct remind_unit *u = ctx;
    if (network_intro_send_link(st, u->a, u->row, u->public_url, 1, err) < 0)
        return -1;
    return store_intro_reminded(st, u->a, json_integer_value(json_object_get(u->row, "id")), err);
}

int network_intro_remind(struct store *st, const struct tb_actor *a, int days, const char *public_url, int *sent,
                         struct tb_err *err)
{
    char before[32];
    time_t t = time(NULL) - (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(before, sizeof before, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *due;
    *sent = 0;
    if (store_intro_reminders_due(st, a, before, &due, err) < 0)
        return -1;
    size_t i;
    json_t *row;
    int rc = 0;
    json_array_foreach(due, i, row) {
        const char *approval = json_string_value(json_object_get(row, "approval"));
        if (approval && strcmp(approval, "approved"))
            continue;   /* waiting for, or refused by, the owning operator */
        if (!json_is_string(json_object_get(row, "introducer_email")))
            continue;
        struct remind_unit u = {.a = a, .row = row, .public_url = public_url};
        rc = store_in_tx(st, remind_work, &u, err);
        if (rc < 0)
            break;
        ++*sent;
    }
    json_decref(due);
    return rc;
}

int network_filters_check(const json_t *f, struct tb_err *err)
{
    static const struct { const char *key, *name; int list; } checks[] = {
        {"country", "country", CODES_COUNTRY}, {"nace", "sector", CODES_NACE}, {"language", "language", CODES_LANGUAGE},
        {"hs", "hs", -1}, {"kind", "kind", -2}};
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        const char *v = json_string_value(json_object_get(f, checks[i].key));
        if (!v)
            continue;
        size_t n = strlen(v);
        int ok = checks[i].list >= 0 ? codes_find((enum code_list)checks[i].list, v) != NULL
                 : checks[i].list == -1 ? n >= 2 && n <= 6 && strspn(v, "0123456789") == n
                                        : n >= 1 && n <= 40;
        if (!ok)
            return TB_INVALID(err, checks[i].name, "%s: '%s' is not a known code", checks[i].name, v);
    }
    return 0;
}

int network_contact_normalize(json_t *c, int staff, struct tb_err *err)
{
    json_object_del(c, "version");
    const char *kind = json_string_value(json_object_get(c, "kind"));
    const char *basis = json_string_value(json_object_get(c, "legal_basis"));
    const char *consent = json_string_value(json_object_get(c, "consent"));
    if (kind && !strcmp(kind, "person") && !basis)
        return TB_INVALID(err, "legal_basis", "legal_basis: a person's record needs its legal basis");
    if (basis && !strcmp(basis, "consent") && (!consent || strcmp(consent, "given")))
        return TB_INVALID(err, "consent", "consent: the legal basis is consent, so consent must be 'given'");
    if (!json_object_get(c, "visibility") || !staff)
        json_object_set_new(c, "visibility", json_string("private"));
    if (!consent)
        json_object_set_new(c, "consent", json_string("not_required"));
    return 0;
}

/* An organisation's name (NULL for a person: colleagues are not duplicates). */
static const char *org_name(const json_t *c)
{
    const char *kind = json_string_value(json_object_get(c, "kind"));
    return kind && !strcmp(kind, "organisation") ? json_string_value(json_object_get(c, "name")) : NULL;
}

static int same_folded(const char *x, const char *y)
{
    if (!x || !y)
        return 0;
    char *fx = malloc(strlen(x) + 1), *fy = malloc(strlen(y) + 1);
    int same = 0;
    if (fx && fy) {
        codes_fold(x, fx);
        codes_fold(y, fy);
        same = !strcmp(fx, fy);
    }
    free(fx);
    free(fy);
    return same;
}

int network_contact_duplicates(struct store *st, const struct tb_actor *a, const json_t *c, json_t **out,
                               struct tb_err *err)
{
    *out = json_array();
    const char *email = json_string_value(json_object_get(c, "email")), *org = org_name(c);
    json_t *by_email = NULL, *by_org = NULL;
    if (email && store_contact_by_email(st, a, email, &by_email, err) < 0)
        return -1;
    /* Candidates sharing a word of the organisation's name; judged exactly here. */
    char match[512], ors[1100] = "";
    struct tb_err ignore;
    if (org && net_match_query(org, match, sizeof match, &ignore) == 0) {
        for (char *tok = strtok(match, " "); tok; tok = strtok(NULL, " "))
            snprintf(ors + strlen(ors), sizeof ors - strlen(ors), "%s%s", ors[0] ? " OR " : "", tok);
        json_t *none = json_object();
        int rc = store_contact_search(st, a, ors, none, 50, &by_org, err);
        json_decref(none);
        if (rc < 0) {
            json_decref(by_email);
            return -1;
        }
    }
    json_t *lists[2] = {by_email, by_org};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *row;
        json_array_foreach(lists[l], i, row) {
            const char *why = l == 0 ? "same e-mail" : same_folded(org, org_name(row)) ? "same organisation" : NULL;
            int seen = 0;
            for (size_t j = 0; j < json_array_size(*out); j++)
                seen |= json_equal(json_object_get(json_array_get(*out, j), "id"), json_object_get(row, "id"));
            if (why && !seen)
                json_array_append_new(*out, json_pack("{s:O, s:O, s:O?, s:O?, s:s}", "id", json_object_get(row, "id"),
                                                      "name", json_object_get(row, "name"), "organisation",
                                                      json_object_get(row, "organisation"), "email",
                                                      json_object_get(row, "email"), "reason", why));
        }
        json_decref(lists[l]);
    }
    return 0;
}

static int blank(const json_t *v)
{
    return !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v));
}

/* The union of two JSON lists of strings, a's first. */
static json_t *joined(const json_t *a, const json_t *b, size_t cap)
{
    json_t *out = json_deep_copy(a && json_is_array(a) ? a : json_array());
    size_t i, j;
    json_t *v, *w;
    json_array_foreach(b, i, v) {
        int seen = 0;
        json_array_foreach(out, j, w)
            seen |= json_equal(v, w);
        if (!seen && json_array_size(out) < cap)
            json_array_append(out, v);
    }
    return out;
}

static int merge(struct store *st, const struct tb_actor *a, int64_t into, int64_t version, int64_t from,
                 json_t **out, struct tb_err *err)
{
    static const char *const fill[] = {"organisation", "email", "phone", "country", "city", "nace", "source",
                                       "legal_basis", NULL};
    static const char *const lists[] = {"hs", "languages", "markets", "tags", NULL};
    static const size_t caps[] = {50, 20, 60, 30};
    static const char *const keep[] = {"kind", "category", "name", "roles", "visibility", "consent", NULL};
    json_t *ka = NULL, *kb = NULL;
    int rc = -1;
    if (from == into)
        return TB_INVALID(err, "from_id", "from_id: a contact cannot be merged into itself");
    if (store_contact_get(st, a, into, &ka, err) < 0)
        return -1;
    if (store_contact_get(st, a, from, &kb, err) < 0) {
        struct tb_err was = *err;
        tb_fail(err, was.status, was.code, "from_id", "from_id: %s", was.message);
        goto out;
    }
    if (!json_is_null(json_object_get(ka, "removed_at")) || !json_is_null(json_object_get(kb, "removed_at"))) {
        tb_fail(err, 409, "conflict", "from_id", "from_id: a removed contact cannot be merged");
        goto out;
    }
    if (!json_equal(json_object_get(ka, "kind"), json_object_get(kb, "kind"))) {
        TB_INVALID(err, "from_id", "from_id: a person and an organisation are not duplicates");
        goto out;
    }
    if (json_integer_value(json_object_get(ka, "org_id")) != json_integer_value(json_object_get(kb, "org_id")) ||
        (!a->all_tenants && json_integer_value(json_object_get(ka, "org_id")) != a->tenant_id)) {
        tb_fail(err, 403, "forbidden", "from_id", "only contacts your operator owns can be merged");
        goto out;
    }
    json_t *m = json_object();
    for (int i = 0; keep[i]; i++)
        json_object_set(m, keep[i], json_object_get(ka, keep[i]));
    for (int i = 0; fill[i]; i++) {
        json_t *v = json_object_get(ka, fill[i]);
        json_object_set(m, fill[i], blank(v) ? json_object_get(kb, fill[i]) : v);
    }
    if (blank(json_object_get(m, "roles")))
        json_object_set(m, "roles", json_object_get(kb, "roles"));
    for (int i = 0; lists[i]; i++)
        json_object_set_new(m, lists[i], joined(json_object_get(ka, lists[i]), json_object_get(kb, lists[i]), caps[i]));
    /* the shared side wins: a merge never hides a contact the federation saw */
    if (!strcmp(json_string_value(json_object_get(kb, "visibility")), "shared"))
        json_object_set_new(m, "visibility", json_string("shared"));
    rc = store_contact_merge(st, a, into, version, m, kb, out, err);
    json_decref(m);
out:
    json_decref(ka);
    json_decref(kb);
    return rc;
}

struct merge_unit {
    const struct tb_actor *a;
    int64_t into, version, from;
    json_t *summary;
};

static int merge_work(struct store *st, void *ctx, struct tb_err *err)
{
    struct merge_unit *u = ctx;
    json_decref(u->summary);   /* a run again starts afresh */
    u->summary = NULL;
    return merge(st, u->a, u->into, u->version, u->from, &u->summary, err);
}

int network_contact_merge(struct store *st, const struct tb_actor *a, int64_t into, int64_t version, int64_t from,
                          json_t **out, struct tb_err *err)
{
    struct merge_unit u = {.a = a, .into = into, .version = version, .from = from};
    if (store_in_tx(st, merge_work, &u, err) < 0) {
        json_decref(u.summary);
        return -1;
    }
    *out = u.summary;
    return 0;
}
