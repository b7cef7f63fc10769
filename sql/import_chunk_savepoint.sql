-- Around one chunk copied straight into the users table: a unique violation (an existing
-- email) undoes just that chunk.
SAVEPOINT usersctl_chunk
