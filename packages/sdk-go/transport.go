package tally

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/google/uuid"
)

// IdempotencyHeader is the header carrying one key per logical POST.
const IdempotencyHeader = "Idempotency-Key"

type idempotencyKeyContext struct{}

// WithIdempotencyKey makes the POST sent with ctx carry key as its Idempotency-Key, instead of a
// random one (for a key derived from your own data, e.g. an order id).
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKeyContext{}, key)
}

// retryingTransport sends each request up to 1+maxRetries times: on network errors, timeouts,
// 429, 5xx, and 409 from a request with the same Idempotency-Key still running. It waits
// Retry-After when the server sends it, else a backoff with full jitter. Every POST gets one
// Idempotency-Key, the same on all its attempts, so the server runs it at most once.
type retryingTransport struct {
	base     http.RoundTripper
	settings *settings
}

func (t *retryingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := replayableBody(req)
	if err != nil {
		return nil, err
	}
	header := req.Header.Clone()
	if header == nil {
		header = http.Header{}
	}
	if req.Method == http.MethodPost && header.Get(IdempotencyHeader) == "" {
		key, _ := req.Context().Value(idempotencyKeyContext{}).(string)
		if key == "" {
			key = uuid.NewString()
		}
		header.Set(IdempotencyHeader, key)
	}
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		resp, err := t.attempt(req, header, body)
		last := attempt >= t.settings.maxRetries
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err() // cancelled by the caller: not ours to retry
			}
			if last {
				return nil, &ConnectionError{Err: err, Timeout: errors.Is(err, context.DeadlineExceeded), Attempts: attempt + 1}
			}
			if !t.settings.sleep(ctx.Done(), backoffDelay(attempt, t.settings.initialDelay, t.settings.maxDelay, jitter)) {
				return nil, ctx.Err()
			}
			continue
		}
		if last || !retryable(resp, header) {
			return resp, nil
		}
		delay, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		if !ok {
			delay = backoffDelay(attempt, t.settings.initialDelay, t.settings.maxDelay, jitter)
		}
		if !t.settings.sleep(ctx.Done(), delay) {
			return nil, ctx.Err()
		}
	}
}

// attempt sends one attempt and reads the whole body within its timeout, so a body cut off
// half-way is retried like any other network error.
func (t *retryingTransport) attempt(req *http.Request, header http.Header, body []byte) (*http.Response, error) {
	ctx := req.Context()
	if t.settings.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t.settings.timeout)
		defer cancel()
	}
	try := req.Clone(ctx)
	try.Header = header.Clone()
	if body != nil {
		try.Body = io.NopCloser(bytes.NewReader(body))
		try.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		try.ContentLength = int64(len(body))
	}
	resp, err := t.base.RoundTrip(try)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	resp.ContentLength = int64(len(data))
	return resp, nil
}

func replayableBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	return io.ReadAll(req.Body)
}

func retryable(resp *http.Response, header http.Header) bool {
	switch {
	case resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500:
		return true
	case resp.StatusCode == http.StatusConflict && header.Get(IdempotencyHeader) != "":
		// Only the conflict of a request with this key still running is worth waiting for.
		data, _ := io.ReadAll(resp.Body)
		resp.Body = io.NopCloser(bytes.NewReader(data))
		var env envelope
		return json.Unmarshal(data, &env) == nil && env.Code == "version_conflict"
	}
	return false
}
