-- Impact (issue 14): each baseline keeps the total of its baseline year's
-- export sales (the sum over markets of amount_minor in `currency`), so a
-- report reads one number per company instead of summing every baseline's
-- JSON sales on each request. Kept by a trigger on every write, backfilled
-- here.
ALTER TABLE impact_baselines ADD COLUMN base_total DOUBLE PRECISION;

CREATE FUNCTION tb_impact_baseline_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.base_total := (SELECT COALESCE(sum(CAST(j.value ->> 'amount_minor' AS DOUBLE PRECISION)), 0.0)
                       FROM jsonb_array_elements(CAST(NEW.sales AS jsonb)) j(value)
                       WHERE CAST(j.value ->> 'year' AS BIGINT) = NEW.year);
    RETURN NEW;
END
$$;
CREATE TRIGGER impact_baselines_total BEFORE INSERT OR UPDATE OF sales, year ON impact_baselines
    FOR EACH ROW EXECUTE FUNCTION tb_impact_baseline_total();

UPDATE impact_baselines SET base_total = (SELECT COALESCE(sum(CAST(j.value ->> 'amount_minor' AS DOUBLE PRECISION)), 0.0)
    FROM jsonb_array_elements(CAST(impact_baselines.sales AS jsonb)) j(value)
    WHERE CAST(j.value ->> 'year' AS BIGINT) = impact_baselines.year);

-- PostgreSQL: row-level security on the tenant tables (0031_zz_row_security.sql).
SELECT tb_row_security();
