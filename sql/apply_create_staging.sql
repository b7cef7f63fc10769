-- The accounts of one apply, as declared (emails normalised, passwords already hashed where a
-- hash is needed), loaded by COPY so that the plan is a few set-based statements, not a round
-- trip per account. origin 'hash': password_hash is the file's string; origin 'secret': it is a
-- hash usersctl made (NULL when none is needed), expected_hash and seen what the account held
-- when usersctl looked before hashing (apply_counts.sql finds what changed since). target_id and
-- the set_* columns are the plan (apply_match_*.sql, apply_plan.sql). Dropped at commit.
CREATE TEMPORARY TABLE usersctl_apply (
    entry bigint NOT NULL,
    email text NOT NULL,
    first_name text,
    last_name text,
    origin text NOT NULL,
    mode text NOT NULL,
    password_hash text,
    expected_hash text,
    seen boolean NOT NULL,
    password_change boolean NOT NULL,
    target_id bigint,
    set_first boolean NOT NULL DEFAULT false,
    set_last boolean NOT NULL DEFAULT false,
    set_password boolean NOT NULL DEFAULT false,
    stale boolean NOT NULL DEFAULT false
) ON COMMIT DROP
