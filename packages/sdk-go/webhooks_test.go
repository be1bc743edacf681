package tally_test

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	tally "github.com/tally-billing/tally/packages/sdk-go"
	"github.com/tally-billing/tally/packages/sdk-go/generated"
)

var (
	hookSecret = "whsec_" + base64.StdEncoding.EncodeToString([]byte(strings.Repeat("\x01", 32)))
	hookBody   = []byte(`{"event_type":"customer.created","customer":{"id":"cust_1","name":"Acme"}}`)
	hookID     = "sys_event_01JD2Z7Q8K3M4N5P6R7S8T9V0W"
)

func signedHeaders(t *testing.T, at time.Time, secret string) http.Header {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	signature, err := wh.Sign(hookID, at, hookBody)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("webhook-id", hookID)
	h.Set("webhook-timestamp", strconv.FormatInt(at.Unix(), 10))
	h.Set("webhook-signature", signature)
	return h
}

func TestWebhookSignaturesMatchTallysSigner(t *testing.T) {
	// Computed by Tally's signer (the standardwebhooks npm package) for this secret, id, time and body.
	wh, _ := standardwebhooks.NewWebhook(hookSecret)
	got, _ := wh.Sign(hookID, time.Unix(1767225600, 0), hookBody)
	if got != "v1,z3Vm+cb4VH8unovlvwiCuGqFuM1EP7a1hz7jbTtsZ+E=" {
		t.Fatalf("signature %s", got)
	}
}

func TestVerifyWebhookReturnsTheBodyOfASignedDelivery(t *testing.T) {
	event, err := tally.VerifyWebhook(hookBody, signedHeaders(t, time.Now(), hookSecret), hookSecret)
	if err != nil || event.EventType() != "customer.created" || event["customer"].(map[string]any)["id"] != "cust_1" {
		t.Fatalf("verify: %v %v", err, event)
	}
	svix := http.Header{}
	for k, v := range signedHeaders(t, time.Now(), hookSecret) {
		svix[strings.Replace(k, "Webhook-", "Svix-", 1)] = v
	}
	if event, err := tally.VerifyWebhook(hookBody, svix, hookSecret); err != nil || event.EventType() != "customer.created" {
		t.Fatalf("svix headers: %v", err)
	}
}

func TestVerifyWebhookRefusesWrongSecretAlteredBodyAndStaleTimestamp(t *testing.T) {
	wrong := "whsec_" + base64.StdEncoding.EncodeToString([]byte(strings.Repeat("\x09", 32)))
	cases := map[string]struct {
		body    []byte
		headers http.Header
		secret  string
		want    error
	}{
		"wrong secret":   {hookBody, signedHeaders(t, time.Now(), hookSecret), wrong, standardwebhooks.ErrNoMatchingSignature},
		"altered body":   {[]byte(strings.Replace(string(hookBody), "Acme", "Evil", 1)), signedHeaders(t, time.Now(), hookSecret), hookSecret, standardwebhooks.ErrNoMatchingSignature},
		"stale":          {hookBody, signedHeaders(t, time.Now().Add(-6*time.Minute), hookSecret), hookSecret, standardwebhooks.ErrMessageTooOld},
		"missing header": {hookBody, http.Header{}, hookSecret, standardwebhooks.ErrRequiredHeaders},
	}
	for name, c := range cases {
		_, err := tally.VerifyWebhook(c.body, c.headers, c.secret)
		if !errors.Is(err, tally.ErrWebhookVerification) || !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", name, err, c.want)
		}
	}
}

func TestAReceiverVerifiesALiveCustomerCreatedFromTally(t *testing.T) {
	type delivery struct {
		body    []byte
		headers http.Header
	}
	received := make(chan delivery, 10)
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	receiver := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		received <- delivery{body, r.Header.Clone()}
		w.WriteHeader(http.StatusNoContent)
	})}
	go receiver.Serve(listener)
	defer receiver.Close()

	ctx := context.Background()
	client := newClient(t)
	request := generated.NewCreateWebhookEndpointRequest("http://" + listener.Addr().String() + "/hooks")
	request.EventTypes = []generated.WebhookEventType{generated.WEBHOOKEVENTTYPE_CUSTOMER_CREATED}
	endpoint, err := tally.Call(client.WebhooksAPI.CreateWebhookEndpoint(ctx).CreateWebhookEndpointRequest(*request).Execute())
	if err != nil {
		t.Fatal(err)
	}
	customer := createCustomer(t, client, unique("go-hook"), "Hooked")
	select {
	case d := <-received:
		event, err := tally.VerifyWebhook(d.body, d.headers, endpoint.GetSecret())
		if err != nil {
			t.Fatal(err)
		}
		if event.EventType() != "customer.created" || event["customer"].(map[string]any)["id"] != customer.Id {
			t.Fatalf("event %v", event)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery within 10 s")
	}
}
