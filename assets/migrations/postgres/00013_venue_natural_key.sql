-- The natural order of venue ids kept in stored columns instead of an
-- expression index: every venue write fills them, so the index no longer
-- evaluates the expressions per row (a sixth of a national import's CPU on
-- SQLite). PostgreSQL takes the columns for parity with SQLite, since the
-- same store code writes and sorts by them.
--
-- Kept column-for-column identical to ../sqlite/00013_venue_natural_key.sql.
-- SQLite also makes venues_source partial (WHERE source IS NOT NULL);
-- here it is left as it was.

-- +goose Up
-- The parts of the order (store/venue_order.go): the id without its
-- trailing digits, the length of those digits without leading zeros, and
-- those digits. Existing rows get them from the expressions the old index
-- was built on, so the order (and its collation) is unchanged.
ALTER TABLE venues ADD COLUMN natural_prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE venues ADD COLUMN natural_len INTEGER NOT NULL DEFAULT 0;
ALTER TABLE venues ADD COLUMN natural_number TEXT NOT NULL DEFAULT '';
UPDATE venues SET natural_prefix = rtrim(id, '0123456789'),
    natural_number = ltrim(substr(id, length(rtrim(id, '0123456789')) + 1), '0'),
    natural_len = length(ltrim(substr(id, length(rtrim(id, '0123456789')) + 1), '0'));
DROP INDEX venues_natural_id;
CREATE INDEX venues_natural_id ON venues (campaign_id, natural_prefix, natural_len, natural_number, id);

-- +goose Down
DROP INDEX venues_natural_id;
CREATE INDEX venues_natural_id ON venues (campaign_id, rtrim(id, '0123456789'),
    length(ltrim(substr(id, length(rtrim(id, '0123456789')) + 1), '0')),
    ltrim(substr(id, length(rtrim(id, '0123456789')) + 1), '0'), id);
ALTER TABLE venues DROP COLUMN natural_number;
ALTER TABLE venues DROP COLUMN natural_len;
ALTER TABLE venues DROP COLUMN natural_prefix;
