-- $1 the table (quoted, schema-qualified). Server, role, read-only state, and the role's
-- privileges on the table (NULL when the table does not exist). Read by column name.
SELECT current_setting('server_version') AS server_version,
       current_user::text AS role,
       pg_is_in_recovery()::text AS standby,
       current_setting('default_transaction_read_only') AS read_only,
       CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE has_table_privilege(to_regclass($1), 'SELECT')::text END AS can_select,
       CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE has_table_privilege(to_regclass($1), 'INSERT')::text END AS can_insert,
       CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE has_table_privilege(to_regclass($1), 'UPDATE')::text END AS can_update,
       CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE has_table_privilege(to_regclass($1), 'DELETE')::text END AS can_delete
