package jsonapi

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestWriteOpenAPI writes the description to $REPARTO_OPENAPI_OUT, for
// linting it with Redocly CLI (see redocly.yaml); without it, it skips.
func TestWriteOpenAPI(t *testing.T) {
	out := os.Getenv("REPARTO_OPENAPI_OUT")
	if out == "" {
		t.Skip("set REPARTO_OPENAPI_OUT to write the OpenAPI description")
	}
	b, err := json.MarshalIndent(OpenAPI(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOperationsDocumentTheirRefusals: an operation behind a role says
// 401 and 403; one with a path parameter or a body says 400 (a malformed
// id or JSON); one that reads filters from the query says 400 or 422.
// redocly.yaml turns Redocly's coarser 4XX rule off for the public
// description, which has none.
func TestOperationsDocumentTheirRefusals(t *testing.T) {
	for _, op := range apiOps {
		doc := op.operation()
		responses := doc["responses"].(map[string]any)
		has := func(status string) bool { _, ok := responses[status]; return ok }
		name := op.method + " " + op.path
		if op.role != "" && (!has("401") || !has("403")) {
			t.Errorf("%s: needs a role but does not document 401 and 403", name)
		}
		if (strings.Contains(op.path, "{") || op.body != "") && !has("400") {
			t.Errorf("%s: takes a path parameter or a body but does not document 400", name)
		}
		for _, p := range op.params {
			if p.in == "query" && !has("400") && !has("422") {
				t.Errorf("%s: reads ?%s but documents neither 400 nor 422", name, p.name)
			}
		}
	}
}
