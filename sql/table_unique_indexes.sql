-- $1 table oid. Valid, non-partial unique indexes: the plain columns they cover (in order)
-- and the expression text of expression indexes, e.g. 'lower(email)'.
SELECT i.indexrelid::regclass::text AS index_name,
       (SELECT string_agg(a.attname, ',' ORDER BY k.ord)
          FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS columns,
       pg_catalog.pg_get_expr(i.indexprs, i.indrelid) AS expressions
  FROM pg_catalog.pg_index i
 WHERE i.indrelid = $1::oid AND i.indisunique AND i.indisvalid AND i.indpred IS NULL
