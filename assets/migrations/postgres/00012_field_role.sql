-- The field role: an account limited to the places (whole states, single
-- cities) an admin assigns to it (planner/account's Places).
--
-- Kept column-for-column identical to ../sqlite/00012_field_role.sql.

-- +goose Up
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('field', 'viewer', 'planner', 'admin'));

-- One row per place of a field account: kind 'state' with an ISO 3166-2
-- code, or 'city' with a city code. Campaign-agnostic on purpose.
CREATE TABLE user_places (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT   NOT NULL CHECK (kind IN ('state', 'city')),
    code    TEXT   NOT NULL,
    PRIMARY KEY (user_id, kind, code)
);

-- +goose Down
DROP TABLE user_places;
DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE role = 'field');
DELETE FROM api_tokens WHERE user_id IN (SELECT id FROM users WHERE role = 'field');
UPDATE users SET role = 'viewer', disabled = TRUE WHERE role = 'field';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('viewer', 'planner', 'admin'));
