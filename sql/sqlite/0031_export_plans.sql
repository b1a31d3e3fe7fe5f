-- The export plan (issue 13): per company (and placement) a living record
-- whose every change is a new version; the document (markets with the
-- ranking snapshot and rationale, entry mode, Incoterms rule, price, targets,
-- budget, milestones, actuals) is JSON checked by the server.
CREATE TABLE export_plans (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    company_id    INTEGER NOT NULL REFERENCES companies(id),
    placement_id  INTEGER REFERENCES placements(id),
    title         TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'active', 'under_review', 'closed')),
    doc           TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX export_plans_org ON export_plans(org_id, id);
CREATE INDEX export_plans_company ON export_plans(company_id);
CREATE INDEX export_plans_placement ON export_plans(placement_id);

CREATE TABLE export_plan_versions (
    plan_id     INTEGER NOT NULL REFERENCES export_plans(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    title       TEXT NOT NULL,
    status      TEXT NOT NULL,
    doc         TEXT NOT NULL,
    change      TEXT NOT NULL,            -- created | updated | actuals
    changed_by  INTEGER REFERENCES users(id),
    changed_at  TEXT NOT NULL,
    PRIMARY KEY (plan_id, version)
);

-- ECB euro reference rates (public data, not an operator's): units of the
-- currency per 1 EUR on a TARGET business day.
CREATE TABLE fx_rates (
    currency  TEXT NOT NULL,
    day       TEXT NOT NULL,
    rate      REAL NOT NULL CHECK (rate > 0),
    PRIMARY KEY (currency, day)
) WITHOUT ROWID;
