-- The locked direct path of an import: whether any of $1 (emails as stored, a text array) meets
-- the lower(email) unique index, in the table or among themselves. One row if so. The array is
-- lower-cased once (an InitPlan), so the table is searched through its index, not scanned.
SELECT 1
  FROM {table}
 WHERE lower(email) = ANY (ARRAY(SELECT lower(e) FROM unnest($1::text[]) AS e))
UNION ALL
SELECT 1
  FROM unnest($1::text[]) AS e
 GROUP BY lower(e)
HAVING count(*) > 1
 LIMIT 1
