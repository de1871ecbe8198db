package auth

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

// TestLoginReservations: an attempt counts from the moment it is
// reserved; release gives it back, succeeded clears the account and gives
// the address its attempt back.
func TestLoginReservations(t *testing.T) {
	now := time.Date(2009, 3, 20, 10, 0, 0, 0, time.UTC)
	l := newLoginLimits()
	var held []loginAttempt
	for i := range LoginPerAccount {
		wait, a := l.reserve("ana", "192.0.2.1", now)
		if wait != 0 {
			t.Fatalf("attempt %d refused (wait %v) below the limit", i+1, wait)
		}
		held = append(held, a)
	}
	if wait, _ := l.reserve("ana", "192.0.2.2", now); wait != loginWindow {
		t.Fatalf("attempt beyond the limit: wait %v, want %v", wait, loginWindow)
	}
	held[0].release()
	if wait, _ := l.reserve("ana", "192.0.2.2", now); wait != 0 {
		t.Fatalf("after a release: wait %v, want a free attempt", wait)
	}
	held[1].succeeded()
	if got := len(l.account.hits["ana"]); got != 0 {
		t.Errorf("after a success the account keeps %d attempts", got)
	}
	if got := len(l.ip.hits["192.0.2.1"]); got != LoginPerAccount-2 {
		t.Errorf("address attempts = %d, want %d (released and succeeded given back)", got, LoginPerAccount-2)
	}
}
