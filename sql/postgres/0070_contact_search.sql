-- Directory search on PostgreSQL (issue 18): PostgreSQL's own full-text
-- search in place of SQLite's FTS5 index (contacts_fts, sql/sqlite/0050).
-- Same fields and weights (name, organisation, roles, tags, city), prefix
-- queries ("gote*") and accent folding ("Goteborg" finds Göteborg): the
-- configuration tb_fold is `simple` (no stemming, no stop words, like FTS5's
-- unicode61) with unaccent in front of it for words with non-ASCII letters.
-- The document is a stored generated column (search), GIN-indexed. Under
-- row-level security PostgreSQL uses that index only for a role that bypasses
-- the policies (@@ is not leakproof); the application's role scans the stored
-- vectors instead, which is cheap next to building them per row.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION tb_fold (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION tb_fold ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple;

-- The weighted document of one contact: A name, B organisation, C roles,
-- D tags and city (FTS5's bm25 weights 10, 5, 3, 2, 2; see tb_contact_rank).
CREATE FUNCTION tb_contact_doc(name TEXT, organisation TEXT, roles TEXT, tags TEXT, city TEXT) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
    SELECT setweight(to_tsvector('tb_fold', coalesce(name, '')), 'A')
        || setweight(to_tsvector('tb_fold', coalesce(organisation, '')), 'B')
        || setweight(to_tsvector('tb_fold', coalesce(roles, '')), 'C')
        || setweight(to_tsvector('tb_fold', coalesce(tags, '') || ' ' || coalesce(city, '')), 'D')
$$;
ALTER TABLE contacts ADD COLUMN search tsvector
    GENERATED ALWAYS AS (tb_contact_doc(name, organisation, roles, tags, city)) STORED;
CREATE INDEX contacts_search ON contacts USING gin (search);

-- The store's FTS5 match expression ("w1"* "w2"* or "w1"* OR "w2"*, words
-- of letters and digits only: net_match_query) as a tsquery with prefixes.
CREATE FUNCTION tb_fts_query(match TEXT) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
    SELECT to_tsquery('tb_fold', regexp_replace(replace(regexp_replace(match, '"([^"]*)"\*', '''\1'':*', 'g'),
                                                        ' OR ', ' | '), ':\* (?='')', ':* & ', 'g'))
$$;

-- Relevance, smaller is better (FTS5's bm25 order): weights D, C, B, A.
CREATE FUNCTION tb_contact_rank(doc tsvector, q tsquery) RETURNS DOUBLE PRECISION
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT -CAST(ts_rank('{0.2, 0.3, 0.5, 1.0}', doc, q) AS DOUBLE PRECISION)
$$;

DROP FUNCTION tb_fts5_missing(TEXT);
