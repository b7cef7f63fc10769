-- One pass over the accounts, streamed: everything the per-row checks need.
SELECT id::text, email, password_hash,
       (email <> lower(email))::text,
       to_char(last_login_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  FROM {table}
 ORDER BY id
