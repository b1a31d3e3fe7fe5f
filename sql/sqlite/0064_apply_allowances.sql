-- The programme's integrity (issue 17): a placed trainee (a placement in
-- draft or signed) cannot apply to other positions unless the coordinator
-- allows it for that placement, with a written reason. One allowance per
-- placement; withdrawing it deletes the row (both are in the audit log).
CREATE TABLE apply_allowances (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    placement_id  INTEGER NOT NULL UNIQUE REFERENCES placements(id) ON DELETE CASCADE,
    reason        TEXT NOT NULL,
    user_id       INTEGER REFERENCES users(id),
    at            TEXT NOT NULL
);
CREATE INDEX apply_allowances_org ON apply_allowances(org_id);
