-- One pass over the accounts, streamed: everything the per-row checks need. Whether an email
-- is lower-cased is decided by the client, as Python's str.lower() (PostgreSQL's lower() differs).
SELECT id::text AS id, email, password_hash,
       to_char(last_login_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_login_at
  FROM {table}
 ORDER BY id
