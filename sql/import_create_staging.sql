-- The rows of one import, checked and hashed by usersctl, before any reaches the users table.
-- Dropped at the end of the transaction; a bad row has a problem and (at most) its email.
CREATE TEMPORARY TABLE usersctl_import (
    line bigint NOT NULL,
    problem text,
    email text,
    first_name text,
    last_name text,
    password_hash text,
    last_login_at timestamp without time zone,
    login_count integer
) ON COMMIT DROP
