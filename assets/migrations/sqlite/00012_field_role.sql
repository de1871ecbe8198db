-- The field role: an account limited to the places (whole states, single
-- cities) an admin assigns to it (planner/account's Places).
--
-- Kept column-for-column identical to ../postgres/00012_field_role.sql.
-- SQLite cannot change a CHECK in place: users is rebuilt by SQLite's own
-- procedure (https://sqlite.org/lang_altertable.html#otheralter), with
-- foreign keys off so that dropping the old table does not cascade to the
-- sessions and tokens that refer to it (the new table keeps every id, so
-- every reference holds again after the rename). The writer pool has one
-- connection, so the pragmas apply to the statements between them.

-- +goose NO TRANSACTION
-- +goose Up
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_new (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    email                TEXT      NOT NULL,
    password_hash        TEXT      NOT NULL,
    role                 TEXT      NOT NULL CHECK (role IN ('field', 'viewer', 'planner', 'admin')),
    disabled             BOOLEAN   NOT NULL DEFAULT FALSE CHECK (disabled IN (0, 1)),
    must_change_password BOOLEAN   NOT NULL DEFAULT FALSE CHECK (must_change_password IN (0, 1)),
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
INSERT INTO users_new (id, email, password_hash, role, disabled, must_change_password, created_at, updated_at)
    SELECT id, email, password_hash, role, disabled, must_change_password, created_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE UNIQUE INDEX users_email ON users (email);

-- One row per place of a field account: kind 'state' with an ISO 3166-2
-- code, or 'city' with a city code. Campaign-agnostic on purpose.
CREATE TABLE user_places (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT    NOT NULL CHECK (kind IN ('state', 'city')),
    code    TEXT    NOT NULL,
    PRIMARY KEY (user_id, kind, code)
);
COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE user_places;
DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE role = 'field');
DELETE FROM api_tokens WHERE user_id IN (SELECT id FROM users WHERE role = 'field');
UPDATE users SET role = 'viewer', disabled = TRUE WHERE role = 'field';
CREATE TABLE users_old (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    email                TEXT      NOT NULL,
    password_hash        TEXT      NOT NULL,
    role                 TEXT      NOT NULL CHECK (role IN ('viewer', 'planner', 'admin')),
    disabled             BOOLEAN   NOT NULL DEFAULT FALSE CHECK (disabled IN (0, 1)),
    must_change_password BOOLEAN   NOT NULL DEFAULT FALSE CHECK (must_change_password IN (0, 1)),
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
INSERT INTO users_old SELECT id, email, password_hash, role, disabled, must_change_password, created_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
CREATE UNIQUE INDEX users_email ON users (email);
COMMIT;
PRAGMA foreign_keys = ON;
