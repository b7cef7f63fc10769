-- One pass over the accounts, streamed by COPY: everything the per-row checks need. Whether an
-- email is lower-cased is decided by the client, as Python's str.lower() (PostgreSQL's lower()
-- differs). last_login_at comes as DateStyle ISO text (doctor_read_only.sql sets it); the
-- client keeps the earliest and formats that one, rather than the server a to_char per row.
SELECT id, email, password_hash, last_login_at
  FROM {table}
 ORDER BY id
