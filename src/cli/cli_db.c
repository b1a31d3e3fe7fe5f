/*
 * cli_db.c - `tradebridge db copy` (issue 18): moving an installation from
 * its SQLite file to PostgreSQL; the work is the store's (store_copy.c).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/trade_files.h"

/* A reason on one line: libpq's messages come with newlines and tabs. */
static int fail_line(const struct tb_err *err)
{
    char line[sizeof err->message];
    size_t k = 0;
    for (const char *p = err->message; *p && k + 1 < sizeof line; p++) {
        char ch = (*p == '\n' || *p == '\t' || *p == '\r') ? ' ' : *p;
        if (ch == ' ' && (k == 0 || line[k - 1] == ' '))
            continue;
        line[k++] = ch;
    }
    while (k && line[k - 1] == ' ')
        k--;
    line[k] = '\0';
    fprintf(stderr, "tradebridge db copy: %s\n", k ? line : "failed");
    return EXIT_RUNTIME;
}

/* One regular file into dir, under a temporary name renamed over the old one,
 * with its times (the data's import time and stamp go by them). */
static int copy_file(const char *src, const struct stat *sb, const char *dir, const char *name)
{
    char tmp[4608], dst[4608];
    snprintf(tmp, sizeof tmp, "%s/.%s.copy", dir, name);
    snprintf(dst, sizeof dst, "%s/%s", dir, name);
    FILE *in = fopen(src, "rb"), *out = in ? fopen(tmp, "wb") : NULL;
    char buf[1 << 16];
    size_t n;
    int rc = in && out ? 0 : -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
    if (in && ferror(in))
        rc = -1;
    struct timespec times[2] = {sb->st_atim, sb->st_mtim};
    if (out && (fflush(out) != 0 || futimens(fileno(out), times) != 0 || fsync(fileno(out)) != 0))
        rc = -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, dst) != 0)
        rc = -1;
    if (rc < 0)
        unlink(tmp);
    return rc;
}

/* Trade data are files beside the database (DB.trade/, DB.synthetic.trade/),
 * not in it: copied to the target's place ($TRADEBRIDGE_TRADE_DIR/NAME.trade/),
 * file by file; 0, or -1 with a one-line reason printed. */
