package api

import (
	"testing"
	"time"
)

func TestSlidingWindow(t *testing.T) {
	t0 := time.Date(2009, 3, 20, 10, 0, 0, 0, time.UTC)
	w := newSlidingWindow(3, 10*time.Minute)
	for _, m := range []int{0, 2, 4} {
		if d := w.wait("k", t0.Add(time.Duration(m)*time.Minute)); d != 0 {
			t.Fatalf("minute %d: wait %v before the limit", m, d)
		}
		w.add("k", t0.Add(time.Duration(m)*time.Minute))
	}
	for _, tc := range []struct {
		at   time.Duration
		want time.Duration
	}{
		{5 * time.Minute, 5 * time.Minute}, // events 0, 2, 4: the one at 0 leaves at 10
		{9 * time.Minute, 1 * time.Minute}, //
		{10 * time.Minute, 0},              // the event at 0 is out: two left
		{12*time.Minute - 1, 0},            // still two
	} {
		if got := w.wait("k", t0.Add(tc.at)); got != tc.want {
			t.Errorf("at +%v: wait %v, want %v", tc.at, got, tc.want)
		}
	}
	if d := w.wait("other", t0.Add(5*time.Minute)); d != 0 {
		t.Errorf("another key waits %v", d)
	}
	w.reset("k")
	if d := w.wait("k", t0.Add(5*time.Minute)); d != 0 {
		t.Errorf("after reset wait %v", d)
	}
}

func TestWaitMinutesRoundsUp(t *testing.T) {
	for d, want := range map[time.Duration]int{
		time.Second: 1, time.Minute: 1, time.Minute + time.Second: 2, 15 * time.Minute: 15,
	} {
		if got := waitMinutes(d); got != want {
			t.Errorf("waitMinutes(%v) = %d, want %d", d, got, want)
		}
	}
}

func TestSlidingWindowSweepsWhenFull(t *testing.T) {
	t0 := time.Date(2009, 3, 20, 10, 0, 0, 0, time.UTC)
	w := newSlidingWindow(5, time.Minute)
	for i := range maxLimitKeys {
		w.add(string(rune(i+1000)), t0)
	}
	w.add("late", t0.Add(2*time.Minute)) // every earlier key has expired
	if len(w.hits) != 1 {
		t.Errorf("%d keys kept, want 1", len(w.hits))
	}
}
