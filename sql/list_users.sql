-- Streamed by COPY, which takes no parameters: the filter comes through two settings set by
-- list_settings.sql in the same transaction. usersctl.email_like is a LIKE pattern on
-- lower(email) ('' = all), usersctl.row_limit a row count ('' = no limit). Ordered by id;
-- last_login_at (stored as UTC without a zone) rendered as ISO 8601 UTC.
SELECT id, email, first_name, last_name,
       to_char(last_login_at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       login_count, password_hash
  FROM {table}
 WHERE current_setting('usersctl.email_like') = ''
    OR lower(email) LIKE current_setting('usersctl.email_like')
 ORDER BY id
 LIMIT NULLIF(current_setting('usersctl.row_limit'), '')::bigint
