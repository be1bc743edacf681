"""FlexPrice's pricing example as a Tally catalogue: a metered feature with its own meter, a plan
with a $49/month platform fee and graduated API-call pricing, 1000 calls a month included, and a
20 % coupon. Runnable against a local Tally: `npm start` at the repository root, then

    export TALLY_API_KEY=$(cat .data/bootstrap-api-key)
    pip install ./packages/sdk-python
    python packages/sdk-python/examples/catalogue.py
"""

import time

from tally_sdk import (
    CreateCouponRequest,
    CreateEntitlementRequest,
    CreateFeatureRequest,
    CreateMeterRequest,
    CreatePlanRequest,
    CreatePriceRequest,
    DecimalInput,
    MeterAggregationRequest,
    PriceCostRequest,
    PriceTierRequest,
    Tally,
)

suffix = int(time.time() * 1000)  # lookup keys and coupon codes are unique per environment
monthly = dict(currency="usd", billing_period="MONTHLY", billing_period_count=1, price_unit_type="FIAT")

with Tally() as tally:  # TALLY_API_KEY; TALLY_BASE_URL or http://localhost:8080/v1
    feature = tally.features.create_feature(CreateFeatureRequest(
        name="API calls", type="metered", lookup_key=f"api_calls_{suffix}",
        meter=CreateMeterRequest(name="API calls", event_name="api_call",
                                 aggregation=MeterAggregationRequest(type="COUNT"), reset_usage="BILLING_PERIOD"),
    ))
    plan = tally.plans.create_plan(CreatePlanRequest(name="Pro", lookup_key=f"pro_{suffix}"))

    # Decimal fields (amounts, tiers, quantities) take a DecimalInput wrapping a string.
    fee = tally.prices.create_price(CreatePriceRequest(
        **monthly, entity_type="PLAN", entity_id=plan.id, type="FIXED", billing_model="FLAT_FEE",
        amount=DecimalInput("49"), invoice_cadence="ADVANCE",
    ))
    calls = tally.prices.create_price(CreatePriceRequest(
        **monthly, entity_type="PLAN", entity_id=plan.id, type="USAGE", meter_id=feature.meter_id,
        billing_model="TIERED", tier_mode="SLAB",  # graduated: each tier prices the calls inside it
        tiers=[
            PriceTierRequest(up_to=1000, unit_amount=DecimalInput("0.10")),
            PriceTierRequest(up_to=5000, unit_amount=DecimalInput("0.08"), flat_amount=DecimalInput("10")),
            PriceTierRequest(up_to=None, unit_amount=DecimalInput("0.05")),
        ],
        invoice_cadence="ARREAR",
    ))
    tally.entitlements.create_entitlement(CreateEntitlementRequest(
        entity_type="PLAN", entity_id=plan.id, feature_id=feature.id, feature_type="metered",
        usage_limit=1000, usage_reset_period="MONTHLY",
    ))
    coupon = tally.coupons.create_coupon(CreateCouponRequest(
        name="Launch", type="percentage", percentage_off=DecimalInput("20"), cadence="forever", coupon_code=f"LAUNCH{suffix}",
    ))

    pro = tally.plans.get_plan(plan.id)  # prices and entitlements embedded
    print(f"{pro.name}: {len(pro.prices)} prices, {len(pro.entitlements)} entitlement; fee {fee.display_amount}/month")

    cost = tally.prices.get_price_cost(calls.id, PriceCostRequest(quantity=DecimalInput("6000")))
    print(f"6000 calls cost {cost.amount} {cost.currency}: {' + '.join(t.amount for t in cost.breakdown)}")  # 480: 100 + 330 + 50

    found = tally.coupons.get_coupon_by_code(f"launch{suffix}")  # any letter case
    print(f"coupon {found.coupon_code}: {found.percentage_off} % off, {coupon.cadence.value}")
