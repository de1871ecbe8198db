package pages

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// dataField is one input of an entity form. Name is the form name, the
// JSON name of the campaign file and the label's i18n id (data.field.NAME).
type dataField struct {
	Name     string
	Kind     string // "text", "int", "decimal", "select", "checkbox", "textarea"
	Options  []dataOption
	Optional bool   // a select that offers an empty choice
	Help     string // i18n id of a hint under the input, optional
}

// dataFieldView is a field as rendered: what the user typed (or what is
// stored) and the error next to it.
type dataFieldView struct {
	dataField
	Value   string
	Checked bool
	Error   string
}

// dataFormPage is what data_form.html shows.
type dataFormPage struct {
	Kind         string
	Editing      bool
	Action       string
	DeleteAction string
	ListURL      string
	Fields       []dataFieldView
	Errors       []string // errors that belong to no field (a conflict, a lock elsewhere)
}

func (s *handlers) dataNew(e *dataEntity) gin.HandlerFunc {
	return func(c *gin.Context) { s.renderDataForm(c, e, http.StatusOK, "", url.Values{}, nil) }
}

func (s *handlers) dataEdit(e *dataEntity) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, _ := resolve.CampaignID(c)
		key := c.Query("key")
		v, err := e.get(c.Request.Context(), s.DB, id, key)
		if err != nil {
			s.Web.PageError(c, err)
			return
		}
		s.renderDataForm(c, e, http.StatusOK, key, v, nil)
	}
}

func (s *handlers) dataCreate(e *dataEntity) gin.HandlerFunc { return s.dataSave(e, false) }

func (s *handlers) dataUpdate(e *dataEntity) gin.HandlerFunc { return s.dataSave(e, true) }

// dataSave parses the form, lets the store validate and write it, and
// redirects to the list; any error re-renders the form with what the user
// typed and writes nothing.
func (s *handlers) dataSave(e *dataEntity, editing bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, _ := resolve.CampaignID(c)
		key := ""
		if editing {
			if key = c.Query("key"); key == "" {
				s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "key is required"))
				return
			}
		}
		if err := c.Request.ParseForm(); err != nil {
			s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "cannot read the form"))
			return
		}
		f := &web.Form{Values: c.Request.PostForm}
		if err := e.save(c.Request.Context(), s.DB, id, key, f); err != nil {
			if len(f.Errs) > 0 {
				err = s.allFormErrors(c.Request.Context(), e, id, key, c.Request.PostForm)
			}
			s.renderDataForm(c, e, web.StatusOf(err), key, c.Request.PostForm, err)
			return
		}
		s.Flash(c, s.Web.Tr(c, "data.saved"))
		c.Redirect(http.StatusSeeOther, dataURL(id, e.kind))
	}
}

// allFormErrors is every error of a form that did not parse: the parse
// errors plus what the store's validation says about the other fields.
// Stopping at the parse errors showed "is required" only on the second
// submit. The save runs again leniently (zero values for what did not
// parse) as a store.DryRun, which validates and writes nothing; errors
// on the fields that did not parse are dropped (they would restate them).
func (s *handlers) allFormErrors(ctx context.Context, e *dataEntity, id int64, key string, v url.Values) error {
	f := &web.Form{Values: v, Lenient: true}
	verr := e.save(store.DryRun(ctx), s.DB, id, key, f)
	unparsed := map[string]bool{}
	for _, fe := range f.Errs {
		unparsed[fe.Path] = true
	}
	all := f.Errs
	for _, fe := range planner.ErrorFields(verr) {
		if !unparsed[formFieldName(fe.Path, e.path)] {
			all = append(all, fe)
		}
	}
	return planner.Invalid(all...)
}

// dataDelete deletes a row; a refusal (the row is still used) is shown on
// the row's form with the store's reason.
func (s *handlers) dataDelete(e *dataEntity) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, _ := resolve.CampaignID(c)
		key := c.Query("key")
		ctx := c.Request.Context()
		if err := e.remove(ctx, s.DB, id, key); err != nil {
			v, gerr := e.get(ctx, s.DB, id, key)
			if gerr != nil {
				s.Web.PageError(c, err)
				return
			}
			s.renderDataForm(c, e, web.StatusOf(err), key, v, err)
			return
		}
		s.Flash(c, s.Web.Tr(c, "data.deleted"))
		c.Redirect(http.StatusSeeOther, dataURL(id, e.kind))
	}
}

