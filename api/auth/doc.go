// Package auth is who the caller is and what they manage: sessions (in
// the database), bearer tokens, sign-in with its throttle, sign-out and the
// language switch, the account page and /api/v1/me, and the admin pages
// and API (users, tokens, audit log).
//
// The top package api installs Auth's middleware (WithSessions,
// Authenticate) around every request and passes Flash to the surfaces
// that show a message after a redirect. A new account or admin page is a
// handler on Auth registered in routesAccount or routesAdmin. It imports
// api/web, never a sibling surface.
package auth

import "github.com/gin-gonic/gin"

// Routes registers sign-in, sign-out and the language switch on r
// (public), the account page and /me on fieldPg and fieldAPI (every
// signed-in role, field accounts included: they too change their
// password), and the admin pages and API on pg and apiv1 (admin role,
// added on their own groups).
func (s *Auth) Routes(r gin.IRoutes, pg, apiv1, fieldPg, fieldAPI *gin.RouterGroup) {
	s.routesLogin(r)
	s.routesAccount(fieldPg, fieldAPI)
	s.routesAdmin(pg, apiv1)
}
