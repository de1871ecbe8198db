package planio

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
)

// The worked example of docs/planning.md#worked-example: the campaign file
// and the output files are read from the page itself, so the page cannot
// drift from what `reparto plan` and the web exports write.

const planningDoc = "../../docs/planning.md"

// fence matches a fenced code block with its language and optional name
// ("```csv allocation.csv").
var fence = regexp.MustCompile("(?s)```([a-z]+)(?: ([A-Za-z0-9_.-]+))?\n(.*?)```")

func TestWorkedExampleOutputsMatchThePage(t *testing.T) {
	page, err := os.ReadFile(planningDoc)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(page), "\n## Worked example\n")
	if !ok {
		t.Fatalf("%s has no \"## Worked example\" section", planningDoc)
	}
	var file string
	outputs := map[string]string{}
	for _, m := range fence.FindAllStringSubmatch(section, -1) {
		switch {
		case m[1] == "json" && m[2] == "" && file == "":
			file = m[3]
		case m[2] != "":
			outputs[m[2]] = m[3]
		}
	}
	c, err := ParseCampaign(strings.NewReader(file))
	if err != nil {
		t.Fatalf("the page's campaign file: %v", err)
	}
	p, err := planner.Compute(c)
	if err != nil {
		t.Fatal(err)
	}
	writers := []struct {
		name  string
		write func(*bytes.Buffer) error
		csv   bool // the file is the page's text
	}{
		{"allocation.csv", func(b *bytes.Buffer) error { return WriteAllocationCSV(b, p) }, true},
		{"schedule.csv", func(b *bytes.Buffer) error { return WriteScheduleCSV(b, p) }, true},
		{"summary.json", func(b *bytes.Buffer) error { return WriteSummaryJSON(b, p) }, false},
	}
	for _, w := range writers {
		want, ok := outputs[w.name]
		if !ok {
			t.Errorf("the page shows no %s", w.name)
			continue
		}
		var b bytes.Buffer
		if err := w.write(&b); err != nil {
			t.Fatal(err)
		}
		got := b.String()
		if w.csv {
			if strings.HasPrefix(got, UTF8BOM) || strings.Contains(got, "\r") {
				t.Errorf("%s has a byte-order mark or CR line ends; reparto plan writes plain UTF-8 with LF: %q", w.name, got)
			}
		}
		if got != want {
			t.Errorf("%s written by planio:\n%s\nthe page shows:\n%s", w.name, got, want)
		}
	}
}
