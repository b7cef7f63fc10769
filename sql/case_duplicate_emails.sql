-- Emails that differ only by case, grouped: the lower-case form and the stored forms with ids.
SELECT lower(email) AS folded,
       string_agg(email || ' (id ' || id || ')', ', ' ORDER BY id) AS accounts
  FROM {table}
 GROUP BY lower(email)
HAVING count(*) > 1
 ORDER BY 1
 LIMIT $1
