-- --keep-ids: the pending rows' new accounts with the ids the file gives (import_id_conflicts.sql
-- has refused ids already taken), in file order.
INSERT INTO {table} (id, email, first_name, last_name, password_hash, last_login_at, login_count)
SELECT s.id, s.email, COALESCE(s.first_name, ''), COALESCE(s.last_name, ''), s.password_hash,
       s.last_login_at, s.login_count
  FROM usersctl_import AS s
 WHERE s.kind IS NULL
   AND NOT EXISTS (SELECT 1 FROM {table} AS t WHERE lower(t.email) = s.email)
 ORDER BY s.line
