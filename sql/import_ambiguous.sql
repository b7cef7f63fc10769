-- --on-conflict update: pending rows whose email several accounts match case-insensitively and
-- none stores exactly (possible only without the lower(email) index). Updating one of them would
-- be a guess, updating all of them worse: each is a bad row. In line order, with the ids.
SELECT s.line::text AS line, string_agg(t.id::text, ', ' ORDER BY t.id) AS ids
  FROM usersctl_import AS s
  JOIN {table} AS t ON lower(t.email) = s.email
 WHERE s.kind IS NULL
   AND NOT EXISTS (SELECT 1 FROM {table} AS x WHERE x.email = s.email)
 GROUP BY s.line
HAVING count(*) > 1
 ORDER BY s.line
