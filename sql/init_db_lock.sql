-- Serialises concurrent init-db runs on one table; released at commit (works through PgBouncer).
SELECT pg_advisory_xact_lock(7411, hashtext($1))
