-- Declared emails that no row stores exactly and several match case-insensitively: choosing one
-- would be a guess. entry for the file path, ids for the message.
SELECT s.entry::text AS entry, string_agg(t.id::text, ', ' ORDER BY t.id) AS ids
  FROM usersctl_apply AS s
  JOIN {table} AS t ON lower(t.email) = s.email
 WHERE s.target_id IS NULL
 GROUP BY s.entry
 ORDER BY s.entry
