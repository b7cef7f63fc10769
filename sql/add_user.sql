-- $1 email (lower-cased as Python does), $2 first_name, $3 last_name, $4 password_hash, $5 the
-- email as PostgreSQL's lower() would spell it (see find_user.sql).
-- Inserts unless an account with the same lower(email) exists; ON CONFLICT covers a concurrent
-- insert of the same email, so racing runs never fail with a raw unique violation.
INSERT INTO {table} (email, first_name, last_name, password_hash)
SELECT $1, $2, $3, $4
 WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE lower(email) = $1 OR lower(email) = $5)
ON CONFLICT DO NOTHING
RETURNING id::text
