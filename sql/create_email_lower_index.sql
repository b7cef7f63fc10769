-- The app stores and looks up email.lower(): no two accounts may differ only by case.
CREATE UNIQUE INDEX {index} ON {table} (lower(email))
