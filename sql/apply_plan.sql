-- What changes on each existing account. Names: only those the file gives, when they differ.
-- The password: never under on_create; always under always (the new hash, or the file's string
-- again, reported as a change); under if_changed, when the file's hash string differs from the
-- stored one, or when usersctl found that the stored hash does not verify the password (it
-- hashed the new one then). stale: an account with a password from the environment or a file
-- changed since usersctl looked before hashing (a concurrent writer); the apply starts over.
UPDATE usersctl_apply AS s
   SET set_first = s.first_name IS NOT NULL AND s.first_name IS DISTINCT FROM t.first_name,
       set_last = s.last_name IS NOT NULL AND s.last_name IS DISTINCT FROM t.last_name,
       set_password = CASE s.mode
                          WHEN 'always' THEN true
                          WHEN 'if_changed' THEN CASE WHEN s.origin = 'hash'
                                                      THEN s.password_hash IS DISTINCT FROM t.password_hash
                                                      ELSE s.password_change END
                          ELSE false
                      END,
       stale = s.origin = 'secret'
               AND (NOT s.seen OR (s.mode = 'if_changed' AND t.password_hash IS DISTINCT FROM s.expected_hash))
  FROM {table} AS t
 WHERE t.id = s.target_id
