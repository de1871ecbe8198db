-- Delivery tracking: committed plan versions, the shipments they create,
-- each shipment's append-only event log, acknowledgements of discrepancy
-- alerts and the idempotency keys of API writes.
--
-- Kept column-for-column identical to ../postgres/00003_tracking.sql.
-- Dates are TEXT YYYY-MM-DD; JSON is TEXT. A shipment's state is never
-- stored: it is derived from its events (planner.ShipmentRecord.State), so
-- events are only ever inserted (triggers refuse UPDATE and DELETE; a
-- mistake is amended by a later "correction" event).

-- +goose Up
-- plan is the whole planner.Plan as JSON (cells, materials, shipments):
-- enough to diff two versions and to render an old one without recomputing.
-- UNIQUE (campaign_id, version) is the final guard of CommitPlan's
-- "expected latest version" check: two concurrent commits cannot both win.
CREATE TABLE plan_versions (
    campaign_id INTEGER   NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    version     INTEGER   NOT NULL CHECK (version >= 1),
    author      TEXT      NOT NULL,
    note        TEXT      NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    plan        TEXT      NOT NULL,
    PRIMARY KEY (campaign_id, version)
);

-- The planned columns are rewritten when a new plan version is committed,
-- as long as the shipment has not left; version counts every change
-- (planned content, reschedule, each event) for optimistic concurrency.
CREATE TABLE shipments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id     INTEGER   NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    plan_version    INTEGER   NOT NULL,
    city            TEXT      NOT NULL,
    lines           TEXT      NOT NULL,      -- JSON [{material, packs, boxes, pieces}], by material
    boxes           INTEGER   NOT NULL,
    pieces          INTEGER   NOT NULL,
    transit_days    INTEGER   NOT NULL,
    latest_dispatch TEXT      NOT NULL,
    first_dispatch  TEXT      NOT NULL,
    dispatch        TEXT      NOT NULL,
    arrival         TEXT      NOT NULL,
    due             TEXT      NOT NULL,
    version         INTEGER   NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    FOREIGN KEY (campaign_id, plan_version) REFERENCES plan_versions (campaign_id, version)
);
CREATE INDEX shipments_campaign ON shipments (campaign_id, city);

-- seq numbers a shipment's events 1, 2, 3...; UNIQUE (shipment_id, seq)
-- makes two concurrent appends that read the same last seq collide instead
-- of interleaving. payload is the whole planner.Event as JSON.
CREATE TABLE shipment_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    shipment_id     INTEGER   NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    seq             INTEGER   NOT NULL CHECK (seq >= 1),
    kind            TEXT      NOT NULL CHECK (kind IN ('dispatched', 'in_transit', 'delivered', 'distributed', 'cancelled', 'correction')),
    date            TEXT      NOT NULL,
    recorded_at     TIMESTAMP NOT NULL,
    author          TEXT      NOT NULL,
    payload         TEXT      NOT NULL,
    amends_event_id INTEGER   REFERENCES shipment_events (id),
    UNIQUE (shipment_id, seq)
);

-- +goose StatementBegin
CREATE TRIGGER shipment_events_no_update BEFORE UPDATE ON shipment_events
BEGIN
    SELECT RAISE(ABORT, 'shipment_events is append-only');
END;
-- +goose StatementEnd

-- Deleting a whole campaign (cascade) is allowed; deleting single events is not.
-- +goose StatementBegin
CREATE TRIGGER shipment_events_no_delete BEFORE DELETE ON shipment_events
WHEN EXISTS (SELECT 1 FROM shipments WHERE id = OLD.shipment_id)
BEGIN
    SELECT RAISE(ABORT, 'shipment_events is append-only');
END;
-- +goose StatementEnd

-- An acknowledged discrepancy alert, keyed by its delivered event (see planner.Alert).
CREATE TABLE alert_acks (
    campaign_id INTEGER   NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    event_id    INTEGER   NOT NULL REFERENCES shipment_events (id) ON DELETE CASCADE,
    acked_by    TEXT      NOT NULL,
    acked_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (campaign_id, event_id)
);

-- An Idempotency-Key of one user (scope) and the response first given for
-- it, stored in the transaction of the write it protects, so a retry after a
-- lost response gets the original result and never a second write.
CREATE TABLE idempotency_keys (
    scope        TEXT      NOT NULL,
    key          TEXT      NOT NULL,
    request_hash TEXT      NOT NULL,      -- hex SHA-256 of the canonical request
    response     TEXT      NOT NULL,      -- JSON
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, key)
);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE alert_acks;
DROP TRIGGER shipment_events_no_delete;
DROP TRIGGER shipment_events_no_update;
DROP TABLE shipment_events;
DROP TABLE shipments;
DROP TABLE plan_versions;
