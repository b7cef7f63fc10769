-- list --count: how many rows list_users.sql would stream (its text, in id order, is the
-- subquery), with the same settings.
SELECT count(*) FROM ({list}) AS listed
