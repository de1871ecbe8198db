package planio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/reparto/reparto/planner"
)

// MarshalCampaign writes c in the campaign file format of docs/campaign-file.md:
// 2-space indented JSON ending in a newline, keys in the order of the
// docs/campaign-file.md tables (schema extensions last in their object), decimals
// as their exact literals. Optional strings, a nil population, piece_grams
// or as_of, a zero (unset) reserve_pct and a false estimated are left out;
// defaults are written, so that the file says what the plan assumes.
//
// ParseCampaign(MarshalCampaign(c)) equals c for any c that passes Validate
// (empty lists come back nil; ID is not part of the file). MarshalCampaign
// does not validate: an invalid campaign is written as is, so that a draft
// can be exported and fixed, and will be rejected when read back. It fails
// only on values JSON cannot hold (NaN or infinite coordinates, weekdays
// outside Sunday..Saturday).
func MarshalCampaign(c *planner.Campaign) ([]byte, error) {
	f, err := toFile(c)
	if err != nil {
		return nil, fmt.Errorf("marshal campaign %q: %w", c.Name, err)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // names like "Salud & Derechos" stay readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("marshal campaign %q: %w", c.Name, err)
	}
	return b.Bytes(), nil
}

// The file* types mirror the file format; field order is key order.
type (
	campaignFileJSON struct {
		Campaign        headerJSON       `json:"campaign"`
		Materials       []materialJSON   `json:"materials"`
		VenueCategories []categoryJSON   `json:"venue_categories"`
		Targeting       []targetingJSON  `json:"targeting"`
		Cities          []cityJSON       `json:"cities"`
		VenueCounts     []venueCountJSON `json:"venue_counts"`
		Venues          []venueJSON      `json:"venues"`
		Locks           []lockJSON       `json:"locks"`
	}
	headerJSON struct {
		Name                  string          `json:"name"`
		Start                 planner.Date    `json:"start"`
		Deadline              planner.Date    `json:"deadline"`
		AsOf                  *planner.Date   `json:"as_of,omitempty"`
		Depot                 depotJSON       `json:"depot"`
		Dispatch              dispatchJSON    `json:"dispatch"`
		Transport             transportJSON   `json:"transport"`
		LocalDistributionDays int             `json:"local_distribution_days"`
		Surplus               planner.Surplus `json:"surplus"`
	}
	depotJSON struct {
		Name string  `json:"name"`
		Lat  float64 `json:"lat"`
		Lon  float64 `json:"lon"`
	}
	dispatchJSON struct {
		BoxesPerDay int64          `json:"boxes_per_day"`
		WorkDays    []string       `json:"work_days"`
		Holidays    []planner.Date `json:"holidays"`
	}
	transportJSON struct {
		RoadKmPerDay float64 `json:"road_km_per_day"`
		Circuity     float64 `json:"circuity"`
		HandlingDays int     `json:"handling_days"`
	}
	materialJSON struct {
		Code        string           `json:"code"`
		Name        string           `json:"name"`
		Format      string           `json:"format,omitempty"`
		Audience    string           `json:"audience,omitempty"`
		Printed     int64            `json:"printed"`
		ReservePct  planner.Decimal  `json:"reserve_pct,omitzero"`
		PackSize    int64            `json:"pack_size"`
		PacksPerBox int64            `json:"packs_per_box"`
		PieceGrams  *planner.Decimal `json:"piece_grams,omitempty"`
	}
	categoryJSON struct {
		Code      string `json:"code"`
		Name      string `json:"name"`
		Group     string `json:"group,omitempty"`
		Sensitive bool   `json:"sensitive"`
	}
	targetingJSON struct {
		Material string `json:"material"`
		Category string `json:"category"`
		PerVenue int64  `json:"per_venue"`
	}
	cityJSON struct {
		Code       string          `json:"code"`
		Name       string          `json:"name"`
		State      string          `json:"state,omitempty"`
		Lat        float64         `json:"lat"`
		Lon        float64         `json:"lon"`
		Population *int64          `json:"population,omitempty"`
		Priority   planner.Decimal `json:"priority"`
		RadiusKm   float64         `json:"radius_km"`
		Note       string          `json:"note,omitempty"`
	}
	venueCountJSON struct {
		City      string `json:"city"`
		Category  string `json:"category"`
		Count     int64  `json:"count"`
		Estimated bool   `json:"estimated,omitempty"`
	}
	venueJSON struct {
		ID           string  `json:"id"`
		Name         string  `json:"name"`
		Category     string  `json:"category"`
		Lat          float64 `json:"lat"`
		Lon          float64 `json:"lon"`
		City         string  `json:"city,omitempty"`
		Address      string  `json:"address,omitempty"`
		Confidential bool    `json:"confidential"`
	}
	lockJSON struct {
		Material string `json:"material"`
		City     string `json:"city"`
		Category string `json:"category"`
		Pieces   int64  `json:"pieces"`
	}
)

