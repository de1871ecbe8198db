package auth

import (
	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/account"
)

// passwordRuleMessage says in the reader's language why store.HashPassword
// refused a new password (store/password.go has the rules), by the
// message id of the refusal.
func (s *Auth) passwordRuleMessage(c *gin.Context, err error) string {
	var id planner.MsgID
	if fe := planner.ErrorFields(err); len(fe) > 0 {
		id = fe[0].ID
	}
	switch id {
	case planner.MsgPasswordCommon:
		return s.Web.Tr(c, "account.password_common")
	case planner.MsgPasswordSimple:
		return s.Web.Tr(c, "account.password_simple")
	}
	return s.Web.Tr(c, "account.password_short", "Min", account.MinPasswordLength)
}
