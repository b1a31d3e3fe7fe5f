/*
 * proxy.c - trusted reverse proxies and the client address behind them.
 */
#include "proxy.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int proxy_addr_parse(const char *text, unsigned char out[16])
{
    struct in_addr v4;
    if (inet_pton(AF_INET, text, &v4) == 1) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &v4, 4);
        return 0;
    }
    return inet_pton(AF_INET6, text, out) == 1 ? 0 : -1;
}

static int is_mapped_v4(const unsigned char a[16])
{
    static const unsigned char prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return !memcmp(a, prefix, 12);
}

static void addr_text(const unsigned char a[16], char out[CLIENT_ADDR_LEN])
{
    if (is_mapped_v4(a))
        inet_ntop(AF_INET, a + 12, out, CLIENT_ADDR_LEN);
    else
        inet_ntop(AF_INET6, a, out, CLIENT_ADDR_LEN);
}

int proxy_list_parse(const char *text, struct proxy_list *out, char *bad, size_t bad_len)
{
    memset(out, 0, sizeof *out);
    const char *p = text ? text : "";
    while (*p) {
        size_t n = strcspn(p, ", \t");
        if (n) {
            char item[80];
            snprintf(bad, bad_len, "%.*s", (int)n, p);
            if (n >= sizeof item || out->count == PROXY_NETS_MAX)
                return -1;
            memcpy(item, p, n);
            item[n] = '\0';
            struct proxy_net *net = &out->nets[out->count];
            char *slash = strchr(item, '/');
            if (slash)
                *slash = '\0';
            if (proxy_addr_parse(item, net->addr) < 0)
                return -1;
            int v4 = is_mapped_v4(net->addr) && strchr(item, '.');
            int max = v4 ? 32 : 128;
            net->bits = max;
            if (slash) {
                char *end;
                long bits = strtol(slash + 1, &end, 10);
                if (!slash[1] || *end || bits < 0 || bits > max)
                    return -1;
                net->bits = (int)bits;
            }
            if (v4)
                net->bits += 96;
            out->count++;
        }
        p += n;
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
    }
    if (bad_len)
        bad[0] = '\0';
    return 0;
}

static int in_net(const struct proxy_net *net, const unsigned char a[16])
{
    int full = net->bits / 8, rest = net->bits % 8;
    if (memcmp(net->addr, a, (size_t)full))
        return 0;
    if (!rest)
        return 1;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (net->addr[full] & mask) == (a[full] & mask);
}

int proxy_trusted(const struct proxy_list *l, const unsigned char addr[16])
{
    for (int i = 0; l && i < l->count; i++)
        if (in_net(&l->nets[i], addr))
            return 1;
    return 0;
}

/* One hop as a proxy writes it: "1.2.3.4", "1.2.3.4:80", "2001:db8::1",
 * "[2001:db8::1]:80", optionally quoted. 0 or -1 ("unknown", "_hidden", junk). */
static int hop_parse(const char *s, size_t n, unsigned char out[16])
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
        s++, n -= 2;
    char buf[80];
    if (!n || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *text = buf;
    if (buf[0] == '[') {
        char *close = strchr(buf, ']');
        if (!close)
            return -1;
        *close = '\0';
        text = buf + 1;
    } else {
        char *colon = strchr(buf, ':');
        if (colon && !strchr(colon + 1, ':'))
            *colon = '\0';   /* IPv4 with a port */
    }
    return proxy_addr_parse(text, out);
}

/* Collects the for= values of a Forwarded header into a comma list. */
static void forwarded_for(const char *fwd, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (const char *p = fwd; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ';' || *p == ',')
            p++;
        size_t n = strcspn(p, ";,");
        if (n > 4 && !strncasecmp(p, "for=", 4)) {
            if (used + n >= len) {   /* too long to judge: believe none of it */
                out[0] = '\0';
                return;
            }
            used += (size_t)snprintf(out + used, len - used, "%s%.*s", used ? "," : "", (int)(n - 4), p + 4);
        }
        p += n;
    }
}

void proxy_client_addr(const struct proxy_list *trusted, const char *peer, const char *xff,
                       const char *forwarded, char out[CLIENT_ADDR_LEN])
{
    unsigned char a[16];
    snprintf(out, CLIENT_ADDR_LEN, "%s", peer ? peer : "");
    if (!peer || proxy_addr_parse(peer, a) < 0 || !proxy_trusted(trusted, a))
        return;
    char fwd[1024];
    const char *list = xff;
    if (!list || !*list) {
        if (!forwarded)
            return;
        forwarded_for(forwarded, fwd, sizeof fwd);
        list = fwd;
    }
    /* Right to left: each trusted hop vouches for the one before it. The
     * first address not trusted is the client; junk ends the walk at the
     * last trusted hop, which is then the best we know. */
    size_t end = strlen(list);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && list[start - 1] != ',')
            start--;
        unsigned char hop[16];
        if (hop_parse(list + start, end - start, hop) < 0)
            return;
        addr_text(hop, out);
        if (!proxy_trusted(trusted, hop))
            return;
        end = start ? start - 1 : 0;
    }
}

void proxy_throttle_key(const char *addr, char out[CLIENT_ADDR_LEN + 8])
{
    unsigned char a[16];
    if (!strchr(addr, ':') || proxy_addr_parse(addr, a) < 0 || is_mapped_v4(a)) {
        snprintf(out, CLIENT_ADDR_LEN + 8, "%s", addr);
        return;
    }
    memset(a + 8, 0, 8);
    char text[CLIENT_ADDR_LEN];
    inet_ntop(AF_INET6, a, text, sizeof text);
    snprintf(out, CLIENT_ADDR_LEN + 8, "%s/64", text);
}
