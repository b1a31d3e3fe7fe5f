-- Impact (issue 14): company baselines, programme cost per placement,
-- follow-up surveys by signed single-use link, the comparison group, and an
-- operator's impact settings (survey schedule, minimum cell, currency).

-- One baseline per company: the last full year (year) and the one before.
-- sales: [{market (ISO 3166-1), year, amount_minor}] in `currency`.
CREATE TABLE impact_baselines (
    company_id      INTEGER PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    year            INTEGER NOT NULL,
    currency        TEXT NOT NULL,
    turnover_minor  INTEGER NOT NULL CHECK (turnover_minor >= 0),
    employees       INTEGER NOT NULL CHECK (employees >= 0),
    fte             REAL NOT NULL CHECK (fte >= 0),
    sales           TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX impact_baselines_org ON impact_baselines(org_id);

-- What a placement cost: the operator's cost, the company's fee, the grants
-- that funded it (minor units of currency).
CREATE TABLE impact_costs (
    placement_id         INTEGER PRIMARY KEY REFERENCES placements(id) ON DELETE CASCADE,
    org_id               INTEGER NOT NULL REFERENCES orgs(id),
    currency             TEXT NOT NULL,
    operator_cost_minor  INTEGER NOT NULL CHECK (operator_cost_minor >= 0),
    company_fee_minor    INTEGER NOT NULL CHECK (company_fee_minor >= 0),
    grants_minor         INTEGER NOT NULL CHECK (grants_minor >= 0),
    updated_at           TEXT NOT NULL
);
CREATE INDEX impact_costs_org ON impact_costs(org_id);

-- A follow-up survey: one per placement, respondent and wave, answered
-- through a single-use link (only its hash is kept); answers saved as the
-- respondent goes, fixed once submitted.
CREATE TABLE impact_surveys (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    placement_id   INTEGER NOT NULL REFERENCES placements(id) ON DELETE CASCADE,
    respondent     TEXT NOT NULL CHECK (respondent IN ('company', 'trainee')),
    wave           TEXT NOT NULL CHECK (wave IN ('end', 'm6', 'm12', 'm24')),
    email          TEXT,
    token_hash     TEXT NOT NULL UNIQUE,
    expires_at     INTEGER NOT NULL,
    sent_at        TEXT NOT NULL,
    reminders      INTEGER NOT NULL DEFAULT 0,
    reminded_at    TEXT,
    answers        TEXT NOT NULL DEFAULT '{}',
    saved_at       TEXT,
    submitted_at   TEXT,
    UNIQUE (placement_id, respondent, wave)
);
CREATE INDEX impact_surveys_org ON impact_surveys(org_id, wave);

-- Firms that did not take part: applicants never placed, or a register
-- extract; exports in the baseline year and the follow-up year.
CREATE TABLE impact_comparison (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES orgs(id),
    ref              TEXT NOT NULL,
    source           TEXT NOT NULL CHECK (source IN ('applicant', 'register')),
    nace             TEXT,
    employees        INTEGER NOT NULL CHECK (employees >= 0),
    currency         TEXT NOT NULL,
    base_year        INTEGER NOT NULL,
    baseline_minor   INTEGER NOT NULL CHECK (baseline_minor >= 0),
    followup_minor   INTEGER NOT NULL CHECK (followup_minor >= 0),
    jobs_base        REAL,
    jobs_followup    REAL,
    created_at       TEXT NOT NULL,
    UNIQUE (org_id, ref)
);

CREATE TABLE impact_settings (
    org_id      INTEGER PRIMARY KEY REFERENCES orgs(id),
    weights     TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
