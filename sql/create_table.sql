-- The web app's SQLAlchemy model, as db.create_all() emits it for PostgreSQL.
CREATE TABLE {table} (
    id SERIAL NOT NULL,
    email TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    last_login_at TIMESTAMP WITHOUT TIME ZONE,
    login_count INTEGER,
    PRIMARY KEY (id),
    UNIQUE (email)
)
