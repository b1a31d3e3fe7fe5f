-- Login throttling counters in the database (issue 18), so that the limits
-- hold across several servers on one database (failed logins per account
-- and per address, sign-ins, password-reset requests). One row per bucket
-- and key: the events counted in a window that started at window_start (unix
-- seconds) with the first of them. Rows whose window is over are purged by
-- the mail thread's housekeeping. Not tenant data: keys are addresses,
-- account ids and unknown e-mail addresses, counted before anyone signs in.
-- PostgreSQL: no org_id, so no row-level security (tb_row_security() skips
-- it); the statements on it are SYSTEM scoped.
CREATE TABLE auth_throttle (
    bucket        TEXT NOT NULL,
    key           TEXT NOT NULL,
    hits          BIGINT NOT NULL,
    window_start  BIGINT NOT NULL,
    PRIMARY KEY (bucket, key)
);
CREATE INDEX auth_throttle_start ON auth_throttle(window_start);
