package pages

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/registry"
	"github.com/reparto/reparto/store"
)

// A registry import (DENUE, CLUES) is two requests like the venue CSV
// import — a preview that writes nothing, then a confirmation that
// imports in one transaction — but the file does not travel back with
// the confirmation: a DENUE state file is 100+ MB and a zip or workbook
// is binary, so the venue CSV's hidden textarea cannot carry it. The
// upload is streamed to a file on the server's disk instead (uploads.go)
// and the confirmation names it by an unguessable token bound to the
// campaign and the user. The file is read again on confirm, so the
// import is exactly what the file says then, not what the preview said.

// RegistryUploadPaths are the routes that take a registry file or import
// one: the server gives them Config.MaxUploadBytes and
// Config.UploadTimeout instead of the limits of ordinary forms.
var RegistryUploadPaths = []string{
	"/campaigns/:id/data/venues/registry",
	"/campaigns/:id/data/venues/registry/confirm",
}

// registryPage is what data_registry.html shows.
type registryPage struct {
	Action, ConfirmAction, HistoryURL, RulesURL, ListURL string
	MaxMB                                                int64
	Source                                               string // the registry chosen in the form; "" = by content
	FileError                                            string
	Error                                                string // the import failed
	Preview                                              bool
	Token, FileName                                      string
	Result                                               store.RegistryImportResult
	Kept                                                 []registryKept
	Dropped                                              []registryDropped
}

type registryKept struct {
	Code, Name string
	Count      int
}

type registryDropped struct {
	Reason   registry.Reason
	Count    int
	Examples []int // file lines (DENUE) or sheet rows (CLUES)
}

func (s *handlers) newRegistryPage(id int64) registryPage {
	return registryPage{Action: dataURL(id, "venues/registry"), ConfirmAction: dataURL(id, "venues/registry/confirm"),
		HistoryURL: dataURL(id, "venues/imports"), RulesURL: dataURL(id, "venues/registry/rules"),
		ListURL: dataURL(id, "venues"), MaxMB: s.Uploads.MaxBytes >> 20}
}

func (s *handlers) registryForm(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	s.Web.Render(c, http.StatusOK, "data_registry", s.newRegistryPage(id))
}

// registryPreview streams the upload to disk, reads it through a dry-run
// import and shows what the import would do.
func (s *handlers) registryPreview(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	d := s.newRegistryPage(id)
	if c.Request.ContentLength > s.Uploads.MaxBytes+1<<20 {
		// Refused before a byte of it is read.
		d.FileError = s.Web.Tr(c, "data.import.too_large", "MB", d.MaxMB)
		c.Header("Connection", "close")
		s.Web.Render(c, http.StatusRequestEntityTooLarge, "data_registry", d)
		return
	}
	extendDeadlines(c, s.Uploads.Timeout)
	up, err := s.Uploads.Save(c, id)
	d.Source = up.Source
	if err != nil {
		var ue *uploadError
		if !errors.As(err, &ue) {
			s.Web.PageError(c, err)
			return
		}
		d.FileError = s.Web.Tr(c, ue.msg, "MB", d.MaxMB)
		s.Web.Render(c, ue.status, "data_registry", d)
		return
	}
	d.FileName = up.Name
	res, err := s.importRegistry(store.DryRun(c.Request.Context()), id, up)
	if err != nil {
		s.Uploads.Remove(up.Token)
		s.registryFailed(c, d, err)
		return
	}
	d.Token = up.Token
	s.renderRegistryPreview(c, http.StatusOK, d, res)
}

