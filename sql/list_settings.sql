-- The filter of list_users.sql, as transaction-local settings (COPY takes no parameters):
-- $1 LIKE pattern on lower(email), $2 row limit ('' = none), $3 and $4 UTC timestamps that
-- last_login_at must be at or after, and before (each read only when its filter is on).
-- DateStyle ISO, so that last_login_at arrives in the one form the client reformats.
SELECT set_config('usersctl.email_like', $1, true), set_config('usersctl.row_limit', $2, true),
       set_config('usersctl.login_since', $3, true), set_config('usersctl.login_before', $4, true),
       set_config('datestyle', 'ISO, YMD', true)
