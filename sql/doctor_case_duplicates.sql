-- $1 how many to list. Accounts whose email differs from another's only by case, with the
-- total number of such accounts in every row.
WITH dupes AS (
    SELECT id, email, lower(email) AS folded
      FROM {table}
     WHERE lower(email) IN (SELECT lower(email) FROM {table} GROUP BY 1 HAVING count(*) > 1)
)
SELECT id::text, email, (SELECT count(*) FROM dupes)::text
  FROM dupes
-- dupes.id, the number: a bare `id` would name the text column above.
 ORDER BY dupes.folded, dupes.id
 LIMIT $1
