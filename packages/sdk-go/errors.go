package tally

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Error is the API's answer to a failed request (after any retries): the fields of Tally's (and
// FlexPrice's) error envelope, and the X-Request-ID to quote when asking for help.
type Error struct {
	Code           string         // e.g. "not_found", "validation_error", "already_exists"
	Message        string         // names the offending fields for validation errors
	HTTPStatusCode int            // the HTTP status
	Details        map[string]any // for validation errors: field path → what is wrong
	RequestID      string         // the X-Request-ID response header
	Body           []byte         // the body as received
}

func (e *Error) Error() string {
	s := fmt.Sprintf("tally: %s (%s, HTTP %d", e.Message, e.Code, e.HTTPStatusCode)
	if e.RequestID != "" {
		s += ", request " + e.RequestID
	}
	return s + ")"
}

// Is matches the kinds below by HTTP status (5xx all match [ErrServer]), so that
// errors.Is(err, tally.ErrNotFound) works.
func (e *Error) Is(target error) bool {
	kind, ok := target.(*Error)
	if !ok || kind.Code != "" {
		return false
	}
	if kind == ErrServer {
		return e.HTTPStatusCode >= 500
	}
	return kind.HTTPStatusCode == e.HTTPStatusCode
}

// Kinds of [*Error], for errors.Is.
var (
	ErrValidation     = &Error{HTTPStatusCode: http.StatusBadRequest, Message: "validation failed"}
	ErrUnauthorized   = &Error{HTTPStatusCode: http.StatusUnauthorized, Message: "unauthorized"}
	ErrForbidden      = &Error{HTTPStatusCode: http.StatusForbidden, Message: "forbidden"}
	ErrNotFound       = &Error{HTTPStatusCode: http.StatusNotFound, Message: "not found"}
	ErrConflict       = &Error{HTTPStatusCode: http.StatusConflict, Message: "conflict"}
	ErrIdempotencyKey = &Error{HTTPStatusCode: http.StatusUnprocessableEntity, Message: "idempotency key reused for another request"}
	ErrRateLimited    = &Error{HTTPStatusCode: http.StatusTooManyRequests, Message: "rate limited"}
	ErrServer         = &Error{HTTPStatusCode: http.StatusInternalServerError, Message: "server error"}
)

// ConnectionError: no response, still after the retries.
type ConnectionError struct {
	Err      error
	Timeout  bool // no response within the configured timeout
	Attempts int
}

func (e *ConnectionError) Error() string {
	what := "connection failed"
	if e.Timeout {
		what = "timed out"
	}
	return fmt.Sprintf("tally: %s after %d attempt(s): %v", what, e.Attempts, e.Err)
}

func (e *ConnectionError) Unwrap() error { return e.Err }

type envelope struct {
	Code           string         `json:"code"`
	Message        string         `json:"message"`
	HTTPStatusCode int            `json:"http_status_code"`
	Details        map[string]any `json:"details"`
	Error          struct {
		Message string `json:"message"`
	} `json:"error"`
}

func apiError(status int, body []byte, requestID string) *Error {
	var env envelope
	_ = json.Unmarshal(body, &env) // a body that is not the envelope leaves the fields empty
	e := &Error{Code: env.Code, Message: env.Message, HTTPStatusCode: env.HTTPStatusCode, Details: env.Details, RequestID: requestID, Body: body}
	if e.Message == "" {
		e.Message = env.Error.Message
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	if e.Code == "" {
		e.Code = "unknown_error"
	}
	if e.HTTPStatusCode == 0 {
		e.HTTPStatusCode = status
	}
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	return e
}

// bodyCarrier is what the generated client's error type offers.
type bodyCarrier interface{ Body() []byte }

// convert turns what a generated Execute returned into the SDK's errors: [*Error] for an error
// answer, [*ConnectionError] for no answer, anything else unchanged.
func convert(resp *http.Response, err error) error {
	if err == nil {
		return nil
	}
	var connErr *ConnectionError
	if errors.As(err, &connErr) {
		return connErr
	}
	if resp != nil && (resp.StatusCode < 200 || resp.StatusCode > 299) {
		var body []byte
		var carrier bodyCarrier
		if errors.As(err, &carrier) {
			body = carrier.Body()
		}
		return apiError(resp.StatusCode, body, resp.Header.Get("X-Request-ID"))
	}
	return err
}

// Call passes through the value of a generated Execute and turns its error into [*Error] or
// [*ConnectionError]:
//
//	customer, err := tally.Call(client.CustomersAPI.GetCustomer(ctx, id).Execute())
func Call[T any](value T, resp *http.Response, err error) (T, error) {
	return value, convert(resp, err)
}

// Check is [Call] for operations that answer no body (deletes).
func Check(resp *http.Response, err error) error {
	return convert(resp, err)
}
