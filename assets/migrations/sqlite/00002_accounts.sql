-- Accounts: users, server-side sessions, API tokens and the audit log.
--
-- Kept column-for-column identical to ../postgres/00002_accounts.sql.
-- Emails are stored lower-cased by the application, so the unique index
-- makes them unique case-insensitively in both dialects. Secrets are never
-- stored: sessions are keyed by a hash of their token (scs
-- HashTokenInStore), API tokens by the SHA-256 of the token.

-- +goose Up
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused
    email                TEXT      NOT NULL,
    password_hash        TEXT      NOT NULL,                -- bcrypt
    role                 TEXT      NOT NULL CHECK (role IN ('viewer', 'planner', 'admin')),
    disabled             BOOLEAN   NOT NULL DEFAULT FALSE CHECK (disabled IN (0, 1)),
    must_change_password BOOLEAN   NOT NULL DEFAULT FALSE CHECK (must_change_password IN (0, 1)),
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

-- user_id copies the user id kept inside data, so that an administrator
-- can end every session of one user; NULL for a session without a user.
CREATE TABLE sessions (
    token   TEXT      PRIMARY KEY,
    data    BLOB      NOT NULL,
    expiry  TIMESTAMP NOT NULL,
    user_id INTEGER   REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX sessions_expiry ON sessions (expiry);
CREATE INDEX sessions_user ON sessions (user_id);

-- A revoked token keeps its row (revoked_at set) so the audit log and the
-- account page can still name it.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT      NOT NULL,
    hash         TEXT      NOT NULL,                         -- hex SHA-256 of the token
    prefix       TEXT      NOT NULL,                         -- first characters, to recognise it
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The audit log is append-only: the triggers refuse UPDATE and DELETE, so
-- not even a bug in the application can rewrite history. campaign_id has no
-- foreign key on purpose: the record of a deleted campaign must survive it.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TIMESTAMP NOT NULL,
    user_id     INTEGER   REFERENCES users (id),
    actor       TEXT      NOT NULL,                          -- email, 'system' or 'anonymous'
    ip          TEXT      NOT NULL DEFAULT '',
    action      TEXT      NOT NULL,
    entity      TEXT      NOT NULL,
    entity_id   TEXT      NOT NULL DEFAULT '',
    campaign_id INTEGER,
    before      TEXT,                                        -- JSON
    after       TEXT                                         -- JSON
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_campaign ON audit_log (campaign_id, at);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_log;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
