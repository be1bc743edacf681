package tally

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// ErrWebhookVerification is matched (errors.Is) by every error of [VerifyWebhook]: a wrong secret,
// an altered body, missing headers, or a timestamp more than 5 minutes off. The library's own
// error (standardwebhooks.ErrNoMatchingSignature, ErrMessageTooOld…) is matched too.
var ErrWebhookVerification = errors.New("tally: webhook verification failed")

// WebhookEvent is a delivery's body: FlexPrice's flat object, "event_type" and one entity key
// ("customer", "feature", …). Numbers are json.Number, so none loses a digit.
type WebhookEvent map[string]any

// EventType is the event's name, e.g. "customer.created".
func (e WebhookEvent) EventType() string {
	s, _ := e["event_type"].(string)
	return s
}

// VerifyWebhook verifies a webhook delivery with the endpoint's secret ("whsec_…") and returns its
// parsed body. Pass the raw request body exactly as received. Tally signs with the Standard
// Webhooks scheme; this wraps the Standard Webhooks Go library. The webhook-* headers are read, or
// FlexPrice Cloud's svix-* ones when those are absent. Deliveries are at least once: deduplicate on
// the webhook-id header.
func VerifyWebhook(payload []byte, headers http.Header, secret string) (WebhookEvent, error) {
	pick := func(name string) string {
		if v := headers.Get("webhook-" + name); v != "" {
			return v
		}
		return headers.Get("svix-" + name)
	}
	normalized := http.Header{}
	normalized.Set("webhook-id", pick("id"))
	normalized.Set("webhook-timestamp", pick("timestamp"))
	normalized.Set("webhook-signature", pick("signature"))
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWebhookVerification, err)
	}
	if err := wh.Verify(payload, normalized); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWebhookVerification, err)
	}
	decoder := json.NewDecoder(bytes.NewReader(payload))
	decoder.UseNumber()
	var event WebhookEvent
	if err := decoder.Decode(&event); err != nil {
		return nil, fmt.Errorf("tally: webhook body is not a JSON object: %w", err)
	}
	return event, nil
}
