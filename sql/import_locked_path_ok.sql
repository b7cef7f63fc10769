-- $1 the users table (quoted name, as a value). Whether the import's locked direct path may be
-- taken: the transaction reads what is committed at each statement (under REPEATABLE READ, a
-- database's or role's default, the filter's load and the probes would miss rows committed
-- before the lock that the unique index still sees), and the email column has the database's
-- default collation, which the probe's lower() of its text parameter uses (the lower(email)
-- index uses the column's).
SELECT current_setting('transaction_isolation') = 'read committed'
       AND a.attcollation = 'pg_catalog.default'::regcollation
  FROM pg_attribute AS a
 WHERE a.attrelid = $1::regclass
   AND a.attname = 'email'
