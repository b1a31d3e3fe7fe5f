/*
 * authwork.h - sign-in work kept off the request workers, and the limits
 * that guard signing in.
 *
 *  - Argon2id runs in a small pool of its own threads (--password-threads).
 *    A handler queues a job and the connection is suspended
 *    (MHD_suspend_connection) until the hash is done, so the worker thread
 *    goes on serving other connections; libmicrohttpd then calls the
 *    handler again, which claims the result. The queue is bounded: when it
 *    is full the request is answered 503 with Retry-After at once.
 *  - Password-reset requests are handed to a background thread, so the
 *    answer takes the same path whether or not the address is registered.
 */
#ifndef TB_AUTHWORK_H
#define TB_AUTHWORK_H

#include "http/http.h"

enum pw_op {
    PW_VERIFY,            /* password against hash */
    PW_HASH,              /* hash new_password */
    PW_VERIFY_THEN_HASH,  /* both; hashes only when the password matched */
};

struct pw_result {
    int unavailable;      /* the server is stopping: the job never ran */
    int verified;         /* PW_VERIFY*: the password matched */
    int hashed;           /* PW_*HASH: hash holds the new hash */
    char hash[PW_HASH_MAX];
    int64_t tag;          /* what the handler passed to pwjob_submit */
};

/* Starts the hashing threads and the reset thread. 0 or -1. */
int authwork_start(const struct config *cfg);
/* Before MHD_stop_daemon: lets running hashes finish, answers queued ones
 * "unavailable", resumes every suspended connection, stops the threads. */
void authwork_stop(void);
/* After MHD_stop_daemon: frees what handlers could still have used. */
void authwork_free(void);

/* 1 with *out when this request's job is done (the handler was called
 * again after it), 0 when the request has no job. */
int pwjob_claim(struct request *r, struct pw_result *out);
/* An empty hash stands for an unknown account: the password is checked
 * against a dummy hash (same time) and never matches. */
/* Queues a job for this request and suspends its connection (sets
 * res->suspended; the handler then returns 0 without an answer). -1 with a
 * 503 (Retry-After) when the queue is full. */
int pwjob_submit(struct request *r, struct response *res, enum pw_op op, const char *hash,
                 const char *password, const char *new_password, int64_t tag, struct tb_err *err);

/* Hands an address to the reset thread; -1 when its queue is full. */
int reset_enqueue(const char *email);
/* Does the work of one reset request (h_auth.c; runs on the reset thread). */
void password_reset_work(struct store *st, const struct config *cfg, const char *email);

/* The process-wide limits (see h_auth.c for what counts where). */
struct auth_limits {
    struct throttle *fail_account;   /* failed logins per real account (never evicted) */
    struct throttle *fail_unknown;   /* failed logins per unregistered e-mail (bounded) */
    struct throttle *fail_address;   /* failed logins per client address (bounded) */
    struct throttle *ok_account;     /* successful logins per account */
    struct throttle *ok_address;     /* successful logins per client address */
    struct throttle *reset_address;  /* reset requests per client address */
    struct throttle *reset_account;  /* reset links mailed per account */
};
const struct auth_limits *auth_limits(void);
/* The limits' counters, kept in the database (store_cluster.h) so that they
 * hold across several servers on one database (issue 18); the same meaning
 * as throttle_check/hit/forgive/reset on `t`, which counts instead when the
 * database cannot be reached. */
int auth_limit_check(struct store *st, struct throttle *t, const char *key, int64_t now);
void auth_limit_hit(struct store *st, struct throttle *t, const char *key, int64_t now);
void auth_limit_forgive(struct store *st, struct throttle *t, const char *key);
void auth_limit_reset(struct store *st, struct throttle *t, const char *key);

#endif
