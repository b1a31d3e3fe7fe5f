-- Training (issue 12): versioned curricula, a learning plan per placement,
-- deliverables done at the company with their versions, files and reviews,
-- single-use review links for mentors without an account, test attempts and
-- competency ratings. Every row belongs to one operator (org_id); a
-- curriculum of the foundation is readable by every operator.

CREATE TABLE curricula (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    code          TEXT NOT NULL,              -- 'ITM'; a cohort names 'ITM@2'
    title         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX curricula_code ON curricula(org_id, code);

-- One version of a curriculum: its whole content as JSON (modules with
-- outcomes, competencies and levels, deliverable, test, rubric). A version
-- is frozen once a cohort or a learning plan uses it; editing a frozen
-- version makes a new draft.
CREATE TABLE curriculum_versions (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    curriculum_id  INTEGER NOT NULL REFERENCES curricula(id),
    number         INTEGER NOT NULL,
    content        TEXT NOT NULL,
    frozen_at      TEXT,
    created_by     INTEGER REFERENCES users(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX curriculum_versions_number ON curriculum_versions(curriculum_id, number);

CREATE TABLE learning_plans (
    id                     INTEGER PRIMARY KEY,
    org_id                 INTEGER NOT NULL REFERENCES orgs(id),
    placement_id           INTEGER NOT NULL UNIQUE REFERENCES placements(id),
    curriculum_version_id  INTEGER NOT NULL REFERENCES curriculum_versions(id),
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    version                INTEGER NOT NULL DEFAULT 1
);

-- A module of a plan: its dates, its deliverable adapted to the company,
-- whether an elective was chosen, and where it stands.
CREATE TABLE plan_modules (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    plan_id         INTEGER NOT NULL REFERENCES learning_plans(id),
    placement_id    INTEGER NOT NULL REFERENCES placements(id),
    position        INTEGER NOT NULL,
    code            TEXT NOT NULL,
    title           TEXT NOT NULL,
    mandatory       INTEGER NOT NULL,
    selected        INTEGER NOT NULL DEFAULT 1,   -- 0: an elective not chosen
    planned_start   TEXT,
    due_date        TEXT,
    deliverable     TEXT NOT NULL,                -- {"title","description","fields":[...]}
    state           TEXT NOT NULL DEFAULT 'planned' CHECK (state IN
                        ('planned', 'submitted', 'changes_requested', 'approved')),
    test_state      TEXT NOT NULL DEFAULT 'none' CHECK (test_state IN ('none', 'passed', 'failed', 'grading')),
    test_score      INTEGER,                      -- best attempt, percent
    rubric_score    INTEGER,                      -- percent
    result          INTEGER,                      -- weighted, percent
    weight_test     INTEGER NOT NULL DEFAULT 0,   -- the curriculum's declared weights
    weight_rubric   INTEGER NOT NULL DEFAULT 0,
    last_activity   TEXT,
    reminded_at     TEXT,                         -- last due-date reminder mailed
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX plan_modules_code ON plan_modules(plan_id, code);
CREATE INDEX plan_modules_placement ON plan_modules(placement_id, position);

-- Deliverable versions: a new submission never replaces an older one.
CREATE TABLE deliverable_versions (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    plan_module_id  INTEGER NOT NULL REFERENCES plan_modules(id),
    number          INTEGER NOT NULL,
    body            TEXT NOT NULL,                -- formatted text (Markdown)
    links           TEXT NOT NULL DEFAULT '[]',
    sha256          TEXT NOT NULL,                -- of body, links and the files' hashes
    status          TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN
                        ('submitted', 'changes_requested', 'approved')),
    submitted_by    INTEGER REFERENCES users(id),
    submitted_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX deliverable_versions_number ON deliverable_versions(plan_module_id, number);

CREATE TABLE deliverable_files (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    version_id      INTEGER NOT NULL REFERENCES deliverable_versions(id),
    name            TEXT NOT NULL,
    mime            TEXT NOT NULL,                -- from the content (libmagic)
    size            INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    data            BLOB NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX deliverable_files_version ON deliverable_files(version_id);

CREATE TABLE deliverable_reviews (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    version_id      INTEGER NOT NULL REFERENCES deliverable_versions(id),
    reviewer_id     INTEGER REFERENCES users(id),  -- NULL: by a review link
    reviewer_name   TEXT NOT NULL,
    via             TEXT NOT NULL CHECK (via IN ('mentor', 'coordinator', 'link')),
    decision        TEXT NOT NULL CHECK (decision IN ('approve', 'request_changes')),
    comments        TEXT NOT NULL DEFAULT '[]',   -- [{"on":"text"|"file:ID","text":...}]
    rubric          TEXT,                          -- {"criterion": level index}
    at              TEXT NOT NULL
);
CREATE INDEX deliverable_reviews_version ON deliverable_reviews(version_id);

-- A signed single-use link for a mentor without an account, bound to one
-- deliverable version; only the hash of the link is kept.
CREATE TABLE review_links (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    version_id      INTEGER NOT NULL REFERENCES deliverable_versions(id),
    token_hash      TEXT NOT NULL UNIQUE,
    email           TEXT NOT NULL,
    name            TEXT NOT NULL,
    expires_at      INTEGER NOT NULL,              -- unix time
    used_at         TEXT,
    created_at      TEXT NOT NULL
);

CREATE TABLE test_attempts (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    plan_module_id  INTEGER NOT NULL REFERENCES plan_modules(id),
    number          INTEGER NOT NULL,
    seed            INTEGER NOT NULL,              -- the order is reproducible from it
    question_order  TEXT NOT NULL,                 -- JSON array of question ids as shown
    started_at      TEXT NOT NULL,
    deadline        INTEGER NOT NULL,              -- unix time
    submitted_at    TEXT,
    answers         TEXT,
    graded          TEXT,                          -- {"question id": points} given by a person
    score           INTEGER,                       -- points
    max_score       INTEGER,
    percent         INTEGER,
    state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'grading', 'passed', 'failed'))
);
CREATE UNIQUE INDEX test_attempts_number ON test_attempts(plan_module_id, number);

-- Competency levels: the trainee's self-assessment at the start ('pre') and
-- the end ('post'), the mentor's rating of on-the-job behaviour ('mentor').
CREATE TABLE competency_ratings (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    placement_id    INTEGER NOT NULL REFERENCES placements(id),
    competency      TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('pre', 'post', 'mentor')),
    level           INTEGER NOT NULL,
    rated_by        INTEGER REFERENCES users(id),
    at              TEXT NOT NULL
);
CREATE UNIQUE INDEX competency_ratings_one ON competency_ratings(placement_id, competency, kind);

-- The cohort progress grid reads a cohort's placements.
CREATE INDEX IF NOT EXISTS placements_cohort ON placements(cohort_id);

-- A credential issued before the plan was complete: the coordinator's reason.
ALTER TABLE credentials ADD COLUMN override_reason TEXT;
