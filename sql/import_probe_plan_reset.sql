-- When the locked direct path ends: the two planner settings back to what they were before
-- import_probe_plan.sql (usersctl sets them nowhere else), for the rest of the transaction.
SELECT set_config(name, reset_val, true)
  FROM pg_settings
 WHERE name IN ('enable_seqscan', 'enable_bitmapscan')
