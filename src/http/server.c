/*
 * server.c - libmicrohttpd glue: request lifecycle, framing and size checks,
 * authentication, CSRF, routing, security headers, metrics, access log and
 * graceful shutdown. Everything resource-specific lives in h_*.c.
 *
 * libmicrohttpd calls the access handler several times per request: first
 * with the headers, then with body chunks, then once with no data. We only
 * answer on that last call (answering earlier silently disables keep-alive),
 * except for requests refused before their body (413 by Content-Length,
 * ambiguous framing), where closing the connection is what we want.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/embedded.h"
#include "core/throttle.h"
#include "http/deadline.h"
#include "http/framing.h"
#include "http/authwork.h"
#include "http/http.h"
#include "service/mail_service.h"
#include "http/static_files.h"

#define SESSION_COOKIE "tb_session"
#define MAX_ROUTES 256
#define LATENCY_BUCKETS 10

static const struct config *cfg;
static int fault_injection;   /* TB_FAULT_INJECTION=1 in a build that has it (tests only) */
static pthread_key_t store_key;

/* ---- metrics -------------------------------------------------------------- */

static const int status_codes[] = {200, 201, 202, 204, 304, 400, 401, 403, 404, 405, 409,
                                   412, 413, 415, 422, 428, 429, 500, 503};
#define STATUS_SLOTS (int)(sizeof status_codes / sizeof status_codes[0] + 1)
static const double latency_bounds[LATENCY_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                       0.025, 0.05, 0.1, 0.5, 2.5};
/* Rows: each route, then static files, then unmatched paths. */
static atomic_ulong requests_by_route[MAX_ROUTES + 2][STATUS_SLOTS];
static atomic_ulong latency_hist[LATENCY_BUCKETS + 1];
static atomic_ullong latency_sum_us;
static atomic_long open_connections;

static int status_slot(int status)
{
    for (int i = 0; i < STATUS_SLOTS - 1; i++)
        if (status_codes[i] == status)
            return i;
    return STATUS_SLOTS - 1;
}

static void metrics_record(int route_index, int status, double seconds)
{
    atomic_fetch_add(&requests_by_route[route_index][status_slot(status)], 1);
    int b = 0;
    while (b < LATENCY_BUCKETS && seconds > latency_bounds[b])
        b++;
    atomic_fetch_add(&latency_hist[b], 1);
    atomic_fetch_add(&latency_sum_us, (unsigned long long)(seconds * 1e6));
}

void http_metrics_text(struct abuf *out)
{
    struct abuf b = *out;
    abuf_puts(&b, "# HELP tradebridge_http_requests_total HTTP requests by route and status.\n"
                  "# TYPE tradebridge_http_requests_total counter\n");
    for (int i = 0; i < routes_count + 2; i++) {
        const char *method = i < routes_count ? routes[i].method : "GET";
        const char *pattern = i < routes_count ? routes[i].pattern : i == routes_count ? "static" : "unmatched";
        for (int s = 0; s < STATUS_SLOTS; s++) {
            unsigned long n = atomic_load(&requests_by_route[i][s]);
            if (!n)
                continue;
            char status[8];
            if (s < STATUS_SLOTS - 1)
                snprintf(status, sizeof status, "%d", status_codes[s]);
            else
                snprintf(status, sizeof status, "other");
            abuf_printf(&b, "tradebridge_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %lu\n",
                        method, pattern, status, n);
        }
    }
    abuf_puts(&b, "# HELP tradebridge_http_request_duration_seconds Time to answer a request.\n"
                  "# TYPE tradebridge_http_request_duration_seconds histogram\n");
    unsigned long cumulative = 0;
    for (int i = 0; i <= LATENCY_BUCKETS; i++) {
        cumulative += atomic_load(&latency_hist[i]);
        if (i < LATENCY_BUCKETS)
            abuf_printf(&b, "tradebridge_http_request_duration_seconds_bucket{le=\"%g\"} %lu\n",
                        latency_bounds[i], cumulative);
        else
            abuf_printf(&b, "tradebridge_http_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n", cumulative);
    }
    abuf_printf(&b, "tradebridge_http_request_duration_seconds_sum %.6f\n"
                    "tradebridge_http_request_duration_seconds_count %lu\n",
                (double)atomic_load(&latency_sum_us) / 1e6, cumulative);
    abuf_printf(&b, "# HELP tradebridge_http_open_connections Connections open now.\n"
                    "# TYPE tradebridge_http_open_connections gauge\n"
                    "tradebridge_http_open_connections %ld\n",
                atomic_load(&open_connections));
    abuf_printf(&b, "# HELP tradebridge_http_late_requests_closed_total Connections closed because a "
                    "request head or body did not arrive in time.\n"
                    "# TYPE tradebridge_http_late_requests_closed_total counter\n"
                    "tradebridge_http_late_requests_closed_total %lu\n",
                deadline_closed_total());
    abuf_printf(&b, "# HELP tradebridge_db_errors_total Database errors seen.\n"
                    "# TYPE tradebridge_db_errors_total counter\n"
                    "tradebridge_db_errors_total %lu\n",
                store_db_errors());
    *out = b;
}

