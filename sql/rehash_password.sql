-- $1 id, $2 the hash that was just verified, $3 the new hash: only if nobody changed it meanwhile.
UPDATE {table}
   SET password_hash = $3
 WHERE id = $1::integer AND password_hash = $2
