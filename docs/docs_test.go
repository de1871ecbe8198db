// Package docs holds the project's written rules (Markdown). Its test
// checks that every citation of a rule, in code comments, SQL, READMEs and
// the pages themselves, points at a heading that exists, and that nothing
// in the repository points outside it.
package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

const root = ".."

// repoFiles returns the repository's text files worth checking, relative
// to the module root.
func repoFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") && name != ".ci" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(name) {
		case ".go", ".md", ".sql", ".html", ".js", ".sh", ".yml", ".yaml", ".json", ".conf", "":
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// slug is the anchor GitHub gives a heading: lower case, punctuation
// dropped, spaces as hyphens.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

var headingRE = regexp.MustCompile(`^#{1,6}\s+(.+?)\s*#*\s*$`)

// anchors returns the anchors of a Markdown page's headings (outside code
// blocks), numbering repeats as GitHub does ("x", "x-1").
func anchors(t *testing.T, page string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	seen := map[string]int{}
	inCode := false
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		m := headingRE.FindStringSubmatch(line)
		if inCode || m == nil {
			continue
		}
		s := strings.ReplaceAll(slug(m[1]), "`", "")
		if n := seen[s]; n > 0 {
			out[s+"-"+strconv.Itoa(n)] = true
		} else {
			out[s] = true
		}
		seen[s]++
	}
	return out
}

// citation is "docs/NAME.md" or "docs/NAME.md#ANCHOR" anywhere in a file;
// pageLink is a relative Markdown link inside docs/ ("(NAME.md#ANCHOR)",
// "(#ANCHOR)").
var (
	citation = regexp.MustCompile(`docs/([a-z0-9-]+\.md)(?:#([A-Za-z0-9_-]+))?`)
	pageLink = regexp.MustCompile(`\]\(([a-z0-9-]+\.md)?(?:#([A-Za-z0-9_-]+))?\)`)
)

func TestEveryCitationResolves(t *testing.T) {
	cache := map[string]map[string]bool{}
	resolve := func(t *testing.T, where, page, anchor string) {
		t.Helper()
		if _, err := os.Stat(page); err != nil {
			t.Errorf("%s cites %s, which does not exist", where, page)
			return
		}
		if anchor == "" {
			return
		}
		if cache[page] == nil {
			cache[page] = anchors(t, page)
		}
		if !cache[page][anchor] {
			t.Errorf("%s cites %s#%s: no such heading", where, filepath.Base(page), anchor)
		}
	}
	cited := 0
	for _, f := range repoFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for _, m := range citation.FindAllStringSubmatch(text, -1) {
			resolve(t, f, filepath.Join(root, "docs", m[1]), m[2])
			cited++
		}
		if filepath.Dir(f) != filepath.Join(root, "docs") || filepath.Ext(f) != ".md" {
			continue
		}
		for _, m := range pageLink.FindAllStringSubmatch(text, -1) {
			page := f
			if m[1] != "" {
				page = filepath.Join(root, "docs", m[1])
			}
			resolve(t, f, page, m[2])
		}
	}
	if cited < 30 {
		t.Errorf("only %d citations of docs/ found: is the walk looking in the right place?", cited)
	}
}

// TestNothingPointsOutsideTheRepository: the repository stands alone, so no
// file names the old planning contract, the shared folder of the
// development machines or a path on them.
func TestNothingPointsOutsideTheRepository(t *testing.T) {
	// Built from pieces so that this file does not match itself.
	forbidden := []string{"PLANNING" + ".md", "../" + "shared", "/" + "work/"}
	for _, f := range repoFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range forbidden {
			if strings.Contains(string(data), s) {
				t.Errorf("%s refers to %q, outside the repository", f, s)
			}
		}
	}
}
