-- Every bad row of the import in line order: rows usersctl could not accept, and emails (and,
-- under --keep-ids, ids) that appear more than once in the file (each later occurrence names the
-- first). The duplicate checks are hash aggregates, not sorts of every row.
WITH repeated AS (
    SELECT email, min(line) AS first_line
      FROM usersctl_import
     WHERE email IS NOT NULL
     GROUP BY email
    HAVING count(*) > 1
), repeated_ids AS (
    SELECT id, min(line) AS first_line
      FROM usersctl_import
     WHERE id IS NOT NULL
     GROUP BY id
    HAVING count(*) > 1
)
SELECT line::text, problem
  FROM (SELECT line, problem
          FROM usersctl_import
         WHERE problem IS NOT NULL
        UNION ALL
        SELECT s.line, 'the email already appears at line ' || r.first_line
          FROM usersctl_import AS s
          JOIN repeated AS r ON r.email = s.email
         WHERE s.line > r.first_line
        UNION ALL
        SELECT s.line, 'the id already appears at line ' || r.first_line
          FROM usersctl_import AS s
          JOIN repeated_ids AS r ON r.id = s.id
         WHERE s.line > r.first_line) AS bad
-- bad.line, the number: a bare `line` would name the text column above, ordering 10 before 9.
 ORDER BY bad.line
