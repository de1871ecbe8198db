package auth

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/account"
	"github.com/reparto/reparto/store"
)

// routesAdmin registers user management and the audit log, admins only.
// The audit log has read routes only: nothing in the application edits
// or deletes it.
func (s *Auth) routesAdmin(pages, apiv1 *gin.RouterGroup) {
	admin := pages.Group("/admin", s.Web.RequireRole(web.RoleAdmin))
	admin.GET("", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/admin/users") })
	admin.GET("/users", s.adminUsers)
	admin.POST("/users", s.adminCreateUser)
	admin.POST("/users/:user/role", s.adminUserAction)
	admin.POST("/users/:user/places", s.adminUserPlaces)
	admin.POST("/users/:user/disable", s.adminUserAction)
	admin.POST("/users/:user/enable", s.adminUserAction)
	admin.POST("/users/:user/revoke-sessions", s.adminUserAction)
	admin.GET("/audit", s.adminAudit)

	adminAPI := apiv1.Group("/admin", s.Web.RequireRole(web.RoleAdmin))
	adminAPI.GET("/users", s.apiUsers)
	adminAPI.GET("/audit", s.apiAudit)
}

// adminUsersData is what admin_users.html shows.
type adminUsersData struct {
	Users   []store.User
	Roles   []string
	States  []StateChoice
	Email   string // the create form, kept after an error
	Role    string
	Places  account.Places // the create form's, for a field account
	Cities  string         // as typed
	Fields  map[string]string
	Error   string
	Created *createdUser // an account just created, with its password shown once
}

type createdUser struct{ Email, Password string }

// HasState reports whether the create form's places hold state code.
func (d adminUsersData) HasState(code string) bool { return slices.Contains(d.Places.States, code) }

func (s *Auth) adminUsers(c *gin.Context) {
	s.renderUsers(c, http.StatusOK, adminUsersData{Role: web.RoleViewer})
}

func (s *Auth) renderUsers(c *gin.Context, status int, d adminUsersData) {
	var err error
	if d.Users, err = s.DB.ListUsers(c.Request.Context()); err != nil {
		s.Web.PageError(c, err)
		return
	}
	d.Roles = account.RoleNames()
	d.States = s.States
	if d.Fields == nil {
		d.Fields = map[string]string{}
	}
	s.Web.Render(c, status, "admin_users", d)
}

// adminCreateUser creates an account. Without a password one is generated;
// either way it is shown once and must be changed at first sign-in.
func (s *Auth) adminCreateUser(c *gin.Context) {
	d := adminUsersData{Email: c.PostForm("email"), Role: c.PostForm("role"), Fields: map[string]string{}}
	password := c.PostForm("password")
	var err error
	if password == "" {
		if password, err = store.GeneratePassword(); err != nil {
			s.Web.PageError(c, err)
			return
		}
	}
	if account.ValidateEmail("email", d.Email) != nil {
		d.Fields["email"] = s.Web.Tr(c, "admin.invalid_email")
	}
	if account.ValidateRole("role", d.Role) != nil {
		d.Fields["role"] = s.Web.Tr(c, "admin.invalid_role")
	} else {
		d.Places, d.Cities = s.postedPlaces(c)
		s.placeErrors(c, account.Role(d.Role), d.Places, d.Fields)
	}
	hash, err := store.HashPassword("password", password, s.cost)
	if err != nil {
		d.Fields["password"] = s.Web.Tr(c, "account.password_short", "Min", account.MinPasswordLength)
	}
	if len(d.Fields) == 0 {
		u, err := s.DB.CreateUser(c.Request.Context(), store.NewUser{Email: d.Email, Role: d.Role,
			PasswordHash: hash, MustChangePassword: true, Places: d.Places})
		switch {
		case err == nil:
			c.Header("Cache-Control", "no-store")
			s.renderUsers(c, http.StatusOK, adminUsersData{Role: web.RoleViewer, Created: &createdUser{u.Email, password}})
			return
		case planner.ErrorCode(err) == planner.EConflict:
			d.Fields["email"] = s.Web.Tr(c, "admin.email_taken")
		default:
			s.Web.PageError(c, err)
			return
		}
	}
	d.Error = s.Web.Tr(c, "common.fix_errors")
	s.renderUsers(c, http.StatusUnprocessableEntity, d)
}

// adminUserAction changes one account: role, disable, enable or revoke
// its sessions (the last path element says which). Disabling revokes the
// account's API tokens too; ending its sessions does when the form's box
// revoke_tokens is ticked.
func (s *Auth) adminUserAction(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := strconv.ParseInt(c.Param("user"), 10, 64)
	if err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgPathID, "%s in the URL must be a positive integer", "user"))
		return
	}
	var flash string
	switch action := c.FullPath()[len("/admin/users/:user/"):]; action {
	case "role":
		role := c.PostForm("role")
		_, err = s.DB.UpdateUser(ctx, id, store.UserChange{Role: &role})
		flash = "admin.role_changed"
	case "disable", "enable":
		disabled := action == "disable"
		_, err = s.DB.UpdateUser(ctx, id, store.UserChange{Disabled: &disabled})
		flash = "admin.flash_" + action
	case "revoke-sessions":
		tokens := c.PostForm("revoke_tokens") == "1" // the form's box, ticked by default
		_, err = s.DB.RevokeSessions(ctx, id, tokens)
		flash = "admin.sessions_revoked"
		if tokens {
			flash = "admin.sessions_tokens_revoked"
		}
	}
	switch planner.ErrorCode(err) {
	case planner.EConflict: // the only conflict: the last enabled admin
		s.renderUsers(c, http.StatusConflict, adminUsersData{Role: web.RoleViewer, Error: s.Web.Tr(c, "admin.last_admin")})
		return
	case planner.EInvalid:
		msg := "admin.invalid_role"
		if fe := planner.ErrorFields(err); len(fe) > 0 && fe[0].ID == planner.MsgPlacesRequired {
			msg = "admin.places_required" // becoming field needs places: set them with the role (places form)
		}
		s.renderUsers(c, http.StatusUnprocessableEntity, adminUsersData{Role: web.RoleViewer, Error: s.Web.Tr(c, msg)})
		return
	}
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.Flash(c, s.Web.Tr(c, flash))
	c.Redirect(http.StatusSeeOther, "/admin/users")
}

