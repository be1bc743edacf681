package tally_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	tally "github.com/tally-billing/tally/packages/sdk-go"
	"github.com/tally-billing/tally/packages/sdk-go/generated"
)

// Customers and API keys end to end through the Go SDK against a live Tally.

var server *runningTally

func TestMain(m *testing.M) {
	var err error
	server, err = startTally()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	server.stop()
	os.Exit(code)
}

func newClient(t *testing.T, options ...tally.Option) *tally.Client {
	t.Helper()
	all := append([]tally.Option{tally.WithAPIKey(server.apiKey), tally.WithBaseURL(server.baseURL), tally.WithRetryDelays(10*time.Millisecond, 50*time.Millisecond)}, options...)
	client, err := tally.New(all...)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func unique(prefix string) string { return prefix + "-" + uuid.NewString()[:8] }

func createCustomer(t *testing.T, client *tally.Client, externalID, name string) *generated.CustomerResponse {
	t.Helper()
	request := generated.CreateCustomerRequest{ExternalId: &externalID, Name: &name}
	customer, err := tally.Call(client.CustomersAPI.CreateCustomer(context.Background()).CreateCustomerRequest(request).Execute())
	if err != nil {
		t.Fatalf("create %s: %v", externalID, err)
	}
	return customer
}

func listByExternalIDs(client *tally.Client, externalIDs []string) tally.PageFunc[*generated.ListCustomersResponse] {
	return func(ctx context.Context, limit, offset int32) (*generated.ListCustomersResponse, *http.Response, error) {
		return client.CustomersAPI.ListCustomers(ctx).Limit(limit).Offset(offset).ExternalIds(externalIDs).Execute()
	}
}

func TestHealthCheckAtTheAPIRootOutsideV1(t *testing.T) {
	health, err := tally.Call(newClient(t).HealthAPI.GetHealth(context.Background()).Execute())
	if err != nil || health.Status != "ok" {
		t.Fatalf("health: %v %+v", err, health)
	}
}

func TestCreateGetGetByExternalIDAndUpdateCustomer(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	externalID := unique("acme")
	name, email := "Acme Corp", "billing@acme.test"
	created, err := tally.Call(client.CustomersAPI.CreateCustomer(ctx).CreateCustomerRequest(generated.CreateCustomerRequest{
		ExternalId: &externalID, Name: &name, Email: &email, Metadata: &map[string]string{"plan": "pro"},
	}).Execute())
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^cust_[0-9A-Z]{26}$`).MatchString(created.Id) {
		t.Errorf("id %q is not a customer id", created.Id)
	}
	if created.ExternalId != externalID || created.Name != "Acme Corp" || created.GetEmail() != email || created.Timezone != "UTC" || created.Status != generated.STATUS_PUBLISHED {
		t.Errorf("created %+v", created)
	}

	byID, err := tally.Call(client.CustomersAPI.GetCustomer(ctx, created.Id).Execute())
	if err != nil {
		t.Fatal(err)
	}
	if byID.ExternalId != externalID || byID.Metadata["plan"] != "pro" {
		t.Errorf("by id %+v", byID)
	}
	byExternalID, err := tally.Call(client.CustomersAPI.GetCustomerByExternalId(ctx, externalID).Execute())
	if err != nil || byExternalID.Id != created.Id {
		t.Fatalf("by external id: %v %+v", err, byExternalID)
	}

	newName, zone := "Acme Inc.", "Europe/Berlin"
	updated, err := tally.Call(client.CustomersAPI.UpdateCustomerById(ctx, created.Id).UpdateCustomerRequest(generated.UpdateCustomerRequest{Name: &newName, Timezone: &zone}).Execute())
	if err != nil {
		t.Fatal(err)
	}
	if updated.Name != newName || updated.Timezone != zone || updated.GetEmail() != email {
		t.Errorf("updated %+v", updated)
	}
	again, err := tally.Call(client.CustomersAPI.GetCustomer(ctx, created.Id).Execute())
	if err != nil || again.Name != newName {
		t.Fatalf("after update: %v %+v", err, again)
	}
}

func TestListWalksEveryPage(t *testing.T) {
	client := newClient(t)
	var externalIDs []string
	for i := range 7 {
		id := unique(fmt.Sprintf("page-%d", i))
		externalIDs = append(externalIDs, id)
		createCustomer(t, client, id, "Paged "+id)
	}
	var pageSizes []int
	fetch := listByExternalIDs(client, externalIDs)
	counting := func(ctx context.Context, limit, offset int32) (*generated.ListCustomersResponse, *http.Response, error) {
		page, resp, err := fetch(ctx, limit, offset)
		if page != nil {
			pageSizes = append(pageSizes, len(page.Items))
		}
		return page, resp, err
	}
	var seen []string
	for customer, err := range tally.All[generated.CustomerResponse](context.Background(), 3, counting) {
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, customer.ExternalId)
	}
	if !slices.Equal(pageSizes, []int{3, 3, 1}) {
		t.Errorf("page sizes %v, want [3 3 1]", pageSizes)
	}
	sort.Strings(seen)
	sort.Strings(externalIDs)
	if !slices.Equal(seen, externalIDs) {
		t.Errorf("saw %v, want %v", seen, externalIDs)
	}
}

func TestSearchByNameContainsAcrossPages(t *testing.T) {
	client := newClient(t)
	token := unique("zebra")
	names := []string{token + " One", "Two " + token, token + " Three"}
	for _, name := range names {
		createCustomer(t, client, unique("search"), name)
	}
	createCustomer(t, client, unique("search"), "Someone else")

	condition := generated.FilterCondition{Field: "name", Operator: generated.FILTEROPERATOR_CONTAINS, DataType: generated.FILTERDATATYPE_STRING, Value: generated.FilterValue{String: &token}}
	found, err := tally.CollectAll[generated.CustomerResponse](context.Background(), 2,
		func(ctx context.Context, limit, offset int32) (*generated.ListCustomersResponse, *http.Response, error) {
			filter := generated.CustomerFilter{Limit: &limit, Offset: &offset, Filters: []generated.FilterCondition{condition}}
			return client.CustomersAPI.QueryCustomer(ctx).CustomerFilter(filter).Execute()
		})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range found {
		got = append(got, c.Name)
	}
	sort.Strings(got)
	sort.Strings(names)
	if !slices.Equal(got, names) {
		t.Errorf("found %v, want %v", got, names)
	}
}

func TestDeletedCustomerAnswersTypedNotFound(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	customer := createCustomer(t, client, unique("gone"), "Gone Ltd")
	if err := tally.Check(client.CustomersAPI.DeleteCustomer(ctx, customer.Id).Execute()); err != nil {
		t.Fatal(err)
	}
	_, err := tally.Call(client.CustomersAPI.GetCustomer(ctx, customer.Id).Execute())
	if !errors.Is(err, tally.ErrNotFound) {
		t.Fatalf("got %v, want ErrNotFound", err)
	}
	var apiErr *tally.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("got %T", err)
	}
	if apiErr.Code != "not_found" || apiErr.HTTPStatusCode != 404 || apiErr.Message == "" || apiErr.RequestID == "" {
		t.Errorf("error %+v", apiErr)
	}
}

func TestBadRequestIsTypedValidationErrorNamingTheField(t *testing.T) {
	client := newClient(t)
	externalID := unique("nameless")
	_, err := tally.Call(client.CustomersAPI.CreateCustomer(context.Background()).CreateCustomerRequest(generated.CreateCustomerRequest{ExternalId: &externalID}).Execute())
	var apiErr *tally.Error
	if !errors.As(err, &apiErr) || !errors.Is(err, tally.ErrValidation) {
		t.Fatalf("got %v, want a validation error", err)
	}
	if apiErr.Code != "validation_error" || apiErr.HTTPStatusCode != 400 || apiErr.RequestID == "" {
		t.Errorf("error %+v", apiErr)
	}
	if _, ok := apiErr.Details["name"]; !ok {
		t.Errorf("details %v do not name the field name", apiErr.Details)
	}
	if !strings.Contains(apiErr.Message, "name") {
		t.Errorf("message %q does not name the field", apiErr.Message)
	}
}

func TestDuplicateExternalIDIsTypedConflict(t *testing.T) {
	client := newClient(t)
	externalID := unique("dup")
	createCustomer(t, client, externalID, "First")
	second := "Second"
	_, err := tally.Call(client.CustomersAPI.CreateCustomer(context.Background()).CreateCustomerRequest(generated.CreateCustomerRequest{ExternalId: &externalID, Name: &second}).Execute())
	var apiErr *tally.Error
	if !errors.Is(err, tally.ErrConflict) || !errors.As(err, &apiErr) || apiErr.Code != "already_exists" {
		t.Fatalf("got %v, want 409 already_exists", err)
	}
}

// losesFirstPostResponse sends every request for real, but loses the first POST's response.
type losesFirstPostResponse struct {
	mu       sync.Mutex
	failed   bool
	attempts []attempt
}

type attempt struct {
	idempotencyKey, replayed string
	status                   int
}

func (l *losesFirstPostResponse) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.attempts = append(l.attempts, attempt{req.Header.Get("Idempotency-Key"), resp.Header.Get("Idempotent-Replayed"), resp.StatusCode})
	if req.Method == http.MethodPost && !l.failed {
		l.failed = true
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, errors.New("read tcp: connection reset by peer (response lost)")
	}
	return resp, nil
}

func TestRetriedPostAfterLostResponseCreatesExactlyOneCustomer(t *testing.T) {
	flaky := &losesFirstPostResponse{}
	client := newClient(t, tally.WithTransport(flaky), tally.WithRetryDelays(10*time.Millisecond, 20*time.Millisecond))
	externalID := unique("retried")

	customer := createCustomer(t, client, externalID, "Retried Co")

	if len(flaky.attempts) != 2 {
		t.Fatalf("attempts %+v, want 2", flaky.attempts)
	}
	first, second := flaky.attempts[0], flaky.attempts[1]
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(first.idempotencyKey) {
		t.Errorf("first attempt's Idempotency-Key %q is not a UUID v4", first.idempotencyKey)
	}
	if second.idempotencyKey != first.idempotencyKey {
		t.Errorf("retry carried key %q, want %q", second.idempotencyKey, first.idempotencyKey)
	}
	if first.status != 201 || second.status != 201 || second.replayed != "true" {
		t.Errorf("attempts %+v, want 201 then a replayed 201", flaky.attempts)
	}
	list, err := tally.Call(newClient(t).CustomersAPI.ListCustomers(context.Background()).ExternalIds([]string{externalID}).Execute())
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 1 || list.Items[0].Id != customer.Id || list.Pagination.Total != 1 {
		t.Errorf("customers with external id %s: %+v", externalID, list)
	}
}

func TestAPIKeysCreateListDelete(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	created, err := tally.Call(client.SecretsAPI.CreateApiKey(ctx).CreateAPIKeyRequest(generated.CreateAPIKeyRequest{Name: unique("backend"), Type: generated.SECRETTYPE_PRIVATE_KEY}).Execute())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(created.ApiKey, "sk_") || created.Secret.Type != generated.SECRETTYPE_PRIVATE_KEY || created.Secret.Status != generated.STATUS_PUBLISHED {
		t.Errorf("created %+v", created)
	}

	withNewKey := newClient(t, tally.WithAPIKey(created.ApiKey), tally.WithMaxRetries(0))
	if _, err := tally.Call(withNewKey.CustomersAPI.ListCustomers(ctx).Limit(1).Execute()); err != nil {
		t.Fatalf("the new key does not work: %v", err)
	}

	listKeys := func(ctx context.Context, limit, offset int32) (*generated.ListSecretsResponse, *http.Response, error) {
		return client.SecretsAPI.ListApiKeys(ctx).Limit(limit).Offset(offset).Execute()
	}
	ids := func() []string {
		keys, err := tally.CollectAll[generated.SecretResponse](ctx, 1, listKeys)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, k := range keys {
			out = append(out, k.Id)
		}
		return out
	}
	before := ids()
	if !slices.Contains(before, created.Secret.Id) || len(before) < 2 {
		t.Errorf("keys %v should hold %s and the bootstrap key", before, created.Secret.Id)
	}

	if err := tally.Check(client.SecretsAPI.DeleteApiKey(ctx, created.Secret.Id).Execute()); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(ids(), created.Secret.Id) {
		t.Errorf("deleted key %s is still listed", created.Secret.Id)
	}
	_, err = tally.Call(withNewKey.CustomersAPI.ListCustomers(ctx).Limit(1).Execute())
	var apiErr *tally.Error
	if !errors.Is(err, tally.ErrUnauthorized) || !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 401 {
		t.Fatalf("deleted key: got %v, want 401", err)
	}
}
