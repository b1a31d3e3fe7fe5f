/*
 * error.h - the one error shape of TradeBridge.
 *
 * Functions return 0 on success or -1 on failure and fill a struct tb_err once,
 * where the problem is found. The HTTP layer turns it into
 *   {"error":{"code":..,"message":..,"field":..}} with `status`,
 * the CLI into one line on stderr and an exit code. Messages are one line and
 * never carry SQL text or internal detail a user cannot act on.
 *
 * Error codes are a closed set: TB_ERROR_CODES below lists every code the
 * program answers with, its wire name (what the API documents) and its HTTP
 * status, once. tb_error() takes the enum, so a code outside the set does not
 * compile; tb_fail() (a status and a code as text) remains for codes defined
 * by outside specifications (JSON-LD's error strings, src/core/cred/) and is
 * checked by tests/unit/test_core.c: every literal code it is given in src/
 * must be in the table, with the table's status.
 */
#ifndef TB_ERROR_H
#define TB_ERROR_H

/* X(enum name, wire code, HTTP status) */
#define TB_ERROR_CODES(X) \
    X(VALIDATION_FAILED, "validation_failed", 400) /* a field of the input is wrong (field names it) */ \
    X(BAD_REQUEST, "bad_request", 400) /* the request itself is malformed (framing, encoding) */ \
    X(USAGE, "usage", 400) /* a command-line usage error */ \
    X(MALFORMED_INPUT, "malformed_input", 400) /* input that cannot be parsed at all */ \
    X(INVALID_OPTION, "invalid_option", 400) /* an engine option out of its range */ \
    X(INVALID, "invalid", 400) /* market weights: an unknown weight or one out of range */ \
    X(IO_ERROR, "io_error", 400) /* a file the caller named cannot be read */ \
    X(TOO_MANY_ROWS, "too_many_rows", 400) /* an import file with more rows than allowed */ \
    X(EXPORT_TOO_LARGE, "export_too_large", 400) /* an export with more rows than allowed */ \
    X(INVALID_CREDENTIAL, "invalid_credential", 400) /* a credential document that is not one */ \
    X(INVALID_DID, "invalid_did", 400) /* a DID that cannot be resolved or is malformed */ \
    X(INVALID_KEY, "invalid_key", 400) /* a key that cannot be used */ \
    X(INVALID_PROOF, "invalid_proof", 400) /* a Data Integrity proof that is malformed */ \
    X(INVALID_SIGNATURE, "invalid_signature", 400) /* a signature that does not verify */ \
    X(INVALID_STATUS, "invalid_status", 400) /* a credentialStatus entry that is malformed */ \
    X(INVALID_STATUS_LIST, "invalid_status_list", 400) /* a status list credential that is malformed */ \
    X(UNRESOLVED_KEY, "unresolved_key", 400) /* a verification method that cannot be resolved */ \
    X(UNAUTHORIZED_KEY, "unauthorized_key", 400) /* a key the issuer does not authorise for the purpose */ \
    X(JCS_INVALID, "jcs_invalid", 400) /* JSON that RFC 8785 cannot canonicalize */ \
    X(NQUADS_SYNTAX, "nquads_syntax", 400) /* N-Quads that do not parse */ \
    X(UNAUTHENTICATED, "unauthenticated", 401) /* no valid session or token */ \
    X(INVALID_CREDENTIALS, "invalid_credentials", 401) /* wrong email or password */ \
    X(FORBIDDEN, "forbidden", 403) /* the role does not allow this */ \
    X(ACCOUNT_DISABLED, "account_disabled", 403) /* the account is disabled */ \
    X(CSRF_FAILED, "csrf_failed", 403) /* the CSRF token is missing or wrong */ \
    X(NOT_FOUND, "not_found", 404) /* no such record (in the caller's scope) */ \
    X(METHOD_NOT_ALLOWED, "method_not_allowed", 405) /* the path exists, the method does not */ \
    X(CONFLICT, "conflict", 409) /* a uniqueness or state conflict */ \
    X(INVALID_TRANSITION, "invalid_transition", 409) /* a status change the workflow does not allow */ \
    X(LOCKED, "locked", 409) /* signed terms cannot change */ \
    X(ERASED, "erased", 409) /* the record's personal data was erased */ \
    X(ALREADY_ERASED, "already_erased", 409) /* erasure was done before */ \
    X(ALREADY_ACCEPTED, "already_accepted", 409) /* the party accepted before */ \
    X(NOT_EDITABLE, "not_editable", 409) /* the record is no longer editable */ \
    X(STILL_REFERENCED, "still_referenced", 409) /* other records refer to this one */ \
    X(TERMS_CHANGED, "terms_changed", 409) /* the terms changed since they were read */ \
    X(STALE_RUN, "stale_run", 409) /* a match run whose applications moved on */ \
    X(POSITION_NOT_OPEN, "position_not_open", 409) /* the position takes no applications */ \
    X(ALREADY_PLACED, "already_placed", 409) /* a placed trainee applies elsewhere without the coordinator's allowance */ \
    X(REASON_REQUIRED, "reason_required", 409) /* completing a placement before its end date needs a written reason */ \
    X(PLACEMENT_NOT_COMPLETE, "placement_not_complete", 409) /* the placement is not completed yet */ \
    X(KEYS_UNAVAILABLE, "keys_unavailable", 409) /* no usable signing key (TRADEBRIDGE_KEK unset or wrong) */ \
    X(CONTEXT_CONFLICT, "context_conflict", 409) /* a JSON-LD context registered twice with other content */ \
    X(ATTEMPT_OPEN, "attempt_open", 409) /* an assessment attempt is already open */ \
    X(ATTEMPTS_EXHAUSTED, "attempts_exhausted", 409) /* no assessment attempts left */ \
    X(TIME_OVER, "time_over", 409) /* the assessment's time ran out */ \
    X(NO_CURRICULUM, "no_curriculum", 409) /* a learning plan needs the cohort's curriculum */ \
    X(PLAN_INCOMPLETE, "plan_incomplete", 409) /* the learning plan is not complete yet */ \
    X(SUPERSEDED, "superseded", 409) /* a newer version of a deliverable replaced this one */ \
    X(LINK_GONE, "link_gone", 410) /* a review link that was used or expired */ \
    X(VERSION_MISMATCH, "version_mismatch", 412) /* the record changed since the version the client sent */ \
    X(TOO_LARGE, "too_large", 413) /* an input over a size limit */ \
    X(PAYLOAD_TOO_LARGE, "payload_too_large", 413) /* a request body over the route's limit */ \
    X(UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", 415) /* the body's Content-Type is not accepted */ \
    X(LIMIT_EXCEEDED, "limit_exceeded", 422) /* a verification limit was reached */ \
    X(CANON_WORK_LIMIT, "canon_work_limit", 422) /* RDF canonicalization would take too much work */ \
    X(INFEASIBLE, "infeasible", 422) /* the matching problem has no solution */ \
    X(UNPROCESSABLE, "unprocessable", 422) /* well-formed input that cannot be processed */ \
    X(NO_EXCHANGE_RATE, "no_exchange_rate", 422) /* money in a currency without a rate */ \
    X(EMPTY_POOL, "empty_pool", 422) /* a matching run with nobody or nothing to match */ \
    X(IMPORT_REJECTED, "import_rejected", 422) /* an import file with errors (nothing imported) */ \
    X(PRECONDITION_REQUIRED, "precondition_required", 428) /* a version (If-Match) is required */ \
    X(TOO_MANY_ATTEMPTS, "too_many_attempts", 429) /* sign-in attempts over the limit */ \
    X(INTERNAL_ERROR, "internal_error", 500) /* anything the caller cannot act on (out of memory, a bug) */ \
    X(DATABASE_UNAVAILABLE, "database_unavailable", 500) /* the database cannot be opened or read */ \
    X(MIGRATION_FAILED, "migration_failed", 500) /* a schema migration failed */ \
    X(BACKUP_FAILED, "backup_failed", 500) /* a backup could not be written */ \
    X(BUSY, "busy", 503) /* the server is busy; retry */ \
    X(UNAVAILABLE, "unavailable", 503) /* the service is not available now */ \

enum tb_code {
#define TB_CODE_ENUM(name, wire, status) TB_E_##name,
    TB_ERROR_CODES(TB_CODE_ENUM)
#undef TB_CODE_ENUM
    TB_E__COUNT
};

struct tb_err {
    int status;         /* HTTP status that best describes it (400, 404, 409, 500 ...) */
    char code[40];      /* machine code: validation_failed, not_found, conflict ... */
    char field[64];     /* offending input field, "" when none */
    char message[256];  /* one line for a person */
};

/* Fills *e (if non-NULL) with code's wire name and status; returns -1, so
 * `return tb_error(...)` reads naturally. */
int tb_error(struct tb_err *e, enum tb_code code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same with a status and a code as text: for codes of outside
 * specifications (see above). */
int tb_fail(struct tb_err *e, int status, const char *code, const char *field,
            const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void tb_err_clear(struct tb_err *e);

const char *tb_code_name(enum tb_code c);
int tb_code_status(enum tb_code c);
/* The enum of a wire code; -1 when it is not in the table. */
int tb_code_parse(const char *wire, enum tb_code *out);

/* Shorthands for the common cases. */
#define TB_INVALID(e, field, ...) tb_error((e), TB_E_VALIDATION_FAILED, (field), __VA_ARGS__)
#define TB_NOT_FOUND(e, ...)      tb_error((e), TB_E_NOT_FOUND, "", __VA_ARGS__)
#define TB_CONFLICT(e, ...)       tb_error((e), TB_E_CONFLICT, "", __VA_ARGS__)
#define TB_INTERNAL(e, ...)       tb_error((e), TB_E_INTERNAL_ERROR, "", __VA_ARGS__)

#endif
