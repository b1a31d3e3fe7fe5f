/*
 * config.c - one table of options shared by parsing and --help.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#define OFF(field) offsetof(struct config, field)
#include <stddef.h>

enum kind { K_STR, K_INT, K_LONG, K_BOOL };

struct binding {
    size_t offset;
    enum kind kind;
    long min, max;
};

const struct config_option config_options[] = {
    {"--db", "TRADEBRIDGE_DB", "PATH", "tradebridge.db", "SQLite database file (created if missing)"},
    {"--listen", "TRADEBRIDGE_LISTEN", "HOST:PORT", "127.0.0.1:8080", "address to listen on; port 0 picks a free port"},
    {"--threads", "TRADEBRIDGE_THREADS", "N", "0", "worker threads; 0 = one per CPU core"},
    {"--public-url", "TRADEBRIDGE_PUBLIC_URL", "URL", "http://127.0.0.1:8080", "base URL used in links sent by mail"},
    {"--smtp-url", "TRADEBRIDGE_SMTP_URL", "URL", "", "SMTP relay, e.g. smtp://127.0.0.1:25; empty keeps mail in the outbox"},
    {"--smtp-from", "TRADEBRIDGE_SMTP_FROM", "ADDR", "tradebridge@localhost", "sender address of outgoing mail"},
    {"--smtp-user", "TRADEBRIDGE_SMTP_USER", "NAME", "", "SMTP user name (password only via TRADEBRIDGE_SMTP_PASSWORD); set, mail goes only over TLS"},
    {NULL, "TRADEBRIDGE_SMTP_PASSWORD", "SECRET", "", "SMTP password (environment only, never a flag)"},
    {"--secure-cookies", "TRADEBRIDGE_SECURE_COOKIES", "0|1", "0", "mark cookies Secure; set when served over TLS"},
    {"--max-body", "TRADEBRIDGE_MAX_BODY", "BYTES", "1048576", "largest request body accepted (413 above)"},
    {"--connection-timeout", "TRADEBRIDGE_CONNECTION_TIMEOUT", "SECONDS", "30", "idle connections are closed after this"},
    {"--request-timeout", "TRADEBRIDGE_REQUEST_TIMEOUT", "SECONDS", "15", "a request head must arrive within this; its body within this more plus 1 s per 64 KiB"},
    {"--max-connections-per-address", "TRADEBRIDGE_MAX_CONNECTIONS_PER_ADDRESS", "N", "32", "open connections one client address may hold; 0 = no limit"},
    {"--session-idle", "TRADEBRIDGE_SESSION_IDLE", "SECONDS", "7200", "a session ends after this long without a request"},
    {"--session-max", "TRADEBRIDGE_SESSION_MAX", "SECONDS", "43200", "a session ends this long after login"},
    {"--log-level", "TRADEBRIDGE_LOG_LEVEL", "LEVEL", "info", "debug, info (one line per request), warn or error"},
    {"--web-dir", "TRADEBRIDGE_WEB_DIR", "DIR", "", "serve the web UI from this folder instead of the copy built in"},
    {"--password-cost", "TRADEBRIDGE_PASSWORD_COST", "COST", "interactive", "Argon2id cost: interactive, moderate or min (tests only)"},
    {"--attachment-max", "TRADEBRIDGE_ATTACHMENT_MAX", "BYTES", "10485760",
     "largest file attached to a training deliverable (at most 50 MiB; 413 above)"},
    {NULL, "TRADEBRIDGE_KEK", "BASE64", "", "key-encryption key (32 bytes, base64) for signing keys at rest"},
    {"--trusted-proxies", "TRADEBRIDGE_TRUSTED_PROXIES", "LIST", "", "reverse proxies (addresses or CIDRs, comma-separated) whose X-Forwarded-For/Forwarded is believed"},
    {"--password-threads", "TRADEBRIDGE_PASSWORD_THREADS", "N", "0", "threads hashing passwords (Argon2id, 64 MiB each); 0 = one per CPU core"},
    {"--todo-mail-interval", "TRADEBRIDGE_TODO_MAIL_INTERVAL", "SECONDS", "60",
     "seconds between passes of the to-do mail (new items, daily digests); 0 = only `tradebridge todo mail`"},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct binding bindings[] = {
    {OFF(db_path), K_STR, 0, 0},
    {OFF(listen), K_STR, 0, 0},
    {OFF(threads), K_INT, 0, 256},
    {OFF(public_url), K_STR, 0, 0},
    {OFF(smtp_url), K_STR, 0, 0},
    {OFF(smtp_from), K_STR, 0, 0},
    {OFF(smtp_user), K_STR, 0, 0},
    {OFF(smtp_password), K_STR, 0, 0},
    {OFF(secure_cookies), K_BOOL, 0, 1},
    {OFF(max_body), K_LONG, 1024, 1L << 30},
    {OFF(connection_timeout), K_INT, 1, 3600},
    {OFF(request_timeout), K_INT, 1, 3600},
    {OFF(max_connections_per_address), K_INT, 0, 1000},
    {OFF(session_idle), K_INT, 60, 30 * 86400},
    {OFF(session_max), K_INT, 60, 90 * 86400},
    {OFF(log_level), K_STR, 0, 0},
    {OFF(web_dir), K_STR, 0, 0},
    {OFF(password_cost), K_STR, 0, 0},
    {OFF(attachment_max), K_LONG, 1024, 50L << 20},
    {OFF(key_encryption_key), K_STR, 0, 0},
    {OFF(trusted_proxies), K_STR, 0, 0},
    {OFF(password_threads), K_INT, 0, 64},
    {OFF(todo_mail_interval), K_INT, 0, 86400},
};

_Static_assert(sizeof bindings / sizeof bindings[0] == sizeof config_options / sizeof config_options[0] - 1,
               "one binding per option (the table ends with a NULL row)");

static int set_value(struct config *c, size_t i, const char *value, const char *name,
                     struct tb_err *err)
{
    const struct binding *b = &bindings[i];
    char *p = (char *)c + b->offset;
    if (b->kind == K_STR) {
        *(const char **)p = value;
        return 0;
    }
    char *end;
    long n = strtol(value, &end, 10);
    if (!*value || *end || n < b->min || n > b->max)
        return tb_error(err, TB_E_USAGE, name, "%s: expected a number from %ld to %ld, got '%s'",
                       name, b->min, b->max, value);
    if (b->kind == K_LONG)
        *(long *)p = n;
    else
        *(int *)p = (int)n;
    return 0;
}

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; config_options[i].env; i++) {
        struct tb_err ignored;
        set_value(c, i, config_options[i].deflt, config_options[i].env, &ignored);
    }
}

static int check(struct config *c, struct tb_err *err)
{
    static const char *const levels[] = {"debug", "info", "warn", "error"};
    int ok = 0;
    for (int i = 0; i < 4; i++)
        ok |= !strcmp(c->log_level, levels[i]);
    if (!ok)
        return tb_error(err, TB_E_USAGE, "--log-level", "--log-level: expected debug, info, warn or error");
    if (strcmp(c->password_cost, "interactive") && strcmp(c->password_cost, "moderate") &&
        strcmp(c->password_cost, "min"))
        return tb_error(err, TB_E_USAGE, "--password-cost", "--password-cost: expected interactive, moderate or min");
    const char *colon = strrchr(c->listen, ':');
    if (!colon || colon == c->listen || !colon[1])
        return tb_error(err, TB_E_USAGE, "--listen", "--listen: expected HOST:PORT, got '%s'", c->listen);
    if (strncmp(c->public_url, "http://", 7) && strncmp(c->public_url, "https://", 8))
        return tb_error(err, TB_E_USAGE, "--public-url", "--public-url: expected an http(s) URL");
    char bad[80];
    if (proxy_list_parse(c->trusted_proxies, &c->proxies, bad, sizeof bad) < 0)
        return tb_error(err, TB_E_USAGE, "--trusted-proxies",
                       "--trusted-proxies: '%s' is not an IP address or CIDR (at most %d entries)", bad,
                       PROXY_NETS_MAX);
    return 0;
}

int config_parse(struct config *c, int argc, char **argv,
                 const char *(*getenv_fn)(const char *), int *help_wanted, struct tb_err *err)
{
    *help_wanted = 0;
    for (size_t i = 0; config_options[i].env; i++) {
        const char *v = getenv_fn ? getenv_fn(config_options[i].env) : NULL;
        /* An empty variable is an unset one (VAR= in a unit file or shell). */
        if (v && *v && set_value(c, i, v, config_options[i].env, err) < 0)
            return -1;
    }
    for (int a = 1; a < argc; a++) {
        const char *arg = argv[a];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            *help_wanted = 1;
            return 0;
        }
        size_t i;
        const char *value = NULL;
        for (i = 0; config_options[i].env; i++) {
            const char *flag = config_options[i].flag;
            if (!flag)
                continue;
            size_t fl = strlen(flag);
            if (!strncmp(arg, flag, fl) && (arg[fl] == '\0' || arg[fl] == '=')) {
                if (arg[fl] == '=')
                    value = arg + fl + 1;
                else if (a + 1 < argc)
                    value = argv[++a];
                else
                    return tb_error(err, TB_E_USAGE, flag, "%s: needs a value", flag);
                break;
            }
        }
        if (!config_options[i].env)
            return tb_error(err, TB_E_USAGE, arg, "unknown option '%s' (see --help)", arg);
        if (set_value(c, i, value, config_options[i].flag, err) < 0)
            return -1;
    }
    return check(c, err);
}

void config_print_help(FILE *f, const char *usage)
{
    fprintf(f, "usage: %s\n\noptions (flag, environment variable, default):\n", usage);
    for (size_t i = 0; config_options[i].env; i++) {
        const struct config_option *o = &config_options[i];
        char left[64];
        snprintf(left, sizeof left, "%s %s", o->flag ? o->flag : "(env only)", o->meta);
        fprintf(f, "  %-28s %s\n  %-28s   env %s, default '%s'\n", left, o->help, "", o->env, o->deflt);
    }
}

int config_log_level(const struct config *c)
{
    static const char *const levels[] = {"debug", "info", "warn", "error"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(c->log_level, levels[i]))
            return i;
    return 1;
}