func toFile(c *planner.Campaign) (*campaignFileJSON, error) {
	days := make([]string, 0, len(c.Dispatch.WorkDays))
	for _, d := range c.Dispatch.WorkDays {
		if d < time.Sunday || d > time.Saturday {
			return nil, fmt.Errorf("work day %d is not a weekday", d)
		}
		days = append(days, planner.WeekdayName(d))
	}
	f := &campaignFileJSON{
		Campaign: headerJSON{
			Name: c.Name, Start: c.Start, Deadline: c.Deadline, AsOf: c.AsOf,
			Depot: depotJSON{Name: c.Depot.Name, Lat: c.Depot.Lat, Lon: c.Depot.Lon},
			Dispatch: dispatchJSON{BoxesPerDay: c.Dispatch.BoxesPerDay, WorkDays: days,
				Holidays: append([]planner.Date{}, c.Dispatch.Holidays...)},
			Transport: transportJSON{RoadKmPerDay: c.Transport.RoadKmPerDay,
				Circuity: c.Transport.Circuity, HandlingDays: c.Transport.HandlingDays},
			LocalDistributionDays: c.LocalDistributionDays,
			Surplus:               c.Surplus,
		},
		Materials: convertAll(c.Materials, func(m planner.Material) materialJSON {
			return materialJSON{Code: m.Code, Name: m.Name, Format: m.Format, Audience: m.Audience,
				Printed: m.Printed, ReservePct: m.ReservePct, PackSize: m.PackSize,
				PacksPerBox: m.PacksPerBox, PieceGrams: m.PieceGrams}
		}),
		VenueCategories: convertAll(c.Categories, func(k planner.VenueCategory) categoryJSON {
			return categoryJSON{Code: k.Code, Name: k.Name, Group: k.Group, Sensitive: k.Sensitive}
		}),
		Targeting: convertAll(c.Targeting, func(t planner.TargetingRule) targetingJSON {
			return targetingJSON{Material: t.Material, Category: t.Category, PerVenue: t.PerVenue}
		}),
		Cities: convertAll(c.Cities, func(k planner.City) cityJSON {
			return cityJSON{Code: k.Code, Name: k.Name, State: k.State, Lat: k.Lat, Lon: k.Lon,
				Population: k.Population, Priority: k.Priority, RadiusKm: k.RadiusKm, Note: k.Note}
		}),
		VenueCounts: convertAll(c.VenueCounts, func(n planner.VenueCount) venueCountJSON {
			return venueCountJSON{City: n.City, Category: n.Category, Count: n.Count, Estimated: n.Estimated}
		}),
		Venues: convertAll(c.Venues, func(v planner.Venue) venueJSON {
			return venueJSON{ID: v.ID, Name: v.Name, Category: v.Category, Lat: v.Lat, Lon: v.Lon,
				City: v.City, Address: v.Address, Confidential: v.Confidential}
		}),
		Locks: convertAll(c.Locks, func(l planner.Lock) lockJSON {
			return lockJSON{Material: l.Material, City: l.City, Category: l.Category, Pieces: l.Pieces}
		}),
	}
	return f, nil
}

// convertAll maps a list, never returning nil so that empty lists are
// written as [] rather than null.
func convertAll[T, U any](in []T, conv func(T) U) []U {
	out := make([]U, 0, len(in))
	for _, x := range in {
		out = append(out, conv(x))
	}
	return out
}
