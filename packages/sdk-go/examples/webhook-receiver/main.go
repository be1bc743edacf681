// A webhook receiver: verifies each delivery with the endpoint's secret, then handles it once.
//
//	TALLY_WEBHOOK_SECRET=whsec_… go run ./examples/webhook-receiver
//
// Then create an endpoint pointing at http://127.0.0.1:4000/tally (start Tally with
// TALLY_WEBHOOK_ALLOW_PRIVATE=1 so it delivers to this machine).
package main

import (
	"errors"
	"io"
	"log"
	"net/http"
	"os"
	"sync"

	tally "github.com/tally-billing/tally/packages/sdk-go"
)

func main() {
	secret := os.Getenv("TALLY_WEBHOOK_SECRET")
	var mu sync.Mutex
	seen := map[string]bool{} // use your database: deliveries are at least once
	http.HandleFunc("/tally", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body) // the raw body, before JSON parsing
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		event, err := tally.VerifyWebhook(body, r.Header, secret)
		if errors.Is(err, tally.ErrWebhookVerification) {
			http.Error(w, "signature does not verify", http.StatusUnauthorized)
			return
		} else if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest) // verified, but not a JSON object
			return
		}
		mu.Lock()
		first := !seen[r.Header.Get("webhook-id")]
		seen[r.Header.Get("webhook-id")] = true
		mu.Unlock()
		if first {
			log.Printf("%s %v", event.EventType(), event)
		}
		w.WriteHeader(http.StatusNoContent) // any 2xx within 10 s; anything else is retried
	})
	log.Fatal(http.ListenAndServe("127.0.0.1:4000", nil))
}
