-- Each declared account's row: first the one storing exactly the email (a hash join on the
-- users table's unique email, whatever its size).
UPDATE usersctl_apply AS s
   SET target_id = t.id
  FROM {table} AS t
 WHERE t.email = s.email
