-- The recruitment side of an export trainee programme: SMEs, graduates,
-- positions, applications, cohorts and placements with their three-party
-- agreement. Every row belongs to one operator (org_id). Lists of codes
-- (languages, markets, HS products...) are JSON arrays validated against the
-- code lists before they are stored. Money is integer minor units + ISO 4217.

CREATE TABLE companies (
    id                   INTEGER PRIMARY KEY,
    org_id               INTEGER NOT NULL REFERENCES orgs(id),
    legal_name           TEXT NOT NULL,
    registration_number  TEXT,
    country              TEXT NOT NULL,              -- ISO 3166-1 alpha-2
    region               TEXT,
    city                 TEXT,
    nace                 TEXT,                       -- NACE Rev. 2 code
    employees            INTEGER,
    currency             TEXT,                       -- ISO 4217 for the money fields
    turnover             INTEGER,                    -- minor units
    export_turnover      INTEGER,
    balance_sheet        INTEGER,
    products             TEXT NOT NULL DEFAULT '[]', -- HS codes
    export_markets       TEXT NOT NULL DEFAULT '[]', -- ISO 3166-1 alpha-2
    target_markets       TEXT NOT NULL DEFAULT '[]',
    contacts             TEXT NOT NULL DEFAULT '[]', -- [{name,email,phone,role}]
    website              TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX companies_org ON companies(org_id, legal_name);

CREATE TABLE graduates (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES orgs(id),
    user_id          INTEGER REFERENCES users(id),   -- the trainee's login, when invited
    name             TEXT NOT NULL,
    email            TEXT,
    phone            TEXT,
    nationality      TEXT,
    residence        TEXT,
    eqf_level        TEXT,                           -- '1'..'8'
    field            TEXT,                           -- ISCED-F 2013
    university       TEXT,
    graduation_year  INTEGER,
    languages        TEXT NOT NULL DEFAULT '[]',     -- [{code, level}] ISO 639-1 + CEFR/native
    countries        TEXT NOT NULL DEFAULT '[]',     -- [{country, months, kind: lived|studied|worked}]
    skills           TEXT NOT NULL DEFAULT '[]',
    mobility         TEXT NOT NULL DEFAULT '[]',     -- countries they accept to work in
    available_from   TEXT,
    consent          TEXT,                           -- {purpose, text_version, given_at}
    cv_sha256        TEXT,
    cv_size          INTEGER,
    cv_name          TEXT,
    erased_at        TEXT,                           -- GDPR erasure: personal fields emptied
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX graduates_org ON graduates(org_id, name);
CREATE UNIQUE INDEX graduates_email ON graduates(org_id, email) WHERE email IS NOT NULL;

-- CV files live apart from the profile so lists never carry them.
CREATE TABLE cv_files (
    graduate_id  INTEGER PRIMARY KEY REFERENCES graduates(id) ON DELETE CASCADE,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    content      BLOB NOT NULL,
    sha256       TEXT NOT NULL,
    uploaded_at  TEXT NOT NULL
);

CREATE TABLE cohorts (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES orgs(id),
    name                TEXT NOT NULL,
    start_date          TEXT NOT NULL,
    end_date            TEXT NOT NULL,
    curriculum_version  TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX cohorts_name ON cohorts(org_id, name);

CREATE TABLE positions (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES orgs(id),
    company_id       INTEGER NOT NULL REFERENCES companies(id),
    cohort_id        INTEGER REFERENCES cohorts(id),
    title            TEXT NOT NULL,
    description      TEXT,
    target_markets   TEXT NOT NULL DEFAULT '[]',
    products         TEXT NOT NULL DEFAULT '[]',
    languages        TEXT NOT NULL DEFAULT '[]',     -- [{code, min_level}]
    fields           TEXT NOT NULL DEFAULT '[]',     -- preferred ISCED-F fields
    location_country TEXT,
    location_city    TEXT,
    start_date       TEXT,
    duration_months  INTEGER,
    currency         TEXT,
    pay              INTEGER,                        -- monthly stipend or salary, minor units
    places           INTEGER NOT NULL DEFAULT 1,
    status           TEXT NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'submitted', 'approved', 'open', 'closed', 'filled')),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX positions_org ON positions(org_id, status);
CREATE INDEX positions_company ON positions(company_id);

CREATE TABLE applications (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    graduate_id   INTEGER NOT NULL REFERENCES graduates(id),
    position_id   INTEGER NOT NULL REFERENCES positions(id),
    stage         TEXT NOT NULL DEFAULT 'applied'
                  CHECK (stage IN ('applied', 'screened', 'interview', 'shortlisted', 'offered',
                                   'accepted', 'declined', 'rejected', 'withdrawn')),
    graduate_rank INTEGER,                           -- the graduate's preference (1 = first)
    company_rank  INTEGER,                           -- the company's preference
    notes         TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX applications_pair ON applications(graduate_id, position_id);
CREATE INDEX applications_org ON applications(org_id, stage);
CREATE INDEX applications_position ON applications(position_id);

-- Who moved an application, from which stage to which, when.
CREATE TABLE application_events (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    application_id  INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    from_stage      TEXT,
    to_stage        TEXT NOT NULL,
    user_id         INTEGER,
    note            TEXT,
    at              TEXT NOT NULL
);
CREATE INDEX application_events_app ON application_events(application_id, id);

CREATE TABLE placements (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES orgs(id),
    graduate_id      INTEGER NOT NULL REFERENCES graduates(id),
    company_id       INTEGER NOT NULL REFERENCES companies(id),
    cohort_id        INTEGER REFERENCES cohorts(id),
    position_id      INTEGER REFERENCES positions(id),
    mentor_user_id   INTEGER REFERENCES users(id),
    start_date       TEXT NOT NULL,
    end_date         TEXT NOT NULL,
    currency         TEXT,
    stipend          INTEGER,                        -- monthly, minor units
    objectives       TEXT,                           -- the export project's objectives
    learning_plan    TEXT,
    status           TEXT NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'signed', 'completed', 'terminated')),
    agreement_hash   TEXT,                           -- SHA-256 of the terms each party accepted
    locked_at        TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX placements_org ON placements(org_id, status);

-- The three-party agreement: trainee, company and operator each accept the
-- same terms (agreement_hash); the placement locks when all three have.
CREATE TABLE agreement_acceptances (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    placement_id  INTEGER NOT NULL REFERENCES placements(id) ON DELETE CASCADE,
    party         TEXT NOT NULL CHECK (party IN ('trainee', 'company', 'operator')),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    terms_hash    TEXT NOT NULL,
    at            TEXT NOT NULL,
    client_addr   TEXT
);
CREATE UNIQUE INDEX agreement_party ON agreement_acceptances(placement_id, party);
