/*
 * deadline.c - request deadlines for slow clients (see deadline.h).
 *
 * A connection's phase and its time in milliseconds share one atomic word,
 * written by the MHD worker thread that serves the connection and read by the
 * reaper, so the per-request cost is three relaxed stores and no lock.
 *   first head: the deadline, counted from the connection opening (a client
 *               that connects sends its request at once; nginx's
 *               client_header_timeout counts the same way);
 *   next head:  when the previous answer went out. Waiting for the next
 *               request is idle time (--connection-timeout, MHD's timer); the
 *               head deadline starts with its first byte, which the reaper
 *               learns from the kernel (TCP_INFO tcpi_last_data_recv);
 *   body:       the deadline, set when the head is complete;
 *   reply:      no deadline (a slow reader is MHD's idle timeout's business).
 *
 * No fd-reuse race: a connection is tracked from MHD's STARTED notification
 * and untracked in its CLOSED notification, which MHD 0.9.75 sends before it
 * closes the socket (daemon.c MHD_cleanup_connections and the failure path of
 * new_connection_process_). Untracking and the reaper's shutdown() both hold
 * conns_lock, so the reaper only ever shuts down a socket MHD still owns.
 * shutdown() rather than close(): MHD sees the end of the stream and closes
 * the connection in its own thread.
 */
#include "http/deadline.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

enum phase { PH_FIRST_HEAD, PH_NEXT_HEAD, PH_BODY, PH_REPLY };

struct deadline_conn {
    struct deadline_conn *prev, *next;
    int fd;
    _Atomic uint64_t phase;   /* milliseconds << 2 | enum phase */
    uint64_t seen;            /* reaper only: the phase word it last looked at */
    uint64_t head_since;      /* reaper only: first byte of the next head */
    int reaped;               /* reaper only */
    const char *raw_uri;      /* worker only */
    size_t raw_uri_len;
};

static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t reaper_wake;
static pthread_t reaper;
static int reaper_running, reaper_stop;
static struct deadline_conn *conns;
static uint64_t timeout_ms;
static atomic_ulong closed_total;

/* Bytes per second a body must at least arrive at (beyond the head timeout). */
#define BODY_RATE (64u * 1024u)
/* Scan interval: how late past its deadline a connection may be closed. */
#define SCAN_MS 250

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void set_phase(struct deadline_conn *t, enum phase p, uint64_t ms)
{
    if (t)
        atomic_store_explicit(&t->phase, ms << 2 | p, memory_order_relaxed);
}

/* Reaper side, under conns_lock: is this connection's request late? */
static int late(struct deadline_conn *t, uint64_t now)
{
    uint64_t v = atomic_load_explicit(&t->phase, memory_order_relaxed);
    uint64_t ms = v >> 2;
    switch ((enum phase)(v & 3)) {
    case PH_FIRST_HEAD:
    case PH_BODY:
        return now > ms;
    case PH_NEXT_HEAD:
        if (t->seen != v) {
            t->seen = v;
            t->head_since = 0;
        }
        if (!t->head_since) {
            struct tcp_info ti;
            socklen_t len = sizeof ti;
            if (getsockopt(t->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0 || ti.tcpi_last_data_recv > now)
                return 0;
            /* Data that came in after the answer went out (20 ms: the
             * kernel's clock ticks coarser than ours). */
            uint64_t received = now - ti.tcpi_last_data_recv;
            if (received > ms + 20)
                t->head_since = received;
        }
        return t->head_since && now > t->head_since + timeout_ms;
    case PH_REPLY:
        break;
    }
    return 0;
}

static void *reaper_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&conns_lock);
    while (!reaper_stop) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += SCAN_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&reaper_wake, &conns_lock, &until);
        uint64_t now = now_ms();
        for (struct deadline_conn *t = conns; t; t = t->next) {
            if (!t->reaped && late(t, now)) {
                t->reaped = 1;
                shutdown(t->fd, SHUT_RDWR);
                atomic_fetch_add(&closed_total, 1);
            }
        }
    }
    pthread_mutex_unlock(&conns_lock);
    return NULL;
}

int deadline_start(int request_timeout)
{
    timeout_ms = (uint64_t)request_timeout * 1000u;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&reaper_wake, &attr);
    pthread_condattr_destroy(&attr);
    reaper_stop = 0;
    if (pthread_create(&reaper, NULL, reaper_main, NULL) != 0) {
        pthread_cond_destroy(&reaper_wake);
        return -1;
    }
    reaper_running = 1;
    return 0;
}

void deadline_stop(void)
{
    if (!reaper_running)
        return;
    pthread_mutex_lock(&conns_lock);
    reaper_stop = 1;
    pthread_cond_signal(&reaper_wake);
    pthread_mutex_unlock(&conns_lock);
    pthread_join(reaper, NULL);
    pthread_cond_destroy(&reaper_wake);
    reaper_running = 0;
}

void deadline_track(struct MHD_Connection *conn, void **socket_context)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct deadline_conn *t = ci ? calloc(1, sizeof *t) : NULL;
    *socket_context = t;
    if (!t)
        return;   /* untracked: only MHD's idle timeout applies */
    t->fd = ci->connect_fd;
    set_phase(t, PH_FIRST_HEAD, now_ms() + timeout_ms);
    pthread_mutex_lock(&conns_lock);
    t->next = conns;
    if (conns)
        conns->prev = t;
    conns = t;
    pthread_mutex_unlock(&conns_lock);
}

void deadline_untrack(void **socket_context)
{
    struct deadline_conn *t = *socket_context;
    if (!t)
        return;
    pthread_mutex_lock(&conns_lock);
    if (t->prev)
        t->prev->next = t->next;
    else
        conns = t->next;
    if (t->next)
        t->next->prev = t->prev;
    pthread_mutex_unlock(&conns_lock);
    free(t);
    *socket_context = NULL;
}

struct deadline_conn *deadline_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

void deadline_head_done(struct deadline_conn *t, size_t body_bytes)
{
    set_phase(t, PH_BODY, now_ms() + timeout_ms + (uint64_t)body_bytes * 1000u / BODY_RATE);
}

void deadline_request_done(struct deadline_conn *t)
{
    set_phase(t, PH_REPLY, 0);
}

void deadline_idle(struct deadline_conn *t)
{
    set_phase(t, PH_NEXT_HEAD, now_ms());
}

void deadline_set_raw_uri(struct deadline_conn *t, const char *uri)
{
    if (!t)
        return;
    t->raw_uri = uri;
    t->raw_uri_len = uri ? strlen(uri) : 0;
}

const char *deadline_raw_uri(const struct deadline_conn *t, size_t *len)
{
    *len = t ? t->raw_uri_len : 0;
    return t ? t->raw_uri : NULL;
}

unsigned long deadline_closed_total(void)
{
    return atomic_load(&closed_total);
}
