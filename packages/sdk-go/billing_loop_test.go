package tally_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	tally "github.com/tally-billing/tally/packages/sdk-go"
	"github.com/tally-billing/tally/packages/sdk-go/generated"
)

// The billing loop through the Go SDK against a live Tally: a plan of $20 a month in advance plus
// $0.01 per API call in arrears; a customer on a test clock subscribes, makes 3,000 calls, and the
// clock is advanced past the period's end. The catalogue lives on the wall clock (prices take effect
// when created), so the clock is frozen just after the prices exist, and every expected date is
// computed from its time.

// monthsLater is the same instant n calendar months later, the day clamped to the month's last
// (31 Jan + 1 → 28 Feb, + 2 → 31 Mar).
func monthsLater(d time.Time, n int) time.Time {
	firstOfNext := time.Date(d.Year(), d.Month()+time.Month(n), 1, d.Hour(), d.Minute(), d.Second(), d.Nanosecond(), time.UTC)
	lastDay := time.Date(firstOfNext.Year(), firstOfNext.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return firstOfNext.AddDate(0, 0, min(d.Day(), lastDay)-1)
}

func TestBillingLoopOnATestClock(t *testing.T) {
	client := newClient(t)
	ctx := context.Background()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	eventName := unique("api_call")
	meter, err := tally.Call(client.MetersAPI.CreateMeter(ctx).CreateMeterRequest(generated.CreateMeterRequest{
		Name:        "API calls",
		EventName:   eventName,
		Aggregation: generated.MeterAggregationRequest{Type: generated.AGGREGATIONTYPE_SUM, Field: generated.PtrString("calls")},
		ResetUsage:  generated.RESETUSAGE_BILLING_PERIOD,
	}).Execute())
	must("create meter", err)
	plan, err := tally.Call(client.PlansAPI.CreatePlan(ctx).CreatePlanRequest(generated.CreatePlanRequest{Name: "Pro", LookupKey: generated.PtrString(unique("pro"))}).Execute())
	must("create plan", err)
	price := func(priceType generated.PriceType, amount string, cadence generated.InvoiceCadence, name string, meterID *string) {
		t.Helper()
		value := decimal(amount)
		_, err := tally.Call(client.PricesAPI.CreatePrice(ctx).CreatePriceRequest(generated.CreatePriceRequest{
			EntityType:         generated.PRICEENTITYTYPE_PLAN,
			EntityId:           plan.Id,
			Type:               priceType,
			PriceUnitType:      generated.PRICEUNITTYPE_FIAT.Ptr(),
			Currency:           "usd",
			Amount:             &value,
			BillingModel:       generated.BILLINGMODEL_FLAT_FEE,
			BillingPeriod:      generated.BILLINGPERIOD_MONTHLY,
			BillingPeriodCount: 1,
			InvoiceCadence:     cadence,
			MeterId:            meterID,
			DisplayName:        generated.PtrString(name),
		}).Execute())
		must("create price "+name, err)
	}
	price(generated.PRICETYPE_FIXED, "20", generated.INVOICECADENCE_ADVANCE, "Platform fee", nil)
	price(generated.PRICETYPE_USAGE, "0.01", generated.INVOICECADENCE_ARREAR, "API calls", &meter.Id)

	// Frozen at the next whole second and one more: after the prices were created, so the clock sees them.
	frozen := time.Now().UTC().Truncate(time.Second).Add(2 * time.Second)
	clock, err := tally.Call(client.TestClocksAPI.CreateTestClock(ctx).CreateTestClockRequest(generated.CreateTestClockRequest{Name: generated.PtrString("billing loop"), FrozenTime: frozen}).Execute())
	must("create clock", err)
	start := clock.FrozenTime.UTC()
	if !start.Equal(frozen) {
		t.Fatalf("clock frozen at %s, want %s", start, frozen)
	}
	end := monthsLater(start, 1)
	externalID := unique("acme")
	customer, err := tally.Call(client.CustomersAPI.CreateCustomer(ctx).CreateCustomerRequest(generated.CreateCustomerRequest{ExternalId: &externalID, Name: generated.PtrString("Acme"), TestClockId: &clock.Id}).Execute())
	must("create customer", err)

	subscription, err := tally.Call(client.SubscriptionsAPI.CreateSubscription(ctx).CreateSubscriptionRequest(generated.CreateSubscriptionRequest{
		CustomerId: &customer.Id, PlanId: plan.Id, Currency: "usd", BillingPeriod: generated.BILLINGPERIOD_MONTHLY,
	}).Execute())
	must("create subscription", err)
	if subscription.SubscriptionStatus != generated.SUBSCRIPTIONSTATUS_ACTIVE || !subscription.StartDate.Equal(start) || !subscription.CurrentPeriodEnd.Equal(end) {
		t.Fatalf("subscription %s from %s to %s, want active from %s to %s", subscription.SubscriptionStatus, subscription.StartDate, subscription.CurrentPeriodEnd, start, end)
	}

	// 3,000 calls, sent as three events a minute into the period.
	at := start.Add(time.Minute)
	for i, calls := range []int{1000, 1500, 500} {
		eventID := fmt.Sprintf("%s-%d", clock.Id, i)
		_, err := tally.Call(client.EventsAPI.IngestEvent(ctx).IngestEventRequest(generated.IngestEventRequest{
			EventName:          eventName,
			ExternalCustomerId: externalID,
			EventId:            *generated.NewNullableString(&eventID),
			Timestamp:          *generated.NewNullableTime(&at),
			Properties:         map[string]interface{}{"calls": calls},
		}).Execute())
		must("ingest event", err)
	}

	// Past the period's end; an answer still `advancing` is polled until the clock is ready.
	target := end.Add(time.Minute)
	advanced, err := tally.Call(client.TestClocksAPI.AdvanceTestClock(ctx, clock.Id).AdvanceTestClockRequest(generated.AdvanceTestClockRequest{FrozenTime: target}).Execute())
	must("advance clock", err)
	for i := 0; advanced.Status == generated.TESTCLOCKSTATUS_ADVANCING && i < 600; i++ {
		time.Sleep(100 * time.Millisecond)
		advanced, err = tally.Call(client.TestClocksAPI.GetTestClock(ctx, clock.Id).Execute())
		must("get clock", err)
	}
	if advanced.Status != generated.TESTCLOCKSTATUS_READY || !advanced.FrozenTime.Equal(target) {
		t.Fatalf("clock %s at %s, want ready at %s", advanced.Status, advanced.FrozenTime, target)
	}

	listed, err := tally.Call(client.InvoicesAPI.ListInvoices(ctx).SubscriptionId(subscription.Id).Order(generated.SORTDIRECTION_ASC).Execute())
	must("list invoices", err)
	day := func(t *time.Time) string { return t.UTC().Format(time.RFC3339) }
	var got []string
	for _, inv := range listed.Items {
		row := fmt.Sprintf("%s %s %s %s–%s subtotal=%s total=%s due=%s remaining=%s", *inv.BillingReason, inv.InvoiceStatus, inv.PaymentStatus, day(inv.PeriodStart), day(inv.PeriodEnd), inv.Subtotal, inv.Total, inv.AmountDue, inv.AmountRemaining)
		for _, l := range inv.LineItems {
			row += fmt.Sprintf(" | %s %s × → %s %s–%s", *l.DisplayName, l.Quantity, l.Amount, day(l.PeriodStart), day(l.PeriodEnd))
		}
		got = append(got, row)
	}
	s, e, next := day(&start), day(&end), monthsLater(start, 2) // periods follow the start's day
	want := []string{
		// The first month's fee, in advance.
		fmt.Sprintf("SUBSCRIPTION_CREATE FINALIZED PENDING %s–%s subtotal=20 total=20 due=20 remaining=20 | Platform fee 1 × → 20 %s–%s", s, e, s, e),
		// 3,000 × $0.01 = $30 of calls + $20, the next month's fee = $50.
		fmt.Sprintf("SUBSCRIPTION_CYCLE FINALIZED PENDING %s–%s subtotal=50 total=50 due=50 remaining=50 | API calls 3000 × → 30 %s–%s | Platform fee 1 × → 20 %s–%s", s, e, s, e, e, day(&next)),
	}
	if !slices.Equal(got, want) {
		t.Fatalf("invoices:\n got %q\nwant %q", got, want)
	}

	// Numbered when finalized, in the clock's month (the server is shared by the package's tests).
	opening, renewal := listed.Items[0], listed.Items[1]
	for _, c := range []struct {
		inv       generated.InvoiceResponse
		finalized time.Time
	}{{opening, start}, {renewal, end}} {
		number := c.inv.InvoiceNumber.Get()
		pattern := regexp.MustCompile(`^INV-` + c.finalized.Format("200601") + `-\d{5}$`)
		if number == nil || !pattern.MatchString(*number) {
			t.Fatalf("invoice number %v, want %s", number, pattern)
		}
		if c.inv.FinalizedAt == nil || !c.inv.FinalizedAt.Equal(c.finalized) {
			t.Fatalf("finalized at %v, want %s", c.inv.FinalizedAt, c.finalized)
		}
	}
	if *opening.InvoiceNumber.Get() == *renewal.InvoiceNumber.Get() {
		t.Fatalf("both invoices numbered %s", *opening.InvoiceNumber.Get())
	}
}
