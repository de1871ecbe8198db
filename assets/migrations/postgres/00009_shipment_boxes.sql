-- What goes in which box: each shipment's planned boxes 1..N as packed by
-- planner.PackBoxes, kept with the planned content it belongs to and
-- rewritten with it by the commit that changes it, so a re-plan that
-- leaves a city's lines alone leaves its boxes alone too.
--
-- Kept column-for-column identical to ../sqlite/00009_shipment_boxes.sql.

-- +goose Up
-- JSON [{first, last, items: [{material, packs, pieces}], weight_kg}]:
-- runs of identical boxes, so a shipment of a million full boxes is one
-- entry. NULL for a shipment committed before boxes were packed.
ALTER TABLE shipments ADD COLUMN packing TEXT;

-- +goose Down
ALTER TABLE shipments DROP COLUMN packing;
