-- The venue registry: which import created or changed which venues (so an
-- import can be undone as a whole), what a venue's own "confidential" flag
-- says apart from its category, and an index for the natural id order.
--
-- Kept column-for-column identical to ../postgres/00008_venue_imports.sql.

-- +goose Up
-- confidential is what is stored and shown: true whenever the venue's
-- category is sensitive (the store enforces it on every write).
-- marked_confidential is what the file or the form said, so that turning
-- a category's "sensitive" off restores each venue's own choice.
ALTER TABLE venues ADD COLUMN marked_confidential BOOLEAN NOT NULL DEFAULT FALSE
    CHECK (marked_confidential IN (0, 1));
UPDATE venues SET marked_confidential = confidential;
UPDATE venues SET confidential = TRUE
    WHERE category IN (SELECT code FROM venue_categories k
                       WHERE k.campaign_id = venues.campaign_id AND k.sensitive);

-- The natural order of venue ids (imp-2 before imp-10): the id without its
-- trailing digits, then the trailing number by length and digits (leading
-- zeros dropped), then the id. store/venue_order.go uses the same
-- expressions, so both databases can page the venue list from this index.
CREATE INDEX venues_natural_id ON venues (campaign_id, rtrim(id, '0123456789'),
    length(ltrim(substr(id, length(rtrim(id, '0123456789')) + 1), '0')),
    ltrim(substr(id, length(rtrim(id, '0123456789')) + 1), '0'), id);

-- A re-import matches rows without an id to venues by name (then
-- category and coordinates): this index finds the candidates.
CREATE INDEX venues_name ON venues (campaign_id, name);

-- One confirmed CSV import. user_id is NULL for an import made by the
-- system; actor is the email as the audit log has it.
CREATE TABLE venue_imports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id INTEGER   NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    at          TIMESTAMP NOT NULL,
    user_id     INTEGER   REFERENCES users (id) ON DELETE SET NULL,
    actor       TEXT      NOT NULL,
    file_name   TEXT      NOT NULL DEFAULT '',
    created     INTEGER   NOT NULL,
    changed     INTEGER   NOT NULL,
    unchanged   INTEGER   NOT NULL,
    undone_at   TIMESTAMP,
    undone_by   TEXT
);
CREATE INDEX venue_imports_campaign ON venue_imports (campaign_id, at);

-- Each venue an import created (before NULL) or changed (before is the
-- venue as it was), with what the import wrote (after), both JSON. Undo
-- touches a venue only while it still equals after.
CREATE TABLE venue_import_items (
    import_id INTEGER NOT NULL REFERENCES venue_imports (id) ON DELETE CASCADE,
    venue_id  TEXT    NOT NULL,
    before    TEXT,
    after     TEXT    NOT NULL,
    PRIMARY KEY (import_id, venue_id)
);

-- +goose Down
DROP TABLE venue_import_items;
DROP TABLE venue_imports;
DROP INDEX venues_name;
DROP INDEX venues_natural_id;
ALTER TABLE venues DROP COLUMN marked_confidential;
