-- $1 id (chosen by find_user.sql in the same transaction, row locked), $2 first_name or NULL
-- (keep), $3 last_name or NULL (keep), $4 password_hash.
UPDATE {table}
   SET first_name = COALESCE($2, first_name),
       last_name = COALESCE($3, last_name),
       password_hash = $4
 WHERE id = $1::integer
RETURNING id::text
