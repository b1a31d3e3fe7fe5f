/*
 * config.h - server configuration from flags and environment.
 *
 * Precedence: command-line flag, then TRADEBRIDGE_* environment variable,
 * then the default. The same table drives parsing, `serve --help` and the
 * README, so they cannot drift apart.
 */
#ifndef TB_CONFIG_H
#define TB_CONFIG_H

#include <stdio.h>

#include "core/error.h"
#include "core/proxy.h"

struct config {
    const char *db_path;
    const char *listen;            /* host:port; port 0 picks a free one */
    int threads;                   /* 0 = one per core */
    const char *public_url;        /* base of links in mail */
    const char *smtp_url;          /* smtp://host:port; empty = mail waits in the outbox */
    const char *smtp_from;
    const char *smtp_user;
    const char *smtp_password;
    int secure_cookies;            /* set the Secure flag (behind TLS) */
    long max_body;                 /* bytes */
    int connection_timeout;        /* seconds a connection may stay idle */
    int request_timeout;           /* seconds to receive a request head (body: more, see server.c) */
    int max_connections_per_address; /* 0 = no limit */
    int session_idle;              /* seconds without a request before a session ends */
    int session_max;               /* seconds after login a session ends regardless */
    const char *log_level;         /* debug, info, warn, error */
    const char *web_dir;           /* serve the UI from this folder instead of the binary */
    const char *password_cost;     /* interactive, moderate, min */
    long attachment_max;           /* bytes: a deliverable's file (training) */
    const char *key_encryption_key;/* base64 32 bytes: encrypts signing keys at rest */
    const char *trusted_proxies;   /* addresses/CIDRs whose X-Forwarded-For is believed */
    struct proxy_list proxies;     /* trusted_proxies, parsed by config_parse */
    int password_threads;          /* Argon2id threads; 0 = one per core */
    int todo_mail_interval;        /* seconds between to-do mail passes; 0 = none (issue 17) */
};

struct config_option {
    const char *flag;     /* --db */
    const char *env;      /* TRADEBRIDGE_DB */
    const char *meta;     /* PATH */
    const char *deflt;
    const char *help;
};

extern const struct config_option config_options[];

void config_defaults(struct config *c);
/* Reads the environment through getenv_fn (tests pass their own), then argv
 * (argv[0] is the subcommand name). Unknown flags and bad values fail with
 * the flag named in err->field. *help_wanted is set for --help. */
int config_parse(struct config *c, int argc, char **argv,
                 const char *(*getenv_fn)(const char *), int *help_wanted, struct tb_err *err);
void config_print_help(FILE *f, const char *usage);
int config_log_level(const struct config *c);   /* 0 debug .. 3 error */

#endif
