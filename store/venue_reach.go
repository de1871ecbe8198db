package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/planner"
)

// distributionCond selects the distribution events of shipments and the
// corrections that amend them: all that planner.DistributedLines reads,
// so the rest of the log (dispatches, deliveries) is never decoded.
const distributionCond = `(kind = 'distributed' OR (kind = 'correction' AND amends_event_id IN (
	SELECT d.id FROM shipment_events d WHERE d.kind = 'distributed' AND d.shipment_id = shipment_events.shipment_id)))`

// DistributedLines returns what the shipments of a campaign handed out,
// summed per material, category and venue (planner.DistributedLines):
// of every city, or of one when city is not "", and as it stood at the
// end of day today unless today is zero (events and corrections dated
// after it left out, as ShipmentRecord.AsOfDay). Venue ids are returned
// as recorded: a caller showing them to a viewer hides those of
// HiddenVenueIDs. Errors: ENotFound for an unknown campaign.
func (db *DB) DistributedLines(ctx context.Context, campaignID int64, city string, today planner.Date) ([]planner.DistributionLine, error) {
	var out []planner.DistributionLine
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		if err := campaignExists(ctx, tx, campaignID); err != nil {
			return err
		}
		var err error
		out, err = distributedLines(ctx, tx, campaignID, city, today)
		return err
	})
	return out, err
}

func distributedLines(ctx context.Context, q queryer, campaignID int64, city string, today planner.Date) ([]planner.DistributionLine, error) {
	cond := `shipment_id IN (SELECT id FROM shipments WHERE campaign_id = ?`
	args := []any{campaignID}
	if city != "" {
		cond += ` AND city = ?`
		args = append(args, city)
	}
	cond += `) AND ` + distributionCond
	if !today.IsZero() {
		// dates are stored as YYYY-MM-DD: text order is calendar order
		cond += ` AND date <= ?`
		args = append(args, today.String())
	}
	events, err := loadEvents(ctx, q, cond, args...)
	if err != nil {
		return nil, fmt.Errorf("distribution of campaign %d: %w", campaignID, err)
	}
	records := make([]planner.ShipmentRecord, 0, len(events))
	for id, evs := range events {
		records = append(records, planner.ShipmentRecord{ID: id, Events: evs})
	}
	return planner.DistributedLines(records), nil
}

// committedPlanIn returns the latest committed plan of a campaign, nil
// when none is committed yet.
func committedPlanIn(ctx context.Context, q queryer, campaignID int64) (*planner.Plan, error) {
	v, err := latestVersion(ctx, q, campaignID)
	if err != nil || v == 0 {
		return nil, err
	}
	pv, err := getPlanVersion(ctx, q, campaignID, v)
	if err != nil {
		return nil, err
	}
	return pv.Plan, nil
}

// VenueCoverage says which registered venues of a campaign were reached
// and counts them against the venues its latest committed plan targets,
// per state and category (planner.CoverVenues, docs/tracking.md#coverage-by-venue),
// for one material or, with material "", all of them; as it stood at the
// end of day today unless today is zero. Before a first commit nothing is
// targeted. The result names venues by id only (Reached, Targeted):
// callers that show names hide those of confidential venues from viewers
// (HiddenVenueIDs). Errors: ENotFound for an unknown campaign, EInvalid
// naming material for a material the campaign does not have.
func (db *DB) VenueCoverage(ctx context.Context, campaignID int64, material string, today planner.Date) (*planner.VenueCoverage, error) {
	var out *planner.VenueCoverage
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		c, err := loadCampaign(ctx, tx, campaignID, true)
		if err != nil {
			return err
		}
		if _, ok := c.Material(material); material != "" && !ok {
			return planner.Invalid(planner.Fieldf("material", planner.MsgUnknownRef, "unknown %s %q", "material", material))
		}
		p, err := committedPlanIn(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		lines, err := distributedLines(ctx, tx, campaignID, "", today)
		if err != nil {
			return err
		}
		out = planner.CoverVenues(c, p, lines, material)
		return nil
	})
	return out, err
}

// CityVenueProgress is a city's distribution list as the latest committed
// plan allocates it to its registered venues (planner.AllocateVenues),
// beside what its shipments handed out to each venue and to each
// category's unregistered venues (planner.CityDistributionProgress); as
// it stood at the end of day today unless today is zero. Before a first
// commit nothing is allocated. VenueProgress.Confidential marks the
// venues a viewer's list shows by planner.ConfidentialRef. Errors:
// ENotFound for an unknown campaign or city.
func (db *DB) CityVenueProgress(ctx context.Context, campaignID int64, city string, today planner.Date) (planner.CityProgress, error) {
	var out planner.CityProgress
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		c, err := loadCampaign(ctx, tx, campaignID, true)
		if err != nil {
			return err
		}
		if _, ok := c.City(city); !ok {
			return notFound(thingCity, city)
		}
		p, err := committedPlanIn(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		load := planner.CityLoads{City: city}
		if p != nil {
			// only this city's cells: the other cities' shares are not needed
			mine := *p
			mine.Cells = nil
			for _, cell := range p.Cells {
				if cell.City == city {
					mine.Cells = append(mine.Cells, cell)
				}
			}
			cells, err := planner.AllocateVenues(c, &mine)
			if err != nil {
				return fmt.Errorf("allocate committed plan of campaign %d to venues: %w", campaignID, err)
			}
			if loads := planner.LoadsByCity(c, cells); len(loads) == 1 {
				load = loads[0]
			}
		}
		lines, err := distributedLines(ctx, tx, campaignID, city, today)
		if err != nil {
			return err
		}
		out = planner.CityDistributionProgress(c, load, lines)
		return nil
	})
	return out, err
}
