package pages

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// The import history lists every confirmed venue import (who, when, which
// file, what it did) with a link to undo it. Undo is two requests, like
// the import: a page that says exactly what will happen, and a POST that
// does it in one transaction.

// maxUndoIDs bounds the ids listed on the undo page; the counts are whole.
const maxUndoIDs = 50

type importHistoryPage struct {
	ImportURL, RegistryURL string
	Imports                []importHistoryRow
}

type importHistoryRow struct {
	store.VenueImport
	UndoURL string // "" once undone
}

type importUndoPage struct {
	Import                store.VenueImport
	Action, HistoryURL    string
	Delete, Restore, Kept int
	DeleteIDs, RestoreIDs []string // the first maxUndoIDs
	KeptIDs               []string
	Error                 string
}

func (s *handlers) importHistory(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	ims, err := s.DB.ListVenueImports(c.Request.Context(), id)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	d := importHistoryPage{ImportURL: dataURL(id, "venues/import"), RegistryURL: dataURL(id, "venues/registry")}
	for _, im := range ims {
		row := importHistoryRow{VenueImport: im}
		if im.UndoneAt == nil {
			row.UndoURL = undoURL(id, im.ID)
		}
		d.Imports = append(d.Imports, row)
	}
	s.Web.Render(c, http.StatusOK, "data_imports", d)
}

func undoURL(id, importID int64) string {
	return dataURL(id, "venues/imports/undo") + "?import=" + strconv.FormatInt(importID, 10)
}

// importUndoForm shows what undoing the import would do and asks to confirm.
func (s *handlers) importUndoForm(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	importID, err := strconv.ParseInt(c.Query("import"), 10, 64)
	if err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "import must be an import id"))
		return
	}
	u, err := s.DB.PreviewUndoVenueImport(c.Request.Context(), id, importID)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.Web.Render(c, http.StatusOK, "data_import_undo", newUndoPage(id, u))
}

func newUndoPage(id int64, u store.VenueUndo) importUndoPage {
	return importUndoPage{Import: u.Import, Action: undoURL(id, u.Import.ID), HistoryURL: dataURL(id, "venues/imports"),
		Delete: len(u.Delete), Restore: len(u.Restore), Kept: len(u.Kept),
		DeleteIDs: u.Delete[:min(len(u.Delete), maxUndoIDs)], RestoreIDs: u.Restore[:min(len(u.Restore), maxUndoIDs)],
		KeptIDs: u.Kept[:min(len(u.Kept), maxUndoIDs)]}
}

// importUndo undoes the import and returns to the history.
func (s *handlers) importUndo(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	importID, err := strconv.ParseInt(c.Query("import"), 10, 64)
	if err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "import must be an import id"))
		return
	}
	u, err := s.DB.UndoVenueImport(c.Request.Context(), id, importID)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.Flash(c, s.Web.Tr(c, "data.imports.undone", "Deleted", len(u.Delete), "Restored", len(u.Restore), "Kept", len(u.Kept)))
	c.Redirect(http.StatusSeeOther, dataURL(id, "venues/imports"))
}
