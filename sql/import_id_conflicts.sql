-- --keep-ids: pending rows whose id cannot be kept, in line order. A row that creates an account
-- needs an id no account has; under --on-conflict update ($1 true) a row for an existing account
-- must name that account's id. (Rows whose email has an account are conflicts under fail and
-- left alone under skip, so only rows with new emails are checked for a taken id.)
SELECT line::text AS line, id, account_id, account_email
  FROM (SELECT s.line, s.id::text AS id, t.id::text AS account_id, t.email AS account_email
          FROM usersctl_import AS s
          JOIN {table} AS t ON t.id = s.id
         WHERE s.kind IS NULL
           AND NOT EXISTS (SELECT 1 FROM {table} AS x WHERE lower(x.email) = s.email)
        UNION ALL
        SELECT s.line, s.id::text, t.id::text, t.email
          FROM usersctl_import AS s
          JOIN {table} AS t ON lower(t.email) = s.email
         WHERE $1::boolean
           AND s.kind IS NULL
           AND t.id <> s.id) AS conflicts
-- conflicts.line, the number: a bare `line` would name the text column above.
 ORDER BY conflicts.line
