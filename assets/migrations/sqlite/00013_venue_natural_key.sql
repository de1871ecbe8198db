-- The natural order of venue ids kept in stored columns, and the registry
-- key indexed only for registry venues: a national import (a million
-- venues) spent a sixth of its CPU evaluating venues_natural_id's
-- expressions for every row and wrote an index entry for every venue
-- without a source.
--
-- Kept column-for-column identical to ../postgres/00013_venue_natural_key.sql
-- (the partial venues_source is SQLite's only: see below).

-- +goose Up
-- The parts of the order (store/venue_order.go): the id without its
-- trailing digits, the length of those digits without leading zeros, and
-- those digits. Every venue write fills them from the id (naturalKey);
-- existing rows get them from the expressions the old index was built on,
-- which give the same values.
ALTER TABLE venues ADD COLUMN natural_prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE venues ADD COLUMN natural_len INTEGER NOT NULL DEFAULT 0;
ALTER TABLE venues ADD COLUMN natural_number TEXT NOT NULL DEFAULT '';
UPDATE venues SET natural_prefix = rtrim(id, '0123456789'),
    natural_number = ltrim(substr(id, length(rtrim(id, '0123456789')) + 1), '0');
UPDATE venues SET natural_len = length(natural_number);
DROP INDEX venues_natural_id;
CREATE INDEX venues_natural_id ON venues (campaign_id, natural_prefix, natural_len, natural_number, id);

-- Venues typed in or from a campaign file have no source, and NULLs never
-- collide in a unique index: only registry venues need entries. Lookups
-- say source = ?, which SQLite knows implies the index's condition.
DROP INDEX venues_source;
CREATE UNIQUE INDEX venues_source ON venues (campaign_id, source, source_id) WHERE source IS NOT NULL;

-- +goose Down
DROP INDEX venues_source;
CREATE UNIQUE INDEX venues_source ON venues (campaign_id, source, source_id);
DROP INDEX venues_natural_id;
CREATE INDEX venues_natural_id ON venues (campaign_id, rtrim(id, '0123456789'),
    length(ltrim(substr(id, length(rtrim(id, '0123456789')) + 1), '0')),
    ltrim(substr(id, length(rtrim(id, '0123456789')) + 1), '0'), id);
ALTER TABLE venues DROP COLUMN natural_number;
ALTER TABLE venues DROP COLUMN natural_len;
ALTER TABLE venues DROP COLUMN natural_prefix;
