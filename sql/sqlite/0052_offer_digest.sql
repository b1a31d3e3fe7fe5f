-- The offers board's digest (issue 15): companies that an open offer fits
-- are told about it by mail, each offer once per company; a person may ask
-- for no digest (from the settings or the link in every digest).
CREATE TABLE offer_digest_sent (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),        -- the company's operator
    company_id  INTEGER NOT NULL REFERENCES companies(id),
    offer_id    INTEGER NOT NULL REFERENCES offers(id) ON DELETE CASCADE,
    score       INTEGER NOT NULL,
    mails       INTEGER NOT NULL,                             -- how many people it was mailed to
    at          TEXT NOT NULL,
    UNIQUE (company_id, offer_id)
);
CREATE INDEX offer_digest_sent_org ON offer_digest_sent(org_id);

-- A person's digest setting; no row: the digest is on. unsubscribe_hash: the
-- hash of the link in the last digest mailed to them (BLAKE2b, as tokens).
CREATE TABLE offer_digest_prefs (
    user_id           INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    digest            TEXT NOT NULL DEFAULT 'on' CHECK (digest IN ('on', 'off')),
    unsubscribe_hash  TEXT UNIQUE,
    updated_at        TEXT NOT NULL
);