// postedPlaces reads the places of the user form: states (a multiple
// select of state codes) and cities (codes separated by commas or spaces).
func (s *Auth) postedPlaces(c *gin.Context) (account.Places, string) {
	typed := c.PostForm("cities")
	cities := strings.FieldsFunc(typed, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })
	return account.Places{States: c.PostFormArray("states"), Cities: cities}, typed
}

// placeErrors puts the messages of places that role r may not have into
// fields: unknown states, malformed city codes, none for a field account,
// some for another role.
func (s *Auth) placeErrors(c *gin.Context, r account.Role, p account.Places, fields map[string]string) {
	for _, code := range p.Normalize().States {
		if !slices.ContainsFunc(s.States, func(st StateChoice) bool { return st.Code == code }) {
			fields["states"] = s.Web.Tr(c, "admin.bad_state")
		}
	}
	for _, fe := range planner.ErrorFields(account.ValidatePlaces(r, p)) {
		switch {
		case fe.ID == planner.MsgPlacesRequired:
			fields["states"] = s.Web.Tr(c, "admin.places_required")
		case fe.ID == planner.MsgPlacesRole:
			fields["states"] = s.Web.Tr(c, "admin.places_role")
		case strings.HasPrefix(fe.Path, "states"):
			fields["states"] = s.Web.Tr(c, "admin.bad_state")
		default:
			fields["cities"] = s.Web.Tr(c, "admin.bad_city")
		}
	}
}

