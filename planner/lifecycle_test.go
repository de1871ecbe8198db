package planner

import "testing"

func TestStateOf(t *testing.T) {
	tests := []struct {
		closed        bool
		plans, events int64
		want          CampaignState
	}{
		{false, 0, 0, StateDraft},
		{false, 1, 0, StatePlanned},
		{false, 3, 12, StateInProgress},
		{true, 0, 0, StateClosed},
		{true, 2, 5, StateClosed},
	}
	for _, tt := range tests {
		if got := StateOf(tt.closed, tt.plans, tt.events); got != tt.want {
			t.Errorf("StateOf(%v, %d, %d) = %q, want %q", tt.closed, tt.plans, tt.events, got, tt.want)
		}
	}
}
