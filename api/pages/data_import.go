package pages

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
	"github.com/reparto/reparto/store"
)

// A venue CSV import is two requests: the upload shows a preview (errors
// by line, the city each row would go to, rows outside every radius) and
// writes nothing; the confirmation sends the same text back from a hidden
// textarea, which is parsed and validated again (the client is not
// trusted) and written all or nothing in one transaction.

// importPreviewRows bounds the rows listed on the preview page; the
// summary counts all of them.
const importPreviewRows = 500

// importPage is what data_import.html shows.
type importPage struct {
	Action, ConfirmAction, ListURL string
	FileError                      string
	Error                          string // the write failed
	Preview                        bool
	CSV                            string // the uploaded text, sent back on confirm (only when valid)
	Errors                         []planner.FieldError
	Rows                           []planio.VenueImportRow // the first importPreviewRows
	Total, OutOfRadius             int
	FileName                       string // sent back on confirm, kept in the import history
	Diff                           importDiff
	HistoryURL                     string
	OutOfRadiusLines               []int // the first importPreviewRows
	ByCity                         []importCityCount
	MaxRows                        int
}

// importDiff is what the file would do to the registry.
type importDiff struct {
	New, Changed, Unchanged, Duplicates int
}

type importCityCount struct {
	City  string
	Count int
}

func (s *handlers) newImportPage(id int64) importPage {
	return importPage{Action: dataURL(id, "venues/import"), ConfirmAction: dataURL(id, "venues/import/confirm"),
		ListURL: dataURL(id, "venues"), MaxRows: planio.MaxVenueImportRows, HistoryURL: dataURL(id, "venues/imports")}
}

func (s *handlers) importForm(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	s.Web.Render(c, http.StatusOK, "data_import", s.newImportPage(id))
}

// importPreview parses the uploaded file and shows what an import would do.
func (s *handlers) importPreview(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	d := s.newImportPage(id)
	fh, err := c.FormFile("file")
	if err != nil {
		status, msg := http.StatusUnprocessableEntity, s.Web.Tr(c, "data.import.choose_file")
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			status, msg = http.StatusRequestEntityTooLarge, s.Web.Tr(c, "data.import.too_large", "MB", tooBig.Limit>>20)
		}
		d.FileError = msg
		s.Web.Render(c, status, "data_import", d)
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgUploadUnreadable, "cannot read the uploaded file"))
		return
	}
	d.FileName = importFileName(fh.Filename)
	s.previewImport(c, id, d, strings.TrimPrefix(string(b), "\uFEFF"))
}

// previewImport parses text and renders the preview: 200 when it could
// be imported, 422 when it has errors.
func (s *handlers) previewImport(c *gin.Context, id int64, d importPage, text string) {
	rows, errs, err := s.parseImport(c.Request.Context(), id, text)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	d.Preview, d.Errors, d.Total = true, errs, len(rows)
	d.Rows = rows[:min(len(rows), importPreviewRows)]
	var unique []planner.Venue
	for _, r := range rows {
		if r.Duplicate {
			d.Diff.Duplicates++
		} else {
			unique = append(unique, r.Venue)
		}
	}
	diff, err := s.DB.DiffVenueImport(c.Request.Context(), id, unique)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	d.Diff.New, d.Diff.Changed, d.Diff.Unchanged = len(diff.New), len(diff.Changed), diff.Unchanged
	byCity := map[string]int{}
	for _, r := range rows {
		if r.OutOfRadius {
			d.OutOfRadius++
			if len(d.OutOfRadiusLines) < importPreviewRows {
				d.OutOfRadiusLines = append(d.OutOfRadiusLines, r.Line)
			}
			continue
		}
		byCity[r.AssignedCity]++
	}
	for k, n := range byCity {
		d.ByCity = append(d.ByCity, importCityCount{k, n})
	}
	slices.SortFunc(d.ByCity, func(a, b importCityCount) int { return strings.Compare(a.City, b.City) })
	status := http.StatusOK
	if len(errs) > 0 || d.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	if len(errs) == 0 {
		d.CSV = text
	}
	s.Web.Render(c, status, "data_import", d)
}

// parseImport checks text against the campaign's current cities and categories.
func (s *handlers) parseImport(ctx context.Context, id int64, text string) ([]planio.VenueImportRow, []planner.FieldError, error) {
	ks, err := s.DB.ListCities(ctx, id, store.CityFilter{})
	if err != nil {
		return nil, nil, err
	}
	cs, err := s.DB.ListCategories(ctx, id, store.CategoryFilter{})
	if err != nil {
		return nil, nil, err
	}
	rows, errs := planio.ParseVenueCSV(strings.NewReader(text), &planner.Campaign{Cities: ks.Items, Categories: cs.Items})
	return rows, errs, nil
}

// importConfirm parses the text again and writes every row in one
// transaction, or none: new venues are added, those whose id (or, for a
// row without an id, name, category and coordinates) is already in the
// registry are updated, so a re-import never doubles a venue.
func (s *handlers) importConfirm(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	ctx := c.Request.Context()
	text := c.PostForm("csv")
	rows, errs, err := s.parseImport(ctx, id, text)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	d := s.newImportPage(id)
	d.FileName = importFileName(c.PostForm("file_name"))
	if len(errs) > 0 {
		s.previewImport(c, id, d, text)
		return
	}
	venues := make([]planner.Venue, len(rows))
	for i, r := range rows {
		venues[i] = r.Venue
	}
	res, err := s.DB.ImportVenues(ctx, id, d.FileName, venues)
	if err != nil {
		if code := planner.ErrorCode(err); code != planner.EInvalid && code != planner.EConflict {
			s.Web.PageError(c, err)
			return
		}
		d.Error = s.Web.NewPage(c, "", nil).ErrorMessage(err)
		s.previewImport(c, id, d, text)
		return
	}
	s.Flash(c, s.Web.Tr(c, "data.import.done", "New", res.Created, "Changed", res.Changed, "Unchanged", res.Unchanged))
	c.Redirect(http.StatusSeeOther, dataURL(id, "venues"))
}

// maxImportFileName bounds the file name kept in the import history.
const maxImportFileName = 200

// importFileName is the base name of an uploaded file, cut to a length
// the history can show.
func importFileName(name string) string {
	name = strings.TrimSpace(name[strings.LastIndexAny(name, `/\`)+1:])
	if r := []rune(name); len(r) > maxImportFileName {
		name = string(r[:maxImportFileName])
	}
	return name
}
