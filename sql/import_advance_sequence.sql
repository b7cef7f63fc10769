-- --keep-ids: the id column's sequence (serial or identity), if any, moves past the largest id so
-- the app's next registration does not collide; never backwards. $1 is the table's quoted name
-- (a value, not SQL text). Returns the sequence's new last value, or nothing without a sequence.
SELECT setval(seq, GREATEST((SELECT max(id) FROM {table}), COALESCE(pg_sequence_last_value(seq), 0)))::text
  FROM (SELECT pg_get_serial_sequence($1, 'id')::regclass AS seq) AS s
 WHERE seq IS NOT NULL
