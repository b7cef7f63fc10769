-- Streamed by COPY, which takes no parameters: the filter comes through the settings
-- list_settings.sql sets in the same transaction. The ORDER BY list is one of a fixed set
-- written in core/accounts.cpp (id last, so the order is total), never user input.
-- Each condition is switched off by a constant TRUE ({email_off} ... {before_off}, filled in
-- by core/accounts.cpp), which the planner folds away, so a filter not asked for costs nothing
-- per row; the settings are read once each, in a sub-select (an InitPlan), not once per row.
-- last_login_at (stored as UTC without a zone) is compared as UTC and sent as DateStyle ISO
-- text; the client writes it as ISO 8601 UTC (a to_char() per row here cost a quarter of the
-- server's time).
SELECT id, email, first_name, last_name, last_login_at, login_count, password_hash
  FROM {table}
 WHERE ({email_off} OR lower(email) LIKE (SELECT current_setting('usersctl.email_like')))
   AND ({never_off} OR last_login_at IS NULL)
   AND ({since_off} OR last_login_at >= (SELECT current_setting('usersctl.login_since')::timestamp))
   AND ({before_off} OR last_login_at < (SELECT current_setting('usersctl.login_before')::timestamp))
 ORDER BY {order}
 LIMIT (SELECT NULLIF(current_setting('usersctl.row_limit'), '')::bigint)
