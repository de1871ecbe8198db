package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
	"github.com/reparto/reparto/store"
	"golang.org/x/crypto/bcrypt"
)

// eventFuzzServer is the real handler over SQLite with the 2009 demo and
// its plan committed (so shipments exist), and a planner's API token.
// A fuzz process builds it once; every input reuses it.
type eventFuzzServer struct {
	h         http.Handler
	token     string
	shipments []int64
}

func newEventFuzzServer(tb testing.TB) *eventFuzzServer {
	tb.Helper()
	ctx := store.WithActor(context.Background(), store.Actor{Email: "fuzz"})
	db, err := store.Open(ctx, filepath.Join(tb.TempDir(), "fuzz.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	f, err := assets.FS.Open("data/campaign-2009.json")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	camp, err := planio.ParseCampaign(f)
	if err != nil {
		tb.Fatal(err)
	}
	id, err := db.CreateCampaign(ctx, camp)
	if err != nil {
		tb.Fatal(err)
	}
	plan, err := planner.Compute(camp)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.CommitPlan(ctx, id, 0, "fuzz", "v1", plan); err != nil {
		tb.Fatal(err)
	}
	list, err := db.ListShipments(ctx, id, store.ShipmentFilter{})
	if err != nil || len(list) < 2 {
		tb.Fatalf("shipments: %v (%d)", err, len(list))
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte("fuzz password"), bcrypt.MinCost)
	u, err := db.CreateUser(ctx, store.NewUser{Email: "fuzz@test.local", Role: web.RolePlanner, PasswordHash: string(hash)})
	if err != nil {
		tb.Fatal(err)
	}
	_, token, err := db.CreateToken(ctx, u.ID, "fuzz")
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Date(2009, 3, 20, 9, 30, 0, 0, time.UTC)
	s, err := New(DefaultConfig(), db, slog.New(slog.NewTextHandler(io.Discard, nil)), func() time.Time { return now })
	if err != nil {
		tb.Fatal(err)
	}
	fs := &eventFuzzServer{h: s.Handler(), token: token}
	for _, sh := range list {
		fs.shipments = append(fs.shipments, sh.ID)
	}
	return fs
}

// post sends body as a new event of the shipment picked by which.
func (fs *eventFuzzServer) post(body []byte, which int) *httptest.ResponseRecorder {
	id := fs.shipments[which%len(fs.shipments)]
	r := httptest.NewRequest(http.MethodPost, "/api/v1/shipments/"+strconv.FormatInt(id, 10)+"/events", bytes.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+fs.token)
	r.Header.Set("Content-Type", "application/json")
	r.RemoteAddr = "192.0.2.80:1"
	w := httptest.NewRecorder()
	fs.h.ServeHTTP(w, r)
	return w
}

// checkEventAnswer: whatever the body, the API answers below 500, in
// JSON, and a refusal has the error shape with a code and a message.
func checkEventAnswer(t *testing.T, body []byte, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("body %q: status %d: %s", body, w.Code, w.Body.String())
	}
	if !json.Valid(w.Body.Bytes()) {
		t.Fatalf("body %q: status %d with a response that is not JSON: %q", body, w.Code, w.Body.String())
	}
	if w.Code < 300 {
		return
	}
	var e web.ErrorBody
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("body %q: status %d without the error shape: %s", body, w.Code, w.Body.String())
	}
}

