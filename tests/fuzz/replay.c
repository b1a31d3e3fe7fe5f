/*
 * replay.c - runs a libFuzzer target without libFuzzer: calls its
 * LLVMFuzzerTestOneInput on every file of the corpus directories (or files)
 * given, in name order, each in a buffer of exactly its size (so ASan sees
 * any read past the end). `make check` runs it for every target under gcc and
 * under ASan+UBSan. TAP: one case per corpus directory; a crash or sanitizer
 * report names the input on stderr and fails the test.
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static char current[4096];

static void say_current(void)
{
    if (!current[0])
        return;
    static const char pre[] = "replay: failing input: ";
    (void)!write(2, pre, sizeof pre - 1);
    (void)!write(2, current, strlen(current));
    (void)!write(2, "\n", 1);
}

static void on_signal(int sig)
{
    say_current();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Runs one file; 0, or -1 when it cannot be read. */
static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return -1;
    }
    size_t size = (size_t)st.st_size;
    uint8_t *data = malloc(size ? size : 1);
    if (!data || fread(data, 1, size, f) != size) {
        free(data);
        fclose(f);
        return -1;
    }
    fclose(f);
    snprintf(current, sizeof current, "%s", path);
    LLVMFuzzerTestOneInput(data, size);
    current[0] = '\0';
    free(data);
    return 0;
}

static int skip_name(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* Number of inputs run from path (a directory or a file), -1 if unreadable. */
static long run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return run_file(path) == 0 ? 1 : -1;
    struct dirent **names;
    int n = scandir(path, &names, skip_name, alphasort);
    if (n < 0)
        return -1;
    long count = 0;
    for (int i = 0; i < n; i++) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, names[i]->d_name);
        if (count >= 0 && run_file(full) == 0)
            count++;
        else
            count = -1;
        free(names[i]);
    }
    free(names);
    return count;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s NAME CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    /* Under a sanitizer its report comes first, then the input's name;
     * without one, a signal handler names the input. */
    if (__sanitizer_set_death_callback) {
        __sanitizer_set_death_callback(say_current);
    } else {
        signal(SIGSEGV, on_signal);
        signal(SIGABRT, on_signal);
        signal(SIGBUS, on_signal);
        signal(SIGFPE, on_signal);
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    printf("1..%d\n", argc - 2);
    fflush(stdout);
    int failed = 0;
    for (int i = 2; i < argc; i++) {
        long n = run_path(argv[i]);
        if (n > 0) {
            printf("ok %d - %s: %ld corpus inputs replayed without a crash or sanitizer report\n", i - 1,
                   argv[1], n);
        } else {
            printf("not ok %d - %s: corpus %s is empty or unreadable\n", i - 1, argv[1], argv[i]);
            failed = 1;
        }
        fflush(stdout);
    }
    return failed;
}
