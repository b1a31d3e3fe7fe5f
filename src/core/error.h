/*
 * error.h - the one error shape of TradeBridge.
 *
 * Functions return 0 on success or -1 on failure and fill a struct tb_err once,
 * where the problem is found. The HTTP layer turns it into
 *   {"error":{"code":..,"message":..,"field":..}} with `status`,
 * the CLI into one line on stderr and an exit code. Messages are one line and
 * never carry SQL text or internal detail a user cannot act on.
 */
#ifndef TB_ERROR_H
#define TB_ERROR_H

struct tb_err {
    int status;         /* HTTP status that best describes it (400, 404, 409, 500 ...) */
    char code[40];      /* machine code: validation_failed, not_found, conflict ... */
    char field[64];     /* offending input field, "" when none */
    char message[256];  /* one line for a person */
};

/* Fills *e (if non-NULL) and returns -1, so `return tb_fail(...)` reads naturally. */
int tb_fail(struct tb_err *e, int status, const char *code, const char *field,
            const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void tb_err_clear(struct tb_err *e);

/* Shorthands for the common cases. */
#define TB_INVALID(e, field, ...) tb_fail((e), 400, "validation_failed", (field), __VA_ARGS__)
#define TB_NOT_FOUND(e, ...)      tb_fail((e), 404, "not_found", "", __VA_ARGS__)
#define TB_CONFLICT(e, ...)       tb_fail((e), 409, "conflict", "", __VA_ARGS__)
#define TB_INTERNAL(e, ...)       tb_fail((e), 500, "internal_error", "", __VA_ARGS__)

#endif
