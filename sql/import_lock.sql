-- Blocks other writers (and other imports) until the import commits; readers carry on.
LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE
