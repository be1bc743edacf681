// Command catalogue builds FlexPrice's pricing example as a Tally catalogue: a metered feature with
// its own meter, a plan with a $49/month platform fee and graduated API-call pricing, 1000 calls a
// month included, and a 20 % coupon. It runs against a local Tally: `npm start` at the repository
// root, then
//
//	export TALLY_API_KEY=$(cat .data/bootstrap-api-key)
//	cd packages/sdk-go && go run ./examples/catalogue
package main

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	tally "github.com/tally-billing/tally/packages/sdk-go"
	"github.com/tally-billing/tally/packages/sdk-go/generated"
)

// decimal wraps a decimal string for a DecimalInput field (amounts, tiers, quantities).
func decimal(s string) *generated.DecimalInput {
	d := generated.StringAsDecimalInput(&s)
	return &d
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func main() {
	ctx := context.Background()
	client, err := tally.New() // TALLY_API_KEY; TALLY_BASE_URL or http://localhost:8080/v1
	check(err)
	suffix := fmt.Sprint(time.Now().UnixMilli()) // lookup keys and coupon codes are unique per environment

	feature, err := tally.Call(client.FeaturesAPI.CreateFeature(ctx).CreateFeatureRequest(generated.CreateFeatureRequest{
		Name: "API calls", Type: generated.FEATURETYPE_METERED, LookupKey: generated.PtrString("api_calls_" + suffix),
		Meter: &generated.CreateMeterRequest{
			Name: "API calls", EventName: "api_call",
			Aggregation: generated.MeterAggregationRequest{Type: generated.AGGREGATIONTYPE_COUNT},
			ResetUsage:  generated.RESETUSAGE_BILLING_PERIOD,
		},
	}).Execute())
	check(err)
	plan, err := tally.Call(client.PlansAPI.CreatePlan(ctx).CreatePlanRequest(generated.CreatePlanRequest{
		Name: "Pro", LookupKey: generated.PtrString("pro_" + suffix),
	}).Execute())
	check(err)

	fee, err := tally.Call(client.PricesAPI.CreatePrice(ctx).CreatePriceRequest(generated.CreatePriceRequest{
		EntityType: generated.PRICEENTITYTYPE_PLAN, EntityId: plan.Id, Type: generated.PRICETYPE_FIXED,
		Currency: "usd", PriceUnitType: generated.PRICEUNITTYPE_FIAT.Ptr(), Amount: decimal("49"),
		BillingModel: generated.BILLINGMODEL_FLAT_FEE, BillingPeriod: generated.BILLINGPERIOD_MONTHLY, BillingPeriodCount: 1,
		InvoiceCadence: generated.INVOICECADENCE_ADVANCE,
	}).Execute())
	check(err)
	upTo := func(n int64) generated.NullableInt64 { return *generated.NewNullableInt64(&n) }
	calls, err := tally.Call(client.PricesAPI.CreatePrice(ctx).CreatePriceRequest(generated.CreatePriceRequest{
		EntityType: generated.PRICEENTITYTYPE_PLAN, EntityId: plan.Id, Type: generated.PRICETYPE_USAGE, MeterId: &feature.MeterId,
		Currency: "usd", PriceUnitType: generated.PRICEUNITTYPE_FIAT.Ptr(),
		BillingModel: generated.BILLINGMODEL_TIERED, TierMode: generated.TIERMODE_SLAB.Ptr(), // graduated
		Tiers: []generated.PriceTierRequest{
			{UpTo: upTo(1000), UnitAmount: *decimal("0.10")},
			{UpTo: upTo(5000), UnitAmount: *decimal("0.08"), FlatAmount: decimal("10")},
			{UnitAmount: *decimal("0.05")}, // no up_to: open ended
		},
		BillingPeriod: generated.BILLINGPERIOD_MONTHLY, BillingPeriodCount: 1, InvoiceCadence: generated.INVOICECADENCE_ARREAR,
	}).Execute())
	check(err)
	_, err = tally.Call(client.EntitlementsAPI.CreateEntitlement(ctx).CreateEntitlementRequest(generated.CreateEntitlementRequest{
		EntityType: generated.ENTITLEMENTENTITYTYPE_PLAN.Ptr(), EntityId: &plan.Id,
		FeatureId: feature.Id, FeatureType: generated.FEATURETYPE_METERED,
		UsageLimit: upTo(1000), UsageResetPeriod: generated.ENTITLEMENTUSAGERESETPERIOD_MONTHLY.Ptr(),
	}).Execute())
	check(err)
	coupon, err := tally.Call(client.CouponsAPI.CreateCoupon(ctx).CreateCouponRequest(generated.CreateCouponRequest{
		Name: "Launch", Type: generated.COUPONTYPE_PERCENTAGE, PercentageOff: decimal("20"),
		Cadence: generated.COUPONCADENCE_FOREVER, CouponCode: generated.PtrString("LAUNCH" + suffix),
	}).Execute())
	check(err)

	pro, err := tally.Call(client.PlansAPI.GetPlan(ctx, plan.Id).Execute()) // prices and entitlements embedded
	check(err)
	fmt.Printf("%s: %d prices, %d entitlement; fee %s/month\n", pro.Name, len(pro.Prices), len(pro.Entitlements), fee.DisplayAmount)

	cost, err := tally.Call(client.PricesAPI.GetPriceCost(ctx, calls.Id).PriceCostRequest(generated.PriceCostRequest{Quantity: decimal("6000")}).Execute())
	check(err)
	var tiers []string
	for _, tier := range cost.Breakdown {
		tiers = append(tiers, tier.Amount)
	}
	fmt.Printf("6000 calls cost %s %s: %s\n", cost.Amount, cost.Currency, strings.Join(tiers, " + ")) // 480: 100 + 330 + 50

	found, err := tally.Call(client.CouponsAPI.GetCouponByCode(ctx, "launch"+suffix).Execute()) // any letter case
	check(err)
	fmt.Printf("coupon %s: %s %% off, %s\n", found.GetCouponCode(), found.PercentageOff, coupon.Cadence)
}
