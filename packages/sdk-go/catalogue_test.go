package tally_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	tally "github.com/tally-billing/tally/packages/sdk-go"
	"github.com/tally-billing/tally/packages/sdk-go/generated"
)

// The catalogue end to end through the Go SDK against a live Tally: FlexPrice's documented pricing
// example — a metered feature with its own meter, a plan with a $49/month fixed fee and a graduated
// (SLAB) usage price, an entitlement of 1000 calls a month, and a 20 % coupon.

// decimal wraps a decimal string for a DecimalInput field (amounts, tiers, quantities).
func decimal(s string) generated.DecimalInput { return generated.StringAsDecimalInput(&s) }

type catalogue struct {
	feature     *generated.FeatureResponse
	plan        *generated.PlanResponse
	fixed       *generated.PriceResponse
	usage       *generated.PriceResponse
	entitlement *generated.EntitlementResponse
	coupon      *generated.CouponResponse
	couponCode  string
}

func buildCatalogue(t *testing.T, client *tally.Client) catalogue {
	t.Helper()
	ctx := context.Background()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	feature, err := tally.Call(client.FeaturesAPI.CreateFeature(ctx).CreateFeatureRequest(generated.CreateFeatureRequest{
		Name:         "API calls",
		Type:         generated.FEATURETYPE_METERED,
		LookupKey:    generated.PtrString(unique("api_calls")),
		UnitSingular: generated.PtrString("call"),
		UnitPlural:   generated.PtrString("calls"),
		Meter: &generated.CreateMeterRequest{
			Name:        "API calls",
			EventName:   "api_call",
			Aggregation: generated.MeterAggregationRequest{Type: generated.AGGREGATIONTYPE_COUNT},
			ResetUsage:  generated.RESETUSAGE_BILLING_PERIOD,
		},
	}).Execute())
	must("create feature", err)

	plan, err := tally.Call(client.PlansAPI.CreatePlan(ctx).CreatePlanRequest(generated.CreatePlanRequest{
		Name:        "Pro",
		LookupKey:   generated.PtrString(unique("pro_monthly")),
		Description: generated.PtrString("For growing teams"),
	}).Execute())
	must("create plan", err)

	fee := decimal("49")
	fixed, err := tally.Call(client.PricesAPI.CreatePrice(ctx).CreatePriceRequest(generated.CreatePriceRequest{
		EntityType:         generated.PRICEENTITYTYPE_PLAN,
		EntityId:           plan.Id,
		Type:               generated.PRICETYPE_FIXED,
		PriceUnitType:      generated.PRICEUNITTYPE_FIAT.Ptr(),
		Currency:           "usd",
		Amount:             &fee,
		BillingModel:       generated.BILLINGMODEL_FLAT_FEE,
		BillingPeriod:      generated.BILLINGPERIOD_MONTHLY,
		BillingPeriodCount: 1,
		InvoiceCadence:     generated.INVOICECADENCE_ADVANCE,
		LookupKey:          generated.PtrString(unique("pro_base_usd")),
		DisplayName:        generated.PtrString("Platform fee"),
	}).Execute())
	must("create fixed price", err)

	flat := decimal("10")
	usage, err := tally.Call(client.PricesAPI.CreatePrice(ctx).CreatePriceRequest(generated.CreatePriceRequest{
		EntityType:    generated.PRICEENTITYTYPE_PLAN,
		EntityId:      plan.Id,
		Type:          generated.PRICETYPE_USAGE,
		PriceUnitType: generated.PRICEUNITTYPE_FIAT.Ptr(),
		Currency:      "usd",
		MeterId:       &feature.MeterId,
		BillingModel:  generated.BILLINGMODEL_TIERED,
		TierMode:      generated.TIERMODE_SLAB.Ptr(),
		Tiers: []generated.PriceTierRequest{
			{UpTo: *generated.NewNullableInt64(generated.PtrInt64(1000)), UnitAmount: decimal("0.10")},
			{UpTo: *generated.NewNullableInt64(generated.PtrInt64(5000)), UnitAmount: decimal("0.08"), FlatAmount: &flat},
			{UpTo: *generated.NewNullableInt64(nil), UnitAmount: decimal("0.05")}, // "up_to": null, open ended
		},
		BillingPeriod:      generated.BILLINGPERIOD_MONTHLY,
		BillingPeriodCount: 1,
		InvoiceCadence:     generated.INVOICECADENCE_ARREAR,
		LookupKey:          generated.PtrString(unique("pro_api_calls_usd")),
		DisplayName:        generated.PtrString("API calls"),
	}).Execute())
	must("create usage price", err)

	entitlement, err := tally.Call(client.EntitlementsAPI.CreateEntitlement(ctx).CreateEntitlementRequest(generated.CreateEntitlementRequest{
		EntityType:       generated.ENTITLEMENTENTITYTYPE_PLAN.Ptr(),
		EntityId:         &plan.Id,
		FeatureId:        feature.Id,
		FeatureType:      generated.FEATURETYPE_METERED,
		UsageLimit:       *generated.NewNullableInt64(generated.PtrInt64(1000)),
		UsageResetPeriod: generated.ENTITLEMENTUSAGERESETPERIOD_MONTHLY.Ptr(),
	}).Execute())
	must("create entitlement", err)

	code := strings.ToUpper(unique("launch20"))
	percent := decimal("20")
	coupon, err := tally.Call(client.CouponsAPI.CreateCoupon(ctx).CreateCouponRequest(generated.CreateCouponRequest{
		Name:          "Launch 20 %",
		Type:          generated.COUPONTYPE_PERCENTAGE,
		PercentageOff: &percent,
		Cadence:       generated.COUPONCADENCE_FOREVER,
		CouponCode:    &code,
	}).Execute())
	must("create coupon", err)

	return catalogue{feature, plan, fixed, usage, entitlement, coupon, code}
}

