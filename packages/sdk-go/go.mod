module github.com/tally-billing/tally/packages/sdk-go

go 1.23

require (
	github.com/google/uuid v1.6.0
	// VerifyWebhook wraps the Standard Webhooks reference library.
	github.com/standard-webhooks/standard-webhooks/libraries v1.3.0
	// Used by the generated core for oneOf/anyOf models (openapi-generator's go templates);
	// kept even while the spec has none, so a spec change never needs a go.mod edit.
	gopkg.in/validator.v2 v2.0.1
)
