package pages

import (
	"container/list"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// The dashboard is what a crowd refreshes, and executing its templates was
// most of its cost (issue 13: ~1.5 ms of CPU a request against 0.4 wanted).
// Its HTML is a function of the key below, so a rendered page is kept and
// sent again while the key holds. The key names everything the page shows:
// the campaign's tracking stamp (every committed write to its shipments,
// events, acknowledgements or the campaign changes it), the campaign and
// plan versions, the day, the language and path, the campaign bar and the
// user. The user is part of it whole (id, email, role), so a page is only
// ever served again to the very user it was rendered for: what depends on
// the role (planner-only actions) or names the user (the top bar) can
// never reach anyone else. A page carrying a flash message is not kept.

// maxDashboards bounds the kept pages (a few tens of KB each): the
// dashboards of the users active lately, on their current stamps.
const maxDashboards = 64

// dashboardKey is what one rendered dashboard depends on.
type dashboardKey struct {
	campaign    int64
	stamp       store.TrackingStamp
	version     int64 // the campaign's (its cities' names, deadline)
	planVersion int
	today       string // planner.Date holds a time.Time: compared as text; the bar shows the same day
	ref         campaignBar
	lang, path  string
	user        web.SessionUser
}

// campaignBar is web.CampaignRef without its day (dashboardKey.today).
type campaignBar struct {
	id                      int64
	name                    string
	closed, simulated, past bool
}

// dashboardCache is a small LRU of rendered dashboards.
type dashboardCache struct {
	mu    sync.Mutex
	order *list.List // of *dashboardPage, most recently used first
	m     map[dashboardKey]*list.Element
}

type dashboardPage struct {
	key  dashboardKey
	body []byte // never modified once kept
}

func newDashboardCache() *dashboardCache {
	return &dashboardCache{order: list.New(), m: map[dashboardKey]*list.Element{}}
}

// dashboardKeyOf returns the key of the page request c would get, and
// false when it must not be kept (no user or campaign bar, a flash).
func dashboardKeyOf(c *gin.Context, camp *planner.Campaign, today planner.Date, planVersion int, stamp store.TrackingStamp) (dashboardKey, bool) {
	u := web.CurrentUser(c)
	v, _ := c.Get(web.CtxCampaign)
	ref, _ := v.(*web.CampaignRef)
	if _, flash := c.Get(web.CtxFlash); u == nil || ref == nil || flash || ref.Today.String() != today.String() {
		return dashboardKey{}, false
	}
	return dashboardKey{campaign: camp.ID, stamp: stamp, version: camp.Version, planVersion: planVersion,
		today: today.String(), ref: campaignBar{ref.ID, ref.Name, ref.Closed, ref.Simulated, ref.Past},
		lang: web.LangOf(c), path: c.Request.URL.Path, user: *u}, true
}

// get returns the page kept for k.
func (d *dashboardCache) get(k dashboardKey) ([]byte, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	e, ok := d.m[k]
	if !ok {
		return nil, false
	}
	d.order.MoveToFront(e)
	return e.Value.(*dashboardPage).body, true
}

// put keeps body for k, dropping the least recently used page when full.
func (d *dashboardCache) put(k dashboardKey, body []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if e, ok := d.m[k]; ok {
		d.order.MoveToFront(e)
		return
	}
	d.m[k] = d.order.PushFront(&dashboardPage{key: k, body: body})
	if d.order.Len() > maxDashboards {
		last := d.order.Back()
		d.order.Remove(last)
		delete(d.m, last.Value.(*dashboardPage).key)
	}
}
