package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// endpoint is one kind of request of the mix.
type endpoint struct {
	name   string
	write  bool
	weight float64 // share among reads, or among writes
}

// The read mix is what the office does all day: the dashboard page, the
// two map layers and the shipment list of the JSON API. The one write is
// what couriers do: an in-transit checkpoint on a moving shipment.
var readMix = []endpoint{
	{name: "dashboard", weight: 0.25},
	{name: "map-states", weight: 0.20},
	{name: "map-cities", weight: 0.20},
	{name: "shipments", weight: 0.35},
}

var eventEndpoint = endpoint{name: "event", write: true, weight: 1}

// request builds the HTTP request of e for campaign.
func (t *target) request(ctx context.Context, e endpoint, campaign int64) (*http.Request, error) {
	var method, path, body string
	switch e.name {
	case "dashboard":
		method, path = "GET", fmt.Sprintf("/campaigns/%d/dashboard", campaign)
	case "map-states":
		method, path = "GET", fmt.Sprintf("/api/v1/campaigns/%d/map/states.geojson", campaign)
	case "map-cities":
		method, path = "GET", fmt.Sprintf("/api/v1/campaigns/%d/map/cities.geojson", campaign)
	case "shipments":
		method, path = "GET", fmt.Sprintf("/api/v1/campaigns/%d/shipments", campaign)
	case "event":
		s := t.moving[mrand.IntN(len(t.moving))]
		method, path = "POST", fmt.Sprintf("/api/v1/shipments/%d/events", s.ID)
		body = fmt.Sprintf(`{"kind":"in_transit","date":%q,"checkpoint":"Caseta %d"}`, s.Date, mrand.IntN(1000))
	default:
		return nil, fmt.Errorf("unknown endpoint %q", e.name)
	}
	req, err := http.NewRequestWithContext(ctx, method, t.base+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	t.authorize(req)
	if e.write {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", newKey())
	}
	return req, nil
}

// newKey is a fresh random Idempotency-Key: every write is a new event.
func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "load-" + hex.EncodeToString(b)
}

// pick chooses the next endpoint: a write with probability writes (when
// there is a shipment to write on), else a read by weight.
func pick(writes float64, canWrite bool) endpoint {
	if canWrite && mrand.Float64() < writes {
		return eventEndpoint
	}
	x := mrand.Float64()
	for _, e := range readMix {
		if x < e.weight {
			return e
		}
		x -= e.weight
	}
	return readMix[len(readMix)-1]
}

// runLoad authenticates, then runs cfg.Users users until the duration
// ends, the request cap is reached or ctx is cancelled.
func runLoad(ctx context.Context, cfg config, log io.Writer) (*report, error) {
	t := newTarget(cfg)
	if cfg.Token == "" {
		if err := t.login(ctx, cfg.Email, cfg.Password); err != nil {
			return nil, err
		}
	}
	if err := t.discover(ctx, cfg.Campaign, cfg.Dispatch); err != nil {
		return nil, err
	}
	canWrite := cfg.Writes > 0 && len(t.moving) > 0
	if cfg.Writes > 0 && !canWrite {
		fmt.Fprintln(log, "reparto-load: no dispatched or in-transit shipment: running reads only")
	}
	fmt.Fprintf(log, "reparto-load: %d users for %v on %s (campaign %d, %d shipments to record events on)\n",
		cfg.Users, cfg.Duration, cfg.URL, cfg.Campaign, len(t.moving))

	// New requests stop when the duration is over; requests in flight then
	// finish (within --timeout), so the slowest ones still count.
	issuing, stopIssuing := context.WithTimeout(ctx, cfg.Duration)
	defer stopIssuing()
	watching, stopWatching := context.WithCancel(ctx)
	mem := watchMemory(watching, cfg.PID)
	rec := newRecorder()
	var sent atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range cfg.Users {
		wg.Go(func() {
			// Users start spread over one think time, not all at once.
			if !sleep(issuing, jitter(cfg.Think)) {
				return
			}
			for issuing.Err() == nil && sent.Add(1) <= cfg.MaxRequests {
				t.once(ctx, rec, pick(cfg.Writes, canWrite), cfg.Campaign)
				if !sleep(issuing, jitter(cfg.Think)) {
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	stopWatching()
	return &report{cfg: cfg, elapsed: elapsed, rec: rec, mem: mem.result()}, nil
}

// once sends one request and records its outcome. A request cut short by
// an interrupt (ctx) is not counted.
func (t *target) once(ctx context.Context, rec *recorder, e endpoint, campaign int64) {
	req, err := t.request(ctx, e, campaign)
	if err != nil {
		rec.add(e, 0, 0, "build: "+err.Error())
		return
	}
	start := time.Now()
	resp, err := t.client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			rec.add(e, time.Since(start), 0, err.Error())
		}
		return
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if err != nil && ctx.Err() != nil {
		return
	}
	rec.add(e, took, resp.StatusCode, "")
}

// jitter is a pause of mean d, uniformly between d/2 and 3d/2.
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return d/2 + time.Duration(mrand.Int64N(int64(d)))
}

// sleep waits d unless ctx ends first; it reports whether to go on.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-tm.C:
		return true
	}
}