// adminUserPlaces makes an account a field account with the posted
// places, or changes a field account's places (one audited write).
func (s *Auth) adminUserPlaces(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("user"), 10, 64)
	if err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgPathID, "%s in the URL must be a positive integer", "user"))
		return
	}
	p, _ := s.postedPlaces(c)
	fields := map[string]string{}
	s.placeErrors(c, account.Field, p, fields)
	if len(fields) > 0 {
		s.renderUsers(c, http.StatusUnprocessableEntity, adminUsersData{Role: web.RoleViewer,
			Error: s.Web.Tr(c, "common.fix_errors") + " " + strings.Join(slices.Sorted(maps.Values(fields)), " ")})
		return
	}
	role := web.RoleField
	_, err = s.DB.UpdateUser(c.Request.Context(), id, store.UserChange{Role: &role, Places: &p})
	if planner.ErrorCode(err) == planner.EConflict {
		s.renderUsers(c, http.StatusConflict, adminUsersData{Role: web.RoleViewer, Error: s.Web.Tr(c, "admin.last_admin")})
		return
	}
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.Flash(c, s.Web.Tr(c, "admin.places_changed"))
	c.Redirect(http.StatusSeeOther, "/admin/users")
}

// apiUsers lists accounts as JSON.
func (s *Auth) apiUsers(c *gin.Context) {
	users, err := s.DB.ListUsers(c.Request.Context())
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"users": users})
}

// auditPageSize is the number of audit rows per page.
const auditPageSize = 100

// auditData is what admin_audit.html shows.
type auditData struct {
	Actor, Action, Entity, From, To string // the filter form
	Rows                            []store.AuditRecord
	Total                           int64
	Page, Pages                     int
	PrevURL, NextURL                string
	Error                           string
}

// auditQuery reads the filter of the audit page or API: actor, action,
// entity, from and to (days YYYY-MM-DD in UTC, both inclusive), page
// (from 1).
func auditQuery(c *gin.Context) (auditData, store.AuditFilter, error) {
	d := auditData{Actor: c.Query("actor"), Action: c.Query("action"), Entity: c.Query("entity"),
		From: c.Query("from"), To: c.Query("to"), Page: 1}
	f := store.AuditFilter{Actor: d.Actor, Action: d.Action, Entity: d.Entity, Limit: auditPageSize}
	var fields []planner.FieldError
	if p := c.Query("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			fields = append(fields, planner.Fieldf("page", planner.MsgMin, "must be a whole number >= %d", 1))
		}
		d.Page = max(n, 1)
	}
	f.Offset = (d.Page - 1) * auditPageSize
	for _, day := range []struct {
		name, value string
		dst         *time.Time
		plus        int
	}{{"from", d.From, &f.From, 0}, {"to", d.To, &f.To, 1}} {
		if day.value == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, day.value)
		if err != nil {
			fields = append(fields, planner.Fieldf(day.name, planner.MsgDate, "must be a date YYYY-MM-DD"))
			continue
		}
		*day.dst = t.AddDate(0, 0, day.plus)
	}
	if len(fields) > 0 {
		return d, f, planner.Invalid(fields...)
	}
	return d, f, nil
}

// adminAudit browses the audit log, newest first, 100 rows a page.
func (s *Auth) adminAudit(c *gin.Context) {
	d, f, err := auditQuery(c)
	if err != nil {
		d.Error = planner.ErrorMessage(err)
		s.Web.Render(c, http.StatusUnprocessableEntity, "admin_audit", d)
		return
	}
	page, err := s.DB.ListAudit(c.Request.Context(), f)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	d.Rows, d.Total = page.Items, page.Total
	d.Pages = int((page.Total + auditPageSize - 1) / auditPageSize)
	q := url.Values{}
	for k, v := range map[string]string{"actor": d.Actor, "action": d.Action, "entity": d.Entity, "from": d.From, "to": d.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	pageURL := func(n int) string {
		q.Set("page", strconv.Itoa(n))
		return "/admin/audit?" + q.Encode()
	}
	if d.Page > 1 {
		d.PrevURL = pageURL(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.NextURL = pageURL(d.Page + 1)
	}
	s.Web.Render(c, http.StatusOK, "admin_audit", d)
}

// apiAudit is the audit log as JSON, with the same filters and pages.
func (s *Auth) apiAudit(c *gin.Context) {
	_, f, err := auditQuery(c)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	page, err := s.DB.ListAudit(c.Request.Context(), f)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"entries": page.Items, "total": page.Total})
}
