-- The pending rows' new accounts, in file order (ids follow the file).
INSERT INTO {table} (email, first_name, last_name, password_hash, last_login_at, login_count)
SELECT s.email, COALESCE(s.first_name, ''), COALESCE(s.last_name, ''), s.password_hash,
       s.last_login_at, s.login_count
  FROM usersctl_import AS s
 WHERE s.kind IS NULL
   AND NOT EXISTS (SELECT 1 FROM {table} AS t WHERE lower(t.email) = s.email)
 ORDER BY s.line
