-- Row-level security (issue 18): a shared contact names the operator that
-- owns it (owner_name, as on SQLite), so every operator may read the name row
-- of an operator with shared contacts. Read only; writes keep the tenant policy.
CREATE POLICY shared_contact_owner ON orgs FOR SELECT
    USING (EXISTS (SELECT 1 FROM contacts c WHERE c.org_id = orgs.id AND c.visibility = 'shared'));
