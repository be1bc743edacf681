package tally

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/tally-billing/tally/packages/sdk-go/generated"
)

// Transport rules against a scripted server: every attempt is recorded, sleeps are recorded
// instead of waited.

type scripted struct {
	mu       sync.Mutex
	steps    []func(w http.ResponseWriter)
	keys     []string
	methods  []string
	apiKeys  []string
	requests int
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = append(s.keys, r.Header.Get(IdempotencyHeader))
	s.methods = append(s.methods, r.Method)
	s.apiKeys = append(s.apiKeys, r.Header.Get("x-api-key"))
	step := s.steps[s.requests]
	s.requests++
	w.Header().Set("X-Request-ID", "req_123")
	w.Header().Set("Content-Type", "application/json")
	step(w)
}

func answer(status int, body string, headers ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

func envelopeBody(status int, code string) string {
	return fmt.Sprintf(`{"code":%q,"message":"%s happened","http_status_code":%d,"details":{"name":"is required"},"success":false,"error":{"message":"x","internal_error":""}}`, code, code, status)
}

const customerJSON = `{"id":"cust_1","external_id":"e1","name":"N","timezone":"UTC","metadata":{},"environment_id":"env_1","tenant_id":"tenant_1","status":"published","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}`

func scriptedClient(t *testing.T, steps []func(w http.ResponseWriter), options ...Option) (*Client, *scripted, *[]time.Duration) {
	t.Helper()
	script := &scripted{steps: steps}
	srv := httptest.NewServer(script)
	t.Cleanup(srv.Close)
	var delays []time.Duration
	record := func(s *settings) {
		s.sleep = func(_ <-chan struct{}, d time.Duration) bool { delays = append(delays, d); return true }
	}
	all := append([]Option{WithAPIKey("sk_test"), WithBaseURL(srv.URL + "/v1"), record}, options...)
	client, err := New(all...)
	if err != nil {
		t.Fatal(err)
	}
	return client, script, &delays
}

func create(client *Client) (*generated.CustomerResponse, error) {
	name, id := "N", "e1"
	return Call(client.CustomersAPI.CreateCustomer(context.Background()).CreateCustomerRequest(generated.CreateCustomerRequest{ExternalId: &id, Name: &name}).Execute())
}

func TestRetries429And5xxWithOneIdempotencyKeyAndHonoursRetryAfter(t *testing.T) {
	client, script, delays := scriptedClient(t, []func(http.ResponseWriter){
		answer(503, envelopeBody(503, "service_unavailable")),
		answer(429, envelopeBody(429, "too_many_requests"), "Retry-After", "2"),
		answer(201, customerJSON),
	})
	customer, err := create(client)
	if err != nil || customer.Id != "cust_1" {
		t.Fatalf("got %v %v", customer, err)
	}
	if len(script.keys) != 3 || script.keys[0] == "" || script.keys[1] != script.keys[0] || script.keys[2] != script.keys[0] {
		t.Errorf("idempotency keys %q, want one key on all three attempts", script.keys)
	}
	if (*delays)[1] != 2*time.Second {
		t.Errorf("delays %v: Retry-After 2 should give 2s", *delays)
	}
	if script.apiKeys[0] != "sk_test" {
		t.Errorf("x-api-key %q", script.apiKeys[0])
	}
}

func TestEachPostGetsItsOwnKeyAndGetNone(t *testing.T) {
	client, script, _ := scriptedClient(t, []func(http.ResponseWriter){answer(201, customerJSON), answer(201, customerJSON), answer(200, customerJSON)})
	_, _ = create(client)
	_, _ = create(client)
	_, _ = Call(client.CustomersAPI.GetCustomer(context.Background(), "cust_1").Execute())
	if script.keys[0] == script.keys[1] {
		t.Errorf("two POSTs shared key %q", script.keys[0])
	}
	if script.methods[2] != http.MethodGet || script.keys[2] != "" {
		t.Errorf("GET carried Idempotency-Key %q", script.keys[2])
	}
}

func TestKeepsAnIdempotencyKeyTheCallerChose(t *testing.T) {
	client, script, _ := scriptedClient(t, []func(http.ResponseWriter){answer(500, envelopeBody(500, "internal_error")), answer(201, customerJSON)})
	name, id := "N", "e1"
	ctx := WithIdempotencyKey(context.Background(), "order-42")
	if _, err := Call(client.CustomersAPI.CreateCustomer(ctx).CreateCustomerRequest(generated.CreateCustomerRequest{ExternalId: &id, Name: &name}).Execute()); err != nil {
		t.Fatal(err)
	}
	if len(script.keys) != 2 || script.keys[0] != "order-42" || script.keys[1] != "order-42" {
		t.Errorf("keys %q, want order-42 twice", script.keys)
	}
}

func TestStopsAfterMaxRetriesWithTypedErrorOfTheLastAnswer(t *testing.T) {
	steps := []func(http.ResponseWriter){}
	for range 4 {
		steps = append(steps, answer(502, envelopeBody(502, "bad_gateway")))
	}
	client, script, delays := scriptedClient(t, steps, WithRetryDelays(500*time.Millisecond, 8*time.Second))
	_, err := create(client)
	var apiErr *Error
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrServer) {
		t.Fatalf("got %v", err)
	}
	if script.requests != 4 || apiErr.Code != "bad_gateway" || apiErr.HTTPStatusCode != 502 || apiErr.RequestID != "req_123" {
		t.Errorf("%d attempts, error %+v", script.requests, apiErr)
	}
	for i, d := range *delays {
		if ceiling := (500 * time.Millisecond) << i; d < 0 || d >= ceiling {
			t.Errorf("delay %d = %v, want in [0, %v)", i, d, ceiling)
		}
	}
}

