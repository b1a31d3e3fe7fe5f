/*
 * authwork.c - the password-hashing pool (suspend/resume), the reset thread
 * and the sign-in limits. See authwork.h.
 */
#include "http/authwork.h"

#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/throttle.h"
#include "store/store_cluster.h"

/* The request's job id travels in a value added to the request itself
 * (MHD_set_connection_value): it lives exactly as long as the request, so a
 * result can only be claimed by the request that queued it. */
#define JOB_VALUE "X-Tradebridge-Internal-Pw-Job"
#define JOBS_PER_THREAD 8        /* queued or running, per hashing thread */
#define DONE_SLOTS_PER_THREAD 24 /* finished, waiting for their handler */
#define UNCLAIMED_SECONDS 10     /* a result nobody claimed (client gone) */
#define RESET_QUEUE 256

enum slot_state { SLOT_FREE, SLOT_QUEUED, SLOT_RUNNING, SLOT_DONE };

struct job {
    enum slot_state state;
    uint64_t seq;
    char id[33];
    struct MHD_Connection *conn;
    enum pw_op op;
    char hash[PW_HASH_MAX];
    char password[PW_MAX_LEN + 1], new_password[PW_MAX_LEN + 1];
    struct pw_result result;
    int64_t done_at;
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t work, reset_work;
    struct job *jobs;
    int nslots, max_pending, pending, nthreads, stopping;
    uint64_t seq;
    pthread_t *threads;
    /* reset requests */
    char (*emails)[256];
    int reset_head, reset_len, reset_started;
    pthread_t reset_thread;
    const struct config *cfg;
    struct auth_limits limits;
    /* What each limit is called in the database and its numbers (issue 18). */
    struct limit_def { const struct throttle *t; const char *bucket; int max, window; } defs[7];
    int ndefs;
} w = {.lock = PTHREAD_MUTEX_INITIALIZER,
       .work = PTHREAD_COND_INITIALIZER,
       .reset_work = PTHREAD_COND_INITIALIZER};

const struct auth_limits *auth_limits(void)
{
    return &w.limits;
}

static void job_clear(struct job *j)
{
    sodium_memzero(j, sizeof *j);
}

