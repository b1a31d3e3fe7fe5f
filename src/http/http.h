/*
 * http.h - what handlers see: the request (already authenticated, its body
 * parsed and validated against the route's declared fields) and the response
 * they fill. Handlers never touch libmicrohttpd or SQL.
 */
#ifndef TB_HTTP_H
#define TB_HTTP_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/error.h"
#include "core/validate.h"
#include "store/store.h"

struct MHD_Connection;

struct request {
    struct arena *arena;            /* freed when the response is sent */
    const struct config *cfg;
    struct store *store;            /* this worker thread's connection */
    struct MHD_Connection *conn;
    const char *method, *path;
    int64_t ids[4];                 /* {id} segments of the path, in order */
    int nids;
    json_t *body;                   /* validated body (NULL when none) */
    const char *raw_body;           /* ROUTE_RAW routes: the bytes as sent */
    size_t raw_len;
    int authenticated;
    int via_cookie;                 /* unsafe methods then need X-CSRF-Token */
    int via_token;                  /* Authorization: Bearer (an API token) */
    int token_read_only;            /* ... whose scope is "read": GET only */
    struct tb_actor actor;
    char session_hash[TOKEN_HASH_LEN + 1];
    char csrf[64];
    char client_addr[64];
};

struct response {
    int status;
    int suspended;                  /* waiting for a password hash: no answer yet (authwork.h) */
    json_t *json;                   /* body; owned by the response */
    const char *content_type;       /* for raw bodies */
    const void *raw;                /* static or arena memory */
    size_t raw_len;
    int raw_kept;                   /* raw lives until the answer is sent: no copy */
    void *raw_owned;                /* malloc'd body freed after sending (large files) */
    const char *cache_control;
    const char *etag;
    const char *set_cookie;
    const char *location;
    const char *retry_after;
    const char *allow;
    const char *content_disposition;
    const char *fault;              /* X-TB-Fault answer (fault injection, tests only) */
};

typedef int (*handler_fn)(struct request *r, struct response *res, struct tb_err *err);

enum route_flags {
    ROUTE_PARTIAL = 1,    /* PATCH: declared fields optional */
    ROUTE_NO_CSRF = 2,    /* login and token-link flows: no session yet */
    ROUTE_RAW = 4,        /* body is not JSON (PDF, CSV): the handler checks its type */
};

struct route {
    const char *method;
    const char *pattern;            /* /api/v1/orgs/{id} */
    handler_fn handler;
    unsigned roles;                 /* ROLE_BIT mask allowed; ROLES_PUBLIC = no login */
    const struct field_spec *body;  /* NULL: no body accepted */
    unsigned flags;
    long max_body;                  /* bytes; 0 = the configured default */
    /* The contract (openapi.c builds /api/v1/openapi.json from these rows): */
    const char *summary;            /* one line for the API reference */
    const char *resource;           /* tag; "item" responses use its record schema */
    const char *response;           /* success answers, space-separated "STATUS[:SHAPE]"; SHAPE:
                                     * page (a page of records), item (the resource's record),
                                     * another resource's name, object, or a media type */
    const char *body_type;          /* ROUTE_RAW: the media type the body has */
};

extern const struct route routes[];
extern const int routes_count;

/* Responses. */
int respond_json(struct response *res, int status, json_t *body);   /* steals body; returns 0 */
int respond_page(struct response *res, struct list_page *page);     /* {"items","next_cursor"} */
int respond_no_content(struct response *res);
/* 200 or other status with JSON text already written (in the request's arena). */
int respond_json_text(struct response *res, int status, const struct abuf *text);
/* 200 with static or arena bytes and their ETag; 304 when If-None-Match has it. */
int respond_bytes(struct request *r, struct response *res, const void *data, size_t size, const char *type,
                  const char *cache_control);

/* Request helpers. */
const char *req_query(struct request *r, const char *name);
const char *req_header(struct request *r, const char *name);
/* Reads limit/cursor/sort/q and up to three named filters into q. */
int req_list_query(struct request *r, struct list_query *q, const char *f1, const char *f2,
                   const char *f3, struct tb_err *err);
/* The record version the client edits, from If-Match ("v3" or "3") or the
 * body's "version"; 428 when neither was sent. */
int req_version(struct request *r, int64_t *version, struct tb_err *err);
const char *req_etag(struct request *r, const json_t *record);

/* Pieces of the request the server parses itself (pure; fuzzed by tests/fuzz/fuzz_request.c).
 * http_route_match: 1 when path fits pattern ({id}: a positive integer, stored in ids[4];
 * {name}: 1-40 of [a-z0-9-]). http_if_match_version: "v3", "\"v3\"", W/"3" -> 3; 0 or -1. */
int http_route_match(const char *pattern, const char *path, int64_t *ids, int *nids);
int http_if_match_version(const char *value, int64_t *version);

/* Hashing on the calling request worker, at most --password-threads at once
 * (blocks until a slot is free). For code not yet moved to pwjob_submit
 * (authwork.h), which frees the worker while the hash runs. */
void http_pwhash_enter(void);
void http_pwhash_leave(void);
/* Prometheus text of the process's request metrics. */
void http_metrics_text(struct abuf *out);
/* Wakes the mail delivery thread after something was queued. */
void http_mail_wake(void);

#endif
