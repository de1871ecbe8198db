package web

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/planner"
)

// Roles, from least to most privileged.
const (
	RoleViewer  = "viewer"  // reads everything a campaign shows, except confidential names
	RolePlanner = "planner" // edits campaign data, previews and commits plans, records events
	RoleAdmin   = "admin"   // manages users and tokens, reads the audit log
)

var roleRank = map[string]int{RoleViewer: 1, RolePlanner: 2, RoleAdmin: 3}

// ValidRole reports whether r is one of the three roles.
func ValidRole(r string) bool { return roleRank[r] > 0 }

// CurrentUser is the user set by the authentication middleware, or nil.
func CurrentUser(c *gin.Context) *SessionUser {
	if v, ok := c.Get(CtxUser); ok {
		u, _ := v.(*SessionUser)
		return u
	}
	return nil
}

// RequireRole lets the request through when the signed-in user (by session
// or API token) has at least the given role. Anonymous page requests are
// sent to the login page; anonymous API requests get 401; a user with too
// small a role gets 403.
func (k *Kit) RequireRole(min string) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := CurrentUser(c)
		if u == nil {
			if WantsJSON(c) {
				k.APIError(c, planner.Errorf(planner.EUnauthorized, "sign in or send an API token (Authorization: Bearer TOKEN)"))
				return
			}
			if c.Request.Method == http.MethodGet {
				c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
			} else {
				c.Redirect(http.StatusSeeOther, "/login")
			}
			c.Abort()
			return
		}
		if roleRank[u.Role] < roleRank[min] {
			err := planner.Errorf(planner.EForbidden, "your role (%s) may not do this; it needs %s", u.Role, min)
			if WantsJSON(c) {
				k.APIError(c, err)
			} else {
				k.PageError(c, err)
			}
			return
		}
		c.Next()
	}
}
