-- Notifications and deadlines, and the person's locale (issue 17).
-- One row per person who changed a setting; a person without one gets the
-- defaults (to-do mail at once, English mail, no calendar feed).
CREATE TABLE user_settings (
    user_id            BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    locale             TEXT CHECK (locale IN ('en', 'sv')),          -- NULL: not chosen (mail in English)
    todo_mail          TEXT NOT NULL DEFAULT 'immediately'
                       CHECK (todo_mail IN ('immediately', 'daily', 'never')),
    calendar_token_hash TEXT UNIQUE,                                 -- BLAKE2b of the feed's secret; NULL: no feed
    calendar_created_at TEXT,
    todo_baseline_at   TEXT,                                         -- first look of the to-do mailer: what was open then is not mailed
    digest_on          TEXT,                                         -- UTC date of the last daily digest
    updated_at         TEXT NOT NULL
);

-- Which to-do items a person has been told about (by mail at once, in a
-- digest, or recorded without mail), so each is mailed once.
CREATE TABLE todo_mailed (
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    item_key   TEXT NOT NULL,                                        -- kind:id, e.g. agreement:12
    at         TEXT NOT NULL,
    PRIMARY KEY (user_id, item_key)
);
