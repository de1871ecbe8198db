package planner

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error so that the edges (HTTP status, CLI exit code)
// can react to it without parsing text. api/ maps each code to a status in
// one place.
type Code string

const (
	ENotFound     Code = "not_found"
	EInvalid      Code = "invalid"
	EConflict     Code = "conflict"
	EForbidden    Code = "forbidden"
	EUnauthorized Code = "unauthorized"
	EUnavailable  Code = "unavailable"
	EInternal     Code = "internal"
)

// FieldError names one invalid field by its path (a JSON path such as
// "materials[3].pack_size", or a form field name) and says what is wrong.
// ID and Args name the message for translation (see messages.go); an
// empty ID means the message exists in English only.
type FieldError struct {
	Path    string         `json:"path"`
	Message string         `json:"message"`
	ID      MsgID          `json:"message_id,omitempty"`
	Args    map[string]any `json:"args,omitempty"`
}

func (f FieldError) String() string { return f.Path + ": " + f.Message }

// Error is the one error type of Reparto's domain. Message is safe to show
// to users; Err keeps the underlying cause for logs only.
type Error struct {
	Code    Code
	Message string
	ID      MsgID          // the message's id, when it has one (messages.go)
	Args    map[string]any // the arguments of ID
	Fields  []FieldError
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	if e.Message == "" && len(e.Fields) > 0 {
		b.WriteString(e.Fields[0].String())
		if n := len(e.Fields) - 1; n > 0 {
			fmt.Fprintf(&b, " (and %d more)", n)
		}
	}
	if e.Err != nil {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a user-facing message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid builds an EInvalid error from field errors; the message is the
// first field error so that one-line consumers (the CLI) say something useful.
func Invalid(fields ...FieldError) *Error {
	e := &Error{Code: EInvalid, Fields: fields}
	if len(fields) > 0 {
		e.Message = fields[0].String()
		if n := len(fields) - 1; n > 0 {
			e.Message += fmt.Sprintf(" (and %d more)", n)
		}
	}
	return e
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal
// for any other non-nil error and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	// Work cut short by its deadline (a plan of a huge campaign under the
	// request timeout) or by its caller leaving is not a defect of ours:
	// the client may try again, which is what unavailable tells it.
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return EUnavailable
	}
	return EInternal
}

// ErrorMessage returns the user-facing message, hiding internal details.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EInternal {
		return e.Message
	}
	return "internal error"
}

// ErrorFields returns the field errors of err, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
