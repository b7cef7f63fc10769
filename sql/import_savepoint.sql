-- Taken before the accounts are written, so that a conflict under --on-conflict fail can be
-- listed from the table as it was.
SAVEPOINT usersctl_before_write
