package pages

import (
	"context"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// materialFormats are the formats a material form offers (docs/campaign-file.md#materials).
var materialFormats = []string{"poster", "flyer", "pamphlet", "leaflet", "brochure", "flipchart"}

// materialEntity edits the printed materials. Form names are the JSON
// names of the campaign file (pack_size, packs_per_box, …).
func materialEntity() *dataEntity {
	return &dataEntity{
		kind:       "materials",
		path:       "materials",
		searchable: true,
		columns: []dataColumn{
			{Key: "code", Sort: "code"}, {Key: "name", Sort: "name"}, {Key: "format", Sort: "format"},
			{Key: "audience", Sort: "audience"}, {Key: "printed", Sort: "printed", Num: true},
			{Key: "reserve_pct", Num: true}, {Key: "pack_size", Num: true}, {Key: "packs_per_box", Num: true},
		},
		fields: func(o *dataOptions) []dataField {
			formats := make([]dataOption, len(materialFormats))
			for i, f := range materialFormats {
				formats[i] = dataOption{f, o.p.T("data.format." + f)}
			}
			return []dataField{
				{Name: "code", Kind: "text"}, {Name: "name", Kind: "text"},
				{Name: "format", Kind: "select", Options: formats, Optional: true},
				{Name: "audience", Kind: "text"}, {Name: "printed", Kind: "int"},
				{Name: "reserve_pct", Kind: "decimal", Help: "data.help.reserve_pct"}, {Name: "pack_size", Kind: "int"},
				{Name: "packs_per_box", Kind: "int"}, {Name: "piece_grams", Kind: "decimal", Help: "data.help.piece_grams"},
			}
		},
		list: listMaterials,
		get:  getMaterial,
		save: saveMaterial,
		remove: func(ctx context.Context, db *store.DB, id int64, key string) error {
			return db.DeleteMaterial(ctx, id, key)
		},
	}
}

func listMaterials(c *gin.Context, s *handlers, id int64, q dataQuery, p *web.Page) ([]dataRow, int64, error) {
	page, err := s.DB.ListMaterials(c.Request.Context(), id, store.MaterialFilter{Query: q.Q, ListOptions: q.listOptions()})
	if err != nil {
		return nil, 0, err
	}
	rows := make([]dataRow, len(page.Items))
	for i, m := range page.Items {
		format := m.Format
		if format != "" {
			format = p.T("data.format." + format)
		}
		rows[i] = dataRow{Key: m.Code, Cells: []dataCell{
			{Text: m.Code}, {Text: m.Name}, {Text: format}, {Text: m.Audience},
			{Text: p.N(m.Printed), Num: true}, {Text: m.ReservePct.String(), Num: true},
			{Text: p.N(m.PackSize), Num: true}, {Text: p.N(m.PacksPerBox), Num: true},
		}}
	}
	return rows, page.Total, nil
}

func getMaterial(ctx context.Context, db *store.DB, id int64, key string) (url.Values, error) {
	m, err := db.GetMaterial(ctx, id, key)
	if err != nil {
		return nil, err
	}
	v := url.Values{}
	v.Set("code", m.Code)
	v.Set("name", m.Name)
	v.Set("format", m.Format)
	v.Set("audience", m.Audience)
	v.Set("printed", strconv.FormatInt(m.Printed, 10))
	v.Set("reserve_pct", m.ReservePct.String())
	v.Set("pack_size", strconv.FormatInt(m.PackSize, 10))
	v.Set("packs_per_box", strconv.FormatInt(m.PacksPerBox, 10))
	if m.PieceGrams != nil {
		v.Set("piece_grams", m.PieceGrams.String())
	}
	return v, nil
}

func saveMaterial(ctx context.Context, db *store.DB, id int64, key string, f *web.Form) error {
	m := planner.Material{
		Code:        f.Str("code"),
		Name:        f.Str("name"),
		Format:      f.Str("format"),
		Audience:    f.Str("audience"),
		Printed:     f.Int("printed", false),
		ReservePct:  f.Decimal("reserve_pct", planner.Decimal{}),
		PackSize:    f.Int("pack_size", false),
		PacksPerBox: f.Int("packs_per_box", false),
		PieceGrams:  f.OptDecimal("piece_grams"),
	}
	if m.Format != "" && !slices.Contains(materialFormats, m.Format) {
		f.Fail("format", planner.MsgMaterialFormat, "must be one of poster, flyer, pamphlet, leaflet, brochure, flipchart")
	}
	if err := f.Err(); err != nil {
		return err
	}
	if key == "" {
		return db.CreateMaterial(ctx, id, m)
	}
	return db.UpdateMaterial(ctx, id, key, m)
}
