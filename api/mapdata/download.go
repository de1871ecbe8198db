package mapdata

import (
	"bytes"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
)

// mapFileName is reparto-<campaign slug>-<what>-<YYYY-MM-DD>.<ext>, the
// pattern of the CSV exports, dated by the map's "today" (the day its
// tracking is read as of).
func mapFileName(camp *planner.Campaign, what string, day planner.Date, ext string) string {
	return "reparto-" + web.Slugify(camp.Name) + "-" + what + "-" + day.String() + "." + ext
}

// attach makes the answer a download named name.
func attach(c *gin.Context, name string) {
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
}

// wantsDownload is ?download=1 on a layer: the same body, saved as a file.
func wantsDownload(c *gin.Context) bool { return c.Query("download") == "1" }

// gapText words a gap as the page shows it, in the user's language; a
// hidden venue is "confidential venue" and its reference, never its id.
func gapText(pg *web.Page, it *Gap, metric string) string {
	switch it.Kind {
	case "unassigned_venue":
		if it.Hidden {
			return pg.T("map.gap.unassigned_hidden_venue", "Ref", it.Ref, "Category", it.CategoryName, "City", it.NearestName, "Km", pg.F(it.NearestKm, 1))
		}
		name := it.Name
		if name == "" {
			name = it.Code
		}
		return pg.T("map.gap.unassigned_venue", "Name", name, "Category", it.CategoryName, "City", it.NearestName, "Km", pg.F(it.NearestKm, 1))
	case "state_without_city":
		return pg.T("map.gap.state_without_city", "Name", it.Name, "Population", pg.N(it.Population))
	case "unserved_category":
		return pg.T("map.gap.unserved_category", "Name", it.Name, "Cities", it.Cities, "Demand", pg.N(it.Demand))
	case "low_fill":
		return pg.T("map.gap.low_fill", "Name", it.Name, "Fill", pg.PctPtr(it.Value))
	case "uncovered_population":
		return pg.T("map.gap.uncovered_population", "Name", it.Name, "Uncovered", pg.N(it.Uncovered), "Population", pg.N(it.Population))
	}
	return pg.T("map.gap.low_metric", "Name", it.Name, "Metric", pg.T("map.metric."+metric), "Value", pg.PctPtr(it.Value))
}

// gapName is the name column of a download: the venue's or place's name,
// "confidential venue" and its reference for a hidden venue.
func gapName(pg *web.Page, it *Gap) string {
	if it.Hidden {
		return pg.T("map.gap.confidential_name", "Ref", it.Ref)
	}
	return it.Name
}

// mapGapColumns are the CSV's columns, worded by map.csv.<column>.
var mapGapColumns = []string{"kind", "level", "code", "name", "state", "category", "nearest_city", "nearest_km",
	"population", "uncovered", "demand", "cities", "value", "lat", "lon", "description"}

// gapsCSV serves every gap (no per-kind limit) as a spreadsheet CSV.
func (h *mapHandlers) gapsCSV(c *gin.Context) {
	v, f, ok := h.input(c)
	if !ok {
		return
	}
	g := buildMapGaps(v, h.view(v, f), f, h.bounds, mapCanSeeNames(c), true)
	pg := h.Web.NewPage(c, "map", nil)
	var buf bytes.Buffer
	o := planio.NewSpreadsheetCSV(&buf)
	head := make([]string, len(mapGapColumns))
	for i, col := range mapGapColumns {
		head[i] = pg.T("map.csv." + col)
	}
	o.Header(head...)
	for i := range g.Items {
		it := &g.Items[i]
		lat, lon := gapCenter(it)
		o.Text(pg.T("map.kind."+it.Kind)).Text(it.Level).Text(it.Code).Text(gapName(pg, it)).Text(it.State).
			Text(it.CategoryName).Text(it.NearestName).Float(it.NearestKm, 1).Int(it.Population).Int(it.Uncovered).
			Int(it.Demand).Int(int64(it.Cities)).FloatPtr(it.Value, 4).Float(lat, 5).Float(lon, 5).Text(gapText(pg, it, f.Metric)).End()
	}
	if err := o.Flush(); err != nil {
		h.Web.APIError(c, err)
		return
	}
	attach(c, mapFileName(v.p.Campaign, "gaps", v.track.today, "csv"))
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// gapCenter is the middle of a gap's bounds: where a hidden venue's
// snapped point is, or a city, or the middle of a state's box.
func gapCenter(it *Gap) (lat, lon float64) {
	return mapRound4((it.Bounds[0] + it.Bounds[2]) / 2), mapRound4((it.Bounds[1] + it.Bounds[3]) / 2)
}

// gapsGeoJSON serves every gap as GeoJSON: a state's outline for the
// kinds about a state, the middle of the bounds for the others.
func (h *mapHandlers) gapsGeoJSON(c *gin.Context) {
	v, f, ok := h.input(c)
	if !ok {
		return
	}
	g := buildMapGaps(v, h.view(v, f), f, h.bounds, mapCanSeeNames(c), true)
	pg := h.Web.NewPage(c, "map", nil)
	fc := geojson.NewFeatureCollection()
	for i := range g.Items {
		it := &g.Items[i]
		var geom orb.Geometry
		switch it.Kind {
		case "state_without_city", "uncovered_population", "low_metric":
			if s, ok := h.geoms[it.Code]; ok {
				geom = s
			}
		}
		if geom == nil {
			lat, lon := gapCenter(it)
			geom = orb.Point{lon, lat}
		}
		ft := geojson.NewFeature(geom)
		ft.Properties = geojson.Properties{"kind": it.Kind, "level": it.Level, "code": it.Code, "name": gapName(pg, it),
			"state": it.State, "category": it.Category, "category_name": it.CategoryName, "nearest_city": it.NearestCity,
			"nearest_city_name": it.NearestName, "nearest_km": it.NearestKm, "population": it.Population,
			"uncovered": it.Uncovered, "demand": it.Demand, "cities": it.Cities, "value": it.Value,
			"hidden": it.Hidden, "description": gapText(pg, it, f.Metric)}
		fc.Append(ft)
	}
	b, err := fc.MarshalJSON()
	if err != nil {
		h.Web.APIError(c, err)
		return
	}
	attach(c, mapFileName(v.p.Campaign, "gaps", v.track.today, "geojson"))
	c.Data(http.StatusOK, "application/geo+json", b)
}
