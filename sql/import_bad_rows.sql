-- Every bad row of the import in line order: rows usersctl could not accept, and emails that
-- appear more than once in the file (each later occurrence names the first).
SELECT line::text, problem
  FROM (SELECT line, problem
          FROM usersctl_import
         WHERE problem IS NOT NULL
        UNION ALL
        SELECT line, 'the email already appears at line ' || first_line
          FROM (SELECT line, min(line) OVER (PARTITION BY email) AS first_line
                  FROM usersctl_import
                 WHERE email IS NOT NULL) AS seen
         WHERE line > first_line) AS bad
 ORDER BY line
