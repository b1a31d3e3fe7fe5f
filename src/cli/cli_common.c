/*
 * cli_common.c - helpers every subcommand shares.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/auth.h"

const char *cli_db_path(const char *flag_value)
{
    if (flag_value)
        return flag_value;
    const char *env = getenv("TRADEBRIDGE_DB");
    return env && *env ? env : "tradebridge.db";
}

static struct store *open_and_migrate(const char *cmd, const char *db_path)
{
    struct store *st;
    struct tb_err err = {0};
    int applied;
    if (store_open(db_path, &st, &err) < 0) {
        cli_fail(cmd, &err);
        return NULL;
    }
    if (store_migrate(st, NULL, &applied, &err) < 0) {
        cli_fail(cmd, &err);
        store_close(st);
        return NULL;
    }
    return st;
}

/* A mistyped --db must not leave an empty database behind and then report
 * "no such organization": only the commands that start an installation
 * (serve, migrate, demo, org add) create the file. */
int cli_db_must_exist(const char *cmd, const char *db_path)
{
    struct stat sb;
    if (store_is_postgres(db_path) || stat(db_path, &sb) == 0)   /* PostgreSQL: the connection says */
        return 0;
    int e = errno;
    fprintf(stderr, "tradebridge %s: cannot open database %s: %s%s\n", cmd, db_path, strerror(e),
            e == ENOENT ? " (a new database is made by 'tradebridge migrate --db PATH' or 'tradebridge org add')"
                        : "");
    return -1;
}

struct store *cli_open_store(const char *cmd, const char *db_path)
{
    if (cli_db_must_exist(cmd, db_path) < 0)
        return NULL;
    return open_and_migrate(cmd, db_path);
}

struct store *cli_create_store(const char *cmd, const char *db_path)
{
    return open_and_migrate(cmd, db_path);
}

int cli_lock_db(const char *cmd, const char *db_path)
{
    static int held_fd = -1;
    /* PostgreSQL serves several servers at once: no lock file. */
    if (held_fd >= 0 || !strcmp(db_path, ":memory:") || store_is_postgres(db_path))
        return 0;
    char path[4096];
    if (snprintf(path, sizeof path, "%s.lock", db_path) >= (int)sizeof path) {
        fprintf(stderr, "tradebridge %s: database path too long: %s\n", cmd, db_path);
        return -1;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "tradebridge %s: cannot open the lock file %s: %s\n", cmd, path, strerror(errno));
        return -1;
    }
    /* A POSIX record lock: the kernel drops it when the process ends, however
     * it ends (kill -9 included), so a stale lock file never blocks a start.
     * SQLite locks the database file itself; this file is ours alone, so
     * closing SQLite connections cannot release it. */
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(fd, F_SETLK, &fl) == 0) {
        held_fd = fd;
        return 0;
    }
    int e = errno;
    struct flock who = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    char holder[48] = "";
    if ((e == EACCES || e == EAGAIN) && fcntl(fd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK)
        snprintf(holder, sizeof holder, " (pid %ld)", (long)who.l_pid);
    close(fd);
    if (e == EACCES || e == EAGAIN)
        fprintf(stderr, "tradebridge %s: another TradeBridge server%s already serves %s; "
                        "stop it first (one server per database file)\n", cmd, holder, db_path);
    else
        fprintf(stderr, "tradebridge %s: cannot lock %s: %s\n", cmd, path, strerror(e));
    return -1;
}

int cli_fail(const char *cmd, const struct tb_err *err)
{
    fprintf(stderr, "tradebridge %s: %s\n", cmd, err->message[0] ? err->message : "failed");
    return EXIT_RUNTIME;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tradebridge %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'tradebridge %s --help')\n", cmd);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_read_secret(char *buf, size_t n)
{
    if (!fgets(buf, (int)n, stdin))
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

char *cli_read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f)
        return NULL;
    struct abuf b;
    abuf_init_heap(&b, max);
    int too_big = 0;
    for (;;) {
        size_t room = max - b.len < 65536 ? max - b.len : 65536;
        char extra;
        if (room == 0) {   /* max bytes read: is there more? */
            too_big = fread(&extra, 1, 1, f) == 1;
            break;
        }
        char *at = abuf_reserve(&b, room);
        size_t r = at ? fread(at, 1, room, f) : 0;
        if (r == 0)
            break;
        b.len += r;
        b.data[b.len] = '\0';
    }
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (too_big || bad) {
        abuf_release(&b);
        errno = too_big ? EFBIG : EIO;
        return NULL;
    }
    *len = b.len;
    char *out = abuf_take(&b);   /* NUL-terminated */
    if (!out)
        errno = ENOMEM;
    return out;
}

char *cli_gz_slurp(gzFile gz, size_t max, size_t *len, const char **why)
{
    struct abuf b;
    abuf_init_heap(&b, max);
    *why = NULL;
    gzbuffer(gz, 1 << 17);
    for (;;) {
        char *at = abuf_reserve(&b, 1 << 16);
        if (!at) {
            *why = b.len + (1 << 16) > max ? "file too large" : "out of memory";
            break;
        }
        int r = gzread(gz, at, (unsigned)(b.cap - b.len - 1));
        if (r <= 0) {
            int e;
            const char *m = gzerror(gz, &e);
            if (r < 0 || (e != Z_OK && e != Z_STREAM_END)) {
                b.failed = 1;
                *why = e == Z_BUF_ERROR ? "truncated: the compressed data ends early" : m;
            }
            break;
        }
        b.len += (size_t)r;
        b.data[b.len] = '\0';
    }
    gzclose(gz);
    *len = b.len;
    return abuf_take(&b);
}

int cli_resolve_org(struct store *st, const char *org, int64_t *id, struct tb_err *err)
{
    char *end;
    long long n = strtoll(org, &end, 10);
    if (*org && !*end && n > 0) {
        json_t *o;
        struct tb_actor sys = actor_system();
        if (store_org_get(st, &sys, n, &o, err) < 0)
            return -1;
        json_decref(o);
        *id = n;
        return 0;
    }
    return store_org_by_name(st, org, id, err);
}

struct arena *cli_arena_new(const char *cmd, size_t cap_bytes)
{
    struct arena *a = arena_new(cap_bytes);
    if (!a) {
        fprintf(stderr, "tradebridge %s: out of memory\n", cmd);
        exit(EXIT_RUNTIME);
    }
    return a;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
