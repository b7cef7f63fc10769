-- $1 id (--id). The lock placeholder is FOR UPDATE (commands that write) or empty.
SELECT id::text, email, password_hash
  FROM {table}
 WHERE id = $1::integer
{lock}
