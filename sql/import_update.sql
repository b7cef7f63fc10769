-- --on-conflict update: existing accounts take the imported password hash and the names the
-- file gives (an empty name field leaves the stored name as it is).
UPDATE {table} AS t
   SET first_name = COALESCE(s.first_name, t.first_name),
       last_name = COALESCE(s.last_name, t.last_name),
       password_hash = s.password_hash
  FROM usersctl_import AS s
 WHERE s.kind IS NULL AND lower(t.email) = s.email
