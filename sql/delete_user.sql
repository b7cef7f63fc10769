-- $1 id (chosen by find_user.sql in the same transaction, row locked).
DELETE FROM {table}
 WHERE id = $1::integer
RETURNING id::text, email
