// Package tally is the Go SDK of Tally, the self-hostable usage-based billing API whose wire
// contract follows FlexPrice's.
//
// The operations and models are generated from the OpenAPI spec into the sub-package
// [github.com/tally-billing/tally/packages/sdk-go/generated]; this package configures that client
// (base URL, API key, timeouts) and puts a transport under it that retries network errors, 429 and
// 5xx with exponential backoff and full jitter, honours Retry-After, and sends one Idempotency-Key
// per POST across its retries. [Call] and [Check] turn error answers into [*Error] values, and [All]
// walks every page of a list or search.
//
//	client, err := tally.New() // TALLY_API_KEY, TALLY_BASE_URL
//	customer, err := tally.Call(client.CustomersAPI.GetCustomer(ctx, "cust_…").Execute())
//	if errors.Is(err, tally.ErrNotFound) { … }
package tally
