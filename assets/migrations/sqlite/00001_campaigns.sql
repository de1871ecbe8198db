-- Campaigns and everything a campaign file describes (docs/campaign-file.md).
-- Every child row is keyed by (campaign_id, code) and disappears with its
-- campaign (ON DELETE CASCADE). References between children (a targeting
-- rule's material, a lock's city, ...) are composite foreign keys with the
-- default NO ACTION, so deleting a material that is still used is refused;
-- renaming a code (ON UPDATE CASCADE) carries its references along.
--
-- Kept column-for-column identical to ../postgres/00001_campaigns.sql:
-- exact decimals (priority, reserve_pct, piece_grams) are TEXT, dates are
-- TEXT YYYY-MM-DD, work_days and holidays are comma-separated TEXT.

-- +goose Up
CREATE TABLE campaigns (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused
    name                    TEXT      NOT NULL,
    start                   TEXT      NOT NULL,
    deadline                TEXT      NOT NULL,
    as_of                   TEXT,
    depot_name              TEXT      NOT NULL,
    depot_lat               REAL      NOT NULL,
    depot_lon               REAL      NOT NULL,
    boxes_per_day           INTEGER   NOT NULL,
    work_days               TEXT      NOT NULL,
    holidays                TEXT      NOT NULL DEFAULT '',
    road_km_per_day         REAL      NOT NULL,
    circuity                REAL      NOT NULL,
    handling_days           INTEGER   NOT NULL,
    local_distribution_days INTEGER   NOT NULL,
    surplus                 TEXT      NOT NULL CHECK (surplus IN ('spread', 'reserve')),
    created_at              TIMESTAMP NOT NULL,
    updated_at              TIMESTAMP NOT NULL,
    version                 INTEGER   NOT NULL DEFAULT 1
);

CREATE TABLE materials (
    campaign_id   INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    code          TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    format        TEXT    NOT NULL DEFAULT '',
    audience      TEXT    NOT NULL DEFAULT '',
    printed       INTEGER NOT NULL,
    reserve_pct   TEXT    NOT NULL DEFAULT '0',
    pack_size     INTEGER NOT NULL,
    packs_per_box INTEGER NOT NULL,
    piece_grams   TEXT,
    PRIMARY KEY (campaign_id, code)
);

CREATE TABLE venue_categories (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    group_name  TEXT    NOT NULL DEFAULT '',
    sensitive   BOOLEAN NOT NULL DEFAULT FALSE CHECK (sensitive IN (0, 1)),
    PRIMARY KEY (campaign_id, code)
);

CREATE TABLE targeting (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    material    TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    per_venue   INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, material, category),
    FOREIGN KEY (campaign_id, material) REFERENCES materials (campaign_id, code) ON UPDATE CASCADE,
    FOREIGN KEY (campaign_id, category) REFERENCES venue_categories (campaign_id, code) ON UPDATE CASCADE
);
CREATE INDEX targeting_category ON targeting (campaign_id, category);

CREATE TABLE cities (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT '',
    lat         REAL    NOT NULL,
    lon         REAL    NOT NULL,
    population  INTEGER,
    priority    TEXT    NOT NULL DEFAULT '1',
    radius_km   REAL    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (campaign_id, code)
);

CREATE TABLE venue_counts (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    city        TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    count       INTEGER NOT NULL,
    estimated   BOOLEAN NOT NULL DEFAULT FALSE CHECK (estimated IN (0, 1)),
    PRIMARY KEY (campaign_id, city, category),
    FOREIGN KEY (campaign_id, city) REFERENCES cities (campaign_id, code) ON UPDATE CASCADE,
    FOREIGN KEY (campaign_id, category) REFERENCES venue_categories (campaign_id, code) ON UPDATE CASCADE
);
CREATE INDEX venue_counts_category ON venue_counts (campaign_id, category);

-- venues.id is the venue's id from the campaign file, unique per campaign.
-- city is NULL (not '') when the venue is placed by its coordinates only.
CREATE TABLE venues (
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    id           TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    category     TEXT    NOT NULL,
    lat          REAL    NOT NULL,
    lon          REAL    NOT NULL,
    city         TEXT,
    address      TEXT    NOT NULL DEFAULT '',
    confidential BOOLEAN NOT NULL DEFAULT FALSE CHECK (confidential IN (0, 1)),
    PRIMARY KEY (campaign_id, id),
    FOREIGN KEY (campaign_id, city) REFERENCES cities (campaign_id, code) ON UPDATE CASCADE,
    FOREIGN KEY (campaign_id, category) REFERENCES venue_categories (campaign_id, code) ON UPDATE CASCADE
);
CREATE INDEX venues_category ON venues (campaign_id, category);
CREATE INDEX venues_city ON venues (campaign_id, city);

CREATE TABLE locks (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    material    TEXT    NOT NULL,
    city        TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    pieces      INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, material, city, category),
    FOREIGN KEY (campaign_id, material) REFERENCES materials (campaign_id, code) ON UPDATE CASCADE,
    FOREIGN KEY (campaign_id, city) REFERENCES cities (campaign_id, code) ON UPDATE CASCADE,
    FOREIGN KEY (campaign_id, category) REFERENCES venue_categories (campaign_id, code) ON UPDATE CASCADE
);
CREATE INDEX locks_city ON locks (campaign_id, city);
CREATE INDEX locks_category ON locks (campaign_id, category);

-- +goose Down
DROP TABLE locks;
DROP TABLE venues;
DROP TABLE venue_counts;
DROP TABLE cities;
DROP TABLE targeting;
DROP TABLE venue_categories;
DROP TABLE materials;
DROP TABLE campaigns;
