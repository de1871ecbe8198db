-- A campaign's time zone: where its days begin and end, for "today" when
-- it has no simulated date (as_of). An IANA name; the zone database is
-- built into the binary (time/tzdata), so it works offline.
-- Kept column-for-column identical in ../sqlite and ../postgres.

-- +goose Up
ALTER TABLE campaigns ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'America/Mexico_City';

-- +goose Down
ALTER TABLE campaigns DROP COLUMN time_zone;
