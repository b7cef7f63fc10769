-- $1 email (lower-cased). The account, preferring an exact match should legacy rows differ by case.
SELECT id::text, email, password_hash
  FROM {table}
 WHERE lower(email) = $1
 ORDER BY (email = $1) DESC, id
 LIMIT 1