/* ---- shared helpers for handlers --------------------------------------------- */

void http_mail_wake(void)
{
    mailer_wake();
}

int respond_json(struct response *res, int status, json_t *body)
{
    json_decref(res->json);
    res->json = body;
    res->status = status;
    if (!body) {   /* building the answer ran out of memory: say so, never send an empty 200 */
        res->status = 500;
        res->json = json_pack("{s:{s:s, s:s}}", "error", "code", "internal_error", "message", "out of memory");
        return -1;
    }
    return 0;
}

int respond_page(struct response *res, struct list_page *page)
{
    json_t *o = json_object();
    json_object_set_new(o, "items", page->items);
    json_object_set_new(o, "next_cursor", page->next_cursor ? json_string(page->next_cursor) : json_null());
    page->items = NULL;
    free(page->next_cursor);
    page->next_cursor = NULL;
    return respond_json(res, 200, o);
}

int respond_json_text(struct response *res, int status, const struct abuf *text)
{
    json_decref(res->json);
    res->json = NULL;
    if (text->failed)
        return respond_json(res, 500, NULL);
    res->status = status;
    res->raw = text->data;
    res->raw_len = text->len;
    res->raw_kept = 1;
    res->content_type = "application/json";
    return 0;
}

int respond_no_content(struct response *res)
{
    res->status = 204;
    return 0;
}

int respond_bytes(struct request *r, struct response *res, const void *data, size_t size, const char *type,
                  const char *cache_control)
{
    res->status = 200;
    res->raw = data;
    res->raw_len = size;
    res->content_type = type;
    res->cache_control = cache_control;
    res->etag = static_file_etag(r->arena, data, size);
    const char *inm = req_header(r, "If-None-Match");
    if (inm && res->etag && !strcmp(inm, res->etag)) {
        res->status = 304;
        res->raw = NULL;
        res->raw_len = 0;
    }
    return 0;
}

