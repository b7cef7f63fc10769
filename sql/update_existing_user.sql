-- $1 id (chosen by find_user.sql in the same transaction, row locked), $2 first_name or NULL
-- (keep), $3 last_name or NULL (keep), $4 password_hash. Writes (and returns the id) only when
-- something differs, so a re-run with the same values leaves the row untouched.
UPDATE {table}
   SET first_name = COALESCE($2, first_name),
       last_name = COALESCE($3, last_name),
       password_hash = $4
 WHERE id = $1::integer
   AND (first_name IS DISTINCT FROM COALESCE($2, first_name)
        OR last_name IS DISTINCT FROM COALESCE($3, last_name)
        OR password_hash IS DISTINCT FROM $4)
RETURNING id::text
