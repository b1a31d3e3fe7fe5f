-- Directory search over a million contacts (issue 15): the filters go into
-- the full-text index, so that search reads only the matches of the filters
-- asked for, and ranks a bounded set of them (the store: the first 1,000
-- matches, then up to 20,000 when those gave too few results) instead of
-- up to 20,000 matches of a broad prefix such as "lar*" filtered afterwards.
--
-- contacts_fts gains a sixth column, facets, of tokens that the tokenizer
-- keeps whole (letters and digits): c<country>, k<kind>, k<category>
-- (underscores dropped), n<NACE without dots>, h<each HS code>, l<each
-- language>. Search matches its words in the five text columns only and the
-- filters in facets; the store keeps the exact filters (and who may see the
-- contact) on the rows as well (HS codes and languages are lists of codes: their
-- JSON text is taken apart with replace(); FTS5 cannot rebuild from a view
-- that calls json_each). The index reads its text from the view
-- contacts_fts_src (the contacts with their facets), so a rebuild stays one
-- statement.
DROP TRIGGER contacts_fts_insert;
DROP TRIGGER contacts_fts_delete;
DROP TRIGGER contacts_fts_update;
DROP TABLE contacts_fts;

CREATE VIEW contacts_fts_src AS
SELECT c.id, c.name, c.organisation, c.roles, c.tags, c.city,
       'c' || coalesce(c.country, '') || ' k' || c.kind || ' k' || replace(c.category, '_', '')
       || coalesce(' n' || replace(c.nace, '.', ''), '')
       || CASE WHEN c.hs IN ('', '[]') THEN '' ELSE ' h' || replace(replace(replace(replace(replace(c.hs,
              '[', ''), ']', ''), '"', ''), ' ', ''), ',', ' h') END
       || CASE WHEN c.languages IN ('', '[]') THEN '' ELSE ' l' || replace(replace(replace(replace(replace(c.languages,
              '[', ''), ']', ''), '"', ''), ' ', ''), ',', ' l') END
       AS facets
FROM contacts c;

CREATE VIRTUAL TABLE contacts_fts USING fts5(
    name, organisation, roles, tags, city, facets,
    content = 'contacts_fts_src', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6 7 8'
);
INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild');

-- The old row leaves the index before it changes (read through the view, so
-- its facets are the ones indexed); the new one enters after.
CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, name, organisation, roles, tags, city, facets)
    SELECT id, name, organisation, roles, tags, city, facets FROM contacts_fts_src WHERE id = new.id;
END;
CREATE TRIGGER contacts_fts_delete BEFORE DELETE ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, name, organisation, roles, tags, city, facets)
    SELECT 'delete', id, name, organisation, roles, tags, city, facets FROM contacts_fts_src WHERE id = old.id;
END;
CREATE TRIGGER contacts_fts_update_old BEFORE UPDATE ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, name, organisation, roles, tags, city, facets)
    SELECT 'delete', id, name, organisation, roles, tags, city, facets FROM contacts_fts_src WHERE id = old.id;
END;
CREATE TRIGGER contacts_fts_update_new AFTER UPDATE ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, name, organisation, roles, tags, city, facets)
    SELECT id, name, organisation, roles, tags, city, facets FROM contacts_fts_src WHERE id = new.id;
END;
