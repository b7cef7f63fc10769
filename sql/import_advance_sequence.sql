-- --keep-ids: the id column's sequence (serial or identity), if any, moves past the largest id so
-- the app's next registration does not collide; never backwards. $1 is the table's quoted name
-- (a value, not SQL text). Returns the sequence's new last value and its maximum, or no row
-- without a sequence.
SELECT setval(s.seq, GREATEST((SELECT max(id) FROM {table}), COALESCE(pg_sequence_last_value(s.seq), 0)))::text
           AS last_value,
       p.seqmax::text AS max_value
  FROM (SELECT pg_get_serial_sequence($1, 'id')::regclass AS seq) AS s
  JOIN pg_catalog.pg_sequence AS p ON p.seqrelid = s.seq
