-- The accounts the plan creates or updates, in file order, with the fields it changes.
SELECT email, (target_id IS NULL)::text AS created, set_first::text, set_last::text, set_password::text
  FROM usersctl_apply
 WHERE target_id IS NULL OR set_first OR set_last OR set_password
 ORDER BY entry
