-- $1 email (lower-cased as Python's str.lower() does). Every row the email could name: the row
-- that stores exactly it first, then the rows equal to it case-insensitively (by PostgreSQL's
-- lower(), which the lower(email) index serves). The caller keeps those whose email Python
-- would lower-case to $1, and refuses to guess between several. The lock placeholder is
-- FOR UPDATE (commands that write) or empty.
SELECT id::text, email, password_hash
  FROM {table}
 WHERE email = $1 OR lower(email) = lower($1)
 ORDER BY (email = $1) DESC, id
 LIMIT 100
{lock}