const char *req_query(struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

static int query_text(struct request *r, const char *name, size_t max, const char **out, struct tb_err *err)
{
    const char *v = req_query(r, name);
    *out = NULL;
    if (!v || !*v)
        return 0;
    if (strlen(v) > max || !valid_utf8(v, strlen(v)))
        return TB_INVALID(err, name, "%s: must be UTF-8 text of at most %zu bytes", name, max);
    *out = v;
    return 0;
}

int req_list_query(struct request *r, struct list_query *q, const char *f1, const char *f2,
                   const char *f3, struct tb_err *err)
{
    memset(q, 0, sizeof *q);
    q->limit = 50;
    const char *limit = req_query(r, "limit");
    if (limit) {
        char *end;
        long n = strtol(limit, &end, 10);
        if (!*limit || *end || n < 1 || n > 200)
            return TB_INVALID(err, "limit", "limit: must be a whole number from 1 to 200");
        q->limit = (int)n;
    }
    if (query_text(r, "cursor", CURSOR_MAX, &q->cursor, err) < 0 || query_text(r, "sort", 500, &q->sort, err) < 0 ||
        query_text(r, "q", 500, &q->q, err) < 0)
        return -1;
    if ((f1 && query_text(r, f1, 500, &q->f1, err) < 0) || (f2 && query_text(r, f2, 500, &q->f2, err) < 0) ||
        (f3 && query_text(r, f3, 500, &q->f3, err) < 0))
        return -1;
    return 0;
}

int http_if_match_version(const char *m, int64_t *version)
{
    const char *p = m;
    if (*p == 'W' && p[1] == '/')
        p += 2;
    if (*p == '"')
        p++;
    if (*p == 'v')
        p++;
    char *end;
    long long v = strtoll(p, &end, 10);
    if (end == p || v < 1 || (*end && *end != '"'))
        return -1;
    *version = v;
    return 0;
}

int req_version(struct request *r, int64_t *version, struct tb_err *err)
{
    const char *m = req_header(r, "If-Match");
    if (m) {
        if (http_if_match_version(m, version) < 0)
            return tb_fail(err, 400, "validation_failed", "If-Match",
                           "If-Match: expected the ETag of the record, like \"v3\"");
        return 0;
    }
    json_t *v = r->body ? json_object_get(r->body, "version") : NULL;
    if (json_is_integer(v) && json_integer_value(v) > 0) {
        *version = json_integer_value(v);
        return 0;
    }
    return tb_fail(err, 428, "precondition_required", "version",
                   "version: send the version you edited (body field \"version\" or an If-Match header)");
}

const char *req_etag(struct request *r, const json_t *record)
{
    json_t *v = json_object_get(record, "version");
    return json_is_integer(v) ? arena_printf(r->arena, "\"v%lld\"", (long long)json_integer_value(v)) : NULL;
}

/* ---- per-connection state ---------------------------------------------------- */

struct ctx {
    struct arena *arena;
    struct abuf body;
    int too_large;
    int faulted;          /* fault injection lowered the arena's cap: not reused */
    long long declared;   /* Content-Length, -1 if none */
    size_t received;      /* body bytes MHD framed, kept or not */
    struct deadline_conn *deadline;
    struct timespec start;
};

/* Each worker thread keeps the contexts of a few finished requests, their
 * arenas reset to one block, for its next requests: a request then costs no
 * malloc/free of its own. The cap covers the largest body a route takes. */
#define CTX_SPARE 4
struct ctx_spares {
    struct ctx *c[CTX_SPARE];
    int n;
};
static pthread_key_t spares_key;
static size_t arena_cap;

static struct ctx *ctx_get(void)
{
    struct ctx_spares *sp = pthread_getspecific(spares_key);
    if (sp && sp->n)
        return sp->c[--sp->n];
    struct ctx *c = calloc(1, sizeof *c);
    if (c && !(c->arena = arena_new(arena_cap))) {
        free(c);
        return NULL;
    }
    return c;
}

static void ctx_free(struct ctx *c)
{
    arena_free(c->arena);
    free(c);
}

static void ctx_put(struct ctx *c)
{
    struct ctx_spares *sp = pthread_getspecific(spares_key);
    if (!sp && !c->faulted && (sp = calloc(1, sizeof *sp)))
        pthread_setspecific(spares_key, sp);
    if (!sp || sp->n == CTX_SPARE || c->faulted) {
        ctx_free(c);
        return;
    }
    struct arena *a = c->arena;
    arena_reset(a);
    memset(c, 0, sizeof *c);
    c->arena = a;
    sp->c[sp->n++] = c;
}

static void spares_free(void *p)
{
    struct ctx_spares *sp = p;
    while (sp->n)
        ctx_free(sp->c[--sp->n]);
    free(sp);
}

static double elapsed(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static struct store *thread_store(struct tb_err *err)
{
    struct store *st = pthread_getspecific(store_key);
    if (!st) {
        if (store_open(cfg->db_path, &st, err) < 0)
            return NULL;
        pthread_setspecific(store_key, st);
    }
    return st;
}

static void thread_store_close(void *p)
{
    store_close(p);
}

/* Every value of one header joined with commas (X-Forwarded-For may come
 * several times); longer than a proxy chain would make it, none is believed. */
struct joined {
    const char *name;
    struct abuf buf;
    int overflow;
};

static enum MHD_Result join_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    struct joined *j = cls;
    if (value && !strcasecmp(key, j->name) &&
        abuf_printf(&j->buf, "%s%s", j->buf.len ? "," : "", value) < 0)
        j->overflow = 1;
    return MHD_YES;
}

/* The socket address, or behind a trusted proxy the client it names
 * (core/proxy.h); used by the throttles, the audit log and the access log. */
static void client_address(struct MHD_Connection *c, struct arena *arena, char out[64])
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char peer[64] = "";
    out[0] = '\0';
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, peer, sizeof peer);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, peer, sizeof peer);
    if (!cfg->proxies.count) {
        proxy_client_addr(&cfg->proxies, peer, "", "", out);
        return;
    }
    struct joined xff = {"X-Forwarded-For", {0}, 0}, fwd = {"Forwarded", {0}, 0};
    abuf_init(&xff.buf, arena, 4096);
    abuf_init(&fwd.buf, arena, 4096);
    MHD_get_connection_values(c, MHD_HEADER_KIND, join_header, &xff);
    MHD_get_connection_values(c, MHD_HEADER_KIND, join_header, &fwd);
    int junk = xff.overflow || fwd.overflow;
    proxy_client_addr(&cfg->proxies, peer, junk ? "" : abuf_cstr(&xff.buf), junk ? "" : abuf_cstr(&fwd.buf), out);
}

/* ---- authentication ------------------------------------------------------------ */

static int authenticated(struct request *r)
{
    r->actor.client_addr = r->client_addr;
    r->authenticated = 1;
    return 0;
}

