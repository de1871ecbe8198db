package api

import (
	"sync"
	"time"
)

// Login throttling: at most 5 failed sign-ins per account and 30 per IP
// address in any 15 minutes. Per account stops guessing one password from
// many addresses; per IP stops trying many accounts from one address.
// Counters live in memory, so each replica throttles on its own: with N
// replicas an attacker gets at most N times the budget, still far too few
// guesses against a bcrypt-hashed password of 10+ characters.
const (
	loginWindow     = 15 * time.Minute
	loginPerAccount = 5
	loginPerIP      = 30
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

// loginLimits throttles failed sign-ins per account and per IP.
type loginLimits struct {
	account *slidingWindow
	ip      *slidingWindow
}

func newLoginLimits() *loginLimits {
	return &loginLimits{
		account: newSlidingWindow(loginPerAccount, loginWindow),
		ip:      newSlidingWindow(loginPerIP, loginWindow),
	}
}

// wait returns how long a sign-in to account from ip must wait; 0 allows it.
func (l *loginLimits) wait(account, ip string, now time.Time) time.Duration {
	return max(l.account.wait(account, now), l.ip.wait(ip, now))
}

// failed records a failed sign-in.
func (l *loginLimits) failed(account, ip string, now time.Time) {
	l.account.add(account, now)
	l.ip.add(ip, now)
}

// succeeded clears the account's failures: its owner has proved who they
// are. The IP's failures stay (one address trying many accounts).
func (l *loginLimits) succeeded(account string) { l.account.reset(account) }

// waitMinutes rounds a wait up to whole minutes, for the message.
func waitMinutes(d time.Duration) int {
	return int((d + time.Minute - 1) / time.Minute)
}
