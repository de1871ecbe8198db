package auth

import (
	"sync"
	"time"
)

// Login throttling: at most 5 failed sign-ins per account and 30 per IP
// address in any 15 minutes, attempts in progress included. Per account stops guessing one password from
// many addresses; per IP stops trying many accounts from one address.
// Counters live in memory, so each replica throttles on its own: with N
// replicas an attacker gets at most N times the budget, still far too few
// guesses against a bcrypt-hashed password of 10+ characters.
const (
	loginWindow = 15 * time.Minute
	// LoginPerAccount and LoginPerIP are the sign-in attempts allowed per
	// account and per address within loginWindow.
	LoginPerAccount = 5
	LoginPerIP      = 30
	// maxLimitKeys bounds the memory of one window: past it, expired
	// entries are swept before a new key is added.
	maxLimitKeys = 10000
)

// slidingWindow counts events per key over the last period.
type slidingWindow struct {
	limit  int
	period time.Duration

	mu   sync.Mutex
	hits map[string][]time.Time // ascending
}

func newSlidingWindow(limit int, period time.Duration) *slidingWindow {
	return &slidingWindow{limit: limit, period: period, hits: map[string][]time.Time{}}
}

// live drops key's events older than the period and returns the rest.
// The caller holds mu.
func (w *slidingWindow) live(key string, now time.Time) []time.Time {
	hs := w.hits[key]
	i := 0
	for i < len(hs) && !hs[i].After(now.Add(-w.period)) {
		i++
	}
	hs = hs[i:]
	if len(hs) == 0 {
		delete(w.hits, key)
		return nil
	}
	w.hits[key] = hs
	return hs
}

// wait returns how long key must wait before its next attempt: 0 while it
// has had fewer than limit events in the period, else the time until
// enough of them are older than the period.
func (w *slidingWindow) wait(key string, now time.Time) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	hs := w.live(key, now)
	if len(hs) < w.limit {
		return 0
	}
	return hs[len(hs)-w.limit].Add(w.period).Sub(now)
}

// add records one event of key at now.
func (w *slidingWindow) add(key string, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.hits[key]; !ok && len(w.hits) >= maxLimitKeys {
		for k := range w.hits {
			w.live(k, now)
		}
	}
	w.hits[key] = append(w.live(key, now), now)
}

// reset forgets key's events.
func (w *slidingWindow) reset(key string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.hits, key)
}

// remove forgets one event of key recorded at at, if it is still there.
func (w *slidingWindow) remove(key string, at time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	hs := w.hits[key]
	for i := len(hs) - 1; i >= 0; i-- {
		if hs[i].Equal(at) {
			hs = append(hs[:i], hs[i+1:]...)
			break
		}
	}
	if len(hs) == 0 {
		delete(w.hits, key)
	} else {
		w.hits[key] = hs
	}
}

// loginLimits throttles sign-ins per account and per IP. An attempt is
// counted when it starts (reserve), before its password is checked, and
// given back only when the password was right: so however many attempts
// arrive at once, at most the limit of them ever reach a password check.
type loginLimits struct {
	mu      sync.Mutex // makes a reservation of both windows one step
	account *slidingWindow
	ip      *slidingWindow
}

func newLoginLimits() *loginLimits {
	return &loginLimits{
		account: newSlidingWindow(LoginPerAccount, loginWindow),
		ip:      newSlidingWindow(LoginPerIP, loginWindow),
	}
}

// loginAttempt is an attempt counted by reserve. Left alone it stays
// counted as a failure; succeeded or release give it back.
type loginAttempt struct {
	l           *loginLimits
	account, ip string
	at          time.Time
}

// reserve counts an attempt to sign in to account from ip at now, unless
// either is over its limit: then it returns how long to wait and counts
// nothing.
func (l *loginLimits) reserve(account, ip string, now time.Time) (time.Duration, loginAttempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if wait := max(l.account.wait(account, now), l.ip.wait(ip, now)); wait > 0 {
		return wait, loginAttempt{}
	}
	l.account.add(account, now)
	l.ip.add(ip, now)
	return 0, loginAttempt{l: l, account: account, ip: ip, at: now}
}

// succeeded clears the account's failures: its owner has proved who they
// are. The IP's failures stay (one address trying many accounts); this
// attempt is no longer one of them.
func (a loginAttempt) succeeded() {
	a.l.account.reset(a.account)
	a.l.ip.remove(a.ip, a.at)
}

// release gives the attempt back without clearing anything else: a right
// current password on the account page, or a check that never happened
// (the database did not answer).
func (a loginAttempt) release() {
	a.l.account.remove(a.account, a.at)
	a.l.ip.remove(a.ip, a.at)
}

// waitMinutes rounds a wait up to whole minutes, for the message.
func waitMinutes(d time.Duration) int {
	return int((d + time.Minute - 1) / time.Minute)
}