// registryConfirm imports the file previewed under the posted token, in
// one transaction, and removes it.
func (s *handlers) registryConfirm(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	d := s.newRegistryPage(id)
	extendDeadlines(c, s.Uploads.Timeout)
	up, err := s.Uploads.Load(c, id, c.PostForm("token"))
	if err != nil {
		d.FileError = s.Web.Tr(c, "data.registry.expired")
		s.Web.Render(c, http.StatusUnprocessableEntity, "data_registry", d)
		return
	}
	d.FileName, d.Source = up.Name, up.Source
	res, err := s.importRegistry(web.ActorContext(c), id, up)
	if err != nil {
		if code := planner.ErrorCode(err); code != planner.EInvalid && code != planner.EConflict {
			s.Web.PageError(c, err)
			return
		}
		// The file is kept: the user may fix the campaign (a category,
		// the mapping) and confirm the same upload again.
		d.Error = s.Web.NewPage(c, "", nil).ErrorMessage(err)
		if pre, perr := s.importRegistry(store.DryRun(c.Request.Context()), id, up); perr == nil {
			d.Token = up.Token
			s.renderRegistryPreview(c, http.StatusUnprocessableEntity, d, pre)
			return
		}
		s.Web.Render(c, http.StatusUnprocessableEntity, "data_registry", d)
		return
	}
	s.Uploads.Remove(up.Token)
	s.Flash(c, s.Web.Tr(c, "data.import.done", "New", res.Created, "Changed", res.Changed, "Unchanged", res.Unchanged))
	c.Redirect(http.StatusSeeOther, dataURL(id, "venues/imports"))
}

// registryFailed shows why a file cannot be imported: a file that is not
// the registry, or a row that cannot be read, names the file and line.
func (s *handlers) registryFailed(c *gin.Context, d registryPage, err error) {
	if code := planner.ErrorCode(err); code != planner.EInvalid && code != planner.EConflict {
		s.Web.PageError(c, err)
		return
	}
	d.FileError = s.Web.NewPage(c, "", nil).ErrorMessage(err)
	s.Web.Render(c, http.StatusUnprocessableEntity, "data_registry", d)
}

// importRegistry opens the uploaded file (picking the reader by its
// content) and imports it; with store.DryRun(ctx) nothing is written.
func (s *handlers) importRegistry(ctx context.Context, id int64, up upload) (store.RegistryImportResult, error) {
	f, err := os.Open(up.path)
	if err != nil {
		return store.RegistryImportResult{}, err
	}
	defer f.Close()
	want, _ := registry.ParseSource(up.Source)
	rf, err := registry.Open(f, up.Size, up.Name, want)
	if err != nil {
		var fe *registry.FileError
		if errors.As(err, &fe) {
			return store.RegistryImportResult{}, fe.Invalid()
		}
		return store.RegistryImportResult{}, err
	}
	defer rf.Close()
	opts, err := s.registryOptions(rf.Source, up.Name)
	if err != nil {
		return store.RegistryImportResult{}, err
	}
	return s.DB.ImportRegistry(ctx, id, opts, rf)
}

// registryOptions are the import's settings: the shipped default mapping
// and the shipped state outlines.
func (s *handlers) registryOptions(src registry.Source, name string) (store.RegistryImport, error) {
	def, err := registry.LoadDefaultRules(assets.FS)
	if err != nil {
		return store.RegistryImport{}, err
	}
	return store.RegistryImport{Source: src, FileName: name, Default: def, States: s.Res.Geo.States}, nil
}

func (s *handlers) renderRegistryPreview(c *gin.Context, status int, d registryPage, res store.RegistryImportResult) {
	d.Preview, d.Result = true, res
	cats, err := s.DB.ListCategories(c.Request.Context(), resolveID(c), store.CategoryFilter{})
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	names := map[string]string{}
	for _, k := range cats.Items {
		names[k.Code] = k.Name
	}
	for code, n := range res.Summary.Kept {
		d.Kept = append(d.Kept, registryKept{Code: code, Name: names[code], Count: n})
	}
	slices.SortFunc(d.Kept, func(a, b registryKept) int { return cmp.Compare(a.Code, b.Code) })
	for _, r := range registry.Reasons {
		if n := res.Summary.Dropped[r]; n > 0 {
			d.Dropped = append(d.Dropped, registryDropped{Reason: r, Count: n, Examples: res.Summary.Examples[r]})
		}
	}
	s.Web.Render(c, status, "data_registry", d)
}

func resolveID(c *gin.Context) int64 { id, _ := resolve.CampaignID(c); return id }

// extendDeadlines lets a large upload take longer than the server's
// read and write timeouts allow an ordinary request (a writer that cannot
// say so keeps them: the request then fails as any slow request does).
func extendDeadlines(c *gin.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetReadDeadline(time.Now().Add(d))
	_ = rc.SetWriteDeadline(time.Now().Add(d))
}
