-- The filter of list_users.sql, as transaction-local settings (COPY takes no parameters):
-- $1 LIKE pattern on lower(email) ('' = all), $2 row limit ('' = none), $3 'never' to keep only
-- accounts that never logged in ('' = all), $4 and $5 UTC timestamps ('' = unbounded) that
-- last_login_at must be at or after, and before.
SELECT set_config('usersctl.email_like', $1, true), set_config('usersctl.row_limit', $2, true),
       set_config('usersctl.login_filter', $3, true), set_config('usersctl.login_since', $4, true),
       set_config('usersctl.login_before', $5, true)
