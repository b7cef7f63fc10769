-- The changed fields of existing accounts; rows with nothing to change are not written at all
-- (their xmin stays). Login fields and the email are never touched.
UPDATE {table} AS t
   SET first_name = CASE WHEN s.set_first THEN s.first_name ELSE t.first_name END,
       last_name = CASE WHEN s.set_last THEN s.last_name ELSE t.last_name END,
       password_hash = CASE WHEN s.set_password THEN s.password_hash ELSE t.password_hash END
  FROM usersctl_apply AS s
 WHERE t.id = s.target_id
   AND (s.set_first OR s.set_last OR s.set_password)