static int authenticate(struct request *r, struct tb_err *err)
{
    const char *authz = req_header(r, "Authorization");
    int64_t user_id = 0;
    if (authz && !strncasecmp(authz, "Bearer ", 7)) {
        char hash[TOKEN_HASH_LEN + 1];
        const char *token = authz + 7;
        if (strlen(token) > 200)
            return tb_fail(err, 401, "unauthenticated", "", "the API token is not valid");
        auth_token_hash(token, hash);
        struct tb_err e;
        struct token_auth ta;
        /* One statement: the token, its user's status and roles. */
        if (store_token_auth(r->store, hash, &ta, &e) < 0) {
            if (e.status == 404)
                return tb_fail(err, 401, "unauthenticated", "", "the API token is not valid, expired or was revoked");
            *err = e;
            return -1;
        }
        if (!ta.active)
            return tb_fail(err, 401, "unauthenticated", "", "this account is disabled");
        r->token_read_only = ta.read_only;
        r->via_token = 1;
        r->actor = ta.actor;
        return authenticated(r);
    } else {
        const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
        if (!cookie || strlen(cookie) > 200)
            return 0;
        auth_token_hash(cookie, r->session_hash);
        struct session_row s;
        struct tb_err e;
        if (store_session_get(r->store, r->session_hash, &s, &e) < 0) {
            if (e.status == 404)
                return 0;
            *err = e;
            return -1;
        }
        int64_t now = time(NULL);
        if (now - s.last_seen_at > cfg->session_idle || now - s.created_at > cfg->session_max) {
            store_session_delete(r->store, r->session_hash, &e);
            return 0;
        }
        /* Touch at most once a minute: a write per request would serialize readers. */
        if (now - s.last_seen_at > 60)
            store_session_touch(r->store, r->session_hash, now, &e);
        user_id = s.user_id;
        r->via_cookie = 1;
        snprintf(r->csrf, sizeof r->csrf, "%s", s.csrf_token);
    }
    struct user_auth u;
    if (store_user_auth_by_id(r->store, user_id, &u, err) < 0) {
        if (err->status == 404)
            return tb_fail(err, 401, "unauthenticated", "", "please sign in again");
        return -1;
    }
    if (strcmp(u.status, "active"))
        return tb_fail(err, 401, "unauthenticated", "", "this account is disabled");
    if (store_actor_load(r->store, user_id, &r->actor, err) < 0)
        return -1;
    return authenticated(r);
}

/* ---- routing -------------------------------------------------------------------- */

/* Matches path against pattern; {id} segments must be positive integers. */
int http_route_match(const char *pattern, const char *path, int64_t *ids, int *nids)
{
    *nids = 0;
    while (*pattern && *path) {
        if (*pattern == '{') {
            const char *close = strchr(pattern, '}');
            if (!close)
                return 0;
            int numeric = !strncmp(pattern, "{id}", 4);
            pattern = close + 1;
            if (!numeric) {
                /* A named segment ({list}): lower-case letters, digits and '-'. */
                const char *start = path;
                while ((*path >= 'a' && *path <= 'z') || (*path >= '0' && *path <= '9') || *path == '-')
                    path++;
                if (path == start || path - start > 40)
                    return 0;
                continue;
            }
            char *end;
            if (*path < '1' || *path > '9')
                return 0;
            long long v = strtoll(path, &end, 10);
            if (v <= 0 || *nids >= 4)
                return 0;
            ids[(*nids)++] = v;
            path = end;
            continue;
        }
        if (*pattern != *path)
            return 0;
        pattern++;
        path++;
    }
    return *pattern == '\0' && *path == '\0';
}