func TestDoesNotRetryBadRequest(t *testing.T) {
	client, script, _ := scriptedClient(t, []func(http.ResponseWriter){answer(400, envelopeBody(400, "validation_error"))})
	_, err := create(client)
	var apiErr *Error
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrValidation) || script.requests != 1 {
		t.Fatalf("got %v after %d attempts", err, script.requests)
	}
	if apiErr.Details["name"] != "is required" || apiErr.Message != "validation_error happened" {
		t.Errorf("error %+v", apiErr)
	}
}

type failingTransport struct{ calls int }

func (f *failingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	f.calls++
	return nil, errors.New("dial tcp: connection refused")
}

func TestConnectionErrorWhenTheNetworkKeepsFailing(t *testing.T) {
	failing := &failingTransport{}
	client, err := New(WithAPIKey("k"), WithBaseURL("http://tally.invalid/v1"), WithTransport(failing), WithMaxRetries(2), WithRetryDelays(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = create(client)
	var connErr *ConnectionError
	if !errors.As(err, &connErr) || connErr.Timeout || connErr.Attempts != 3 || failing.calls != 3 {
		t.Fatalf("got %v (%d calls)", err, failing.calls)
	}
}

func TestSilentServerTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	client, err := New(WithAPIKey("k"), WithBaseURL(srv.URL+"/v1"), WithTimeout(50*time.Millisecond), WithMaxRetries(1), WithRetryDelays(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Call(client.CustomersAPI.GetCustomer(context.Background(), "cust_1").Execute())
	var connErr *ConnectionError
	if !errors.As(err, &connErr) || !connErr.Timeout || connErr.Attempts != 2 {
		t.Fatalf("got %v", err)
	}
}

func TestBackoffIsFullJitterUnderAnExponentialCap(t *testing.T) {
	const initial, max = 500 * time.Millisecond, 8 * time.Second
	cases := []struct {
		attempt int
		random  float64
		want    time.Duration
	}{{0, 0.999, 499500 * time.Microsecond}, {3, 0.5, 2 * time.Second}, {10, 0.5, 4 * time.Second}, {2, 0, 0}, {80, 0.5, 4 * time.Second}}
	for _, c := range cases {
		if got := backoffDelay(c.attempt, initial, max, func() float64 { return c.random }); got != c.want {
			t.Errorf("backoffDelay(%d, random %v) = %v, want %v", c.attempt, c.random, got, c.want)
		}
	}
}

func TestRetryAfterReadsSecondsOrHTTPDateCappedAtAMinute(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{"2": 2 * time.Second, "0.5": 500 * time.Millisecond, "3600": time.Minute, "Thu, 01 Jan 2026 00:00:05 GMT": 5 * time.Second}
	for header, want := range cases {
		if got, ok := retryAfter(header, now); !ok || got != want {
			t.Errorf("retryAfter(%q) = %v, %v; want %v", header, got, ok, want)
		}
	}
	for _, header := range []string{"", "soon"} {
		if _, ok := retryAfter(header, now); ok {
			t.Errorf("retryAfter(%q) should not be readable", header)
		}
	}
}

func TestConfigurationFromTheEnvironment(t *testing.T) {
	t.Setenv("TALLY_API_KEY", "sk_from_env")
	t.Setenv("TALLY_BASE_URL", "")
	client, err := New()
	if err != nil || client.BaseURL != DefaultBaseURL {
		t.Fatalf("got %v, %v", client, err)
	}
	t.Setenv("TALLY_BASE_URL", "https://billing.example.test/v1/")
	if client, _ := New(); client.BaseURL != "https://billing.example.test/v1" {
		t.Errorf("base URL %q", client.BaseURL)
	}
	t.Setenv("TALLY_API_KEY", "")
	if _, err := New(); err == nil {
		t.Error("New without a key should fail")
	}
}
