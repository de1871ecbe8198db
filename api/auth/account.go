package auth

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// routesAccount registers the signed-in user's own pages: password and
// API tokens, and /api/v1/me for clients to check their token.
func (s *Auth) routesAccount(pages, apiv1 *gin.RouterGroup) {
	anyone := s.Web.RequireAny(web.RoleField, web.RoleViewer)
	pages.GET("/account", anyone, s.account)
	pages.POST("/account/password", anyone, s.changePassword)
	pages.POST("/account/tokens", anyone, s.createToken)
	pages.POST("/account/tokens/:token/revoke", anyone, s.revokeToken)
	apiv1.GET("/me", anyone, s.me)
}

// accountData is what account.html shows.
type accountData struct {
	User      store.User
	Tokens    []store.Token
	NewSecret string // a token just created, shown this once
	Error     string
	Fields    map[string]string
	Next      string // where a password change goes on to (a local path), "" for here
}

func (s *Auth) account(c *gin.Context) {
	s.renderAccount(c, http.StatusOK, accountData{Next: localPath(c.Query("next"))})
}

// renderAccount fills d with the user and their tokens and renders it.
func (s *Auth) renderAccount(c *gin.Context, status int, d accountData) {
	ctx := c.Request.Context()
	var err error
	if d.User, err = s.DB.GetUser(ctx, web.CurrentUser(c).ID); err != nil {
		s.Web.PageError(c, err)
		return
	}
	if d.Tokens, err = s.DB.ListTokens(ctx, d.User.ID); err != nil {
		s.Web.PageError(c, err)
		return
	}
	if d.Fields == nil {
		d.Fields = map[string]string{}
	}
	s.Web.Render(c, status, "account", d)
}

// changePassword needs the current password (a borrowed session is not
// enough) and counts wrong ones against the login throttle. A new password
// ends the user's other sessions (this one continues with a new token)
// and, when the form's box revoke_tokens is ticked (the default), revokes
// the user's API tokens.
//
// An API token cannot change its owner's password: there is no session
// to continue, and a leaked token must not be able to take the account.
func (s *Auth) changePassword(c *gin.Context) {
	if !usesSession(c.Request) {
		s.Web.FailRequest(c, planner.Errorm(planner.EForbidden, planner.MsgPasswordByToken,
			"a password can be changed only when signed in with the form, not with an API token"))
		return
	}
	ctx := c.Request.Context()
	me := web.CurrentUser(c)
	u, err := s.DB.GetUser(ctx, me.ID)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	ip, now := web.ClientIP(c), s.Now()
	wait, attempt := s.limits.reserve(u.Email, ip, now)
	if wait > 0 {
		s.renderAccount(c, http.StatusTooManyRequests, accountData{Error: s.Web.Tr(c, "auth.too_many", "Minutes", waitMinutes(wait))})
		return
	}
	fields := map[string]string{}
	if s.checkPassword(u, c.PostForm("current_password")) {
		attempt.release()
	} else { // the reserved attempt stays counted
		fields["current_password"] = s.Web.Tr(c, "account.password_wrong")
	}
	newPassword := c.PostForm("new_password")
	if newPassword != c.PostForm("confirm_password") {
		fields["confirm_password"] = s.Web.Tr(c, "account.password_mismatch")
	}
	if len(fields) == 0 && u.CheckPassword(newPassword) { // e.g. keeping the one-time password
		fields["new_password"] = s.Web.Tr(c, "account.password_reused")
	}
	var hash string
	if len(fields) == 0 {
		if hash, err = store.HashPassword("new_password", newPassword, s.cost); err != nil {
			if planner.ErrorCode(err) != planner.EInvalid {
				s.Web.PageError(c, err)
				return
			}
			fields["new_password"] = s.passwordRuleMessage(c, err)
		}
	}
	if len(fields) > 0 {
		s.renderAccount(c, http.StatusUnprocessableEntity, accountData{Error: s.Web.Tr(c, "common.fix_errors"), Fields: fields, Next: localPath(c.PostForm("next"))})
		return
	}
	tokens := c.PostForm("revoke_tokens") == "1" // the form's box, ticked by default
	if u, err = s.DB.UpdateUser(ctx, u.ID, store.UserChange{PasswordHash: &hash, RevokeTokens: tokens}); err != nil {
		s.Web.PageError(c, err)
		return
	}
	if err := s.signIn(c, u); err != nil { // stamped with the new password
		s.Web.PageError(c, err)
		return
	}
	flash := "account.password_changed"
	if tokens {
		flash = "account.password_changed_tokens"
	}
	s.Flash(c, s.Web.Tr(c, flash))
	if next := localPath(c.PostForm("next")); next != "" {
		c.Redirect(http.StatusSeeOther, next)
		return
	}
	c.Redirect(http.StatusSeeOther, "/account")
}

func (s *Auth) createToken(c *gin.Context) {
	me := web.CurrentUser(c)
	_, secret, err := s.DB.CreateToken(c.Request.Context(), me.ID, c.PostForm("name"))
	if planner.ErrorCode(err) == planner.EInvalid {
		s.renderAccount(c, http.StatusUnprocessableEntity, accountData{Error: s.Web.Tr(c, "common.fix_errors"),
			Fields: map[string]string{"name": s.Web.Tr(c, "account.token_name_required")}})
		return
	}
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	// Rendered, not redirected: the secret must not be kept anywhere, not
	// even in the session, to survive a redirect.
	c.Header("Cache-Control", "no-store")
	s.renderAccount(c, http.StatusOK, accountData{NewSecret: secret})
}

func (s *Auth) revokeToken(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("token"), 10, 64)
	if err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgPathID, "%s in the URL must be a positive integer", "token"))
		return
	}
	if err := s.DB.RevokeToken(c.Request.Context(), web.CurrentUser(c).ID, id); err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.Flash(c, s.Web.Tr(c, "account.token_revoked_flash"))
	c.Redirect(http.StatusSeeOther, "/account")
}

// me answers who the caller is: a quick check of an API token.
func (s *Auth) me(c *gin.Context) {
	u := web.CurrentUser(c)
	c.JSON(http.StatusOK, gin.H{"id": u.ID, "email": u.Email, "role": u.Role})
}