static const char *content_type_of(const char *name)
{
    static const struct { const char *ext, *type; } types[] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
        {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".txt", "text/plain; charset=utf-8"},
        {".pdf", "application/pdf"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

static int serve_static(struct request *r, struct response *res, struct tb_err *err)
{
    const char *name = r->path + 1;
    if (!*name)
        name = "index.html";
    if (strstr(name, "..") || strlen(name) > 200)
        return TB_NOT_FOUND(err, "no such page");
    const void *data;
    size_t size;
    /* A page without an extension may be a file of its own (/verify). */
    const char *page = strchr(name, '.') ? NULL : arena_printf(r->arena, "%s.html", name);
    if (page && static_file_get(cfg->web_dir, page, r->arena, &data, &size) == 0)
        name = page;
    else if (static_file_get(cfg->web_dir, name, r->arena, &data, &size) < 0) {
        /* Paths without an extension are pages of the single-page UI. */
        if (strchr(name, '.') || static_file_get(cfg->web_dir, "index.html", r->arena, &data, &size) < 0)
            return TB_NOT_FOUND(err, "no such page: /%s", name);
        name = "index.html";
    }
    /* Everything revalidates (cheap: 304 by ETag), so a deploy never mixes
     * a new page with modules cached from the old one. */
    return respond_bytes(r, res, data, size, content_type_of(name), "no-cache");
}

/* Routes that take files may accept more than the JSON default. */
static long route_body_limit(const char *method, const char *path)
{
    for (int i = 0; i < routes_count; i++) {
        int64_t ids[4];
        int nids;
        if (routes[i].max_body && !strcmp(routes[i].method, method) &&
            http_route_match(routes[i].pattern, path, ids, &nids))
            return routes[i].max_body;
    }
    return cfg->max_body;
}

static int is_unsafe(const char *method)
{
    return strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "OPTIONS");
}

/* Finds the route, authenticates, checks role and CSRF, parses and validates
 * the body, runs the handler. Returns the route index for metrics. */
static int dispatch(struct request *r, struct response *res, const struct abuf *body,
                    struct tb_err *err)
{
    const struct route *route = NULL;
    int index = routes_count + 1, path_matched = 0;
    char allow[128] = "";
    for (int i = 0; i < routes_count; i++) {
        int64_t ids[4];
        int nids;
        if (!http_route_match(routes[i].pattern, r->path, ids, &nids))
            continue;
        path_matched = 1;
        if (strlen(allow) + 10 < sizeof allow)
            snprintf(allow + strlen(allow), sizeof allow - strlen(allow), "%s%s",
                     allow[0] ? ", " : "", routes[i].method);
        if (strcmp(routes[i].method, r->method) &&
            !(strcmp(r->method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
            continue;
        route = &routes[i];
        index = i;
        memcpy(r->ids, ids, sizeof ids);
        r->nids = nids;
        break;
    }
    if (!route && path_matched) {
        res->allow = arena_strdup(r->arena, allow);
        tb_fail(err, 405, "method_not_allowed", "", "%s is not allowed on %s", r->method, r->path);
        return index;
    }
    if (!route && !strncmp(r->path, "/api/", 5)) {
        TB_NOT_FOUND(err, "no API endpoint %s %s", r->method, r->path);
        return index;
    }
    if (!route) {
        if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
            res->allow = "GET, HEAD";
            tb_fail(err, 405, "method_not_allowed", "", "%s is not allowed here", r->method);
            return routes_count;
        }
        serve_static(r, res, err);
        return routes_count;
    }
    if (!(r->store = thread_store(err)))
        return index;
    if (authenticate(r, err) < 0) {
        /* A stale token or cookie does not stop what anyone may do. */
        if (route->roles != ROLES_PUBLIC)
            return index;
        tb_err_clear(err);
        r->authenticated = 0;
        memset(&r->actor, 0, sizeof r->actor);
        r->actor.client_addr = r->client_addr;
    }
    if (route->roles != ROLES_PUBLIC) {
        if (!r->authenticated) {
            tb_fail(err, 401, "unauthenticated", "", "please sign in");
            return index;
        }
        if (!actor_has(&r->actor, route->roles)) {
            tb_fail(err, 403, "forbidden", "", "your role does not allow this");
            return index;
        }
        if (r->token_read_only && is_unsafe(r->method)) {
            tb_fail(err, 403, "forbidden", "Authorization", "Authorization: this API token is read-only");
            return index;
        }
    }
    if (r->via_cookie && is_unsafe(r->method) && !(route->flags & ROUTE_NO_CSRF)) {
        const char *sent = req_header(r, "X-CSRF-Token");
        if (!sent || !auth_const_eq(sent, r->csrf)) {
            tb_fail(err, 403, "csrf_failed", "X-CSRF-Token",
                    "X-CSRF-Token: missing or wrong; reload the page and try again");
            return index;
        }
    }
    if (route->flags & ROUTE_RAW) {
        r->raw_body = body->data ? body->data : "";
        r->raw_len = body->len;
    } else if (body->len > 0) {
        if (!route->body) {
            /* Clients often send {} with a POST that takes nothing; accept
             * exactly that, refuse anything else. */
            json_t *empty = json_loadb(body->data, body->len, 0, NULL);
            int ok = json_is_object(empty) && json_object_size(empty) == 0;
            json_decref(empty);
            if (!ok) {
                TB_INVALID(err, "", "body: this endpoint takes no request body");
                return index;
            }
            goto run;
        }
        const char *ct = req_header(r, "Content-Type");
        if (!ct || strncasecmp(ct, "application/json", 16)) {
            tb_fail(err, 415, "unsupported_media_type", "Content-Type",
                    "Content-Type: send the body as application/json");
            return index;
        }
        if (!valid_utf8(body->data, body->len)) {
            TB_INVALID(err, "", "body: not valid UTF-8");
            return index;
        }
        json_error_t je;
        r->body = json_loadb(body->data, body->len, JSON_REJECT_DUPLICATES, &je);
        if (!r->body) {
            TB_INVALID(err, "", "body: not valid JSON (line %d, column %d: %s)", je.line, je.column, je.text);
            return index;
        }
    }
    if (route->body) {
        /* No body is an empty object: a missing required field is then named. */
        if (!r->body)
            r->body = json_object();
        if (validate_object(r->body, route->body, route->flags & ROUTE_PARTIAL, err) < 0)
            return index;
    }
run:
    route->handler(r, res, err);
    return index;
}

/* ---- responses --------------------------------------------------------------- */

static void add_security_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                            "frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
}

static int dump_to_abuf(const char *buffer, size_t size, void *data)
{
    return abuf_append(data, buffer, size);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct request *r,
                                     struct response *res, int close)
{
    struct MHD_Response *resp;
    if (res->json) {
        /* Dumped into the request's arena, which lives until the answer is
         * sent (on_completed); on the heap if the arena is full. */
        struct abuf text;
        abuf_init(&text, r->arena, SIZE_MAX / 4);
        if (json_dump_callback(res->json, dump_to_abuf, &text, JSON_COMPACT | JSON_ENSURE_ASCII) == 0 &&
            abuf_cstr(&text)) {
            resp = MHD_create_response_from_buffer(text.len, text.data, MHD_RESPMEM_PERSISTENT);
        } else {
            char *heap = json_dumps(res->json, JSON_COMPACT | JSON_ENSURE_ASCII);
            resp = MHD_create_response_from_buffer(heap ? strlen(heap) : 0, heap, MHD_RESPMEM_MUST_FREE);
        }
        if (resp)
            MHD_add_response_header(resp, "Content-Type", "application/json");
    } else {
        resp = MHD_create_response_from_buffer(res->raw_len, (void *)res->raw,
                                               res->raw_kept ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_COPY);
        if (res->content_type)
            MHD_add_response_header(resp, "Content-Type", res->content_type);
    }
    if (!resp)
        return MHD_NO;
    add_security_headers(resp);
    MHD_add_response_header(resp, "Cache-Control", res->cache_control ? res->cache_control : "no-store");
    if (res->etag)
        MHD_add_response_header(resp, "ETag", res->etag);
    if (res->set_cookie)
        MHD_add_response_header(resp, "Set-Cookie", res->set_cookie);
    if (res->location)
        MHD_add_response_header(resp, "Location", res->location);
    if (res->retry_after)
        MHD_add_response_header(resp, "Retry-After", res->retry_after);
    if (res->allow)
        MHD_add_response_header(resp, "Allow", res->allow);
    if (res->content_disposition)
        MHD_add_response_header(resp, "Content-Disposition", res->content_disposition);
    if (close)
        MHD_add_response_header(resp, "Connection", "close");
    if (res->fault)
        MHD_add_response_header(resp, "X-TB-Fault", res->fault);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)res->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void error_to_response(struct response *res, const struct tb_err *err)
{
    json_t *e = json_pack("{s:s, s:s}", "code", err->code[0] ? err->code : "error", "message",
                          err->message[0] ? err->message : "something went wrong");
    if (err->field[0])
        json_object_set_new(e, "field", json_string(err->field));
    respond_json(res, err->status ? err->status : 500, json_pack("{s:o}", "error", e));
}

static void access_log(const struct request *r, const char *route, int status, double seconds)
{
    if (config_log_level(cfg) > 1)
        return;
    char ts[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "%s access %s %s %d %.2fms user=%lld addr=%s\n", ts, r->method, route, status,
            seconds * 1000.0, (long long)r->actor.user_id, r->client_addr);
}

/* Fault injection (tests only): "X-TB-Fault: alloc=N[,persist][,cap=BYTES]"
 * fails the request's Nth arena allocation (alloc=0 only counts them) and
 * may lower its arena's cap. Returns 1 when the request asks for it. */
static int fault_from_header(struct MHD_Connection *conn, struct arena *a, struct arena_fault *f)
{
    const char *h = fault_injection ? MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-TB-Fault") : NULL;
    if (!h)
        return 0;
    for (const char *p = h; *p; p += strcspn(p, ","), p += *p == ',') {
        p += strspn(p, " ");
        if (!strncmp(p, "alloc=", 6))
            f->fail_at = strtoul(p + 6, NULL, 10);
        else if (!strncmp(p, "persist", 7))
            f->persist = 1;
        else if (!strncmp(p, "cap=", 4))
            arena_set_cap(a, (size_t)strtoull(p + 4, NULL, 10));
    }
    return 1;
}

static enum MHD_Result finish(struct MHD_Connection *conn, struct ctx *c, const char *url,
                              const char *method, int early_status, const char *early_msg)
{
    struct request r = {0};
    struct response res = {0};
    struct tb_err err = {0};
    char fault_answer[64] = "";
    r.arena = c->arena;
    r.cfg = cfg;
    r.conn = conn;
    r.method = method;
    r.path = url;
    client_address(conn, c->arena, r.client_addr);
    r.actor.client_addr = r.client_addr;
    int index = routes_count + 1;
    deadline_request_done(c->deadline);
    if (!early_status && c->declared >= 0 && (size_t)c->declared != c->received) {
        /* MHD frames by Content-Length; a mismatch means the head was read
         * differently than we checked it: refuse and close. */
        early_status = 400;
        early_msg = "the body length differs from Content-Length";
    }
    if (early_status) {
        tb_fail(&err, early_status, early_status == 413 ? "payload_too_large" : "bad_request", "",
                "%s", early_msg);
    } else if (c->too_large) {
        tb_fail(&err, 413, "payload_too_large", "", "body: larger than the %zu-byte limit", c->body.max);
    } else {
        struct arena_fault fault = {0};
        int armed = fault_from_header(conn, c->arena, &fault);
        c->faulted = armed;
        if (armed)
            arena_fault_arm(&fault);
        index = dispatch(&r, &res, &c->body, &err);
        if (armed) {
            arena_fault_arm(NULL);
            snprintf(fault_answer, sizeof fault_answer, "hit=%d, count=%lu", fault.hit, fault.count);
        }
    }
    if (res.suspended && !err.status) {
        /* A password hash is running (authwork.h); resumed, we come back here. */
        json_decref(r.body);
        return MHD_YES;
    }
    if (!err.status && !res.status)
        TB_INTERNAL(&err, "the request could not be completed");
    if (err.status)
        error_to_response(&res, &err);
    if (!res.status)
        res.status = 500;
    if (fault_answer[0])
        res.fault = fault_answer;
    if (!strcmp(method, "HEAD")) {
        json_decref(res.json);
        res.json = NULL;
        res.raw_len = 0;
    }
    enum MHD_Result ret = send_response(conn, &r, &res, early_status != 0 || c->too_large);
    double secs = elapsed(&c->start);
    metrics_record(index, res.status, secs);
    const char *route_name = index < routes_count ? routes[index].pattern
                             : index == routes_count ? url : "unmatched";
    access_log(&r, route_name, res.status, secs);
    json_decref(res.json);
    json_decref(r.body);
    free(res.raw_owned);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)cls;
    struct ctx *c = *con_cls;
    if (!c) {
        if (!(c = ctx_get()))
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &c->start);
        long max = route_body_limit(method, url);
        abuf_init(&c->body, c->arena, (size_t)max);
        *con_cls = c;
        c->deadline = deadline_of(conn);
        size_t raw_uri_len;
        const char *raw_uri = deadline_raw_uri(c->deadline, &raw_uri_len);
        struct framing f;
        int bad = framing_check(conn, method, version, raw_uri, raw_uri_len, &f);
        deadline_set_raw_uri(c->deadline, NULL);
        c->declared = f.content_length;
        deadline_head_done(c->deadline, f.content_length >= 0 ? (size_t)f.content_length
                                        : f.chunked ? c->body.max : 0);
        if (bad)
            return finish(conn, c, url, method, 400, f.problem);
        if (f.content_length > (long long)c->body.max)
            return finish(conn, c, url, method, 413, "body: larger than the server accepts");
        if (strlen(url) > 2048)
            return finish(conn, c, url, method, 400, "the URL is too long");
        return MHD_YES;
    }
    if (*upload_size) {
        c->received += *upload_size;
        if (!c->too_large && abuf_append(&c->body, upload, *upload_size) < 0)
            c->too_large = 1;   /* keep reading (and dropping) so we can answer cleanly */
        *upload_size = 0;
        return MHD_YES;
    }
    return finish(conn, c, url, method, 0, NULL);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)toe;
    deadline_idle(deadline_of(conn));
    struct ctx *c = *con_cls;
    if (c) {
        ctx_put(c);
        *con_cls = NULL;
    }
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        atomic_fetch_add(&open_connections, 1);
        deadline_track(conn, socket_context);
    } else {
        atomic_fetch_sub(&open_connections, 1);
        deadline_untrack(socket_context);
    }
}

