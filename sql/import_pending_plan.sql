-- $1 the users table (quoted name, as a value), $2 how many rows this import copied straight
-- into it. Those rows are not committed, so a VACUUM or ANALYZE (autovacuum's included) that
-- ran meanwhile counted none of them: the table's statistics may then say it holds a handful of
-- rows while it holds the import's hundreds of thousands. The planner, which scales reltuples
-- by the pages the table has now, would join the staging table to it by a nested loop that
-- reads the whole table again for every pending row (minutes, then statement_timeout). When its
-- estimate is below $2, nested loops are turned off for the rest of the transaction: each join
-- is then a hash or merge join, one pass over each table. Otherwise (the usual case) the plan
-- stays the planner's, e.g. a look-up in the lower(email) index for each of a few pending rows.
-- Run under the import's SHARE ROW EXCLUSIVE lock, which no VACUUM or ANALYZE shares, so the
-- statistics read here are the ones the statements after it are planned with. The estimate is
-- PostgreSQL's own (reltuples per page times the pages now; without both, it goes by row width
-- and is not too small). A row back when the setting was made.
SELECT set_config('enable_nestloop', 'off', true)
  FROM pg_class AS c
 WHERE c.oid = $1::regclass
   AND c.reltuples >= 0
   AND c.relpages > 0
   AND c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::bigint) < $2::float8
