/*
 * deadline.h - bounds the time a client may take to send a request.
 *
 * libmicrohttpd 0.9.75's connection timeout counts idle time only, so a client
 * that sends a byte a second keeps a connection for ever. Every connection is
 * tracked from MHD's STARTED to its CLOSED notification; a reaper thread shuts
 * down the socket of one whose request head or body is late.
 */
#ifndef TB_DEADLINE_H
#define TB_DEADLINE_H

#include <microhttpd.h>
#include <stddef.h>

struct deadline_conn;

/* Starts the reaper. request_timeout: seconds for a head; a body gets that
 * again plus one second per 64 KiB. */
int deadline_start(int request_timeout);
void deadline_stop(void);

/* MHD_OPTION_NOTIFY_CONNECTION calls these (STARTED / CLOSED). */
void deadline_track(struct MHD_Connection *conn, void **socket_context);
void deadline_untrack(void **socket_context);

/* The tracked state of conn (NULL if it could not be tracked). */
struct deadline_conn *deadline_of(struct MHD_Connection *conn);
/* The head is in; body_bytes: the declared or largest possible body. */
void deadline_head_done(struct deadline_conn *t, size_t body_bytes);
/* The whole request is in (answering now). */
void deadline_request_done(struct deadline_conn *t);
/* The answer went out: waiting for the next request on this connection. */
void deadline_idle(struct deadline_conn *t);

/* The request target as MHD_OPTION_URI_LOG_CALLBACK saw it (framing.c). */
void deadline_set_raw_uri(struct deadline_conn *t, const char *uri);
const char *deadline_raw_uri(const struct deadline_conn *t, size_t *len);

/* Connections closed because a request was late, since start. */
unsigned long deadline_closed_total(void);

#endif
