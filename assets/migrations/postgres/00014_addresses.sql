-- Addresses for the waybill (issue 10): the depot's, printed as the
-- sender, and each city's receiving office, where its boxes are delivered.
-- Both optional: '' is "not given", as for the other free-text columns.
--
-- Kept column-for-column identical to ../sqlite/00014_addresses.sql.

-- +goose Up
ALTER TABLE campaigns ADD COLUMN depot_address TEXT NOT NULL DEFAULT '';
ALTER TABLE cities ADD COLUMN address TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE cities DROP COLUMN address;
ALTER TABLE campaigns DROP COLUMN depot_address;
