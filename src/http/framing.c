/*
 * framing.c - request head checks that libmicrohttpd 0.9.75 does not make.
 *
 * Debian 12 ships libmicrohttpd 0.9.75 and nothing newer. It accepts bare LF
 * line ends, obs-fold (gluing the continuation onto the header *name*:
 * "Content-Length:\r\n 5" becomes a header "Content-Length5" with an empty
 * value, so the body is framed as empty), whitespace before the colon
 * ("Content-Length : 50" is another header than "Content-Length"), and a NUL
 * in the request target (the URL is cut there). With any of them the bytes
 * after the head can run as a second request, or be read differently by a
 * proxy in front.
 *
 * How we see the raw head: MHD parses the head in place in the connection's
 * read buffer and keeps pointers into it for names and values. It replaces the
 * CR and LF of every line end and the colon of every field line by NUL and
 * changes nothing else of a field line; the buffer is the last block taken from
 * the front of the connection's memory pool and only ever grows in place
 * (memorypool.c MHD_pool_reallocate), so the whole head stays where it was
 * received. From the pointers MHD hands us we can therefore tell whether
 *  - the name is exactly the bytes received before the colon (1*tchar),
 *  - the value follows its own name (NUL for the colon, then only SP/HT): a
 *    folded field's name was copied elsewhere to append the continuation,
 *  - each line ended in CR LF: two NULs follow the value, a bare LF leaves
 *    one, a NUL inside the line leaves text after it,
 *  - the request line is METHOD SP TARGET SP VERSION: the target as MHD first
 *    saw it (before unescaping) starts one byte after the method and its
 *    length reaches the space before the version, so it holds no NUL.
 * MHD also tells the head's size (MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE,
 * counted from the method), so the end of the head is checked exactly and
 * every byte read lies inside the head. This relies on how 0.9.75 parses; the probes in
 * tests/api/http_framing.test.mjs fail if another version parses differently.
 * Peeking at the socket (MSG_PEEK) instead would only see a connection's first
 * request: MHD has already read the next ones of a keep-alive connection.
 */
#include "http/framing.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct scan {
    struct framing *f;
    int content_lengths, transfer_encodings, hosts;
    const char *last_value;   /* of the last field line received */
    size_t last_len;
};

static int is_tchar(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

static enum MHD_Result refuse(struct scan *s, const char *why)
{
    s->f->problem = why;
    return MHD_NO;
}

static enum MHD_Result check_field(void *cls, enum MHD_ValueKind kind, const char *name,
                                   const char *value)
{
    (void)kind;
    struct scan *s = cls;
    size_t nlen = 0;
    while (name[nlen]) {
        if (!is_tchar((unsigned char)name[nlen]))
            return refuse(s, "a header name may hold only letters, digits and !#$%&'*+-.^_`|~ "
                             "(no whitespace before the colon)");
        nlen++;
    }
    if (!nlen || !value)
        return refuse(s, "a header line has no name or no value");
    /* In the buffer the value follows name, NUL (the colon), optional SP/HT.
     * Unsigned arithmetic: a name copied elsewhere gives a huge gap. */
    uintptr_t gap = (uintptr_t)value - (uintptr_t)(name + nlen + 1);
    if (gap > 256)
        return refuse(s, "a header value continues on the next line (obs-fold)");
    for (uintptr_t i = 0; i < gap; i++)
        if (name[nlen + 1 + i] != ' ' && name[nlen + 1 + i] != '\t')
            return refuse(s, "a header value continues on the next line (obs-fold)");
    size_t vlen = 0;
    for (; value[vlen]; vlen++) {
        unsigned char ch = (unsigned char)value[vlen];
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
            return refuse(s, "a header value holds a control character");
    }
    if (value[vlen + 1] != '\0')
        return refuse(s, "header lines must end in CR LF (bare LF or NUL in a header)");
    s->last_value = value;
    s->last_len = vlen;

    if (nlen == 14 && !strcasecmp(name, "Content-Length")) {
        if (s->content_lengths++)
            return refuse(s, "Content-Length appears more than once");
        if (!vlen || vlen > 15 || strspn(value, "0123456789") != vlen)
            return refuse(s, "Content-Length must be a decimal number");
        s->f->content_length = strtoll(value, NULL, 10);
    } else if (nlen == 17 && !strcasecmp(name, "Transfer-Encoding")) {
        if (s->transfer_encodings++)
            return refuse(s, "Transfer-Encoding appears more than once");
        if (strcasecmp(value, "chunked"))
            return refuse(s, "Transfer-Encoding: only chunked is accepted");
        s->f->chunked = 1;
    } else if (nlen == 4 && !strcasecmp(name, "Host")) {
        if (s->hosts++)
            return refuse(s, "Host appears more than once");
        if (strpbrk(value, " \t"))
            return refuse(s, "Host must not hold whitespace");
    }
    return MHD_YES;
}

int framing_check(struct MHD_Connection *conn, const char *method, const char *version,
                  const char *raw_uri, size_t raw_uri_len, struct framing *f)
{
    f->content_length = -1;
    f->chunked = 0;
    f->problem = NULL;
    /* The head is [method, method + size): MHD counts it up to the end of
     * the empty line. */
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    size_t vlen = version ? strlen(version) : 0;
    if (!ci || !vlen) {
        f->problem = "the request head could not be read";
        return -1;
    }
    uintptr_t head_end = (uintptr_t)method + ci->header_size;
    /* One space (now NUL) after the method, one before the HTTP version. */
    if (raw_uri && (uintptr_t)raw_uri - (uintptr_t)method != strlen(method) + 1) {
        f->problem = "the request line must be METHOD SP TARGET SP VERSION";
        return -1;
    }
    if (raw_uri && (uintptr_t)(version - 1) - (uintptr_t)raw_uri != (uintptr_t)raw_uri_len) {
        f->problem = "the request target holds a NUL byte";
        return -1;
    }
    struct scan s = {.f = f, .last_value = version, .last_len = vlen};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, check_field, &s);
    if (f->problem)
        return -1;
    /* The last line (request line if there are no fields) is followed by
     * its CR LF, then the empty line's CR LF, then the head ends. */
    if ((uintptr_t)s.last_value + s.last_len + 4 != head_end || s.last_value[s.last_len + 1] ||
        s.last_value[s.last_len + 2] || s.last_value[s.last_len + 3]) {
        f->problem = "the request head must end in CR LF CR LF";
        return -1;
    }
    if (s.last_value != version && version[vlen + 1] != '\0') {
        f->problem = "the request line must end in CR LF";
        return -1;
    }
    if (f->chunked && f->content_length >= 0) {
        f->problem = "send either Content-Length or Transfer-Encoding, not both";
        return -1;
    }
    if (f->chunked && strcmp(version, "HTTP/1.1")) {
        f->problem = "Transfer-Encoding needs HTTP/1.1";
        return -1;
    }
    return 0;
}