static char dummy_hash[PW_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

/* Unknown accounts are checked against a real hash too, so the time a
 * failed login takes does not reveal whether the address is registered. */
static void make_dummy_hash(void)
{
    struct tb_err e;
    auth_hash_password("not-a-real-password-0123456789", dummy_hash, &e);
}

static void job_run(struct job *j)
{
    struct pw_result *res = &j->result;
    struct tb_err err;
    pthread_once(&dummy_once, make_dummy_hash);
    if (j->op != PW_HASH)
        res->verified = auth_check_password(j->hash[0] ? j->hash : dummy_hash, j->password) == 0 &&
                        j->hash[0];
    if (j->op == PW_HASH || (j->op == PW_VERIFY_THEN_HASH && res->verified))
        res->hashed = auth_hash_password(j->new_password, res->hash, &err) == 0;
    sodium_memzero(j->password, sizeof j->password);
    sodium_memzero(j->new_password, sizeof j->new_password);
}

static void *hash_thread(void *arg)
{
    (void)arg;
    /* Below the request workers (Linux nices threads one by one): a worker
     * that wakes up for a request gets the CPU ahead of a running hash. */
    setpriority(PRIO_PROCESS, (id_t)gettid(), 10);
    pthread_mutex_lock(&w.lock);
    for (;;) {
        struct job *next = NULL;
        for (int i = 0; i < w.nslots; i++)
            if (w.jobs[i].state == SLOT_QUEUED && (!next || w.jobs[i].seq < next->seq))
                next = &w.jobs[i];
        if (!next) {
            if (w.stopping)
                break;
            pthread_cond_wait(&w.work, &w.lock);
            continue;
        }
        next->state = SLOT_RUNNING;
        pthread_mutex_unlock(&w.lock);
        job_run(next);
        pthread_mutex_lock(&w.lock);
        next->state = SLOT_DONE;
        next->done_at = time(NULL);
        w.pending--;
        struct MHD_Connection *conn = next->conn;
        /* Resumed under the lock: authwork_stop cannot return (and the
         * daemon stop) before every connection it knows of is resumed. */
        MHD_resume_connection(conn);
    }
    pthread_mutex_unlock(&w.lock);
    return NULL;
}

static enum MHD_Result find_job(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    void **ctx = cls;   /* {request, found job} */
    struct request *r = ctx[0];
    if (strcmp(key, JOB_VALUE) || !value)
        return MHD_YES;
    for (int i = 0; i < w.nslots; i++) {
        struct job *j = &w.jobs[i];
        if (j->state == SLOT_DONE && j->conn == r->conn && !strcmp(j->id, value)) {
            ctx[1] = j;
            return MHD_NO;
        }
    }
    return MHD_YES;
}

int pwjob_claim(struct request *r, struct pw_result *out)
{
    void *ctx[2] = {r, NULL};
    pthread_mutex_lock(&w.lock);
    if (w.jobs)
        MHD_get_connection_values(r->conn, MHD_HEADER_KIND, find_job, ctx);
    struct job *j = ctx[1];
    if (j) {
        *out = j->result;
        job_clear(j);
    }
    pthread_mutex_unlock(&w.lock);
    return j != NULL;
}

int pwjob_submit(struct request *r, struct response *res, enum pw_op op, const char *hash,
                 const char *password, const char *new_password, int64_t tag, struct tb_err *err)
{
    int64_t now = time(NULL);
    struct job *slot = NULL;
    pthread_mutex_lock(&w.lock);
    for (int i = 0; w.jobs && i < w.nslots; i++) {
        struct job *j = &w.jobs[i];
        if (j->state == SLOT_DONE && now - j->done_at > UNCLAIMED_SECONDS)
            job_clear(j);
        if (j->state == SLOT_FREE && !slot)
            slot = j;
    }
    if (!slot || w.stopping || w.pending >= w.max_pending) {
        pthread_mutex_unlock(&w.lock);
        res->retry_after = "1";
        return tb_error(err, TB_E_BUSY, "", "the server is busy signing people in; try again in a second");
    }
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(slot->id, sizeof slot->id, raw, sizeof raw);
    const char *id = arena_strdup(r->arena, slot->id);
    if (!id || MHD_set_connection_value(r->conn, MHD_HEADER_KIND, JOB_VALUE, id) != MHD_YES) {
        job_clear(slot);
        pthread_mutex_unlock(&w.lock);
        return TB_INTERNAL(err, "could not queue the password check");
    }
    slot->state = SLOT_QUEUED;
    slot->seq = ++w.seq;
    slot->conn = r->conn;
    slot->op = op;
    slot->result.tag = tag;
    snprintf(slot->hash, sizeof slot->hash, "%s", hash ? hash : "");
    snprintf(slot->password, sizeof slot->password, "%s", password ? password : "");
    snprintf(slot->new_password, sizeof slot->new_password, "%s", new_password ? new_password : "");
    w.pending++;
    MHD_suspend_connection(r->conn);
    res->suspended = 1;
    pthread_cond_signal(&w.work);
    pthread_mutex_unlock(&w.lock);
    return 0;
}

/* ---- hashing on the caller's thread (http.h) ------------------------------------ */

static sem_t inline_slots;

void http_pwhash_enter(void)
{
    while (sem_wait(&inline_slots) != 0 && errno == EINTR)
        ;
}

void http_pwhash_leave(void)
{
    sem_post(&inline_slots);
}

/* ---- reset requests ---------------------------------------------------------- */

int reset_enqueue(const char *email)
{
    pthread_mutex_lock(&w.lock);
    int ok = w.reset_started && !w.stopping && w.reset_len < RESET_QUEUE;
    if (ok) {
        snprintf(w.emails[(w.reset_head + w.reset_len) % RESET_QUEUE], sizeof w.emails[0], "%s", email);
        w.reset_len++;
        pthread_cond_signal(&w.reset_work);
    }
    pthread_mutex_unlock(&w.lock);
    return ok ? 0 : -1;
}

static void *reset_thread(void *arg)
{
    (void)arg;
    struct store *st = NULL;
    struct tb_err err;
    pthread_mutex_lock(&w.lock);
    for (;;) {
        if (!w.reset_len) {
            if (w.stopping)
                break;
            pthread_cond_wait(&w.reset_work, &w.lock);
            continue;
        }
        char email[256];
        memcpy(email, w.emails[w.reset_head], sizeof email);
        w.reset_head = (w.reset_head + 1) % RESET_QUEUE;
        w.reset_len--;
        pthread_mutex_unlock(&w.lock);
        if (!st && store_open(w.cfg->db_path, &st, &err) < 0) {
            fprintf(stderr, "tradebridge: password reset: %s\n", err.message);
            st = NULL;
        }
        if (st)
            password_reset_work(st, w.cfg, email);
        pthread_mutex_lock(&w.lock);
    }
    pthread_mutex_unlock(&w.lock);
    if (st)
        store_close(st);
    return NULL;
}

/* ---- limits shared through the database (issue 18) ----------------------------- */

static struct throttle *limit_new(const char *bucket, int max, int window, size_t capacity)
{
    struct throttle *t = throttle_new(max, window, capacity);
    w.defs[w.ndefs++] = (struct limit_def){t, bucket, max, window};
    return t;
}

static const struct limit_def *limit_def(const struct throttle *t)
{
    for (int i = 0; i < w.ndefs; i++)
        if (w.defs[i].t == t)
            return &w.defs[i];
    return NULL;
}

/* The counters live in the database, so the limit holds across every
 * server on it; when the database cannot be reached, this process's own
 * table counts instead (core/throttle.h). */
int auth_limit_check(struct store *st, struct throttle *t, const char *key, int64_t now)
{
    const struct limit_def *d = limit_def(t);
    struct tb_err err;
    int wait;
    if (d && store_throttle_check(st, d->bucket, key, d->max, d->window, now, &wait, &err) == 0)
        return wait;
    return throttle_check(t, key, now);
}

void auth_limit_hit(struct store *st, struct throttle *t, const char *key, int64_t now)
{
    const struct limit_def *d = limit_def(t);
    struct tb_err err;
    if (!d || store_throttle_hit(st, d->bucket, key, d->window, now, &err) < 0)
        throttle_hit(t, key, now);
}

void auth_limit_forgive(struct store *st, struct throttle *t, const char *key)
{
    const struct limit_def *d = limit_def(t);
    struct tb_err err;
    if (!d || store_throttle_forgive(st, d->bucket, key, &err) < 0)
        throttle_forgive(t, key);
}

void auth_limit_reset(struct store *st, struct throttle *t, const char *key)
{
    const struct limit_def *d = limit_def(t);
    struct tb_err err;
    if (!d || store_throttle_reset(st, d->bucket, key, &err) < 0)
        throttle_reset(t, key);
}

/* ---- lifecycle --------------------------------------------------------------- */

int authwork_start(const struct config *cfg)
{
    w.cfg = cfg;
    struct auth_limits *l = &w.limits;
    /* Bounded tables hold 4096 keys; see throttle.h for why a flood of made-up
     * keys can only push out other made-up keys, never an account's count. */
    w.ndefs = 0;
    l->fail_account = limit_new("fail_account", 5, 15 * 60, 0);
    l->fail_unknown = limit_new("fail_unknown", 5, 15 * 60, 4096);
    l->fail_address = limit_new("fail_address", 30, 15 * 60, 4096);
    l->ok_account = limit_new("ok_account", 10, 60, 0);
    l->ok_address = limit_new("ok_address", 30, 60, 4096);
    l->reset_address = limit_new("reset_address", 10, 15 * 60, 4096);
    l->reset_account = limit_new("reset_account", 3, 60 * 60, 0);
    int n = cfg->password_threads > 0 ? cfg->password_threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    w.nthreads = 0;
    sem_init(&inline_slots, 0, (unsigned)n);
    w.max_pending = n * JOBS_PER_THREAD;
    w.nslots = n * (JOBS_PER_THREAD + DONE_SLOTS_PER_THREAD);
    w.jobs = calloc((size_t)w.nslots, sizeof *w.jobs);
    w.threads = calloc((size_t)n, sizeof *w.threads);
    w.emails = calloc(RESET_QUEUE, sizeof *w.emails);
    if (!l->fail_account || !l->fail_unknown || !l->fail_address || !l->ok_account || !l->ok_address ||
        !l->reset_address || !l->reset_account || !w.jobs || !w.threads || !w.emails)
        return -1;
    for (; w.nthreads < n; w.nthreads++)
        if (pthread_create(&w.threads[w.nthreads], NULL, hash_thread, NULL) != 0)
            return -1;
    if (pthread_create(&w.reset_thread, NULL, reset_thread, NULL) != 0)
        return -1;
    w.reset_started = 1;
    return 0;
}

void authwork_stop(void)
{
    pthread_mutex_lock(&w.lock);
    w.stopping = 1;
    for (int i = 0; w.jobs && i < w.nslots; i++) {
        struct job *j = &w.jobs[i];
        if (j->state != SLOT_QUEUED)
            continue;
        sodium_memzero(j->password, sizeof j->password);
        sodium_memzero(j->new_password, sizeof j->new_password);
        j->result.unavailable = 1;
        j->state = SLOT_DONE;
        j->done_at = time(NULL);
        w.pending--;
        MHD_resume_connection(j->conn);
    }
    pthread_cond_broadcast(&w.work);
    pthread_cond_broadcast(&w.reset_work);
    pthread_mutex_unlock(&w.lock);
    for (int i = 0; i < w.nthreads; i++)
        pthread_join(w.threads[i], NULL);
    w.nthreads = 0;
    if (w.reset_started)
        pthread_join(w.reset_thread, NULL);
    w.reset_started = 0;
}

void authwork_free(void)
{
    struct auth_limits *l = &w.limits;
    throttle_free(l->fail_account);
    throttle_free(l->fail_unknown);
    throttle_free(l->fail_address);
    throttle_free(l->ok_account);
    throttle_free(l->ok_address);
    throttle_free(l->reset_address);
    throttle_free(l->reset_account);
    memset(l, 0, sizeof *l);
    sem_destroy(&inline_slots);
    if (w.jobs)
        sodium_memzero(w.jobs, (size_t)w.nslots * sizeof *w.jobs);
    free(w.jobs);
    free(w.threads);
    free(w.emails);
    w.jobs = NULL;
    w.threads = NULL;
    w.emails = NULL;
}
