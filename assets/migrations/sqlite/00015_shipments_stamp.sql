-- The tracking stamp (store/tracking_view.go) counts a campaign's
-- shipments and sums their versions on every tracking read: through
-- shipments_campaign that was one seek into the table per shipment, to a
-- row of a kilobyte or more (its lines and packing), and the largest part
-- of a cached dashboard's CPU (issue 13). With version in an index the sum
-- reads the index alone (the id is the rowid, in every SQLite index).
--
-- SQLite only: on PostgreSQL an index on version would make each event's
-- version bump a non-HOT update, rewriting every index of the row, and the
-- stamp's cost there is the database server's, not this process's. Indexes
-- are not part of the column-for-column identical schema.

-- +goose Up
CREATE INDEX shipments_stamp ON shipments (campaign_id, version);

-- +goose Down
DROP INDEX shipments_stamp;