/* Called once per request with the request target before MHD unescapes or
 * splits it: framing.c compares its length with where the line put it. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    deadline_set_raw_uri(deadline_of(conn), uri);
    return NULL;
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    if (config_log_level(cfg) > 2)
        return;
    fprintf(stderr, "http: ");
    vfprintf(stderr, fmt, ap);
}

/* At most 1000 connections, and no more than open files allow (raising the
 * soft limit towards the hard one): past it accept() would fail for everyone.
 * Each address holds at most --max-connections-per-address of them. */
static unsigned connection_limit(void)
{
    const rlim_t wanted = 1000, spare = 128;   /* database, listening socket, epoll, logs */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return (unsigned)wanted;
    if (rl.rlim_cur < wanted + spare) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > wanted + spare ? wanted + spare : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur >= wanted + spare)
        return (unsigned)wanted;
    unsigned n = rl.rlim_cur > 2 * spare ? (unsigned)(rl.rlim_cur - spare) : 64;
    fprintf(stderr, "tradebridge serve: open-file limit %llu allows %u connections\n",
            (unsigned long long)rl.rlim_cur, n);
    return n;
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
                        struct tb_err *err)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    size_t hl = (size_t)(colon - listen);
    if (hl >= sizeof host)
        return TB_INVALID(err, "--listen", "--listen: host too long");
    memcpy(host, listen, hl);
    host[hl] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return TB_INVALID(err, "--listen", "--listen: bad port '%s'", colon + 1);
    memset(ss, 0, sizeof *ss);
    if (host[0] == '[' && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        memmove(host, host + 1, hl);
    }
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    if (!strcmp(host, "localhost"))
        snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *len = sizeof *in4;
    } else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *len = sizeof *in6;
    } else {
        return TB_INVALID(err, "--listen", "--listen: '%s' is not an IP address", host);
    }
    return 0;
}

