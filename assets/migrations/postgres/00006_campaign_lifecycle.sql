-- A campaign's lifecycle: an admin closes a finished campaign (every write
-- to it is refused until an admin reopens it). closed_at is NULL while the
-- campaign is open; closed_by is the closing admin's email.
-- Kept column-for-column identical to ../sqlite/00006_campaign_lifecycle.sql.

-- +goose Up
ALTER TABLE campaigns ADD COLUMN closed_at TIMESTAMPTZ;
ALTER TABLE campaigns ADD COLUMN closed_by TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE campaigns DROP COLUMN closed_by;
ALTER TABLE campaigns DROP COLUMN closed_at;
