-- Impact (issue 14): export sales per company, market and year, imported
-- from CSV (baselines, earlier years for the pre-period trends, and the
-- years after for firms that applied but were not placed - the comparison
-- group built from data already in the system).
CREATE TABLE impact_export_sales (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    company_id    INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    market        TEXT NOT NULL,
    year          INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor >= 0),
    updated_at    TEXT NOT NULL,
    UNIQUE (company_id, market, year)
);
CREATE INDEX impact_export_sales_org ON impact_export_sales(org_id, company_id, year);
