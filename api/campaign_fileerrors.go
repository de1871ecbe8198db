package api

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/reparto/reparto/planner"
)

// pathStep is one step of a campaign file's JSON path: "materials[3]" or
// "pack_size".
var pathStep = regexp.MustCompile(`^([A-Za-z_]+)(?:\[(\d+)\])?$`)

// fileErrors lists the errors of a campaign file for p's reader: each
// with its place in words ("Material no. 4 › Pack size"), the JSON path
// for whoever edits the file, and the message translated when it is a
// known one.
func fileErrors(p *Page, err error) []fileError {
	fes := planner.ErrorFields(err)
	if len(fes) == 0 {
		return []fileError{{Message: p.errorMessage(err)}}
	}
	out := make([]fileError, 0, len(fes))
	for _, fe := range fes {
		out = append(out, fileError{Where: describePath(p, fe.Path), Path: fe.Path,
			Message: p.fieldMessage(fe)})
	}
	return out
}

// describePath says a JSON path of the campaign file in words. An
// element of a list is named by its position counted from 1; a key is
// named by its form label when it has one, else shown as it is.
func describePath(p *Page, path string) string {
	if path == "" {
		return p.T("campaigns.path.file")
	}
	var parts []string
	for _, step := range strings.Split(path, ".") {
		m := pathStep.FindStringSubmatch(step)
		if m == nil {
			parts = append(parts, step)
			continue
		}
		label := keyLabel(p, m[1])
		if m[2] != "" {
			n, _ := strconv.Atoi(m[2])
			label = p.T("campaigns.path.item", "What", label, "N", n+1)
		}
		parts = append(parts, label)
	}
	return strings.Join(parts, " › ")
}

// keyLabel names a key of the campaign file: the campaign's own labels,
// then the data forms' field labels, else the key itself.
func keyLabel(p *Page, key string) string {
	for _, id := range []string{"campaigns.key." + key, "data.field." + key} {
		if s := p.T(id); s != id {
			return s
		}
	}
	return key
}
