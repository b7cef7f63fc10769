-- $1 LIKE pattern ('' = all), $2 row limit ('' = none): read by list_users.sql. Transaction-local.
SELECT set_config('usersctl.email_like', $1, true), set_config('usersctl.row_limit', $2, true)
