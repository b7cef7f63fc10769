-- Of the pending rows: how many emails are new, and how many already have an account (the app
-- compares lower(email); the imported emails are already lower-cased).
SELECT count(*) FILTER (WHERE NOT taken)::text, count(*) FILTER (WHERE taken)::text
  FROM (SELECT EXISTS (SELECT 1 FROM {table} AS t WHERE lower(t.email) = s.email) AS taken
          FROM usersctl_import AS s
         WHERE s.kind IS NULL) AS rows
