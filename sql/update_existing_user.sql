-- $1 email (lower-cased), $2 first_name or NULL (keep), $3 last_name or NULL (keep), $4 password_hash.
UPDATE {table}
   SET first_name = COALESCE($2, first_name),
       last_name = COALESCE($3, last_name),
       password_hash = $4
 WHERE id = (SELECT id FROM {table} WHERE lower(email) = $1 ORDER BY (email = $1) DESC, id LIMIT 1)
RETURNING id::text
