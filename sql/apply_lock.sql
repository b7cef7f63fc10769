-- Taken first, before the plan is computed: SHARE ROW EXCLUSIVE conflicts with itself, so two
-- applies (and imports) on one table run one after the other, and the second plans against what
-- the first committed (READ COMMITTED: each later statement sees it). Readers carry on.
LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE
