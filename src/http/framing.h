/*
 * framing.h - refuses request heads that RFC 9112 says to refuse, from what
 * libmicrohttpd parsed (see framing.c for how the raw head is seen).
 */
#ifndef TB_FRAMING_H
#define TB_FRAMING_H

#include <microhttpd.h>
#include <stddef.h>

struct framing {
    long long content_length;   /* -1: none declared */
    int chunked;                /* Transfer-Encoding: chunked */
    const char *problem;        /* why the head is refused, NULL if it is not */
};

/* Checks the head of the request whose first access-handler call this is.
 * method and version are the handler's arguments (they point into the head); raw_uri/raw_uri_len are what
 * MHD_OPTION_URI_LOG_CALLBACK saw (NULL if none). Returns 0 or -1 with
 * f->problem set. Allocates nothing. */
int framing_check(struct MHD_Connection *conn, const char *method, const char *version,
                  const char *raw_uri, size_t raw_uri_len, struct framing *f);

#endif
