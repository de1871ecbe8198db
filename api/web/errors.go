package web

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// StatusOf maps a domain error to its HTTP status. It is the only place
// where error codes become statuses.
func StatusOf(err error) int {
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

// ErrorBody is the JSON error shape of /api/v1.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// Message and the messages of Fields are in English unless the request's
// Accept-Language asks for Spanish or English (pages: the reader's
// language); MessageID and FieldMessageIDs name them for clients that
// translate themselves (planner/messages.go). The keys of Fields stay
// machine-readable paths.
type ErrorDetail struct {
	Code            string            `json:"code"`
	Message         string            `json:"message"`
	MessageID       string            `json:"message_id,omitempty"`
	Fields          map[string]string `json:"fields,omitempty"`
	FieldMessageIDs map[string]string `json:"field_message_ids,omitempty"`
	RequestID       string            `json:"request_id,omitempty"`
}

// PublicError builds what a client may see: the message of a coded error,
// or "internal error" plus the request id for anything else; the detail
// goes to the log only.
func (k *Kit) PublicError(c *gin.Context, err error) (int, ErrorDetail) {
	status := StatusOf(err)
	code := planner.ErrorCode(err)
	d := ErrorDetail{Code: string(code), Message: planner.ErrorMessage(err), RequestID: RequestID(c)}
	var unavailable planner.MsgID
	if code == planner.EUnavailable {
		unavailable, d.Message = planner.MsgUnavailable, "the database is not reachable; try again in a moment"
		if errors.Is(err, context.DeadlineExceeded) {
			unavailable, d.Message = planner.MsgTooLong, "the request took too long; try again in a moment"
		}
	}
	if store.IsCampaignClosed(err) && !WantsJSON(c) {
		d.Message = k.Tr(c, "campaigns.closed_refused")
	}
	d.MessageID = cmp.Or(unavailable, MessageIDOf(err))
	p := k.MessagePage(c)
	switch {
	case p != nil && unavailable != "":
		d.Message = p.Message(unavailable, nil, d.Message)
	case p != nil && !(store.IsCampaignClosed(err) && !WantsJSON(c)):
		d.Message = p.ErrorMessage(err)
	}
	if fe := planner.ErrorFields(err); len(fe) > 0 {
		d.Fields = make(map[string]string, len(fe))
		for _, f := range fe {
			d.Fields[f.Path] = f.Message
			if p != nil {
				d.Fields[f.Path] = p.FieldMessage(f)
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
		k.Log.ErrorContext(c.Request.Context(), "request failed", "request_id", d.RequestID,
			"method", c.Request.Method, "path", c.FullPath(), "err", err)
	} else {
		k.Log.DebugContext(c.Request.Context(), "request rejected", "status", status, "err", err)
	}
	return status, d
}

// APIError writes a JSON error and aborts the request.
func (k *Kit) APIError(c *gin.Context, err error) {
	status, d := k.PublicError(c, err)
	c.AbortWithStatusJSON(status, ErrorBody{Error: d})
}

// PageError renders the HTML error page and aborts the request.
func (k *Kit) PageError(c *gin.Context, err error) {
	status, d := k.PublicError(c, err)
	c.Abort()
	k.Render(c, status, "error", gin.H{"Status": status, "Error": d})
}

// badRequestError is a malformed request (not JSON, a bad id in the URL):
// 400, where a well-formed request with invalid values is 422.
type badRequestError struct{ err *planner.Error }

func (e *badRequestError) Error() string { return e.err.Error() }
func (e *badRequestError) Unwrap() error { return e.err }

// BadRequestm builds a 400 error with a user-facing message and its id,
// so that pages and the API say it in the reader's language
// (planner/messages.go); there is no 400 without an id.
func BadRequestm(id planner.MsgID, format string, args ...any) error {
	return &badRequestError{err: planner.Errorm(planner.EInvalid, id, format, args...)}
}

// BadField is a malformed request (400) that names its field: a URL
// parameter, a header or a key of the body, by its path.
func BadField(path string, id planner.MsgID, format string, args ...any) error {
	return BadRequest(planner.Invalid(planner.Fieldf(path, id, format, args...)))
}

// LogAttrs are the request's id and path, for log lines about it.
func LogAttrs(c *gin.Context) []any {
	return []any{slog.String("request_id", RequestID(c)), slog.String("path", c.Request.URL.Path)}
}

// FailRequest answers an error as JSON or as a page, whichever the
// request expects.
func (k *Kit) FailRequest(c *gin.Context, err error) {
	if WantsJSON(c) {
		k.APIError(c, err)
		return
	}
	k.PageError(c, err)
}

// BadRequest makes e a 400 (malformed request) where its code alone
// would make it a 422.
func BadRequest(e *planner.Error) error { return &badRequestError{err: e} }
