-- $1 ids as an array literal ('{3,7,12}'), $2 their emails in the same order, as found by the
-- plan: an account is deleted only while it still stores that email (the one the operator was
-- shown), so a rename in between is noticed rather than followed.
DELETE FROM {table} AS t
 USING unnest($1::integer[], $2::text[]) AS planned(id, email)
 WHERE t.id = planned.id
   AND t.email = planned.email
RETURNING t.id::text, t.email
