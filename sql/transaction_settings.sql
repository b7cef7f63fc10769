-- $1 lock_timeout, $2 statement_timeout (e.g. '5000ms'), for the rest of the transaction only
-- (set_config's third argument: SET LOCAL), so nothing leaks to other clients of a pooled
-- server connection (PgBouncer in transaction mode). The first statement of every transaction.
SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)
