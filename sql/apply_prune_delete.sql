-- --prune, the write: the rows apply_prune_list.sql listed (same predicate, same transaction,
-- under the lock that keeps other writers out).
DELETE FROM {table} AS t
 WHERE lower(t.email) LIKE $1
   AND NOT EXISTS (SELECT 1 FROM usersctl_apply AS s WHERE s.target_id = t.id)
   AND NOT EXISTS (SELECT 1 FROM usersctl_apply AS s WHERE s.email = lower(t.email))
