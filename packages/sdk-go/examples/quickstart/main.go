// Command quickstart runs against a local Tally: `npm start` at the repository root, then
//
//	export TALLY_API_KEY=$(cat .data/bootstrap-api-key)
//	cd packages/sdk-go && go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	tally "github.com/tally-billing/tally/packages/sdk-go"
	"github.com/tally-billing/tally/packages/sdk-go/generated"
)

func main() {
	ctx := context.Background()
	client, err := tally.New() // TALLY_API_KEY; TALLY_BASE_URL or http://localhost:8080/v1
	if err != nil {
		log.Fatal(err)
	}

	externalID := fmt.Sprintf("quickstart-%d", time.Now().UnixMilli())
	request := generated.CreateCustomerRequest{ExternalId: &externalID, Name: generated.PtrString("Acme Corp"), Email: generated.PtrString("billing@acme.test")}
	customer, err := tally.Call(client.CustomersAPI.CreateCustomer(ctx).CreateCustomerRequest(request).Execute())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("created %s (%s)\n", customer.Id, customer.ExternalId)

	update := generated.UpdateCustomerRequest{Timezone: generated.PtrString("Europe/Berlin")}
	if _, err := tally.Call(client.CustomersAPI.UpdateCustomerById(ctx, customer.Id).UpdateCustomerRequest(update).Execute()); err != nil {
		log.Fatal(err)
	}

	everyone, err := tally.CollectAll[generated.CustomerResponse](ctx, 50,
		func(ctx context.Context, limit, offset int32) (*generated.ListCustomersResponse, *http.Response, error) {
			return client.CustomersAPI.ListCustomers(ctx).Limit(limit).Offset(offset).Execute()
		})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d customers in this environment\n", len(everyone))

	if err := tally.Check(client.CustomersAPI.DeleteCustomer(ctx, customer.Id).Execute()); err != nil {
		log.Fatal(err)
	}
	_, err = tally.Call(client.CustomersAPI.GetCustomer(ctx, customer.Id).Execute())
	var apiErr *tally.Error
	if errors.As(err, &apiErr) && errors.Is(err, tally.ErrNotFound) {
		fmt.Printf("deleted: %s (HTTP %d, request %s)\n", apiErr.Code, apiErr.HTTPStatusCode, apiErr.RequestID)
	}
}
