-- The locked direct path of an import: every email of the table as its lower(email) unique
-- index sees it, for the client's filter. {limit} is a constant of usersctl's (one more than
-- the filter takes), so that a table too large for the filter is known without reading it all.
SELECT lower(email) FROM {table} LIMIT {limit}
