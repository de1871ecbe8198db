package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// checkLoopback refuses any URL whose host is not a loopback address or
// "localhost". Names are not resolved: a name could point anywhere.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--url %q: want http://HOST:PORT", raw)
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--url %q: only loopback addresses (127.0.0.0/8, [::1], localhost) may be loaded", raw)
}

// target is the server under load: its base URL, how to authenticate, and
// what the setup learnt about the campaign.
type target struct {
	base   string
	client *http.Client
	token  string // bearer token, or
	cookie string // "name=value" of the signed-in session
	// moving are the shipments that may take an in-transit checkpoint
	// (dispatched or already in transit), with the date to report.
	moving []movingShipment
}

type movingShipment struct {
	ID   int64
	Date string // the campaign's today, or the shipment's last event if later
}

// newTarget builds a client that never follows a redirect (a redirect
// would be an unexpected answer, and could lead off loopback) and keeps
// one connection per user alive.
func newTarget(cfg config) *target {
	tr := &http.Transport{MaxIdleConns: cfg.Users, MaxIdleConnsPerHost: cfg.Users, IdleConnTimeout: time.Minute}
	return &target{base: cfg.URL, token: cfg.Token, client: &http.Client{Transport: tr, Timeout: cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// authorize adds the credentials to a request.
func (t *target) authorize(r *http.Request) {
	if t.token != "" {
		r.Header.Set("Authorization", "Bearer "+t.token)
	} else if t.cookie != "" {
		r.Header.Set("Cookie", t.cookie)
	}
}

// login signs in through the form and keeps the session cookie.
func (t *target) login(ctx context.Context, email, password string) error {
	form := url.Values{"email": {email}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, "POST", t.base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := t.client.Do(req)
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("sign in as %s: status %d (wrong password, or throttled)", email, resp.StatusCode)
	}
	if loc := resp.Header.Get("Location"); strings.HasPrefix(loc, "/account") {
		return fmt.Errorf("sign in as %s: the account must change its password first (sign in once in a browser)", email)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "reparto_session" {
			t.cookie = c.Name + "=" + c.Value
			return nil
		}
	}
	return fmt.Errorf("sign in as %s: no session cookie in the answer", email)
}

// shipmentList is the part of GET /api/v1/campaigns/{id}/shipments used.
type shipmentList struct {
	Today     string `json:"today"`
	Shipments []struct {
		ID    int64 `json:"id"`
		Boxes int64 `json:"boxes"`
		State struct {
			Stage       string `json:"stage"`
			LastEventOn string `json:"last_event_on"`
		} `json:"state"`
	} `json:"shipments"`
}

// discover finds the shipments events can be recorded on. With dispatch
// > 0 it first dispatches up to that many planned shipments (on the
// campaign's today, all their planned boxes), so that checkpoints spread
// over many trucks as they do in a campaign in full swing.
func (t *target) discover(ctx context.Context, campaign int64, dispatch int) error {
	list, err := t.shipments(ctx, campaign)
	if err != nil {
		return err
	}
	for _, s := range list.Shipments {
		switch {
		case s.State.Stage == "dispatched" || s.State.Stage == "in_transit":
			date := list.Today
			if s.State.LastEventOn > date { // ISO dates compare as strings
				date = s.State.LastEventOn
			}
			t.moving = append(t.moving, movingShipment{ID: s.ID, Date: date})
		case s.State.Stage == "planned" && dispatch > 0:
			body := fmt.Sprintf(`{"kind":"dispatched","date":%q,"carrier":"reparto-load","boxes":%d}`, list.Today, s.Boxes)
			if err := t.post(ctx, fmt.Sprintf("/api/v1/shipments/%d/events", s.ID), body); err != nil {
				return fmt.Errorf("dispatch shipment %d: %w", s.ID, err)
			}
			t.moving = append(t.moving, movingShipment{ID: s.ID, Date: list.Today})
			dispatch--
		}
	}
	return nil
}

func (t *target) shipments(ctx context.Context, campaign int64) (*shipmentList, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/campaigns/%d/shipments", t.base, campaign), nil)
	if err != nil {
		return nil, err
	}
	t.authorize(req)
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("list shipments: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("list shipments of campaign %d: status %d: %s", campaign, resp.StatusCode, b)
	}
	var list shipmentList
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return nil, fmt.Errorf("list shipments: %w", err)
	}
	return &list, nil
}

// post sends one JSON write of the setup and wants a 2xx.
func (t *target) post(ctx context.Context, path, body string) error {
	req, err := http.NewRequestWithContext(ctx, "POST", t.base+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	t.authorize(req)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", newKey())
	resp, err := t.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	return nil
}
