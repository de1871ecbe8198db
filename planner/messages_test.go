package planner

import (
	"slices"
	"testing"
)

// wantMessageIDs fails unless every field error of err names a message
// id of MessageIDs, so that the web pages can say it in the reader's
// language. The helpers that inspect the validators' errors in the test
// tables (wantFirstError, wantFieldError, trFieldPaths) call it, so each
// bad input of those tables is checked.
func wantMessageIDs(t *testing.T, err error) {
	t.Helper()
	for _, f := range ErrorFields(err) {
		if !slices.Contains(MessageIDs, f.ID) {
			t.Errorf("%s: %q has no known message id (%q)", f.Path, f.Message, f.ID)
		}
	}
}

func TestMessageIDsAreUnique(t *testing.T) {
	seen := map[MsgID]bool{}
	for _, id := range MessageIDs {
		if id == "" || seen[id] {
			t.Errorf("message id %q is empty or listed twice", id)
		}
		seen[id] = true
	}
}

func TestFieldfNamesItsArguments(t *testing.T) {
	f := Fieldf("materials[0].pack_size", MsgBetween, "must be between %d and %d", 1, 1000000)
	if f.Message != "must be between 1 and 1000000" || f.ID != MsgBetween || f.Args["A"] != 1 || f.Args["B"] != 1000000 {
		t.Fatalf("got %+v", f)
	}
	if d := Fieldf("date", MsgAfterToday, "must not be after %s", NewDate(2009, 3, 1)); d.Args["A"] != "2009-03-01" {
		t.Fatalf("a date argument is %#v, want its text", d.Args["A"])
	}
}
