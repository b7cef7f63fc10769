-- --prune, the plan: the accounts whose lower(email) matches $1 (the glob as a LIKE pattern, as
-- list --email matches) that the file does not declare: neither the row a declared account
-- matched nor any row whose lower(email) is a declared email. apply_prune_delete.sql deletes
-- the same rows, under the same lock.
SELECT t.email
  FROM {table} AS t
 WHERE lower(t.email) LIKE $1
   AND NOT EXISTS (SELECT 1 FROM usersctl_apply AS s WHERE s.target_id = t.id)
   AND NOT EXISTS (SELECT 1 FROM usersctl_apply AS s WHERE s.email = lower(t.email))
 ORDER BY lower(t.email), t.id
