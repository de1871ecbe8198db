package pages

import (
	"reflect"
	"testing"

	"github.com/reparto/reparto/planner"
)

func TestPlaceErrors(t *testing.T) {
	fields := map[string]bool{"code": true, "pack_size": true, "pieces": true}
	err := planner.Invalid(
		planner.FieldError{Path: "materials[19].pack_size", Message: "must be >= 1"},
		planner.FieldError{Path: "materials[19].pack_size", Message: "second message on the same field"},
		planner.FieldError{Path: "code", Message: "parsed by the form"},
		planner.FieldError{Path: "locks[2].pieces", Message: "must be a multiple"},
		planner.FieldError{Path: "materials[3]", Message: "locks exceed stock"},
	)
	byField, general := placeErrors(err, "materials", fields)
	wantField := map[string]string{"pack_size": "must be >= 1", "code": "parsed by the form"}
	wantGeneral := []string{"locks[2].pieces: must be a multiple", "materials[3]: locks exceed stock"}
	if !reflect.DeepEqual(byField, wantField) || !reflect.DeepEqual(general, wantGeneral) {
		t.Fatalf("got %v / %q, want %v / %q", byField, general, wantField, wantGeneral)
	}
	_, general = placeErrors(planner.Errorf(planner.EConflict, "material %q already exists", "X"), "materials", fields)
	if want := []string{`material "X" already exists`}; !reflect.DeepEqual(general, want) {
		t.Fatalf("conflict: got %q, want %q", general, want)
	}
}
