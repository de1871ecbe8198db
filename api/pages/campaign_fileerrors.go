package pages

import (
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// fileErrors lists the errors of a campaign file for p's reader: each
// with its place in words ("Material no. 4 › Pack size"), the JSON path
// for whoever edits the file, and the message translated when it is a
// known one.
func fileErrors(p *web.Page, err error) []fileError {
	fes := planner.ErrorFields(err)
	if len(fes) == 0 {
		return []fileError{{Message: p.ErrorMessage(err)}}
	}
	out := make([]fileError, 0, len(fes))
	for _, fe := range fes {
		out = append(out, fileError{Where: web.DescribePath(p, fe.Path), Path: fe.Path,
			Message: p.FieldMessage(fe)})
	}
	return out
}
