-- The plan's size. A new account whose password usersctl did not hash (it saw the account when
-- it looked, and it is gone now) is stale too.
SELECT count(*) FILTER (WHERE stale OR (target_id IS NULL AND origin = 'secret' AND seen))::text AS stale,
       count(*) FILTER (WHERE target_id IS NOT NULL AND NOT (set_first OR set_last OR set_password))::text
           AS unchanged
  FROM usersctl_apply
