-- $1 the users table (quoted name, as a value), $2 the most emails the path's filter takes.
-- Whether the import's locked direct path may be taken: `ok`, the transaction reads what is
-- committed at each statement (under REPEATABLE READ, a database's or role's default, the
-- filter's load and the probes would miss rows committed before the lock that the unique index
-- still sees), and the email column has the database's default collation, which the probe's
-- lower() of its text parameter uses (the lower(email) index uses the column's); `fits`, the
-- table's statistics (rows at its last VACUUM or ANALYZE; -1 before any) do not already say it
-- holds more emails than the filter takes, so that such a table is not locked for nothing (the
-- count while the filter loads stays the judge).
SELECT current_setting('transaction_isolation') = 'read committed'
       AND a.attcollation = 'pg_catalog.default'::regcollation AS ok,
       c.reltuples <= $2::float8 AS fits
  FROM pg_attribute AS a
  JOIN pg_class AS c ON c.oid = a.attrelid
 WHERE a.attrelid = $1::regclass
   AND a.attname = 'email'
