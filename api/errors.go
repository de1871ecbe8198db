package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// statusOf maps a domain error to its HTTP status. It is the only place
// where error codes become statuses.
func statusOf(err error) int {
	var br *badRequestError
	if errors.As(err, &br) {
		return http.StatusBadRequest
	}
	switch planner.ErrorCode(err) {
	case planner.ENotFound:
		return http.StatusNotFound
	case planner.EInvalid:
		return http.StatusUnprocessableEntity
	case planner.EConflict:
		return http.StatusConflict
	case planner.EForbidden:
		return http.StatusForbidden
	case planner.EUnauthorized:
		return http.StatusUnauthorized
	case planner.EUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// errorBody is the JSON error shape of /api/v1.
type errorBody struct {
	Error errorDetail `json:"error"`
}

// Message and the messages of Fields are in English unless the request's
// Accept-Language asks for Spanish or English (pages: the reader's
// language); MessageID and FieldMessageIDs name them for clients that
// translate themselves (planner/messages.go). The keys of Fields stay
// machine-readable paths.
type errorDetail struct {
	Code            string            `json:"code"`
	Message         string            `json:"message"`
	MessageID       string            `json:"message_id,omitempty"`
	Fields          map[string]string `json:"fields,omitempty"`
	FieldMessageIDs map[string]string `json:"field_message_ids,omitempty"`
	RequestID       string            `json:"request_id,omitempty"`
}

// publicError builds what a client may see: the message of a coded error,
// or "internal error" plus the request id for anything else; the detail
// goes to the log only.
func (s *Server) publicError(c *gin.Context, err error) (int, errorDetail) {
	status := statusOf(err)
	code := planner.ErrorCode(err)
	d := errorDetail{Code: string(code), Message: planner.ErrorMessage(err), RequestID: requestID(c)}
	if code == planner.EUnavailable {
		d.Message = "the database is not reachable; try again in a moment"
		if errors.Is(err, context.DeadlineExceeded) {
			d.Message = "the request took too long; try again in a moment"
		}
	}
	if store.IsCampaignClosed(err) && !wantsJSON(c) {
		d.Message = s.tr(c, "campaigns.closed_refused")
	}
	d.MessageID = messageIDOf(err)
	p := s.messagePage(c)
	if p != nil && code != planner.EUnavailable && !(store.IsCampaignClosed(err) && !wantsJSON(c)) {
		d.Message = p.errorMessage(err)
	}
	if fe := planner.ErrorFields(err); len(fe) > 0 {
		d.Fields = make(map[string]string, len(fe))
		for _, f := range fe {
			d.Fields[f.Path] = f.Message
			if p != nil {
				d.Fields[f.Path] = p.fieldMessage(f)
			}
			if f.ID != "" {
				if d.FieldMessageIDs == nil {
					d.FieldMessageIDs = map[string]string{}
				}
				d.FieldMessageIDs[f.Path] = f.ID
			}
		}
	}
	if status >= 500 {
		s.log.ErrorContext(c.Request.Context(), "request failed", "request_id", d.RequestID,
			"method", c.Request.Method, "path", c.FullPath(), "err", err)
	} else {
		s.log.DebugContext(c.Request.Context(), "request rejected", "status", status, "err", err)
	}
	return status, d
}

// apiError writes a JSON error and aborts the request.
func (s *Server) apiError(c *gin.Context, err error) {
	status, d := s.publicError(c, err)
	c.AbortWithStatusJSON(status, errorBody{Error: d})
}

// pageError renders the HTML error page and aborts the request.
func (s *Server) pageError(c *gin.Context, err error) {
	status, d := s.publicError(c, err)
	c.Abort()
	s.render(c, status, "error", gin.H{"Status": status, "Error": d})
}

// badRequestError is a malformed request (not JSON, a bad id in the URL):
// 400, where a well-formed request with invalid values is 422.
type badRequestError struct{ err *planner.Error }

func (e *badRequestError) Error() string { return e.err.Error() }
func (e *badRequestError) Unwrap() error { return e.err }

// errBadRequest builds a 400 error with a user-facing message.
func errBadRequest(format string, args ...any) error {
	return &badRequestError{err: planner.Errorf(planner.EInvalid, format, args...)}
}

func logAttrs(c *gin.Context) []any {
	return []any{slog.String("request_id", requestID(c)), slog.String("path", c.Request.URL.Path)}
}
