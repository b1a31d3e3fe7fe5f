-- The learning plan in the three-party agreement (issue 12). Before signing,
-- the plan's modules are part of the agreement's terms (their hash). After
-- signing, the plan's terms as all three parties last accepted them are kept
-- here; a change to the plan is an amendment that each party accepts
-- (plan_acceptances, by the amended plan's hash) while the rest of the
-- agreement stays signed.
ALTER TABLE learning_plans ADD COLUMN accepted_terms TEXT;   -- JSON, agreement_plan_terms()
ALTER TABLE learning_plans ADD COLUMN accepted_hash TEXT;

CREATE TABLE plan_acceptances (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    placement_id  INTEGER NOT NULL REFERENCES placements(id) ON DELETE CASCADE,
    party         TEXT NOT NULL CHECK (party IN ('trainee', 'company', 'operator')),
    user_id       INTEGER REFERENCES users(id),
    plan_hash     TEXT NOT NULL,
    at            TEXT NOT NULL
);
CREATE UNIQUE INDEX plan_acceptances_party ON plan_acceptances(placement_id, party);