// FuzzEventBody posts arbitrary bytes as a tracking event through the
// whole handler (authentication, decoding, validation, the store).
// Seeds, in testdata/fuzz/FuzzEventBody and below: a valid dispatch, a
// delivery with rejected pieces, a correction, and malformed bodies.
func FuzzEventBody(f *testing.F) {
	fs := newEventFuzzServer(f)
	for _, s := range []string{
		`{"kind":"dispatched","date":"2009-03-16","carrier":"Estafeta","waybill":"EST-1","boxes":3}`,
		`{"kind":"in_transit","date":"2009-03-17","checkpoint":"Querétaro"}`,
		`{"kind":"delayed","date":"2009-03-18","reason":"road closed"}`,
		`{"kind":"delivered","date":"2009-03-19","delivered_by":"a","received_by":"b","lines":[{"material":"X","accepted":-1,"rejected":1e30}]}`,
		`{"kind":"correction","date":"2009-03-20","corrects":1,"replacement":{"kind":"dispatched","date":"2009-03-16","boxes":1}}`,
		`{"kind":"dispatched","date":"2009-02-30"}`,
		`{"kind":"dispatched","boxes":9223372036854775807}`,
		// issue 12.3: quantities at and beyond the int64 range, and sums that wrap around
		`{"kind":"dispatched","date":"2009-03-16","carrier":"E","boxes":7,"loaded":[{"material":"VOL-VICTIMAS","pieces":9223372036854775807}]}`,
		`{"kind":"delivered","date":"2009-03-19","delivered_by":"a","received_by":"b","discrepancy":true,` +
			`"lines":[{"material":"VOL-VICTIMAS","accepted":9223372036854775807,"rejected":0}]}`,
		`{"kind":"delivered","date":"2009-03-19","delivered_by":"a","received_by":"b",` +
			`"lines":[{"material":"VOL-VICTIMAS","accepted":100,"rejected":9223372036854775708,"reason":"lost"}]}`,
		`{"kind":"distributed","date":"2009-03-20","distribution":[{"material":"VOL-VICTIMAS","category":"ONG","pieces":100},` +
			`{"material":"VOL-VICTIMAS","category":"ONG","pieces":9223372036854775807}]}`,
		`{"kind":"distributed","date":"2009-03-20","distribution":[{"material":"VOL-VICTIMAS","category":"ONG","pieces":-9223372036854775808}]}`,
		`{"kind":"correction","date":"2009-03-20","reason":"x","corrects":1,"replacement":{"kind":"delivered","date":"2009-03-19",` +
			`"delivered_by":"a","received_by":"b","discrepancy":true,"lines":[{"material":"VOL-VICTIMAS","accepted":9223372036854775807}]}}`,
		`{"kind":"distributed","distribution":[{"pieces":9223372036854775808}]}`,
		// issue 11.4: a line naming a venue, without its category
		`{"kind":"distributed","date":"2009-03-20","distribution":[{"material":"VOL-VICTIMAS","venue_id":"v-0019","pieces":1}]}`,
		`{"kind":"dispatched"}{"kind":"dispatched"}`,
		`[]`, `null`, `"x"`, ``, "\xff\xfe", `{"kind":`, `{"kind":"dispatched","colour":"red"}`,
	} {
		f.Add([]byte(s), 0)
	}
	f.Fuzz(func(t *testing.T, body []byte, which int) {
		if which < 0 {
			which = -(which + 1)
		}
		checkEventAnswer(t, body, fs.post(body, which))
	})
}

// TestEventFuzzSeedsReachTheStore: the valid seeds are accepted, so the
// fuzzer starts from inputs that go all the way to the store.
func TestEventFuzzSeedsReachTheStore(t *testing.T) {
	fs := newEventFuzzServer(t)
	for _, body := range []string{
		`{"kind":"dispatched","date":"2009-03-16","carrier":"Estafeta","waybill":"EST-0001","boxes":130}`,
		`{"kind":"delivered","date":"2009-03-19","delivered_by":"Operador","received_by":"PGR","discrepancy":true,` +
			`"lines":[{"material":"VOL-VICTIMAS","accepted":13650,"rejected":150,"reason":"damaged"}]}`,
	} {
		w := fs.post([]byte(body), 0)
		checkEventAnswer(t, []byte(body), w)
		if w.Code != http.StatusCreated {
			t.Fatalf("seed %s: %d %s, want 201", body, w.Code, w.Body.String())
		}
	}
}
