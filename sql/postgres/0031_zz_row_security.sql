-- PostgreSQL only: row-level security, the second fence around each operator's
-- rows. The store sets tradebridge.tenant for every statement's transaction
-- (src/store/store_pg.c): the actor's operator id for a TENANT statement,
-- 'all' for an elevated actor and for USER, GLOBAL and SYSTEM statements, 'none'
-- otherwise. A statement that forgot its tenant filter still sees only the
-- operator's rows. The foundation's rows in orgs, curricula and curriculum
-- versions are shared with every operator, as the statements share them.
--
-- tb_row_security() puts the policy on every table with an org_id column; a
-- later migration that creates a tenant table ends with SELECT tb_row_security();
-- (tests/unit/test_store_pg.c checks that every tenant table has the policy).

CREATE FUNCTION tb_tenant_ok(o BIGINT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT CASE current_setting('tradebridge.tenant', true)
               WHEN 'all' THEN true
               WHEN 'none' THEN false
               WHEN '' THEN false
               ELSE o = CAST(current_setting('tradebridge.tenant', true) AS BIGINT) END
$$;

CREATE FUNCTION tb_foundation_org(o BIGINT) RETURNS BOOLEAN LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT EXISTS (SELECT 1 FROM orgs WHERE id = o AND kind = 'foundation')
$$;

CREATE FUNCTION tb_row_security() RETURNS void LANGUAGE plpgsql AS $$
DECLARE t TEXT;
BEGIN
    FOR t IN SELECT c.table_name FROM information_schema.columns c
             JOIN information_schema.tables x ON x.table_name = c.table_name AND x.table_schema = c.table_schema
             WHERE c.table_schema = current_schema() AND c.column_name = 'org_id' AND x.table_type = 'BASE TABLE'
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP POLICY IF EXISTS tenant ON %I', t);
        IF t IN ('curricula', 'curriculum_versions') THEN
            -- an operator's cohort freezes the foundation's version it adopts (CVERSION_FREEZE)
            EXECUTE format('CREATE POLICY tenant ON %I USING (tb_tenant_ok(org_id) OR tb_foundation_org(org_id))', t);
        ELSE
            EXECUTE format('CREATE POLICY tenant ON %I USING (tb_tenant_ok(org_id)) WITH CHECK (tb_tenant_ok(org_id))', t);
        END IF;
    END LOOP;
    ALTER TABLE orgs ENABLE ROW LEVEL SECURITY;
    ALTER TABLE orgs FORCE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS tenant ON orgs;
    CREATE POLICY tenant ON orgs USING (tb_tenant_ok(id) OR kind = 'foundation') WITH CHECK (tb_tenant_ok(id));
END
$$;

SELECT tb_row_security();
