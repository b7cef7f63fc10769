-- $1 email (lower-cased).
DELETE FROM {table}
 WHERE id = (SELECT id FROM {table} WHERE lower(email) = $1 ORDER BY (email = $1) DESC, id LIMIT 1)
RETURNING id::text, email
