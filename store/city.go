package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/reparto/reparto/planner"
)

type cityRow struct {
	CampaignID int64         `db:"campaign_id"`
	Code       string        `db:"code"`
	Name       string        `db:"name"`
	State      string        `db:"state"`
	Lat        float64       `db:"lat"`
	Lon        float64       `db:"lon"`
	Population sql.NullInt64 `db:"population"`
	Priority   string        `db:"priority"`
	RadiusKm   float64       `db:"radius_km"`
	Note       string        `db:"note"`
	Address    string        `db:"address"`
}

var cityCols = []string{"campaign_id", "code", "name", "state", "lat", "lon", "population", "priority", "radius_km", "note", "address"}

func cityArgs(campaignID int64, k planner.City) []any {
	return []any{campaignID, k.Code, k.Name, k.State, k.Lat, k.Lon, nullInt(k.Population),
		decimalText(k.Priority), k.RadiusKm, k.Note, k.Address}
}

func (r cityRow) toCity() (planner.City, error) {
	k := planner.City{Code: r.Code, Name: r.Name, State: r.State, Lat: r.Lat, Lon: r.Lon,
		Population: intPtr(r.Population), RadiusKm: r.RadiusKm, Note: r.Note, Address: r.Address}
	var err error
	if k.Priority, err = parseDecimalText(r.Priority); err != nil {
		return k, fmt.Errorf("city %q priority: %w", r.Code, err)
	}
	return k, nil
}

var cityList = listQuery{
	table:   "cities",
	columns: "campaign_id, code, name, state, lat, lon, population, priority, radius_km, note, address",
	key:     "code",
	// priority is exact text; it sorts as text, which is only a convenience.
	sorts: map[string]string{"code": "code", "name": "name", "state": "state", "population": "population"},
}

func loadCities(ctx context.Context, q queryer, campaignID int64) ([]planner.City, error) {
	var rows []cityRow
	if _, err := cityList.run(ctx, q, campaignWhere(campaignID), ListOptions{}, &rows); err != nil {
		return nil, err
	}
	return convertRows(rows, cityRow.toCity)
}

func insertCities(ctx context.Context, tx *Tx, campaignID int64, ks []planner.City) error {
	return insertBatch(ctx, tx, "cities", cityCols, len(ks), func(i int) []any { return cityArgs(campaignID, ks[i]) })
}

// CityFilter selects cities: Query matches code or name, State is exact.
// Sortable by code, name, state, population.
type CityFilter struct {
	Query string
	State string
	ListOptions
}

// ListCities returns one page of a campaign's cities. Errors: ENotFound.
func (db *DB) ListCities(ctx context.Context, campaignID int64, f CityFilter) (Page[planner.City], error) {
	var rows []cityRow
	w := campaignWhere(campaignID)
	w.search(f.Query, "code", "name")
	w.eq("state", f.State)
	total, err := db.list(ctx, campaignID, cityList, w, f.ListOptions, &rows)
	if err != nil {
		return Page[planner.City]{}, err
	}
	items, err := convertRows(rows, cityRow.toCity)
	return Page[planner.City]{Items: items, Total: total}, err
}

// CreateCity adds a city. Errors: ENotFound (campaign), EConflict, EInvalid.
func (db *DB) CreateCity(ctx context.Context, campaignID int64, k planner.City) error {
	apply := func(c *planner.Campaign) error {
		if _, ok := c.City(k.Code); ok {
			return planner.Errorm(planner.EConflict, planner.MsgAlreadyExists, "city %q already exists", k.Code)
		}
		c.Cities = append(c.Cities, k)
		return nil
	}
	write := func(ctx context.Context, tx *Tx) error {
		if err := insertCities(ctx, tx, campaignID, []planner.City{k}); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditCreate, Entity: "city", EntityID: k.Code,
			CampaignID: campaignID, After: k})
	}
	return db.edit(ctx, campaignID, 0, apply, write)
}

const updateCitySQL = `UPDATE cities SET code = ?, name = ?, state = ?, lat = ?, lon = ?, population = ?,
	priority = ?, radius_km = ?, note = ?, address = ? WHERE campaign_id = ? AND code = ?`

// UpdateCity replaces city code with k; when k.Code differs the city is
// renamed and its counts, venues and locks follow it.
// Errors: ENotFound, EConflict (new code taken), EInvalid.
func (db *DB) UpdateCity(ctx context.Context, campaignID int64, code string, k planner.City) error {
	var before planner.City
	apply := func(c *planner.Campaign) error {
		i := indexOf(c.Cities, func(x planner.City) bool { return x.Code == code })
		if i < 0 {
			return notFound(thingCity, code)
		}
		if _, taken := c.City(k.Code); taken && k.Code != code {
			return planner.Errorm(planner.EConflict, planner.MsgAlreadyExists, "city %q already exists", k.Code)
		}
		before, c.Cities[i] = c.Cities[i], k
		for j := range c.VenueCounts {
			rename(&c.VenueCounts[j].City, code, k.Code)
		}
		for j := range c.Locks {
			rename(&c.Locks[j].City, code, k.Code)
		}
		return nil
	}
	write := func(ctx context.Context, tx *Tx) error {
		args := append(cityArgs(campaignID, k)[1:], campaignID, code)
		if _, err := tx.ExecContext(ctx, tx.Rebind(updateCitySQL), args...); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditUpdate, Entity: "city", EntityID: code,
			CampaignID: campaignID, Before: before, After: k})
	}
	return db.edit(ctx, campaignID, 0, apply, write)
}

// DeleteCity deletes a city that no count, venue or lock refers to.
// Errors: ENotFound, EConflict naming what still uses it.
func (db *DB) DeleteCity(ctx context.Context, campaignID int64, code string) error {
	return db.deleteIn(ctx, campaignID, fmt.Sprintf("city %q", code), notFound(thingCity, code),
		refs(campaignID, "city", code, "venue_counts", "venues", "locks"), "city", code,
		`DELETE FROM cities WHERE campaign_id = ? AND code = ?`, campaignID, code)
}
