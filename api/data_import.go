package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/planner"
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

// importIDPrefix names imported venues: imp-1, imp-2, …
const importIDPrefix = "imp-"

// importPage is what data_import.html shows.
type importPage struct {
	Action, ConfirmAction, ListURL string
	FileError                      string
	Error                          string // the write failed
	Preview                        bool
	CSV                            string // the uploaded text, sent back on confirm (only when valid)
	Errors                         []planner.FieldError
	Rows                           []planner.VenueImportRow // the first importPreviewRows
	Total, OutOfRadius             int
	OutOfRadiusLines               []int // the first importPreviewRows
	ByCity                         []importCityCount
	MaxRows                        int
}

type importCityCount struct {
	City  string
	Count int
}

func (s *Server) newImportPage(id int64) importPage {
	return importPage{Action: dataURL(id, "venues/import"), ConfirmAction: dataURL(id, "venues/import/confirm"),
		ListURL: dataURL(id, "venues"), MaxRows: planner.MaxVenueImportRows}
}

func (s *Server) importForm(c *gin.Context) {
	id, _ := campaignID(c)
	s.render(c, http.StatusOK, "data_import", s.newImportPage(id))
}

// importPreview parses the uploaded file and shows what an import would do.
func (s *Server) importPreview(c *gin.Context) {
	id, _ := campaignID(c)
	d := s.newImportPage(id)
	fh, err := c.FormFile("file")
	if err != nil {
		status, msg := http.StatusUnprocessableEntity, s.tr(c, "data.import.choose_file")
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			status, msg = http.StatusRequestEntityTooLarge, s.tr(c, "data.import.too_large", "MB", tooBig.Limit>>20)
		}
		d.FileError = msg
		s.render(c, status, "data_import", d)
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.pageError(c, err)
		return
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		s.pageError(c, errBadRequest("cannot read the uploaded file"))
		return
	}
	s.previewImport(c, id, d, strings.TrimPrefix(string(b), "\uFEFF"))
}

// previewImport parses text and renders the preview: 200 when it could
// be imported, 422 when it has errors.
func (s *Server) previewImport(c *gin.Context, id int64, d importPage, text string) {
	rows, errs, err := s.parseImport(c.Request.Context(), id, text)
	if err != nil {
		s.pageError(c, err)
		return
	}
	d.Preview, d.Errors, d.Total = true, errs, len(rows)
	d.Rows = rows[:min(len(rows), importPreviewRows)]
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
	s.render(c, status, "data_import", d)
}

// parseImport checks text against the campaign's current cities and categories.
func (s *Server) parseImport(ctx context.Context, id int64, text string) ([]planner.VenueImportRow, []planner.FieldError, error) {
	ks, err := s.db.ListCities(ctx, id, store.CityFilter{})
	if err != nil {
		return nil, nil, err
	}
	cs, err := s.db.ListCategories(ctx, id, store.CategoryFilter{})
	if err != nil {
		return nil, nil, err
	}
	rows, errs := planner.ParseVenueCSV(strings.NewReader(text), &planner.Campaign{Cities: ks.Items, Categories: cs.Items})
	return rows, errs, nil
}

// importConfirm parses the text again and adds every row in one
// transaction, or none.
func (s *Server) importConfirm(c *gin.Context) {
	id, _ := campaignID(c)
	ctx := c.Request.Context()
	text := c.PostForm("csv")
	rows, errs, err := s.parseImport(ctx, id, text)
	if err != nil {
		s.pageError(c, err)
		return
	}
	d := s.newImportPage(id)
	if len(errs) > 0 {
		s.previewImport(c, id, d, text)
		return
	}
	next, err := nextImportID(ctx, s.db, id)
	if err != nil {
		s.pageError(c, err)
		return
	}
	venues := make([]planner.Venue, len(rows))
	for i, r := range rows {
		venues[i] = r.Venue
		venues[i].ID = importIDPrefix + strconv.Itoa(next+i)
	}
	if err := s.db.AddVenues(ctx, id, venues); err != nil {
		if code := planner.ErrorCode(err); code != planner.EInvalid && code != planner.EConflict {
			s.pageError(c, err)
			return
		}
		d.Error = planner.ErrorMessage(err)
		s.previewImport(c, id, d, text)
		return
	}
	s.setFlash(c, s.tr(c, "data.import.done", "Count", len(venues)))
	c.Redirect(http.StatusSeeOther, dataURL(id, "venues"))
}

// nextImportID returns the first n such that imp-n, imp-n+1, … are free:
// one more than the largest imp-number in the campaign.
func nextImportID(ctx context.Context, db *store.DB, id int64) (int, error) {
	page, err := db.ListVenues(ctx, id, store.VenueFilter{Query: importIDPrefix})
	if err != nil {
		return 0, err
	}
	last := 0
	for _, v := range page.Items {
		if n, err := strconv.Atoi(strings.TrimPrefix(v.ID, importIDPrefix)); err == nil &&
			strings.HasPrefix(v.ID, importIDPrefix) && n > last {
			last = n
		}
	}
	return last + 1, nil
}
