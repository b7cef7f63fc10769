-- Else the one row whose lower(email) is the email, as the other commands find accounts. One
-- pass over the users table grouped by lower(email), not a lookup per account, so it stays fast
-- on a table without the lower(email) index (as the web app creates it). Emails that several
-- rows match are left unmatched here and refused by apply_ambiguous.sql.
UPDATE usersctl_apply AS s
   SET target_id = m.id
  FROM (SELECT lower(email) AS email, min(id) AS id, count(*) AS n
          FROM {table}
         GROUP BY lower(email)) AS m
 WHERE s.target_id IS NULL
   AND m.email = s.email
   AND m.n = 1
