-- The trade network (issue 15): a directory of organisations and people,
-- shared across operators when marked so, with the relationships between
-- them, introductions and their outcomes.
--
-- A contact belongs to the operator that recorded it (org_id). Private
-- contacts are seen by that operator only; shared ones by every operator of
-- the federation. A person can ask to be removed: the row keeps its id (for
-- the introductions that name it) and nothing personal (removed_at set).
CREATE TABLE contacts (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    kind           TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
    category       TEXT NOT NULL CHECK (category IN ('operator_office', 'chamber', 'trade_council', 'een_partner',
                       'distributor', 'agent', 'importer', 'logistics', 'fair_organiser', 'alumnus', 'trainee',
                       'company_contact', 'staff', 'other')),
    name           TEXT NOT NULL,
    organisation   TEXT,                           -- a person's organisation, as written
    roles          TEXT NOT NULL DEFAULT '',       -- job titles, free text
    email          TEXT,
    phone          TEXT,
    country        TEXT,                           -- ISO 3166-1 alpha-2
    city           TEXT,
    nace           TEXT,                           -- NACE Rev. 2 code
    hs             TEXT NOT NULL DEFAULT '[]',     -- HS codes (2-6 digits)
    languages      TEXT NOT NULL DEFAULT '[]',     -- ISO 639-1
    markets        TEXT NOT NULL DEFAULT '[]',     -- ISO 3166-1 alpha-2 markets known
    tags           TEXT NOT NULL DEFAULT '[]',
    source         TEXT,                           -- fair, import file, alumni opt-in, ...
    visibility     TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'shared')),
    legal_basis    TEXT CHECK (legal_basis IN ('consent', 'legitimate_interest', 'contract', 'public_record')),
    consent        TEXT NOT NULL DEFAULT 'not_required'
                   CHECK (consent IN ('given', 'pending', 'withdrawn', 'not_required')),
    graduate_id    INTEGER REFERENCES graduates(id),   -- an alumnus' own record
    created_by     INTEGER REFERENCES users(id),
    removed_at     TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contacts_org ON contacts(org_id, id);
CREATE INDEX contacts_shared ON contacts(visibility, id);
CREATE INDEX contacts_email ON contacts(lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX contacts_graduate ON contacts(org_id, graduate_id) WHERE graduate_id IS NOT NULL;

-- Full text over names, organisations, roles, tags and city: prefix queries
-- ("gote*") and accent folding ("Goteborg" finds Göteborg) by the tokenizer.
CREATE VIRTUAL TABLE contacts_fts USING fts5(
    name, organisation, roles, tags, city,
    content = 'contacts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, name, organisation, roles, tags, city)
    VALUES (new.id, new.name, new.organisation, new.roles, new.tags, new.city);
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, name, organisation, roles, tags, city)
    VALUES ('delete', old.id, old.name, old.organisation, old.roles, old.tags, old.city);
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, name, organisation, roles, tags, city)
    VALUES ('delete', old.id, old.name, old.organisation, old.roles, old.tags, old.city);
    INSERT INTO contacts_fts (rowid, name, organisation, roles, tags, city)
    VALUES (new.id, new.name, new.organisation, new.roles, new.tags, new.city);
END;

-- Relationships, recorded by an operator; seen by every operator when both
-- ends are shared contacts (visibility is decided when recorded).
CREATE TABLE contact_links (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    from_id       INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    to_id         INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('knows', 'worked_with', 'alumnus_of', 'member_of', 'introduced_by')),
    strength      INTEGER NOT NULL CHECK (strength BETWEEN 1 AND 5),
    last_contact  TEXT,                          -- YYYY-MM-DD
    visibility    TEXT NOT NULL CHECK (visibility IN ('private', 'shared')),
    created_at    TEXT NOT NULL,
    CHECK (from_id <> to_id),
    UNIQUE (from_id, to_id, kind)
);
CREATE INDEX contact_links_org ON contact_links(org_id);
CREATE INDEX contact_links_to ON contact_links(to_id);

-- An introduction asked by someone of operator org_id, through an
-- introducer, to a target; its states and outcome.
CREATE TABLE introductions (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    asker_user_id  INTEGER REFERENCES users(id),
    asker_name     TEXT NOT NULL,
    company_id     INTEGER REFERENCES companies(id),   -- outcomes are kept per company ...
    graduate_id    INTEGER REFERENCES graduates(id),   -- ... and per trainee
    introducer_id  INTEGER NOT NULL REFERENCES contacts(id),
    target_id      INTEGER NOT NULL REFERENCES contacts(id),
    purpose        TEXT NOT NULL,
    message        TEXT,
    state          TEXT NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'accepted', 'declined', 'made',
                       'meeting_held', 'deal_started', 'deal_closed', 'dropped')),
    value_minor    INTEGER,
    currency       TEXT,
    market         TEXT,
    hs             TEXT,
    reminded_at    TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    CHECK (introducer_id <> target_id)
);
CREATE INDEX introductions_org ON introductions(org_id, state);

CREATE TABLE introduction_events (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES orgs(id),
    introduction_id  INTEGER NOT NULL REFERENCES introductions(id) ON DELETE CASCADE,
    state            TEXT NOT NULL,
    note             TEXT,
    by_name          TEXT NOT NULL,
    at               TEXT NOT NULL
);
CREATE INDEX introduction_events_intro ON introduction_events(introduction_id);

-- A target owned by another operator: that operator approves first. The row
-- is the approving operator's (org_id); it copies what it needs to decide.
CREATE TABLE introduction_approvals (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES orgs(id),
    introduction_id  INTEGER NOT NULL UNIQUE REFERENCES introductions(id) ON DELETE CASCADE,
    target_id        INTEGER NOT NULL REFERENCES contacts(id),
    asker_name       TEXT NOT NULL,
    purpose          TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'refused')),
    decided_at       TEXT,
    created_at       TEXT NOT NULL
);

-- Single-use links for introducers without an account (stored as hashes).
CREATE TABLE introduction_links (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES orgs(id),
    introduction_id  INTEGER NOT NULL REFERENCES introductions(id) ON DELETE CASCADE,
    token_hash       TEXT NOT NULL UNIQUE,
    email            TEXT NOT NULL,
    expires_at       INTEGER NOT NULL,
    used_at          TEXT,
    created_at       TEXT NOT NULL
);
