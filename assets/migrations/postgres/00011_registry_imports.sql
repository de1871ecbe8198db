-- Venues from public registries (INEGI's DENUE, the health ministry's
-- CLUES): which registry row each venue came from, so that importing next
-- year's file updates those venues instead of adding them again, and each
-- campaign's own mapping from registry rows to its venue categories
-- (docs/registries.md).
--
-- Kept column-for-column identical to ../sqlite/00011_registry_imports.sql.

-- +goose Up
-- source is the registry ("denue", "clues") and source_id the row's id in
-- it; both NULL for venues typed in or imported from a venue CSV. NULLs
-- are distinct in a unique index on both databases, so only registry
-- venues are constrained.
ALTER TABLE venues ADD COLUMN source TEXT;
ALTER TABLE venues ADD COLUMN source_id TEXT COLLATE "C";
CREATE UNIQUE INDEX venues_source ON venues (campaign_id, source, source_id);

-- A campaign's mapping, in the order it was written (position). A rule
-- matches when every non-empty condition does: activity (DENUE's SCIAN
-- class, CLUES's establishment type), center (DENUE's tipoCenCom), name
-- (words of the name). With no rows the shipped default applies
-- (assets/data/scian-categories.csv). Renaming a category carries its
-- rules along; deleting it deletes them (rows of that category are then
-- "unmapped").
CREATE TABLE venue_category_rules (
    campaign_id BIGINT  NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    source      TEXT    NOT NULL,
    activity    TEXT    NOT NULL DEFAULT '',
    center      TEXT    NOT NULL DEFAULT '',
    name        TEXT    NOT NULL DEFAULT '',
    category    TEXT    NOT NULL,
    PRIMARY KEY (campaign_id, position),
    FOREIGN KEY (campaign_id, category) REFERENCES venue_categories (campaign_id, code)
        ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX venue_category_rules_category ON venue_category_rules (campaign_id, category);

-- A registry import is recorded in the venue import history like a venue
-- CSV (so it can be undone the same way); source says which registry
-- ('' for a venue CSV) and summary keeps the preview's counts as JSON
-- (rows read, kept by category, dropped by reason).
ALTER TABLE venue_imports ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE venue_imports ADD COLUMN summary TEXT;

-- +goose Down
ALTER TABLE venue_imports DROP COLUMN summary;
ALTER TABLE venue_imports DROP COLUMN source;
DROP TABLE venue_category_rules;
DROP INDEX venues_source;
ALTER TABLE venues DROP COLUMN source_id;
ALTER TABLE venues DROP COLUMN source;
