-- $1 LIKE pattern on lower(email) or NULL for all, $2 row limit or NULL. Ordered by id;
-- last_login_at (stored as UTC without a zone) rendered as ISO 8601 UTC.
SELECT id::text, email, first_name, last_name,
       to_char(last_login_at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       login_count::text, password_hash
  FROM {table}
 WHERE $1::text IS NULL OR lower(email) LIKE $1::text
 ORDER BY id
 LIMIT $2::bigint
