-- Market ranking weights chosen by an operator (issue 13): the defaults of
-- docs/market-selection.md apply where an operator stored none, and a request's
-- own weights apply over these.
CREATE TABLE trade_settings (
    org_id      INTEGER PRIMARY KEY REFERENCES orgs(id),
    weights     TEXT NOT NULL,             -- {"size":0.25,"growth":0.15,...}
    updated_at  TEXT NOT NULL
);
