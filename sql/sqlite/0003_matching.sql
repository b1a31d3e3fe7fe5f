-- Matching: every run is kept with its parameters, a hash of the input it
-- saw and its result, for audit; coordinators lock or forbid pairs before
-- running again; each operator tunes the score weights.

CREATE TABLE match_runs (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    cohort_id    INTEGER NOT NULL REFERENCES cohorts(id),
    engine       TEXT NOT NULL CHECK (engine IN ('assign', 'stable')),
    options      TEXT NOT NULL DEFAULT '{}',
    input_hash   TEXT NOT NULL,            -- SHA-256 of the canonical input snapshot
    result       TEXT NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'discarded')),
    created_by   INTEGER REFERENCES users(id),
    approved_at  TEXT,
    approved_by  INTEGER REFERENCES users(id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX match_runs_cohort ON match_runs(org_id, cohort_id, id);

CREATE TABLE match_constraints (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    cohort_id    INTEGER NOT NULL REFERENCES cohorts(id),
    graduate_id  INTEGER NOT NULL REFERENCES graduates(id),
    position_id  INTEGER NOT NULL REFERENCES positions(id),
    kind         TEXT NOT NULL CHECK (kind IN ('lock', 'forbid')),
    note         TEXT,
    created_by   INTEGER REFERENCES users(id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX match_constraints_pair ON match_constraints(cohort_id, graduate_id, position_id);

CREATE TABLE match_settings (
    org_id      INTEGER PRIMARY KEY REFERENCES orgs(id),
    weights     TEXT NOT NULL,             -- {"languages":2500,...}
    updated_at  TEXT NOT NULL
);
