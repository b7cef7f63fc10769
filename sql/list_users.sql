-- Streamed by COPY, which takes no parameters: the filter comes through the settings
-- list_settings.sql sets in the same transaction. The ORDER BY list is one of a fixed set
-- written in core/accounts.cpp (id last, so the order is total), never user input.
-- Each condition is true when its setting is ''. last_login_at (stored as UTC without a zone)
-- is compared as UTC and rendered as ISO 8601 UTC.
SELECT id, email, first_name, last_name,
       to_char(last_login_at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       login_count, password_hash
  FROM {table}
 WHERE (current_setting('usersctl.email_like') = ''
        OR lower(email) LIKE current_setting('usersctl.email_like'))
   AND (current_setting('usersctl.login_filter') = '' OR last_login_at IS NULL)
   AND (current_setting('usersctl.login_since') = ''
        OR last_login_at >= NULLIF(current_setting('usersctl.login_since'), '')::timestamp)
   AND (current_setting('usersctl.login_before') = ''
        OR last_login_at < NULLIF(current_setting('usersctl.login_before'), '')::timestamp)
 ORDER BY {order}
 LIMIT NULLIF(current_setting('usersctl.row_limit'), '')::bigint
