-- API tokens get an expiry and a scope; invitations become records of their
-- own that change nothing in anyone's account until the invited person
-- accepts (issue 10, items 6 and 8).

-- ISO 8601 UTC like created_at; a token past it answers 401.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
-- 'read': GET only; 'read_write': everything the owner's role allows.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'read_write'
    CHECK (scope IN ('read', 'read_write'));
-- Tokens made before tokens expired run out 90 days after this migration.
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+90 days')
    WHERE expires_at IS NULL;

-- An invitation: who invited which address into which operator with which
-- role. Nothing is added to an account (existing or new) before the person
-- who reads the mail accepts with the link; only a hash of the link is kept.
CREATE TABLE invitations (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    email         TEXT NOT NULL COLLATE NOCASE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'company', 'trainee', 'mentor', 'viewer')),
    subject_type  TEXT,
    subject_id    INTEGER,
    invited_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    expires_at    INTEGER NOT NULL,        -- unix seconds
    accepted_at   TEXT,
    withdrawn_at  TEXT
);
CREATE INDEX invitations_org ON invitations(org_id, id);
