-- The trade network's offers board (issue 15): business offers and requests
-- in the manner of Enterprise Europe Network's partnership opportunities
-- ("distributor sought in DE for HS 0306"), posted by an operator or by one
-- of its companies, matched to SMEs and contacts, with the interest companies
-- express (an introduction follows when the offer names who introduces whom).
--
-- An offer belongs to the operator that posted it (org_id); shared offers are
-- seen by every operator of the federation, private ones by that operator.
CREATE TABLE offers (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    company_id     INTEGER REFERENCES companies(id),   -- posted for this company (NULL: the operator's own)
    kind           TEXT NOT NULL CHECK (kind IN ('distributor_sought', 'agent_sought', 'supplier_sought',
                       'buyer_sought', 'tender_partner', 'other')),
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    hs             TEXT NOT NULL DEFAULT '[]',         -- HS codes (2-6 digits)
    countries      TEXT NOT NULL DEFAULT '[]',         -- ISO 3166-1 alpha-2 markets
    nace           TEXT,                               -- NACE Rev. 2 sector
    contact_id     INTEGER REFERENCES contacts(id),    -- who seeks (the introduction's target)
    introducer_id  INTEGER REFERENCES contacts(id),    -- who introduces interested companies to them
    visibility     TEXT NOT NULL DEFAULT 'shared' CHECK (visibility IN ('private', 'shared')),
    expires_on     TEXT NOT NULL,                      -- YYYY-MM-DD, the last day it is open
    closed_at      TEXT,
    created_by     INTEGER REFERENCES users(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    CHECK (contact_id IS NULL OR introducer_id IS NULL OR contact_id <> introducer_id)
);
CREATE INDEX offers_org ON offers(org_id, id);
CREATE INDEX offers_shared ON offers(visibility, expires_on);

-- A company's interest in an offer; the row is the interested company's
-- operator's. introduction_id: the introduction it started, if any.
CREATE TABLE offer_interests (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES orgs(id),
    offer_id         INTEGER NOT NULL REFERENCES offers(id) ON DELETE CASCADE,
    company_id       INTEGER NOT NULL REFERENCES companies(id),
    user_id          INTEGER REFERENCES users(id),
    message          TEXT,
    introduction_id  INTEGER REFERENCES introductions(id),
    created_at       TEXT NOT NULL,
    UNIQUE (offer_id, company_id)
);
CREATE INDEX offer_interests_org ON offer_interests(org_id, offer_id);
