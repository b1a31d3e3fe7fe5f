-- Organizations (tenants), people, their roles, and the sessions and tokens
-- that authenticate them. Every tenant-owned row carries org_id; the store
-- layer binds :tenant in every statement that reads or writes such rows.

CREATE TABLE orgs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('foundation', 'operator')),
    name        TEXT NOT NULL,
    country     TEXT,                      -- ISO 3166-1 alpha-2, NULL for the foundation
    parent_id   INTEGER REFERENCES orgs(id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX orgs_name ON orgs(name);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL COLLATE NOCASE,
    name           TEXT NOT NULL,
    password_hash  TEXT,                   -- Argon2id string; NULL until an invitation is accepted
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'invited', 'disabled')),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_email ON users(email);

-- A role held by a user in one organization. subject_type/subject_id bind
-- the role to what it is about (a company for 'company', the graduate record
-- for 'trainee', placements for 'mentor'); NULL where the role is org-wide.
CREATE TABLE memberships (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    role          TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'company', 'trainee', 'mentor', 'viewer')),
    subject_type  TEXT,
    subject_id    INTEGER,
    created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX memberships_unique ON memberships(user_id, org_id, role, IFNULL(subject_type, ''), IFNULL(subject_id, 0));
CREATE INDEX memberships_org ON memberships(org_id);

-- Server-side sessions: only a hash of the cookie value is stored.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,        -- unix seconds
    last_seen_at  INTEGER NOT NULL,
    client_addr   TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

-- API tokens for scripts (Authorization: Bearer), stored hashed.
CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,           -- first characters, to recognise a token in a list
    created_at    TEXT NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT
);
CREATE INDEX api_tokens_org ON api_tokens(org_id);

-- Single-use links for invitations and password resets.
CREATE TABLE user_tokens (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER
);

-- Mail waits here until the delivery thread hands it to the SMTP relay.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL,          -- no FK: sent mail outlives a deleted operator
    to_addr     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,   -- unix seconds; retries back off
    last_error  TEXT
);
CREATE INDEX outbox_pending ON outbox(sent_at, id);

-- Who changed what, when: every create, update and delete.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL,          -- no FK: the record outlives what it describes
    user_id     INTEGER,                   -- NULL for the CLI run by the system operator
    action      TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    changes     TEXT NOT NULL,             -- JSON {"field":{"old":..,"new":..}}
    at          TEXT NOT NULL,
    client_addr TEXT
);
CREATE INDEX audit_org ON audit_log(org_id, id);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
