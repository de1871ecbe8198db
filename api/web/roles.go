package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/account"
)

// Roles as the web layer names them (RequireRole(RolePlanner), templates);
// their list and order are account's.
const (
	RoleViewer  = string(account.Viewer)
	RolePlanner = string(account.Planner)
	RoleAdmin   = string(account.Admin)
	RoleField   = string(account.Field)
)

// ValidRole reports whether r is one of the roles.
func ValidRole(r string) bool { return account.Role(r).Valid() }

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
// small a role gets 403. A field account is at least field only, so
// RequireRole(RoleViewer) refuses it.
func (k *Kit) RequireRole(min string) gin.HandlerFunc { return k.RequireAny(min) }

// RequireAny lets the request through when the signed-in user has at least
// one of the roles: RequireAny(RoleField, RoleViewer) is every signed-in
// role, RequireAny(RoleField, RolePlanner) field, planner and admin. The
// routes a field account may use say so this way, and then limit what
// they show to its places (resolve.Resolver.Places).
func (k *Kit) RequireAny(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := CurrentUser(c)
		if u == nil {
			if WantsJSON(c) {
				k.APIError(c, planner.Errorm(planner.EUnauthorized, planner.MsgSignIn, "sign in or send an API token (Authorization: Bearer TOKEN)"))
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
		allowed := false
		for _, r := range roles {
			allowed = allowed || account.Role(u.Role).AtLeast(account.Role(r))
		}
		if !allowed {
			err := &planner.Error{Code: planner.EForbidden, ID: planner.MsgRoleRefused,
				Args:    map[string]any{"A": u.Role, "B": roles},
				Message: fmt.Sprintf("your role (%s) may not do this; it needs %s", u.Role, strings.Join(roles, " or "))}
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
