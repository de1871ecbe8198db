package api

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/account"
	"github.com/reparto/reparto/store"
)

// fieldScene is the demo with tracking, a field user limited to the state
// of a shipment that awaits delivery (own), and a shipment of another
// state (other).
type fieldScene struct {
	ts         *testServer
	cl         *http.Client
	own, other planner.ShipmentRecord
	state      string
	today      string // the campaign's today: receipts are dated then
}

func newFieldScene(t *testing.T) *fieldScene {
	t.Helper()
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	ctx := context.Background()
	camp, err := ts.db.GetCampaign(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	list, err := ts.db.ListShipments(ctx, ts.CampaignID, store.ShipmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	sc := &fieldScene{ts: ts, today: camp.Today(ts.clock()).String()}
	stateOf := func(sh planner.ShipmentRecord) string { k, _ := camp.City(sh.City); return k.State }
	for _, sh := range list {
		if st := sh.State().Stage; sc.state == "" && (st == planner.StageDispatched || st == planner.StageInTransit) && stateOf(sh) != "" {
			sc.own, sc.state = sh, stateOf(sh)
		}
	}
	for _, sh := range list {
		if s := stateOf(sh); s != "" && s != sc.state && sc.other.ID == 0 {
			sc.other = sh
		}
	}
	if sc.own.ID == 0 || sc.other.ID == 0 {
		t.Fatal("the demo tracking has no shipment awaiting delivery, or only one state")
	}
	sc.cl = signInNew(t, ts, "campo@test.local", account.Field, account.Places{States: []string{sc.state}})
	return sc
}

// signInNew creates an account and returns a client signed in as it.
func signInNew(t *testing.T, ts *testServer, email string, role account.Role, places account.Places) *http.Client {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.db.CreateUser(context.Background(), store.NewUser{Email: email, Role: string(role),
		PasswordHash: string(hash), Places: places}); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.PostForm(ts.URL+"/login", url.Values{"email": {email}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s: %d", email, resp.StatusCode)
	}
	return cl
}

func sendJSON(t *testing.T, ts *testServer, cl *http.Client, method, path string, body any) (int, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// deliveredForm is a valid receipt of sh: everything dispatched accepted.
func deliveredForm(sh planner.ShipmentRecord, today string) url.Values {
	st := sh.State()
	v := url.Values{"kind": {"delivered"}, "date": {today}, "delivered_by": {"Chofer Pérez"}, "received_by": {"Ana Ruiz, DIF"}}
	for i, l := range sh.Lines {
		v.Set(fmt.Sprintf("lines[%d].accepted", i), fmt.Sprint(st.Dispatched[l.Material]))
		v.Set(fmt.Sprintf("lines[%d].rejected", i), "0")
	}
	return v
}

func TestFieldSeesOnlyItsPlaces(t *testing.T) {
	sc := newFieldScene(t)
	ts, cl := sc.ts, sc.cl
	c := fmt.Sprintf("/campaigns/%d", ts.CampaignID)
	ownPage, otherPage := fmt.Sprintf("%s/shipments/%d", c, sc.own.ID), fmt.Sprintf("%s/shipments/%d", c, sc.other.ID)

	// Home: the one campaign's shipment list, which lists only its places.
	if code, loc, _ := getLoc(t, ts, cl, "/campaigns"); code != http.StatusSeeOther || loc != c+"/shipments" {
		t.Errorf("field home: %d %q, want 303 to %s/shipments", code, loc, c)
	}
	code, body := ts.get(t, cl, c+"/shipments")
	if code != http.StatusOK || !strings.Contains(body, fmt.Sprintf(`href="%s"`, ownPage)) || strings.Contains(body, fmt.Sprintf(`href="%s"`, otherPage)) {
		t.Errorf("shipment list: %d; own listed %v, other listed %v", code, strings.Contains(body, ownPage), strings.Contains(body, otherPage))
	}
	if strings.Contains(body, c+"/dashboard") || strings.Contains(body, c+"/plan") || strings.Contains(body, "/admin/users") {
		t.Error("the field navigation offers pages the field account may not open")
	}
	_, body = ts.get(t, cl, ownPage)
	if !strings.Contains(body, `id="form-delivered"`) || strings.Contains(body, `id="form-cancelled"`) || strings.Contains(body, `id="form-in_transit"`) {
		t.Error("the shipment page offers a field account other forms than the receipt")
	}
	code, body = sendJSON(t, ts, cl, "GET", "/api/v1"+c+"/shipments", nil)
	var list struct {
		Shipments []struct {
			ID int64 `json:"id"`
		} `json:"shipments"`
	}
	if err := json.Unmarshal([]byte(body), &list); code != http.StatusOK || err != nil || len(list.Shipments) == 0 {
		t.Fatalf("API list: %d %v %.200s", code, err, body)
	}
	for _, s := range list.Shipments {
		if s.ID == sc.other.ID {
			t.Errorf("API list holds shipment %d of another state", s.ID)
		}
	}

	// A field user of the other state gets its own list, not the first one's.
	k, _ := mustCity(t, ts, sc.other.City)
	other := signInNew(t, ts, "campo2@test.local", account.Field, account.Places{States: []string{k}})
	_, body = sendJSON(t, ts, other, "GET", "/api/v1"+c+"/shipments", nil)
	if !strings.Contains(body, fmt.Sprintf(`"id":%d,`, sc.other.ID)) || strings.Contains(body, fmt.Sprintf(`"id":%d,`, sc.own.ID)) {
		t.Errorf("the second field user's API list is not its own: %.300s", body)
	}

	// Another state's shipment does not exist for it; its own does.
	today := sc.today
	tests := []struct {
		name, method, path string
		form               url.Values
		json               any
		want               int
	}{
		{"own shipment page", "GET", ownPage, nil, nil, http.StatusOK},
		{"own receipt page", "GET", ownPage + "/receive?box=1", nil, nil, http.StatusOK},
		{"other shipment page", "GET", otherPage, nil, nil, http.StatusNotFound},
		{"other receipt page", "GET", otherPage + "/receive?box=1", nil, nil, http.StatusNotFound},
		{"other shipment API", "GET", fmt.Sprintf("/api/v1/shipments/%d", sc.other.ID), nil, nil, http.StatusNotFound},
		{"event on other (form)", "POST", otherPage + "/events", deliveredForm(sc.other, today), nil, http.StatusNotFound},
		{"event on other (receipt)", "POST", otherPage + "/receive", deliveredForm(sc.other, today), nil, http.StatusNotFound},
		{"event on other (API)", "POST", fmt.Sprintf("/api/v1/shipments/%d/events", sc.other.ID), nil,
			map[string]any{"kind": "delivered", "date": today}, http.StatusNotFound},
		{"dispatch on own (form)", "POST", ownPage + "/events", url.Values{"kind": {"dispatched"}, "date": {today}, "carrier": {"X"}, "boxes": {"1"}}, nil, http.StatusForbidden},
		{"cancel on own (form)", "POST", ownPage + "/events", url.Values{"kind": {"cancelled"}, "date": {today}, "reason": {"x"}}, nil, http.StatusForbidden},
		{"dispatch on own (API)", "POST", fmt.Sprintf("/api/v1/shipments/%d/events", sc.own.ID), nil,
			map[string]any{"kind": "dispatched", "date": today, "carrier": "X", "boxes": 1}, http.StatusForbidden},
		{"in transit on own (API)", "POST", fmt.Sprintf("/api/v1/shipments/%d/events", sc.own.ID), nil,
			map[string]any{"kind": "in_transit", "date": today, "checkpoint": "X"}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var code int
			var body string
			switch {
			case tt.json != nil:
				code, body = sendJSON(t, ts, cl, tt.method, tt.path, tt.json)
			case tt.form != nil:
				code, body, _ = ts.post(t, cl, tt.path, tt.form)
			default:
				code, body = ts.get(t, cl, tt.path)
			}
			if code != tt.want {
				t.Errorf("%s %s: %d, want %d: %.300s", tt.method, tt.path, code, tt.want, body)
			}
		})
	}

	// A receipt through the JSON API is recorded like the desktop form's.
	ev := map[string]any{"kind": "delivered", "date": today, "delivered_by": "Chofer", "received_by": "Ana"}
	var lines []map[string]any
	for _, l := range sc.own.Lines {
		lines = append(lines, map[string]any{"material": l.Material, "accepted": sc.own.State().Dispatched[l.Material]})
	}
	ev["lines"] = lines
	if code, body := sendJSON(t, ts, cl, "POST", fmt.Sprintf("/api/v1/shipments/%d/events", sc.own.ID), ev); code != http.StatusCreated {
		t.Errorf("field delivery through the API: %d %.300s", code, body)
	}
}

func getLoc(t *testing.T, ts *testServer, cl *http.Client, path string) (int, string, string) {
	t.Helper()
	resp, err := cl.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

func TestReceivePage(t *testing.T) {
	sc := newFieldScene(t)
	ts, cl := sc.ts, sc.cl
	page := fmt.Sprintf("/campaigns/%d/shipments/%d/receive", ts.CampaignID, sc.own.ID)
	today := sc.today

	code, body := ts.get(t, cl, page+"?box=2&box=100000&box=x&box=2")
	if code != http.StatusOK {
		t.Fatalf("receipt page: %d %.300s", code, body)
	}
	for _, want := range []string{`data-outbox`, `data-event-kind="delivered"`, `id="box-2" checked`, `name="boxes" type="number" value="1"`,
		`name="lines[0].accepted"`, `name="lines[0].material"`, `name="received_by"`, `action="` + page + `?box=2"`} {
		if !strings.Contains(body, want) {
			t.Errorf("receipt page lacks %q", want)
		}
	}
	if strings.Contains(body, `id="box-1" checked`) {
		t.Error("box 1 is ticked though only box 2 was scanned")
	}

	// The same validation as the desktop form: the message next to the field.
	bad := deliveredForm(sc.own, today)
	bad.Del("received_by")
	bad.Set("boxes", "999")
	code, body, _ = ts.post(t, cl, page+"?box=2", bad)
	for _, want := range []string{`id="receive-received-by" name="received_by" type="text" value="" class="invalid" aria-invalid="true" aria-describedby="receive-received-by-error"`,
		`<p class="field-error" id="receive-received-by-error">`, `aria-describedby="receive-boxes-error"`, `<p class="field-error" id="receive-boxes-error">`} {
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
			t.Errorf("invalid receipt: %d, want 422 with %s", code, want)
		}
	}
	if code, _, _ := ts.post(t, cl, page, url.Values{"kind": {"dispatched"}}); code != http.StatusBadRequest {
		t.Errorf("a dispatch posted to the receipt: %d, want 400", code)
	}

	good := deliveredForm(sc.own, today)
	good.Set("boxes", "1")
	code, _, loc := ts.post(t, cl, page+"?box=2", good)
	if code != http.StatusSeeOther || loc != fmt.Sprintf("/campaigns/%d/shipments/%d", ts.CampaignID, sc.own.ID) {
		t.Fatalf("receipt: %d %q, want 303 to the shipment", code, loc)
	}
	sh, err := ts.db.GetShipment(context.Background(), sc.own.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := sh.Events[len(sh.Events)-1]
	if sh.State().Stage != planner.StageDelivered || last.Kind != planner.EventDelivered || last.Boxes != 1 || last.ReceivedBy != "Ana Ruiz, DIF" {
		t.Errorf("after the receipt: stage %s, last event %+v", sh.State().Stage, last)
	}
	if _, body := ts.get(t, cl, page); !strings.Contains(body, `id="receive-done"`) {
		t.Error("the receipt page of a delivered shipment still offers the form")
	}
}

// TestReceiveReturnsAfterSignIn: a label scanned signed out leads to the
// login page, which comes back to the receipt; only local paths.
func TestReceiveReturnsAfterSignIn(t *testing.T) {
	sc := newFieldScene(t)
	ts := sc.ts
	page := fmt.Sprintf("/campaigns/%d/shipments/%d/receive?box=3", ts.CampaignID, sc.own.ID)
	anon := ts.client(t, "")
	code, loc, _ := getLoc(t, ts, anon, page)
	if code != http.StatusSeeOther || loc != "/login?next="+url.QueryEscape(page) {
		t.Fatalf("signed out: %d %q", code, loc)
	}
	for _, tt := range []struct{ next, want string }{
		{page, page},
		{"https://evil.example/x", "/campaigns"},
		{"//evil.example", "/campaigns"},
	} {
		jar, _ := cookiejar.New(nil)
		cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := cl.PostForm(ts.URL+"/login", url.Values{"email": {"campo@test.local"}, "password": {testPassword}, "next": {tt.next}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != tt.want {
			t.Errorf("login with next %q: %d %q, want %q", tt.next, resp.StatusCode, got, tt.want)
		}
	}
}

func TestAdminFieldUsers(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.client(t, "admin")
	tests := []struct {
		name      string
		form      url.Values
		want      int
		wantError string // id of the input with an error
	}{
		{"field without places", url.Values{"email": {"a@test.local"}, "role": {"field"}}, http.StatusUnprocessableEntity, "states-error"},
		{"unknown state", url.Values{"email": {"b@test.local"}, "role": {"field"}, "states": {"MX-XXX"}}, http.StatusUnprocessableEntity, "states-error"},
		{"bad city code", url.Values{"email": {"c@test.local"}, "role": {"field"}, "cities": {"GDL, M T Y!"}}, http.StatusUnprocessableEntity, "cities-error"},
		{"viewer with places", url.Values{"email": {"d@test.local"}, "role": {"viewer"}, "states": {"MX-JAL"}}, http.StatusUnprocessableEntity, "states-error"},
		{"field with a state and cities", url.Values{"email": {"e@test.local"}, "role": {"field"}, "states": {"MX-JAL"}, "cities": {"MTY, TIJ"}}, http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := ts.post(t, admin, "/admin/users", tt.form)
			if code != tt.want || (tt.wantError != "" && !strings.Contains(body, `id="`+tt.wantError+`"`)) {
				t.Errorf("%d, want %d with %q", code, tt.want, tt.wantError)
			}
		})
	}
	u, err := ts.db.GetUserByEmail(context.Background(), "e@test.local")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ts.db.UserPlaces(context.Background(), u.ID)
	if err != nil || p == nil || strings.Join(p.States, ",") != "MX-JAL" || strings.Join(p.Cities, ",") != "MTY,TIJ" {
		t.Fatalf("stored places %+v %v", p, err)
	}
	// The places form changes them; the admin API lists them.
	code, _, _ := ts.post(t, admin, fmt.Sprintf("/admin/users/%d/places", u.ID), url.Values{"states": {"MX-NLE", "MX-BCN"}})
	if code != http.StatusSeeOther {
		t.Errorf("places form: %d", code)
	}
	code, body := sendJSON(t, ts, admin, "GET", "/api/v1/admin/users", nil)
	if code != http.StatusOK || !strings.Contains(body, `"places":{"states":["MX-BCN","MX-NLE"],"cities":[]}`) {
		t.Errorf("admin API: %d %.500s", code, body)
	}
	page, err := ts.db.ListAudit(context.Background(), store.AuditFilter{Entity: "user", Limit: 1})
	if err != nil || len(page.Items) == 0 || !strings.Contains(page.Items[0].After, "MX-BCN,MX-NLE") {
		t.Errorf("the places change is not audited: %+v %v", page.Items, err)
	}
}

// mustCity returns the state of city code in the test campaign.
func mustCity(t *testing.T, ts *testServer, code string) (string, bool) {
	t.Helper()
	camp, err := ts.db.GetCampaign(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	k, ok := camp.City(code)
	return k.State, ok
}

// TestFirstScanKeepsTheReceiptAcrossPasswordChange: a new field account
// must change its one-time password at its first sign-in. Signing in from
// a scanned label used to end on the account page with the label's
// receipt forgotten: the receiver had to scan it again. The receipt now
// follows through the password change; a foreign next is still dropped.
func TestFirstScanKeepsTheReceiptAcrossPasswordChange(t *testing.T) {
	sc := newFieldScene(t)
	ts := sc.ts
	page := fmt.Sprintf("/campaigns/%d/shipments/%d/receive?box=3", ts.CampaignID, sc.own.ID)
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.db.CreateUser(context.Background(), store.NewUser{Email: "nuevo@test.local", Role: string(account.Field),
		PasswordHash: string(hash), MustChangePassword: true, Places: account.Places{States: []string{sc.state}}}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ next, account, after string }{
		{page, "/account?next=" + url.QueryEscape(page), page},
		{"//evil.example", "/account", "/account"},
	} {
		cl := ts.client(t, "")
		code, _, loc := ts.post(t, cl, "/login", url.Values{"email": {"nuevo@test.local"}, "password": {testPassword}, "next": {tt.next}})
		if code != http.StatusSeeOther || loc != tt.account {
			t.Fatalf("first sign-in with next %q: %d to %q, want %q", tt.next, code, loc, tt.account)
		}
		code, body := ts.get(t, cl, loc)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d", loc, code)
		}
		form := url.Values{"current_password": {testPassword}, "new_password": {"otra clave larga 2009"}, "confirm_password": {"otra clave larga 2009"}}
		if m := regexp.MustCompile(`name="next" value="([^"]*)"`).FindStringSubmatch(body); m != nil {
			form.Set("next", html.UnescapeString(m[1]))
		}
		code, _, loc = ts.post(t, cl, "/account/password", form)
		if code != http.StatusSeeOther || loc != tt.after {
			t.Errorf("password changed (next %q): %d to %q, want %q", tt.next, code, loc, tt.after)
		}
		// The next round signs in with the one-time password again.
		u, err := ts.db.GetUserByEmail(context.Background(), "nuevo@test.local")
		if err != nil {
			t.Fatal(err)
		}
		h := string(hash)
		if _, err := ts.db.UpdateUser(context.Background(), u.ID, store.UserChange{PasswordHash: &h, MustChangePassword: true}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestHiddenShipmentReadsAsMissing: another state's shipment is not found
// "exactly as a missing one, so that ids tell nothing" (ShipmentHidden).
// It was a 404 with its own message ("el envío 73 no existe",
// request.shipment_not_found) where a missing id said "no se encontró el
// envío 999" (store.not_found), and a shipment of another campaign said
// it belonged to another campaign before the places were checked: a field
// account could tell which ids exist in other states.
func TestHiddenShipmentReadsAsMissing(t *testing.T) {
	sc := newFieldScene(t)
	ts, cl := sc.ts, sc.cl
	const missing = 999999
	other, err := importDemo(ts.db) // a second campaign: ids of another campaign
	if err != nil {
		t.Fatal(err)
	}
	// What the user reads of an answer: the page's main part (or the
	// JSON), the request id and the shipment's id left out.
	say := func(body string, id int64) string {
		body = regexp.MustCompile(`[0-9a-f]{16}`).ReplaceAllString(extractMain(body), "REQ")
		return regexp.MustCompile(`\b`+strconv.FormatInt(id, 10)+`\b`).ReplaceAllString(body, "ID")
	}
	page := func(cid, id int64) string { return fmt.Sprintf("/campaigns/%d/shipments/%d", cid, id) }
	_, want := ts.get(t, cl, page(ts.CampaignID, missing))
	for _, tt := range []struct {
		name string
		path string
		id   int64
	}{
		{"another state's shipment", page(ts.CampaignID, sc.other.ID), sc.other.ID},
		{"its receipt", page(ts.CampaignID, sc.other.ID) + "/receive?box=1", sc.other.ID},
		{"under another campaign", page(other, sc.other.ID), sc.other.ID},
	} {
		code, body := ts.get(t, cl, tt.path)
		wantBody := want
		if strings.Contains(tt.path, "/receive") {
			_, wantBody = ts.get(t, cl, page(ts.CampaignID, missing)+"/receive?box=1")
		}
		if strings.HasPrefix(tt.path, fmt.Sprintf("/campaigns/%d/", other)) {
			_, wantBody = ts.get(t, cl, page(other, missing))
		}
		if code != http.StatusNotFound || say(body, tt.id) != say(wantBody, missing) {
			t.Errorf("%s: %d, and the page differs from a missing shipment's:\n%.600s\nwant:\n%.600s", tt.name, code,
				say(body, tt.id), say(wantBody, missing))
		}
	}
	_, apiMissing := sendJSON(t, ts, cl, "GET", fmt.Sprintf("/api/v1/shipments/%d", missing), nil)
	_, apiOther := sendJSON(t, ts, cl, "GET", fmt.Sprintf("/api/v1/shipments/%d", sc.other.ID), nil)
	if say(apiOther, sc.other.ID) != say(apiMissing, missing) {
		t.Errorf("API: another state's shipment says %s, a missing one %s", apiOther, apiMissing)
	}
}

func extractMain(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if i := strings.Index(body, "</main>"); i >= 0 {
		body = body[:i]
	}
	return body
}
