-- $1 id (chosen by find_user.sql in the same transaction, row locked), $2 password_hash.
UPDATE {table}
   SET password_hash = $2
 WHERE id = $1::integer
RETURNING id::text