// renderDataForm shows the form of e with values and the errors of err
// placed next to their fields.
func (s *handlers) renderDataForm(c *gin.Context, e *dataEntity, status int, key string, values url.Values, err error) {
	id, _ := resolve.CampaignID(c)
	p := s.Web.NewPage(c, "", nil)
	opts, oerr := s.loadDataOptions(c.Request.Context(), id, p)
	if oerr != nil {
		s.Web.PageError(c, oerr)
		return
	}
	base := dataURL(id, e.kind)
	d := dataFormPage{Kind: e.kind, Editing: key != "", Action: base, ListURL: base}
	if key != "" {
		q := "?key=" + url.QueryEscape(key)
		d.Action, d.DeleteAction = base+"/edit"+q, base+"/delete"+q
	}
	fields := e.fields(opts)
	names := make(map[string]bool, len(fields))
	for _, f := range fields {
		names[f.Name] = true
	}
	byField, general := placeFieldErrors(err, e.path, names)
	for _, f := range fields {
		v := dataFieldView{dataField: f, Value: values.Get(f.Name)}
		if fe, ok := byField[f.Name]; ok {
			v.Error = p.FieldMessage(fe)
		}
		if f.Kind == "checkbox" {
			v.Checked = web.IsTrue(v.Value)
		}
		d.Fields = append(d.Fields, v)
	}
	for _, fe := range general {
		d.Errors = append(d.Errors, p.PlacedMessage(fe))
	}
	if len(byField) > 0 && len(general) == 0 {
		d.Errors = []string{p.T("common.fix_errors")}
	}
	s.Web.Render(c, status, "data_form", d)
}

// placeErrors sorts the messages of err into those of a form field and the
// rest. A path names a field when it is the field itself (the form
// parser's errors) or an element of list ending in ".field"
// ("materials[3].pack_size" → pack_size). Errors about other lists
// (a lock that a new pack size no longer divides) stay whole.
func placeErrors(err error, list string, fields map[string]bool) (map[string]string, []string) {
	placed, others := placeFieldErrors(err, list, fields)
	byField := make(map[string]string, len(placed))
	for name, fe := range placed {
		byField[name] = fe.Message
	}
	var general []string
	for _, fe := range others {
		if fe.Path == "" {
			general = append(general, fe.Message)
		} else {
			general = append(general, fe.String())
		}
	}
	return byField, general
}

// placeFieldErrors is placeErrors keeping the field errors whole, for
// saying them in the reader's language; an error without fields comes
// back as one field error without a path.
func placeFieldErrors(err error, list string, fields map[string]bool) (map[string]planner.FieldError, []planner.FieldError) {
	byField := map[string]planner.FieldError{}
	var general []planner.FieldError
	if err == nil {
		return byField, nil
	}
	fes := planner.ErrorFields(err)
	if len(fes) == 0 {
		var e *planner.Error
		fe := planner.FieldError{Message: planner.ErrorMessage(err)}
		if errors.As(err, &e) && e.Code != planner.EInternal {
			fe.ID, fe.Args = e.ID, e.Args
		}
		return byField, []planner.FieldError{fe}
	}
	for _, fe := range fes {
		name := formFieldName(fe.Path, list)
		switch {
		case !fields[name]:
			general = append(general, fe)
		case byField[name].Message == "":
			byField[name] = fe
		}
	}
	return byField, general
}

// formFieldName is the form field a validation path of list names
// ("materials[3].pack_size" → pack_size); other paths stay whole.
func formFieldName(path, list string) string {
	if strings.HasPrefix(path, list+"[") {
		if i := strings.LastIndexByte(path, '.'); i >= 0 {
			return path[i+1:]
		}
	}
	return path
}
