-- The rows of one import, checked and hashed by usersctl. kind 'inserted': the row is already
-- in the users table (copied straight there; only its line and email are kept, for the
-- duplicate check). kind NULL: pending, with every value, to be written after all the checks.
-- A bad row has a problem and (at most) its email. id: the id to keep (--keep-ids), else NULL. Dropped at the end of the transaction.
CREATE TEMPORARY TABLE usersctl_import (
    line bigint NOT NULL,
    problem text,
    email text,
    kind text,
    first_name text,
    last_name text,
    password_hash text,
    last_login_at timestamp without time zone,
    login_count integer,
    id bigint
) ON COMMIT DROP
