-- $1 the table (quoted, schema-qualified). Server, role, read-only state, and the role's
-- privileges on the table (NULL when the table does not exist).
SELECT current_setting('server_version'),
       current_user::text,
       pg_is_in_recovery()::text,
       current_setting('default_transaction_read_only'),
       CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE has_table_privilege(to_regclass($1), 'SELECT')::text END,
       CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE has_table_privilege(to_regclass($1), 'INSERT')::text END,
       CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE has_table_privilege(to_regclass($1), 'UPDATE')::text END,
       CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE has_table_privilege(to_regclass($1), 'DELETE')::text END