int http_serve(const struct config *config)
{
    cfg = config;
    struct tb_err err = {0};
    const char *fi = getenv("TB_FAULT_INJECTION");
    if (fi && !strcmp(fi, "1") && arena_fault_arm(NULL) == 0) {
        fault_injection = 1;
        fprintf(stderr, "tradebridge: TB_FAULT_INJECTION=1: requests may ask for allocation failures (tests only)\n");
    }
    int threads = cfg->threads > 0 ? cfg->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1)
        threads = 1;
    pthread_key_create(&store_key, thread_store_close);
    pthread_key_create(&spares_key, spares_free);
    long largest = cfg->max_body;
    for (int i = 0; i < routes_count; i++)
        if (routes[i].max_body > largest)
            largest = routes[i].max_body;
    arena_cap = (size_t)largest + (16u << 20);

    struct sockaddr_storage ss;
    socklen_t sslen;
    if (parse_listen(cfg->listen, &ss, &sslen, &err) < 0) {
        fprintf(stderr, "tradebridge serve: %s\n", err.message);
        return 2;
    }
    /* Signals are taken synchronously by this thread (sigwait below); every
     * worker thread inherits the blocked mask. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (authwork_start(cfg) < 0) {
        fprintf(stderr, "tradebridge serve: cannot start the password-hashing threads\n");
        authwork_stop();
        authwork_free();
        return 1;
    }
    if (mailer_start(cfg) < 0) {
        fprintf(stderr, "tradebridge serve: cannot start the mail delivery thread\n");
        authwork_stop();
        authwork_free();
        return 1;
    }
    unsigned max_connections = connection_limit();
    if (deadline_start(cfg->request_timeout) < 0) {
        fprintf(stderr, "tradebridge serve: cannot start the request deadline thread\n");
        mailer_stop();
        authwork_stop();
        authwork_free();
        return 1;
    }
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC |
                     MHD_ALLOW_SUSPEND_RESUME;   /* password hashes (authwork.h) */
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->connection_timeout,
        MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
        MHD_OPTION_CONNECTION_LIMIT, max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->max_connections_per_address,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "tradebridge serve: cannot listen on %s (in use, or not allowed)\n", cfg->listen);
        deadline_stop();
        mailer_stop();
        authwork_stop();
        authwork_free();
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[64];
    snprintf(host, sizeof host, "%.*s", (int)(strrchr(cfg->listen, ':') - cfg->listen), cfg->listen);
    printf("tradebridge: listening on http://%s:%u (%d worker threads, database %s)\n",
           host[0] ? host : "0.0.0.0", info ? info->port : 0, threads, cfg->db_path);
    fflush(stdout);

    int sig = 0;
    sigwait(&sigs, &sig);
    fprintf(stderr, "tradebridge: %s received, finishing requests in flight\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    /* Stop accepting; connections in flight complete, then workers exit. */
    MHD_quiesce_daemon(d);
    for (int i = 0; i < 40 && atomic_load(&open_connections) > 0; i++)
        usleep(50 * 1000);
    authwork_stop();
    MHD_stop_daemon(d);
    deadline_stop();
    mailer_stop();
    authwork_free();
    fprintf(stderr, "tradebridge: stopped cleanly\n");
    return 0;
}
