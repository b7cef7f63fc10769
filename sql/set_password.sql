-- $1 email (lower-cased), $2 password_hash.
UPDATE {table}
   SET password_hash = $2
 WHERE id = (SELECT id FROM {table} WHERE lower(email) = $1 ORDER BY (email = $1) DESC, id LIMIT 1)
RETURNING id::text
