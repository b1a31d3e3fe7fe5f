-- Directory search over a million contacts (issue 15), the twin of
-- sql/sqlite/0053_contact_search_facets.sql. There the filters (country,
-- kind, NACE, HS, language) join the words in SQLite's FTS5 index, so that
-- search ranks a bounded set of matches. PostgreSQL needs no new column:
-- search matches the stored, weighted document contacts.search
-- (0070_contact_search.sql, built for every row) and ranks every match, with
-- the filters in the same statement. Row-level security as its neighbours.
SELECT tb_row_security();
