/*
 * mail_service.c - outbox delivery (the server runs it in a thread; a command
 * may call mailer_deliver_due itself). Mail is written to the outbox in the same
 * transaction as the change that causes it, so nothing is lost if the relay
 * is down; this thread retries with growing pauses.
 */
#include "service/mail_service.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "service/todo_service.h"
#include "store/store_cluster.h"

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int running, woken;
static const struct config *mcfg;

struct payload {
    const char *data;
    size_t len, pos;
};

static size_t read_payload(char *buf, size_t size, size_t nmemb, void *userp)
{
    struct payload *p = userp;
    size_t room = size * nmemb, left = p->len - p->pos;
    size_t n = left < room ? left : room;
    memcpy(buf, p->data + p->pos, n);
    p->pos += n;
    return n;
}

/* RFC 2047 encoded-word for a subject that is not plain ASCII. */
static const char *header_text(struct arena *a, const char *s)
{
    int ascii = 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0x80 || *p < 0x20)
            ascii = 0;
    if (ascii)
        return s;
    size_t n = strlen(s);
    size_t blen = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = arena_alloc(a, blen);
    if (!b64)
        return NULL;
    sodium_bin2base64(b64, blen, (const unsigned char *)s, n, sodium_base64_VARIANT_ORIGINAL);
    return arena_printf(a, "=?UTF-8?B?%s?=", b64);
}

/* The message as RFC 5322 text with CRLF line ends, in a; NULL when out of memory. */
static const char *compose(struct arena *a, const struct config *cfg, const struct outbox_row *m, size_t *len)
{
    char date[64], msgid[80];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    snprintf(msgid, sizeof msgid, "<outbox-%lld-%lld@tradebridge>", (long long)m->id, (long long)t);
    const char *subject = header_text(a, m->subject);
    if (!subject)
        return NULL;
    struct abuf msg;
    abuf_init(&msg, a, 4u << 20);
    abuf_printf(&msg, "Date: %s\r\nTo: <%s>\r\nFrom: TradeBridge <%s>\r\nMessage-ID: %s\r\n"
                      "Subject: %s\r\nMIME-Version: 1.0\r\n"
                      "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
                date, m->to, cfg->smtp_from, msgid, subject);
    for (const char *p = m->body; *p; p++) {
        if (*p == '\n' && (p == m->body || p[-1] != '\r'))
            abuf_append(&msg, "\r", 1);
        abuf_append(&msg, p, 1);
    }
    abuf_puts(&msg, "\r\n");
    *len = msg.len;
    return msg.failed ? NULL : abuf_cstr(&msg);   /* a failed append is sticky */
}

static int send_one(const struct config *cfg, const struct outbox_row *m, char *error, size_t errlen)
{
    struct arena *a = arena_new(0);
    size_t len = 0;
    const char *text = a ? compose(a, cfg, m, &len) : NULL;
    CURL *curl = text ? curl_easy_init() : NULL;
    struct curl_slist *rcpt = curl ? curl_slist_append(NULL, m->to) : NULL;
    if (!rcpt) {
        snprintf(error, errlen, "out of memory");
        if (curl)
            curl_easy_cleanup(curl);
        arena_free(a);
        return -1;
    }
    struct payload pl = {text, len, 0};
    char from[320];
    snprintf(from, sizeof from, "<%s>", cfg->smtp_from);
    curl_easy_setopt(curl, CURLOPT_URL, cfg->smtp_url);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_payload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &pl);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    int credentials = cfg->smtp_user && *cfg->smtp_user;
    if (credentials) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, cfg->smtp_user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, cfg->smtp_password ? cfg->smtp_password : "");
        /* Credentials only over TLS: with STARTTLS merely tried, a man in the
         * middle who strips it from the server's answer gets the password. */
        curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    }
    CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_USE_SSL_FAILED && credentials)
        snprintf(error, errlen, "the SMTP server did not offer STARTTLS, and the SMTP password is only sent "
                                "over TLS; use an smtps:// URL or a relay that offers STARTTLS");
    else if (rc != CURLE_OK)
        snprintf(error, errlen, "%s", curl_easy_strerror(rc));
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    arena_free(a);
    return rc == CURLE_OK ? 0 : -1;
}

/* A message is claimed before it is sent, so another sender (another
 * process on the same database) never sends it too. The claim outlasts the
 * 30 s SMTP timeout; if this process dies holding it, it lapses. */
enum { CLAIM_LEASE = 120 };

int mailer_deliver_due(const struct config *cfg, struct store *st)
{
    int sent = 0;
    if (!cfg->smtp_url || !*cfg->smtp_url)
        return 0;
    static char owner[48];
    if (!owner[0])
        snprintf(owner, sizeof owner, "pid %ld/%08x", (long)getpid(), (unsigned)randombytes_random());
    for (int i = 0; i < 100; i++) {
        struct outbox_row m;
        struct tb_err err;
        int64_t now = time(NULL);
        if (store_outbox_claim(st, owner, now, CLAIM_LEASE, &m, &err) < 0 || m.id == 0)
            break;
        char error[256] = "";
        int ok = send_one(cfg, &m, error, sizeof error) == 0;
        int64_t retry = now + 30LL * (m.attempts + 1) * (m.attempts + 1);
        if (!ok)
            fprintf(stderr, "mail: delivery of message %lld failed (%s); retrying later\n",
                    (long long)m.id, error);
        store_outbox_mark(st, m.id, owner, ok, ok ? NULL : error, retry, &err);
        store_outbox_row_free(&m);
        if (!ok)
            break;
        sent++;
    }
    return sent;
}

static void *run(void *arg)
{
    (void)arg;
    struct store *st = NULL;
    struct tb_err err;
    if (store_open(mcfg->db_path, &st, &err) < 0) {
        fprintf(stderr, "mail: %s\n", err.message);
        return NULL;
    }
    time_t last_purge = 0, last_todo = 0;
    pthread_mutex_lock(&lock);
    while (running) {
        pthread_mutex_unlock(&lock);
        mailer_deliver_due(mcfg, st);
        time_t now = time(NULL);
        if (now - last_purge > 300) {
            store_session_purge(st, now - mcfg->session_idle, now - mcfg->session_max, &err);
            store_throttle_purge(st, now - 24 * 3600, &err);   /* every window is an hour or less */
            last_purge = now;
        }
        /* To-do mail (issue 17): new items at once, digests once a day. */
        if (mcfg->todo_mail_interval > 0 && now - last_todo >= mcfg->todo_mail_interval) {
            int queued = 0;
            todo_mail_pass(st, mcfg->public_url, now, &queued, &err);
            last_todo = now;
            if (queued)
                mailer_deliver_due(mcfg, st);
        }
        pthread_mutex_lock(&lock);
        if (!woken && running) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += 2;
            pthread_cond_timedwait(&wake, &lock, &until);
        }
        woken = 0;
    }
    pthread_mutex_unlock(&lock);
    store_close(st);
    return NULL;
}

int mailer_start(const struct config *cfg)
{
    mcfg = cfg;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    running = 1;
    if (pthread_create(&thread, NULL, run, NULL) != 0) {
        running = 0;
        return -1;
    }
    return 0;
}

void mailer_wake(void)
{
    pthread_mutex_lock(&lock);
    woken = 1;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
}

void mailer_stop(void)
{
    pthread_mutex_lock(&lock);
    int was = running;
    running = 0;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    if (was)
        pthread_join(thread, NULL);
    curl_global_cleanup();
}
