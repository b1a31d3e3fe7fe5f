-- The cohort progress grid (issue 12) reads, per placement in plan order, only
-- a module's code, state, test state, result, choice, due date and last
-- activity: a covering index answers it without reading the modules' rows
-- (their adapted deliverable texts make them wide).
CREATE INDEX plan_modules_grid ON plan_modules(placement_id, position, org_id, code, state, test_state, result,
                                               selected, due_date, last_activity);
