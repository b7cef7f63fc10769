-- The new accounts, in file order (ids follow the file); names not given are ''.
INSERT INTO {table} (email, first_name, last_name, password_hash)
SELECT s.email, COALESCE(s.first_name, ''), COALESCE(s.last_name, ''), s.password_hash
  FROM usersctl_apply AS s
 WHERE s.target_id IS NULL
 ORDER BY s.entry
