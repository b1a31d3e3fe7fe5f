-- Per-market tariffs entered by a person (issue 13; none ship): the
-- ad-valorem rate a market applies to a product (HS6 code or HS4/HS2 prefix),
-- for the whole operator or one company, optionally only to goods from one
-- origin, with the source and date it was read from. The ranking corrects
-- the market's demand by them (docs/market-selection.md#tariffs).
CREATE TABLE trade_tariffs (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    company_id     INTEGER REFERENCES companies(id),   -- NULL: every company of the operator
    market         TEXT NOT NULL,                      -- ISO 3166 alpha-2
    origin         TEXT NOT NULL DEFAULT '',           -- ISO alpha-2 of the goods' origin, '' = any
    product        TEXT NOT NULL,                      -- HS code, 2, 4 or 6 digits
    rate_pct       REAL NOT NULL CHECK (rate_pct >= 0),
    reference_pct  REAL CHECK (reference_pct >= 0),    -- what all suppliers pay on average
    elasticity     REAL NOT NULL DEFAULT 4,
    source         TEXT NOT NULL,
    as_of          TEXT NOT NULL,
    updated_by     INTEGER REFERENCES users(id),
    updated_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX trade_tariffs_key ON trade_tariffs(org_id, ifnull(company_id, 0), market, origin, product);
