-- Login throttling counters in the database (issue 18), so that the limits
-- hold across several servers on one database (failed logins per account
-- and per address, sign-ins, password-reset requests). One row per bucket
-- and key: the events counted in a window that started at window_start (unix
-- seconds) with the first of them. Rows whose window is over are purged by
-- the mail thread's housekeeping. Not tenant data: keys are addresses,
-- account ids and unknown e-mail addresses, counted before anyone signs in.
CREATE TABLE auth_throttle (
    bucket        TEXT NOT NULL,
    key           TEXT NOT NULL,
    hits          INTEGER NOT NULL,
    window_start  INTEGER NOT NULL,
    PRIMARY KEY (bucket, key)
) WITHOUT ROWID;
CREATE INDEX auth_throttle_start ON auth_throttle(window_start);
