package planio

import "github.com/reparto/reparto/planner"

// fieldsOf lists the keys allowed in the elements of each top-level list,
// in the order MarshalCampaign writes them.
var fieldsOf = map[string][]string{
	"materials":        {"code", "name", "format", "audience", "printed", "reserve_pct", "pack_size", "packs_per_box", "piece_grams"},
	"venue_categories": {"code", "name", "group", "sensitive"},
	"targeting":        {"material", "category", "per_venue"},
	"cities":           {"code", "name", "state", "lat", "lon", "population", "priority", "radius_km", "note"},
	"venue_counts":     {"city", "category", "count", "estimated"},
	"venues":           {"id", "name", "category", "lat", "lon", "city", "address", "confidential"},
	"locks":            {"material", "city", "category", "pieces"},
}

func (fr *fileReader) material(o *fileObject, m *planner.Material) {
	fr.str(o, "code", true, &m.Code)
	fr.str(o, "name", true, &m.Name)
	fr.str(o, "format", false, &m.Format)
	fr.str(o, "audience", false, &m.Audience)
	fr.integer(o, "printed", true, &m.Printed)
	m.ReservePct, _ = fr.decimal(o, "reserve_pct", false) // absent: the zero Decimal, 0
	fr.integer(o, "pack_size", true, &m.PackSize)
	fr.integer(o, "packs_per_box", true, &m.PacksPerBox)
	if d, ok := fr.decimal(o, "piece_grams", false); ok {
		m.PieceGrams = &d
	}
}

func (fr *fileReader) category(o *fileObject, v *planner.VenueCategory) {
	fr.str(o, "code", true, &v.Code)
	fr.str(o, "name", true, &v.Name)
	fr.str(o, "group", false, &v.Group)
	fr.boolean(o, "sensitive", &v.Sensitive)
}

func (fr *fileReader) targeting(o *fileObject, t *planner.TargetingRule) {
	fr.str(o, "material", true, &t.Material)
	fr.str(o, "category", true, &t.Category)
	fr.integer(o, "per_venue", true, &t.PerVenue)
}

func (fr *fileReader) city(o *fileObject, k *planner.City) {
	fr.str(o, "code", true, &k.Code)
	fr.str(o, "name", true, &k.Name)
	fr.str(o, "state", false, &k.State)
	fr.float(o, "lat", true, &k.Lat)
	fr.float(o, "lon", true, &k.Lon)
	var n int64
	if fr.integer(o, "population", false, &n) {
		k.Population = &n
	}
	k.Priority = planner.DecimalInt(1)
	if d, ok := fr.decimal(o, "priority", false); ok {
		k.Priority = d
	}
	k.RadiusKm = 15
	fr.float(o, "radius_km", false, &k.RadiusKm)
	fr.str(o, "note", false, &k.Note)
}

func (fr *fileReader) venueCount(o *fileObject, n *planner.VenueCount) {
	fr.str(o, "city", true, &n.City)
	fr.str(o, "category", true, &n.Category)
	fr.integer(o, "count", true, &n.Count)
	fr.boolean(o, "estimated", &n.Estimated)
}

func (fr *fileReader) venue(o *fileObject, v *planner.Venue) {
	fr.str(o, "id", true, &v.ID)
	fr.str(o, "name", true, &v.Name)
	fr.str(o, "category", true, &v.Category)
	fr.float(o, "lat", true, &v.Lat)
	fr.float(o, "lon", true, &v.Lon)
	fr.str(o, "city", false, &v.City)
	fr.str(o, "address", false, &v.Address)
	fr.boolean(o, "confidential", &v.Confidential)
}

func (fr *fileReader) lock(o *fileObject, l *planner.Lock) {
	fr.str(o, "material", true, &l.Material)
	fr.str(o, "city", true, &l.City)
	fr.str(o, "category", true, &l.Category)
	fr.integer(o, "pieces", true, &l.Pieces)
}
