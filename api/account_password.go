package api

import (
	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// passwordRuleMessage says in the reader's language why store.HashPassword
// refused a new password (store/password.go has the rules).
func (s *Server) passwordRuleMessage(c *gin.Context, err error) string {
	msg := ""
	if fe := planner.ErrorFields(err); len(fe) > 0 {
		msg = fe[0].Message
	}
	switch msg {
	case "is one of the most common passwords":
		return s.tr(c, "account.password_common")
	case "uses too few different characters":
		return s.tr(c, "account.password_simple")
	}
	return s.tr(c, "account.password_short", "Min", store.MinPasswordLength)
}
