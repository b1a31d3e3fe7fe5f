-- Impact (issue 14): each baseline keeps the total of its baseline year's
-- export sales (the sum over markets of amount_minor in `currency`), so a
-- report reads one number per company instead of summing every baseline's
-- JSON sales on each request. Kept by triggers on every write (the store's
-- upsert, imports, the demo, direct SQL), backfilled here.
ALTER TABLE impact_baselines ADD COLUMN base_total REAL;

CREATE TRIGGER impact_baselines_total_insert AFTER INSERT ON impact_baselines BEGIN
    UPDATE impact_baselines SET base_total = (SELECT total(json_extract(j.value, '$.amount_minor'))
        FROM json_each(new.sales) j WHERE json_extract(j.value, '$.year') = new.year)
    WHERE company_id = new.company_id;
END;
CREATE TRIGGER impact_baselines_total_update AFTER UPDATE OF sales, year ON impact_baselines BEGIN
    UPDATE impact_baselines SET base_total = (SELECT total(json_extract(j.value, '$.amount_minor'))
        FROM json_each(new.sales) j WHERE json_extract(j.value, '$.year') = new.year)
    WHERE company_id = new.company_id;
END;

UPDATE impact_baselines SET base_total = (SELECT total(json_extract(j.value, '$.amount_minor'))
    FROM json_each(impact_baselines.sales) j WHERE json_extract(j.value, '$.year') = impact_baselines.year);
