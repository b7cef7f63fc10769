-- $1 id (chosen by find_user.sql in the same transaction, row locked), $2 new email or NULL,
-- $3 first_name or NULL, $4 last_name or NULL, $5 whether last_login_at becomes NULL. Touches
-- the row only when something differs; the caller tells "unchanged" from "missing".
UPDATE {table}
   SET email = COALESCE($2, email),
       first_name = COALESCE($3, first_name),
       last_name = COALESCE($4, last_name),
       last_login_at = CASE WHEN $5::boolean THEN NULL ELSE last_login_at END
 WHERE id = $1::integer
   AND (email IS DISTINCT FROM COALESCE($2, email)
        OR first_name IS DISTINCT FROM COALESCE($3, first_name)
        OR last_name IS DISTINCT FROM COALESCE($4, last_name)
        OR ($5::boolean AND last_login_at IS NOT NULL))
RETURNING id::text, email