func sortedIDs(ids ...string) []string {
	slices.Sort(ids)
	return ids
}

func TestCatalogueFlexPricePricingExample(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	c := buildCatalogue(t, client)

	t.Run("metered feature with its own COUNT meter", func(t *testing.T) {
		if !regexp.MustCompile(`^feat_[0-9A-Z]{26}$`).MatchString(c.feature.Id) || !strings.HasPrefix(c.feature.MeterId, "meter_") {
			t.Errorf("feature id %q, meter id %q", c.feature.Id, c.feature.MeterId)
		}
		if c.feature.Type != generated.FEATURETYPE_METERED || c.feature.Status != generated.STATUS_PUBLISHED {
			t.Errorf("feature %+v", c.feature)
		}
	})

	t.Run("plan and prices with amounts as decimal strings", func(t *testing.T) {
		if !regexp.MustCompile(`^plan_[0-9A-Z]{26}$`).MatchString(c.plan.Id) || c.plan.Name != "Pro" || c.plan.Description != "For growing teams" {
			t.Errorf("plan %+v", c.plan)
		}
		f := c.fixed
		if f.EntityType != generated.PRICEENTITYTYPE_PLAN || f.EntityId != c.plan.Id || f.Type != generated.PRICETYPE_FIXED ||
			f.PriceUnitType != generated.PRICEUNITTYPE_FIAT || f.Currency != "usd" || f.Amount != "49" || f.DisplayAmount != "$49" ||
			f.BillingModel != generated.BILLINGMODEL_FLAT_FEE || f.BillingPeriod != generated.BILLINGPERIOD_MONTHLY ||
			f.BillingPeriodCount != 1 || f.InvoiceCadence != generated.INVOICECADENCE_ADVANCE || f.MeterId != "" {
			t.Errorf("fixed price %+v", f)
		}
		u := c.usage
		if u.EntityId != c.plan.Id || u.Type != generated.PRICETYPE_USAGE || u.BillingModel != generated.BILLINGMODEL_TIERED ||
			u.GetTierMode() != generated.TIERMODE_SLAB || u.InvoiceCadence != generated.INVOICECADENCE_ARREAR || u.MeterId != c.feature.MeterId {
			t.Errorf("usage price %+v", u)
		}
		// "0.10" comes back with its trailing zero trimmed; the open-ended last tier has no up_to.
		if len(u.Tiers) != 3 {
			t.Fatalf("tiers %+v", u.Tiers)
		}
		type tier struct {
			upTo       *int64
			unitAmount string
		}
		want := []tier{{generated.PtrInt64(1000), "0.1"}, {generated.PtrInt64(5000), "0.08"}, {nil, "0.05"}}
		for i, got := range u.Tiers {
			upTo := got.UpTo.Get()
			if got.UnitAmount != want[i].unitAmount || (upTo == nil) != (want[i].upTo == nil) || (upTo != nil && *upTo != *want[i].upTo) {
				t.Errorf("tier %d: up_to %v unit_amount %q, want %v %q", i, upTo, got.UnitAmount, want[i].upTo, want[i].unitAmount)
			}
		}
		if u.Tiers[1].GetFlatAmount() != "10" {
			t.Errorf("tier 1 flat_amount %q, want 10", u.Tiers[1].GetFlatAmount())
		}
	})

	t.Run("monthly usage limit of 1000 on the plan", func(t *testing.T) {
		e := c.entitlement
		if !regexp.MustCompile(`^ent_[0-9A-Z]{26}$`).MatchString(e.Id) || e.EntityType != generated.ENTITLEMENTENTITYTYPE_PLAN || e.EntityId != c.plan.Id ||
			e.FeatureId != c.feature.Id || e.FeatureType != generated.FEATURETYPE_METERED || e.UsageResetPeriod != "MONTHLY" || !e.IsEnabled {
			t.Errorf("entitlement %+v", e)
		}
		if limit := e.UsageLimit.Get(); limit == nil || *limit != 1000 {
			t.Errorf("usage_limit %v, want 1000", limit)
		}
	})

	t.Run("plan embeds both prices and the entitlement", func(t *testing.T) {
		read, err := tally.Call(client.PlansAPI.GetPlan(ctx, c.plan.Id).Execute())
		if err != nil {
			t.Fatal(err)
		}
		var priceIDs, entitlementIDs []string
		for _, p := range read.Prices {
			priceIDs = append(priceIDs, p.Id)
			if p.Id == c.fixed.Id && p.Amount != "49" {
				t.Errorf("embedded fixed price amount %q", p.Amount)
			}
			if p.Id == c.usage.Id {
				var amounts []string
				for _, tier := range p.Tiers {
					amounts = append(amounts, tier.UnitAmount)
				}
				if !slices.Equal(amounts, []string{"0.1", "0.08", "0.05"}) {
					t.Errorf("embedded tiers %v", amounts)
				}
			}
		}
		for _, e := range read.Entitlements {
			entitlementIDs = append(entitlementIDs, e.Id)
		}
		if !slices.Equal(sortedIDs(priceIDs...), sortedIDs(c.fixed.Id, c.usage.Id)) || !slices.Equal(entitlementIDs, []string{c.entitlement.Id}) {
			t.Errorf("plan prices %v entitlements %v", priceIDs, entitlementIDs)
		}
	})

	cost := func(t *testing.T, priceID, quantity string) *generated.PriceCostResponse {
		t.Helper()
		q := decimal(quantity)
		answer, err := tally.Call(client.PricesAPI.GetPriceCost(ctx, priceID).PriceCostRequest(generated.PriceCostRequest{Quantity: &q}).Execute())
		if err != nil {
			t.Fatal(err)
		}
		return answer
	}

	t.Run("cost preview of the graduated usage price", func(t *testing.T) {
		// 1000 × 0.10 + (4000 × 0.08 + 10) + 1000 × 0.05 = 100 + 330 + 50
		six := cost(t, c.usage.Id, "6000")
		if six.PriceId != c.usage.Id || six.Currency != "usd" || six.Quantity != "6000" || six.Amount != "480" ||
			six.BillingModel != generated.BILLINGMODEL_TIERED || six.GetTierMode() != generated.TIERMODE_SLAB {
			t.Errorf("cost of 6000: %+v", six)
		}
		var tiers []string
		for _, tier := range six.Breakdown {
			tiers = append(tiers, tier.Amount)
		}
		if !slices.Equal(tiers, []string{"100", "330", "50"}) {
			t.Errorf("breakdown %v", tiers)
		}
		if one := cost(t, c.usage.Id, "1000"); one.Amount != "100" {
			t.Errorf("cost of 1000: %q, want 100", one.Amount)
		}
	})

	t.Run("cost preview of the fixed fee", func(t *testing.T) {
		if three := cost(t, c.fixed.Id, "3"); three.Amount != "147" || three.Quantity != "3" || three.BillingModel != generated.BILLINGMODEL_FLAT_FEE {
			t.Errorf("cost of 3 seats: %+v", three)
		}
	})

	t.Run("coupon found by its code in another letter case", func(t *testing.T) {
		k := c.coupon
		if k.Type != generated.COUPONTYPE_PERCENTAGE || k.Cadence != generated.COUPONCADENCE_FOREVER || k.PercentageOff != "20" ||
			k.GetCouponCode() != strings.ToLower(c.couponCode) || k.TotalRedemptions != 0 {
			t.Errorf("coupon %+v", k)
		}
		for _, code := range []string{strings.ToLower(c.couponCode), c.couponCode} {
			found, err := tally.Call(client.CouponsAPI.GetCouponByCode(ctx, code).Execute())
			if err != nil || found.Id != k.Id {
				t.Errorf("by code %q: %v %+v", code, err, found)
			}
		}
	})

	t.Run("plan appears in search and list", func(t *testing.T) {
		byLookupKey, err := tally.Call(client.PlansAPI.QueryPlan(ctx).PlanFilter(generated.PlanFilter{LookupKey: &c.plan.LookupKey, Expand: generated.PtrString("prices")}).Execute())
		if err != nil {
			t.Fatal(err)
		}
		if len(byLookupKey.Items) != 1 || byLookupKey.Items[0].Id != c.plan.Id {
			t.Fatalf("search by lookup key: %+v", byLookupKey.Items)
		}
		var embedded []string
		for _, p := range byLookupKey.Items[0].Prices {
			embedded = append(embedded, p.Id)
		}
		if !slices.Equal(sortedIDs(embedded...), sortedIDs(c.fixed.Id, c.usage.Id)) {
			t.Errorf("expanded prices %v", embedded)
		}

		name := "Pro"
		byName := generated.FilterCondition{Field: "name", Operator: generated.FILTEROPERATOR_EQ, DataType: generated.FILTERDATATYPE_STRING, Value: generated.FilterValue{String: &name}}
		found, err := tally.CollectAll[generated.PlanResponse](ctx, 50,
			func(ctx context.Context, limit, offset int32) (*generated.ListPlansResponse, *http.Response, error) {
				filter := generated.PlanFilter{Limit: &limit, Offset: &offset, Filters: []generated.FilterCondition{byName}}
				return client.PlansAPI.QueryPlan(ctx).PlanFilter(filter).Execute()
			})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(found, func(p generated.PlanResponse) bool { return p.Id == c.plan.Id }) {
			t.Errorf("search by name did not find %s", c.plan.Id)
		}

		listed, err := tally.CollectAll[generated.PlanResponse](ctx, 50,
			func(ctx context.Context, limit, offset int32) (*generated.ListPlansResponse, *http.Response, error) {
				return client.PlansAPI.ListPlans(ctx).Limit(limit).Offset(offset).Execute()
			})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(listed, func(p generated.PlanResponse) bool { return p.Id == c.plan.Id }) {
			t.Errorf("list did not contain %s", c.plan.Id)
		}
	})
}
