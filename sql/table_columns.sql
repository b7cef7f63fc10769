-- $1 table oid. One row per live column: name, type, NOT NULL, has a default or identity,
-- and the declared length of a character varying column (NULL otherwise).
SELECT a.attname::text,
       pg_catalog.format_type(a.atttypid, NULL) AS type_name,
       a.attnotnull::text,
       (a.atthasdef OR a.attidentity <> '')::text AS has_default,
       CASE WHEN a.atttypid = 'pg_catalog.varchar'::regtype AND a.atttypmod > 4
            THEN (a.atttypmod - 4)::text END AS max_length
  FROM pg_catalog.pg_attribute a
 WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum
