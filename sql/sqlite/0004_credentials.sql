-- The qualification: operators' achievements, the credentials issued for
-- them (Open Badges 3.0, signed), issuer keys sealed at rest, the
-- foundation's accreditations of operators, and Bitstring Status Lists.

CREATE TABLE achievements (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    name          TEXT NOT NULL,
    description   TEXT NOT NULL,
    criteria      TEXT NOT NULL,            -- narrative: what the holder did
    eqf_level     TEXT,                     -- '1'..'8'
    credits       INTEGER,                  -- ECTS credits
    alignments    TEXT NOT NULL DEFAULT '[]', -- ESCO skill URIs [{"name","url"}]
    image         TEXT,                     -- data: URI of the badge image (PNG or SVG)
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX achievements_name ON achievements(org_id, name);

CREATE TABLE accreditations (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),   -- the operator accredited
    valid_from    TEXT NOT NULL,
    valid_until   TEXT,                     -- NULL: open-ended
    note          TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX accreditations_org ON accreditations(org_id, valid_from);

-- Ed25519 keys of an operator; the secret is sealed with the key-encryption
-- key (libsodium secretbox) and never leaves the server. Retired keys stay
-- so credentials signed with them keep verifying.
CREATE TABLE issuer_keys (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    public_key     TEXT NOT NULL,            -- publicKeyMultibase
    sealed_secret  TEXT NOT NULL,            -- base64(nonce || secretbox(seed))
    created_at     TEXT NOT NULL,
    retired_at     TEXT
);
CREATE INDEX issuer_keys_org ON issuer_keys(org_id, id);

CREATE TABLE credentials (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    achievement_id  INTEGER NOT NULL REFERENCES achievements(id),
    graduate_id     INTEGER NOT NULL REFERENCES graduates(id),
    placement_id    INTEGER REFERENCES placements(id),
    credential_id   TEXT NOT NULL UNIQUE,     -- urn:uuid:...
    status_index    INTEGER NOT NULL,         -- entry in the operator's status lists
    document        TEXT NOT NULL,            -- the signed credential (JSON)
    issued_at       TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'revoked')),
    status_reason   TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX credentials_org ON credentials(org_id, graduate_id);
CREATE UNIQUE INDEX credentials_index ON credentials(org_id, status_index);

-- One list per operator and purpose; the signed list credential is cached
-- and re-signed whenever a bit changes.
CREATE TABLE status_lists (
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    purpose      TEXT NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
    encoded      TEXT NOT NULL,              -- 'u' + base64url(gzip(bits))
    credential   TEXT,                       -- the signed BitstringStatusListCredential
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (org_id, purpose)
);
