package tally

import (
	"errors"
	"net/http"
	"strings"

	"github.com/tally-billing/tally/packages/sdk-go/generated"
)

// Client is the generated API client (CustomersAPI, SecretsAPI, EnvironmentsAPI, HealthAPI…)
// configured with the key, base URL and the retrying transport.
type Client struct {
	*generated.APIClient
	// BaseURL the client talks to, e.g. http://localhost:8080/v1.
	BaseURL string
}

// New configures a client from the options, TALLY_API_KEY and TALLY_BASE_URL.
func New(options ...Option) (*Client, error) {
	s := defaults()
	for _, option := range options {
		option(s)
	}
	if s.apiKey == "" {
		return nil, errors.New("tally: an API key is needed: use tally.WithAPIKey or set TALLY_API_KEY")
	}
	if s.maxRetries < 0 || s.initialDelay < 0 || s.maxDelay < 0 || s.timeout < 0 {
		return nil, errors.New("tally: retries, delays and timeout must be >= 0")
	}
	if s.baseURL == "" {
		s.baseURL = DefaultBaseURL
	}
	base := strings.TrimRight(s.baseURL, "/")

	cfg := generated.NewConfiguration()
	cfg.Servers = generated.ServerConfigurations{{URL: base}}
	// Operations outside /v1 (the health check) are served from the API's root.
	root := strings.TrimSuffix(base, "/v1")
	for operation := range cfg.OperationServers {
		cfg.OperationServers[operation] = generated.ServerConfigurations{{URL: root}}
	}
	cfg.UserAgent = "tally-sdk-go/" + Version
	cfg.AddDefaultHeader("x-api-key", s.apiKey)
	for name, value := range s.headers {
		cfg.AddDefaultHeader(name, value)
	}
	cfg.HTTPClient = &http.Client{Transport: &retryingTransport{base: s.transport, settings: s}}
	return &Client{APIClient: generated.NewAPIClient(cfg), BaseURL: base}, nil
}
