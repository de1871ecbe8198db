// Package resolve turns a request's campaign id into what the surfaces
// show: the campaign (404 when missing, 409 on a write to a closed one),
// the day it is shown on (?today=), its computed plan and coverage gaps
// (cached per campaign version, one computation shared by concurrent
// requests) and its latest committed plan.
//
// It sits below the surfaces beside api/web; the top package api builds
// one Resolver and passes it to every surface that shows a campaign.
package resolve

import (
	"time"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
)

// Resolver holds what resolving a campaign needs. Build it with its
// exported fields set; the caches start empty.
type Resolver struct {
	DB    *store.DB
	Now   func() time.Time
	Geo   *Geo
	GapKm float64 // beyond it a place counts as uncovered
	Web   *web.Kit

	cache     planCache
	committed committedCache
	versions  versionCache // older committed versions, for the history page
	previews  previewCache // plans shown by fingerprint, to explain a stale commit
}
