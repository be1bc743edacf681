package tally

import (
	"net/http"
	"os"
	"time"
)

// DefaultBaseURL is where a local `npm start` serves the API.
const DefaultBaseURL = "http://localhost:8080/v1"

// Version of this SDK.
const Version = "0.1.0"

type settings struct {
	apiKey       string
	baseURL      string
	timeout      time.Duration
	maxRetries   int
	initialDelay time.Duration
	maxDelay     time.Duration
	transport    http.RoundTripper
	headers      map[string]string
	sleep        func(ctxDone <-chan struct{}, d time.Duration) bool
}

// Option configures a [Client].
type Option func(*settings)

// WithAPIKey sets the key sent as x-api-key (default: the TALLY_API_KEY environment variable).
func WithAPIKey(key string) Option { return func(s *settings) { s.apiKey = key } }

// WithBaseURL sets the API base, e.g. https://billing.example.com/v1 (default: TALLY_BASE_URL,
// else [DefaultBaseURL]).
func WithBaseURL(url string) Option { return func(s *settings) { s.baseURL = url } }

// WithTimeout bounds each attempt, until the whole response has arrived (default 30 s; 0: none).
func WithTimeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// WithMaxRetries sets how many times a failed attempt is retried (default 3; 0 disables retries).
func WithMaxRetries(n int) Option { return func(s *settings) { s.maxRetries = n } }

// WithRetryDelays sets the backoff: the first retry waits a random time in [0, initial), the
// window doubles per retry and is capped at max (defaults 500 ms and 8 s).
func WithRetryDelays(initial, max time.Duration) Option {
	return func(s *settings) { s.initialDelay, s.maxDelay = initial, max }
}

// WithTransport sets the transport the retrying transport sends attempts through (default:
// http.DefaultTransport). A proxy or a test double goes here.
func WithTransport(rt http.RoundTripper) Option { return func(s *settings) { s.transport = rt } }

// WithHeader adds a header to every request.
func WithHeader(name, value string) Option {
	return func(s *settings) { s.headers[name] = value }
}

func defaults() *settings {
	return &settings{
		apiKey:       os.Getenv("TALLY_API_KEY"),
		baseURL:      os.Getenv("TALLY_BASE_URL"),
		timeout:      30 * time.Second,
		maxRetries:   3,
		initialDelay: 500 * time.Millisecond,
		maxDelay:     8 * time.Second,
		transport:    http.DefaultTransport,
		headers:      map[string]string{},
		sleep:        sleepUnlessDone,
	}
}

// sleepUnlessDone waits d, or less when done closes first (then false).
func sleepUnlessDone(done <-chan struct{}, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-done:
		return false
	}
}
