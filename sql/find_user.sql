-- $1 email (lower-cased as Python's str.lower() does), $2 the same with the two mappings where
-- PostgreSQL's lower() (one character at a time) parts from Python's undone (final ς as σ,
-- i + U+0307 as i). Every row the email could name: the row that stores exactly it first, then
-- the rows equal to it case-insensitively (served by the lower(email) index). The caller keeps
-- those whose email Python would lower-case to $1, and refuses to guess between several. The
-- lock placeholder is FOR UPDATE (commands that write) or empty.
SELECT id::text, email, password_hash
  FROM {table}
 WHERE email = $1 OR lower(email) = lower($1) OR lower(email) = $2
 ORDER BY (email = $1) DESC, id
 LIMIT 100
{lock}
