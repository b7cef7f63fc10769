-- Imported rows whose email already has an account, in line order.
SELECT s.line::text, s.email
  FROM usersctl_import AS s
 WHERE s.kind IS NULL
   AND EXISTS (SELECT 1 FROM {table} AS t WHERE lower(t.email) = s.email)
 ORDER BY s.line
