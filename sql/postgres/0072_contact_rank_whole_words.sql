-- Search on PostgreSQL ranks whole words before prefixes, as SQLite's search
-- does in its passes (issue 15): "holm" lists Holm before Holmberg. A contact
-- whose document holds every word whole (the query without its prefix marks)
-- ranks ahead of one that matches only by prefix; within each group ts_rank
-- orders as before (smaller is better, FTS5's bm25 order). Without this the two
-- tied and came back in either order.
CREATE OR REPLACE FUNCTION tb_contact_rank(doc tsvector, q tsquery) RETURNS DOUBLE PRECISION
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT -CAST(ts_rank('{0.2, 0.3, 0.5, 1.0}', doc, q) AS DOUBLE PRECISION)
           - CASE WHEN doc @@ CAST(replace(CAST(q AS TEXT), ':*', '') AS tsquery) THEN 10 ELSE 0 END
$$;
