//go:build linux

package store

import (
	"errors"
	"testing"

	"github.com/reparto/reparto/planner/registry"
)

// countingReader counts the rows read, to tell whether the reader
// stopped.
type countingReader struct {
	registry.Reader
	n       int
	panicAt int // Next panics at this row, if > 0
}

func (c *countingReader) Next() (registry.Record, error) {
	c.n++
	if c.panicAt > 0 && c.n == c.panicAt {
		panic("reader broke")
	}
	return c.Reader.Next()
}

// TestPipeRegistryStops: a write error stops the reading goroutine soon
// after (not at the end of the file) and is the error returned; batches
// reach the writer whole and in the file's order; a panic of either side
// reaches the caller once the reader has stopped.
func TestPipeRegistryStops(t *testing.T) {
	const rows = 60_000
	newPipe := func(t *testing.T) (*registry.Importer, *countingReader) {
		d, err := registry.NewDENUEReader(newDENUEGenerator(rows), "x.csv")
		if err != nil {
			t.Fatal(err)
		}
		opts := testRegistryImport(t)
		im := registry.NewImporter(registry.SourceDENUE, fixtureCampaign(), registry.NewMapping(fixtureRules), opts.States)
		return im, &countingReader{Reader: d}
	}

	t.Run("all", func(t *testing.T) {
		im, r := newPipe(t)
		var n int
		last := ""
		err := pipeRegistry(im, r, func(b []registry.Venue) error {
			for _, v := range b {
				if v.SourceID <= last && len(v.SourceID) == len(last) {
					t.Fatalf("venue %s after %s", v.SourceID, last)
				}
				last = v.SourceID
			}
			n += len(b)
			return nil
		})
		assertNoError(t, err)
		if n != im.Summary().KeptTotal() || n == 0 {
			t.Fatalf("wrote %d venues, kept %d", n, im.Summary().KeptTotal())
		}
	})
	t.Run("write fails", func(t *testing.T) {
		im, r := newPipe(t)
		boom := errors.New("disk full")
		batches := 0
		err := pipeRegistry(im, r, func(b []registry.Venue) error {
			batches++
			if len(b) != registryBatch {
				t.Errorf("batch of %d", len(b))
			}
			if batches == 2 {
				return boom
			}
			return nil
		})
		if !errors.Is(err, boom) {
			t.Fatalf("error %v, want %v", err, boom)
		}
		// Two batches written, at most two more read ahead.
		if r.n > 5*registryBatch*10/8 {
			t.Errorf("the reader went on to row %d of %d", r.n, rows)
		}
	})
	t.Run("writer panics", func(t *testing.T) {
		im, r := newPipe(t)
		defer func() {
			if p := recover(); p != "writer broke" {
				t.Fatalf("recovered %v", p)
			}
			// The reader was waited for: it stopped after a few batches.
			if r.n > 5*registryBatch*10/8 {
				t.Errorf("the reader went on to row %d of %d", r.n, rows)
			}
		}()
		_ = pipeRegistry(im, r, func([]registry.Venue) error { panic("writer broke") })
		t.Fatal("no panic")
	})
	t.Run("reader panics", func(t *testing.T) {
		im, r := newPipe(t)
		r.panicAt = 10_000
		defer func() {
			if p := recover(); p != "reader broke" {
				t.Fatalf("recovered %v", p)
			}
		}()
		_ = pipeRegistry(im, r, func([]registry.Venue) error { return nil })
		t.Fatal("no panic")
	})
}
