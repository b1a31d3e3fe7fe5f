/*
 * proxy.h - which address a request comes from when reverse proxies sit in
 * front: the socket address, unless that is a trusted proxy; then the
 * right-most address in X-Forwarded-For (or Forwarded: for=) that is not a
 * trusted proxy itself. Pure functions; the HTTP layer supplies the headers.
 */
#ifndef TB_PROXY_H
#define TB_PROXY_H

#include <stddef.h>

#define PROXY_NETS_MAX 32
#define CLIENT_ADDR_LEN 64

/* One address range; IPv4 is kept as IPv4-mapped IPv6 (::ffff:a.b.c.d). */
struct proxy_net {
    unsigned char addr[16];
    int bits;
};

struct proxy_list {
    struct proxy_net nets[PROXY_NETS_MAX];
    int count;
};

/* Parses "127.0.0.1, 10.0.0.0/8 ::1 fd00::/8" (commas or spaces). 0, or -1
 * with the offending item copied to bad. */
int proxy_list_parse(const char *text, struct proxy_list *out, char *bad, size_t bad_len);

/* Text of an IPv4 or IPv6 address to 16 bytes (IPv4 mapped); 0 or -1. */
int proxy_addr_parse(const char *text, unsigned char out[16]);
int proxy_trusted(const struct proxy_list *l, const unsigned char addr[16]);

/*
 * The client address of a request that arrived from socket address `peer`
 * (text). xff: the X-Forwarded-For values joined with commas, or NULL;
 * forwarded: the Forwarded header values, or NULL (used when there is no
 * X-Forwarded-For). The headers are believed only when `peer` is trusted.
 */
void proxy_client_addr(const struct proxy_list *trusted, const char *peer, const char *xff,
                       const char *forwarded, char out[CLIENT_ADDR_LEN]);

/* The key the login throttle counts an address under: IPv6 addresses by
 * their /64 (one subscriber usually holds a whole /64), IPv4 as is. */
void proxy_throttle_key(const char *addr, char out[CLIENT_ADDR_LEN + 8]);

#endif
