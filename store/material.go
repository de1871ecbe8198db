package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/reparto/reparto/planner"
)

type materialRow struct {
	CampaignID  int64          `db:"campaign_id"`
	Code        string         `db:"code"`
	Name        string         `db:"name"`
	Format      string         `db:"format"`
	Audience    string         `db:"audience"`
	Printed     int64          `db:"printed"`
	ReservePct  string         `db:"reserve_pct"`
	PackSize    int64          `db:"pack_size"`
	PacksPerBox int64          `db:"packs_per_box"`
	PieceGrams  sql.NullString `db:"piece_grams"`
}

var materialCols = []string{"campaign_id", "code", "name", "format", "audience", "printed",
	"reserve_pct", "pack_size", "packs_per_box", "piece_grams"}

func materialArgs(campaignID int64, m planner.Material) []any {
	return []any{campaignID, m.Code, m.Name, m.Format, m.Audience, m.Printed,
		decimalText(m.ReservePct), m.PackSize, m.PacksPerBox, nullDecimal(m.PieceGrams)}
}

func (r materialRow) toMaterial() (planner.Material, error) {
	m := planner.Material{Code: r.Code, Name: r.Name, Format: r.Format, Audience: r.Audience,
		Printed: r.Printed, PackSize: r.PackSize, PacksPerBox: r.PacksPerBox}
	var err error
	if m.ReservePct, err = parseDecimalText(r.ReservePct); err != nil {
		return m, fmt.Errorf("material %q reserve_pct: %w", r.Code, err)
	}
	if m.PieceGrams, err = parseNullDecimal(r.PieceGrams); err != nil {
		return m, fmt.Errorf("material %q piece_grams: %w", r.Code, err)
	}
	return m, nil
}

func toMaterials(rows []materialRow) ([]planner.Material, error) {
	return convertRows(rows, materialRow.toMaterial)
}

var materialList = listQuery{
	table:   "materials",
	columns: "campaign_id, code, name, format, audience, printed, reserve_pct, pack_size, packs_per_box, piece_grams",
	key:     "code",
	sorts:   map[string]string{"code": "code", "name": "name", "format": "format", "audience": "audience", "printed": "printed"},
}

func loadMaterials(ctx context.Context, q queryer, campaignID int64) ([]planner.Material, error) {
	var rows []materialRow
	if _, err := materialList.run(ctx, q, campaignWhere(campaignID), ListOptions{}, &rows); err != nil {
		return nil, err
	}
	return toMaterials(rows)
}

func insertMaterials(ctx context.Context, tx *Tx, campaignID int64, ms []planner.Material) error {
	return insertBatch(ctx, tx, "materials", materialCols, len(ms), func(i int) []any {
		return materialArgs(campaignID, ms[i])
	})
}

// MaterialFilter selects materials: Query matches code or name.
// Sortable by code, name, format, audience, printed.
type MaterialFilter struct {
	Query string
	ListOptions
}

// ListMaterials returns one page of a campaign's materials. Errors: ENotFound.
func (db *DB) ListMaterials(ctx context.Context, campaignID int64, f MaterialFilter) (Page[planner.Material], error) {
	var rows []materialRow
	w := campaignWhere(campaignID)
	w.search(f.Query, "code", "name")
	total, err := db.list(ctx, campaignID, materialList, w, f.ListOptions, &rows)
	if err != nil {
		return Page[planner.Material]{}, err
	}
	items, err := toMaterials(rows)
	return Page[planner.Material]{Items: items, Total: total}, err
}

// GetMaterial returns one material. Errors: ENotFound.
func (db *DB) GetMaterial(ctx context.Context, campaignID int64, code string) (planner.Material, error) {
	var r materialRow
	err := db.read.GetContext(ctx, &r, db.read.Rebind(`SELECT `+materialList.columns+
		` FROM materials WHERE campaign_id = ? AND code = ?`), campaignID, code)
	if err != nil {
		return planner.Material{}, translate(orNotFound(err, thingMaterial, code))
	}
	return r.toMaterial()
}

// CreateMaterial adds a material to a campaign.
// Errors: ENotFound (campaign), EConflict (code taken), EInvalid.
func (db *DB) CreateMaterial(ctx context.Context, campaignID int64, m planner.Material) error {
	apply := func(c *planner.Campaign) error {
		if _, ok := c.Material(m.Code); ok {
			return planner.Errorm(planner.EConflict, planner.MsgAlreadyExists, "material %q already exists", m.Code)
		}
		c.Materials = append(c.Materials, m)
		return nil
	}
	write := func(ctx context.Context, tx *Tx) error {
		if err := insertMaterials(ctx, tx, campaignID, []planner.Material{m}); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditCreate, Entity: "material", EntityID: m.Code,
			CampaignID: campaignID, After: m})
	}
	return db.edit(ctx, campaignID, 0, apply, write)
}

const updateMaterialSQL = `UPDATE materials SET code = ?, name = ?, format = ?, audience = ?, printed = ?,
	reserve_pct = ?, pack_size = ?, packs_per_box = ?, piece_grams = ? WHERE campaign_id = ? AND code = ?`

// UpdateMaterial replaces material code with m. m.Code may differ: the
// material is renamed and its targeting rules and locks follow it.
// The campaign is validated as a whole (a new pack size must still divide
// every lock). Errors: ENotFound, EConflict (new code taken), EInvalid.
func (db *DB) UpdateMaterial(ctx context.Context, campaignID int64, code string, m planner.Material) error {
	var before planner.Material
	apply := func(c *planner.Campaign) error {
		i := indexOf(c.Materials, func(x planner.Material) bool { return x.Code == code })
		if i < 0 {
			return notFound(thingMaterial, code)
		}
		if _, taken := c.Material(m.Code); taken && m.Code != code {
			return planner.Errorm(planner.EConflict, planner.MsgAlreadyExists, "material %q already exists", m.Code)
		}
		before, c.Materials[i] = c.Materials[i], m
		for j := range c.Targeting {
			rename(&c.Targeting[j].Material, code, m.Code)
		}
		for j := range c.Locks {
			rename(&c.Locks[j].Material, code, m.Code)
		}
		return nil
	}
	write := func(ctx context.Context, tx *Tx) error {
		args := append(materialArgs(campaignID, m)[1:], campaignID, code)
		if _, err := tx.ExecContext(ctx, tx.Rebind(updateMaterialSQL), args...); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditUpdate, Entity: "material", EntityID: code,
			CampaignID: campaignID, Before: before, After: m})
	}
	return db.edit(ctx, campaignID, 0, apply, write)
}

// DeleteMaterial deletes a material that no targeting rule or lock uses.
// Errors: ENotFound, EConflict naming what still uses it.
func (db *DB) DeleteMaterial(ctx context.Context, campaignID int64, code string) error {
	return db.deleteIn(ctx, campaignID, fmt.Sprintf("material %q", code), notFound(thingMaterial, code),
		refs(campaignID, "material", code, "targeting", "locks"), "material", code,
		`DELETE FROM materials WHERE campaign_id = ? AND code = ?`, campaignID, code)
}
