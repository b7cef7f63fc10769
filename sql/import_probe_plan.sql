-- Before import_chunk_taken.sql: within this transaction the planner works from statistics
-- that may say the users table is empty (it fills inside the transaction; a TRUNCATE reset
-- them), and then scans a whole index for a handful of emails (seconds at a million rows).
-- Without sequential and bitmap scans its one choice is the lower(email) index, as intended.
-- Set once the locked direct path begins (the table is locked, its emails loaded);
-- import_probe_plan_reset.sql puts both back when the path ends. Meanwhile the path runs only
-- these probes and COPYs into the users table (whose triggers or foreign-key checks, if a
-- deployment added any, are planned under the same settings: index look-ups are what they
-- need anyway).
SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)
