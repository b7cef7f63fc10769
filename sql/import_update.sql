-- --on-conflict update: existing accounts take the imported password hash and the names the
-- file gives (an empty name field leaves the stored name as it is). The account is the one
-- storing exactly the email, else the one matching it case-insensitively (import_ambiguous.sql
-- has refused emails that several match).
UPDATE {table} AS t
   SET first_name = COALESCE(s.first_name, t.first_name),
       last_name = COALESCE(s.last_name, t.last_name),
       password_hash = s.password_hash
  FROM usersctl_import AS s
 WHERE s.kind IS NULL
   AND t.id = COALESCE((SELECT x.id FROM {table} AS x WHERE x.email = s.email),
                       (SELECT x.id FROM {table} AS x WHERE lower(x.email) = s.email))
