-- $1 id, $2 the hash that was just verified. Exactly what the web app's login does, and only
-- while the hash is still the one the password matched.
UPDATE {table}
   SET last_login_at = now() AT TIME ZONE 'utc',
       login_count = COALESCE(login_count, 0) + 1
 WHERE id = $1::integer AND password_hash = $2
