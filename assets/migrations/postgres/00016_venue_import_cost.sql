-- What a national import (a million venues) costs the server per row,
-- measured by COPYing the same rows into a copy of venues one constraint
-- at a time (PostgreSQL 15): each foreign key that is checked is a query
-- per row, about 4-5 s per million. Two changes cut that without giving
-- up any guarantee.
--
-- 1. venues(campaign_id) -> campaigns is implied by the key that stays:
--    venues(campaign_id, category) -> venue_categories, whose category is
--    NOT NULL, and venue_categories(campaign_id) -> campaigns. A venue
--    can still only belong to a campaign that exists. Deleting a campaign
--    now deletes its venues first (store.DeleteCampaign), since the key to
--    venue_categories does not cascade on delete; a DELETE of a campaign
--    that still has venues fails instead of orphaning them.
-- 2. venues_source only indexes registry venues (source IS NOT NULL), as
--    on SQLite since 00013: venues typed in or from a campaign file have no
--    source, and NULLs never collide in a unique index. Lookups say
--    source = ?, which implies the index's condition.
--
-- SQLite keeps its campaign key: dropping one there means rebuilding the
-- table, and its check is an index probe, not a query.

-- +goose Up
ALTER TABLE venues DROP CONSTRAINT venues_campaign_id_fkey;
DROP INDEX venues_source;
CREATE UNIQUE INDEX venues_source ON venues (campaign_id, source, source_id) WHERE source IS NOT NULL;

-- +goose Down
DROP INDEX venues_source;
CREATE UNIQUE INDEX venues_source ON venues (campaign_id, source, source_id);
ALTER TABLE venues ADD CONSTRAINT venues_campaign_id_fkey
    FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE;
