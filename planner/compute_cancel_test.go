package planner

import (
	"context"
	"errors"
	"testing"
)

// TestComputeContextStopsWhenCancelled: a plan nobody waits for any more
// is abandoned with the context's error, whether the context ended before
// or while it ran (issue 12: computations went on after the client left).
func TestComputeContextStopsWhenCancelled(t *testing.T) {
	c, err := SyntheticNationalCampaign(10_000, 3)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ComputeContext(ctx, c); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: err = %v, want context.Canceled", err)
	}
	if _, err := ComputeContext(context.Background(), c); err != nil {
		t.Fatalf("not cancelled: %v", err)
	}
}

// TestReplanContextStopsWhenCancelled: previews and commits go through
// ReplanContext, which gives up the same way.
func TestReplanContextStopsWhenCancelled(t *testing.T) {
	c, err := SyntheticNationalCampaign(1_000, 3)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReplanContext(ctx, c, nil, nil, ReplanOptions{}, c.Start); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