static int copy_trade(const char *from, const char *to)
{
    static const char *const kinds[] = {"", ".synthetic"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char src_db[4096], dst_db[4096], src[4200], dst[4200];
        struct tb_err err = {0};
        struct stat sb;
        snprintf(src_db, sizeof src_db, "%s%s", from, kinds[i]);
        snprintf(dst_db, sizeof dst_db, "%s%s", to, kinds[i]);
        if (trade_dir(src, sizeof src, src_db, 0, &err) < 0 || stat(src, &sb) < 0 || !S_ISDIR(sb.st_mode))
            continue;
        if (trade_dir(dst, sizeof dst, dst_db, 0, &err) < 0 || !dst[0]) {
            printf("note: trade data files in %s were not copied: set TRADEBRIDGE_TRADE_DIR (the servers' "
                   "directory for them) and run the copy again with --replace, or copy the folder there\n", src);
            continue;
        }
        DIR *d = opendir(src);
        if (!d || trade_dir(dst, sizeof dst, dst_db, 1, &err) < 0) {
            int e = errno;
            if (d)
                closedir(d);
            fprintf(stderr, "tradebridge db copy: the database was copied, its trade data files were not: %s\n",
                    d ? err.message : strerror(e));
            return -1;
        }
        int files = 0, rc = 0;
        struct dirent *e;
        while (rc == 0 && (e = readdir(d))) {
            char path[4608];
            snprintf(path, sizeof path, "%s/%s", src, e->d_name);
            if (e->d_name[0] == '.' || stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
                continue;
            rc = copy_file(path, &sb, dst, e->d_name);
            if (rc < 0)
                fprintf(stderr, "tradebridge db copy: the database was copied, its trade data file %s was not: "
                        "%s\n", path, strerror(errno));
            files++;
        }
        closedir(d);
        if (rc < 0)
            return -1;
        printf("trade data: %d file(s) copied from %s to %s\n", files, src, dst);
    }
    return 0;
}

static int copy_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, 'f'}, {"to", required_argument, NULL, 't'},
        {"replace", no_argument, NULL, 'r'}, {"help", no_argument, NULL, 'h'}, {0}};
    const char *from = NULL, *to = NULL;
    int replace = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'r': replace = 1; break;
        case 'h':
            printf("usage: tradebridge db copy --from [sqlite:]PATH --to postgresql://... [--replace]\n\n"
                   "Copies every table of a TradeBridge SQLite database into a PostgreSQL database\n"
                   "(migrated first): ids, times, files and sealed keys as stored, the audit log,\n"
                   "in one transaction; sets the sequences after the largest ids. Ends with a\n"
                   "verification (rows and a checksum per table on both sides) before it commits:\n"
                   "on any difference nothing is written and the exit status is 1.\n"
                   "Refuses a source or target at another schema version than this binary, and a\n"
                   "target that has rows unless --replace (which empties the target's tables in the\n"
                   "same transaction). Stop the servers of the source while it runs.\n");
            return EXIT_OK;
        default:
            return cli_usage("db copy", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("db copy", "unexpected argument '%s'", argv[optind]);
    if (!from || !to)
        return cli_usage("db copy", "both --from (the SQLite database) and --to (a postgresql:// URL) are needed");
    if (store_is_postgres(from))
        return cli_usage("db copy", "--from must be a SQLite database (a path or sqlite:PATH); "
                                    "copying from PostgreSQL is not supported");
    if (!store_is_postgres(to))
        return cli_usage("db copy", "--to must be a PostgreSQL URL (postgresql://...)");
    const char *path = !strncmp(from, "sqlite:", 7) ? from + 7 : from;
    if (cli_db_must_exist("db copy", path) < 0)
        return EXIT_RUNTIME;
    struct store *src = NULL, *dst = NULL;
    struct tb_err err = {0};
    if (store_open(path, &src, &err) < 0)
        return fail_line(&err);
    if (store_open(to, &dst, &err) < 0) {
        store_close(src);
        return fail_line(&err);
    }
    double t0 = cli_now();
    struct store_copy_result res;
    int rc = store_copy(src, dst, replace, &res, &err);
    double secs = cli_now() - t0;
    store_close(src);
    store_close(dst);
    if (res.n) {
        printf("%-28s %10s  %-32s  %s\n", "table", "rows", "checksum", "ok");
        for (int i = 0; i < res.n; i++) {
            const struct store_copy_table *x = &res.tables[i];
            char rows[48];
            if (x->rows_from == x->rows_to)
                snprintf(rows, sizeof rows, "%lld", (long long)x->rows_from);
            else
                snprintf(rows, sizeof rows, "%lld/%lld", (long long)x->rows_from, (long long)x->rows_to);
            printf("%-28s %10s  %-32s  %s\n", x->name, rows, x->sum_from, x->ok ? "ok" : "DIFFERS");
            if (!x->ok)
                printf("%-28s %10s  %-32s  (target)\n", "", "", x->sum_to);
        }
    }
    if (rc < 0) {
        store_copy_result_free(&res);
        return fail_line(&err);
    }
    printf("copied %d tables, %lld rows%s, verified, in %.2f s\n", res.n, (long long)res.rows,
           res.replaced ? " (the target's rows replaced)" : "", secs);
    store_copy_result_free(&res);
    return copy_trade(path, to) < 0 ? EXIT_RUNTIME : EXIT_OK;
}

int cli_db_main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "copy"))
        return copy_main(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: tradebridge db copy --from [sqlite:]PATH --to postgresql://... [--replace]\n"
               "(see 'tradebridge db copy --help')\n");
        return EXIT_OK;
    }
    return cli_usage("db", "expected a subcommand: copy");
}
