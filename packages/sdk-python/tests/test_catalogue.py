"""The catalogue end to end through the Python SDK against a live Tally.

FlexPrice's documented pricing example: a metered feature with its own meter, a plan with a
$49/month fixed fee and a graduated (SLAB) usage price, an entitlement of 1000 calls a month, and
a 20 % coupon.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Iterator

import pytest

from tally_sdk import (
    CouponResponse,
    CreateCouponRequest,
    CreateEntitlementRequest,
    CreateFeatureRequest,
    CreateMeterRequest,
    CreatePlanRequest,
    CreatePriceRequest,
    DecimalInput,
    EntitlementResponse,
    FeatureResponse,
    FilterCondition,
    FilterValue,
    MeterAggregationRequest,
    PlanFilter,
    PlanResponse,
    PriceCostRequest,
    PriceResponse,
    PriceTierRequest,
    Tally,
)
from tally_server import RunningTally


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@dataclass
class Catalogue:
    feature: FeatureResponse
    plan: PlanResponse
    fixed: PriceResponse
    usage: PriceResponse
    entitlement: EntitlementResponse
    coupon: CouponResponse
    coupon_code: str


@pytest.fixture(scope="module")
def client(server: RunningTally) -> Iterator[Tally]:
    with Tally(server.api_key, server.base_url, initial_retry_delay=0.01, max_retry_delay=0.05) as tally:
        yield tally


@pytest.fixture(scope="module")
def catalogue(client: Tally) -> Catalogue:
    feature = client.features.create_feature(
        CreateFeatureRequest(
            name="API calls",
            type="metered",
            lookup_key=unique("api_calls"),
            unit_singular="call",
            unit_plural="calls",
            meter=CreateMeterRequest(
                name="API calls", event_name="api_call", aggregation=MeterAggregationRequest(type="COUNT"), reset_usage="BILLING_PERIOD"
            ),
        )
    )
    plan = client.plans.create_plan(CreatePlanRequest(name="Pro", lookup_key=unique("pro_monthly"), description="For growing teams"))
    fixed = client.prices.create_price(
        CreatePriceRequest(
            entity_type="PLAN",
            entity_id=plan.id,
            type="FIXED",
            price_unit_type="FIAT",
            currency="usd",
            amount=DecimalInput("49"),
            billing_model="FLAT_FEE",
            billing_period="MONTHLY",
            billing_period_count=1,
            invoice_cadence="ADVANCE",
            lookup_key=unique("pro_base_usd"),
            display_name="Platform fee",
        )
    )
    usage = client.prices.create_price(
        CreatePriceRequest(
            entity_type="PLAN",
            entity_id=plan.id,
            type="USAGE",
            price_unit_type="FIAT",
            currency="usd",
            meter_id=feature.meter_id,
            billing_model="TIERED",
            tier_mode="SLAB",
            tiers=[
                PriceTierRequest(up_to=1000, unit_amount=DecimalInput("0.10")),
                PriceTierRequest(up_to=5000, unit_amount=DecimalInput("0.08"), flat_amount=DecimalInput("10")),
                PriceTierRequest(up_to=None, unit_amount=DecimalInput("0.05")),
            ],
            billing_period="MONTHLY",
            billing_period_count=1,
            invoice_cadence="ARREAR",
            lookup_key=unique("pro_api_calls_usd"),
            display_name="API calls",
        )
    )
    entitlement = client.entitlements.create_entitlement(
        CreateEntitlementRequest(
            entity_type="PLAN",
            entity_id=plan.id,
            feature_id=feature.id,
            feature_type="metered",
            usage_limit=1000,
            usage_reset_period="MONTHLY",
        )
    )
    coupon_code = unique("launch20").upper()
    coupon = client.coupons.create_coupon(
        CreateCouponRequest(name="Launch 20 %", type="percentage", percentage_off=DecimalInput("20"), cadence="forever", coupon_code=coupon_code)
    )
    return Catalogue(feature, plan, fixed, usage, entitlement, coupon, coupon_code)


def test_metered_feature_with_its_own_count_meter(catalogue: Catalogue) -> None:
    feature = catalogue.feature
    assert re.fullmatch(r"feat_[0-9A-Z]{26}", feature.id)
    assert (feature.type.value, feature.name, feature.status.value) == ("metered", "API calls", "published")
    assert feature.meter_id.startswith("meter_")


def test_plan_and_prices_with_amounts_as_decimal_strings(catalogue: Catalogue) -> None:
    plan, fixed, usage = catalogue.plan, catalogue.fixed, catalogue.usage
    assert re.fullmatch(r"plan_[0-9A-Z]{26}", plan.id)
    assert (plan.name, plan.description, plan.status.value) == ("Pro", "For growing teams", "published")

    assert (fixed.entity_type.value, fixed.entity_id, fixed.type.value, fixed.price_unit_type.value) == ("PLAN", plan.id, "FIXED", "FIAT")
    assert (fixed.currency, fixed.amount, fixed.display_amount) == ("usd", "49", "$49")
    assert (fixed.billing_model.value, fixed.billing_period.value, fixed.billing_period_count, fixed.invoice_cadence.value) == (
        "FLAT_FEE", "MONTHLY", 1, "ADVANCE")
    assert fixed.meter_id == ""

    assert (usage.entity_id, usage.type.value, usage.billing_model.value, usage.tier_mode.value) == (plan.id, "USAGE", "TIERED", "SLAB")
    assert (usage.invoice_cadence.value, usage.meter_id) == ("ARREAR", catalogue.feature.meter_id)
    # "0.10" comes back with its trailing zero trimmed; the open-ended last tier has no up_to.
    assert [(t.up_to, t.unit_amount) for t in usage.tiers] == [(1000, "0.1"), (5000, "0.08"), (None, "0.05")]
    assert usage.tiers[1].flat_amount == "10"


def test_monthly_usage_limit_on_the_plan(catalogue: Catalogue) -> None:
    entitlement = catalogue.entitlement
    assert re.fullmatch(r"ent_[0-9A-Z]{26}", entitlement.id)
    assert (entitlement.entity_type.value, entitlement.entity_id, entitlement.feature_id, entitlement.feature_type.value) == (
        "PLAN", catalogue.plan.id, catalogue.feature.id, "metered")
    assert (entitlement.usage_limit, entitlement.usage_reset_period, entitlement.is_enabled) == (1000, "MONTHLY", True)


def test_plan_embeds_both_prices_and_the_entitlement(client: Tally, catalogue: Catalogue) -> None:
    read = client.plans.get_plan(catalogue.plan.id)
    assert read.id == catalogue.plan.id
    assert sorted(p.id for p in read.prices) == sorted([catalogue.fixed.id, catalogue.usage.id])
    assert [e.id for e in read.entitlements] == [catalogue.entitlement.id]
    embedded_usage = next(p for p in read.prices if p.id == catalogue.usage.id)
    assert [t.unit_amount for t in embedded_usage.tiers] == ["0.1", "0.08", "0.05"]
    assert next(p for p in read.prices if p.id == catalogue.fixed.id).amount == "49"


def test_cost_preview_of_the_graduated_usage_price(client: Tally, catalogue: Catalogue) -> None:
    six_thousand = client.prices.get_price_cost(catalogue.usage.id, PriceCostRequest(quantity=DecimalInput("6000")))
    # 1000 × 0.10 + (4000 × 0.08 + 10) + 1000 × 0.05 = 100 + 330 + 50
    assert (six_thousand.price_id, six_thousand.currency, six_thousand.quantity, six_thousand.amount) == (catalogue.usage.id, "usd", "6000", "480")
    assert (six_thousand.billing_model.value, six_thousand.tier_mode.value) == ("TIERED", "SLAB")
    assert [tier.amount for tier in six_thousand.breakdown] == ["100", "330", "50"]

    one_thousand = client.prices.get_price_cost(catalogue.usage.id, PriceCostRequest(quantity=DecimalInput("1000")))
    assert one_thousand.amount == "100"


def test_cost_preview_of_the_fixed_fee(client: Tally, catalogue: Catalogue) -> None:
    cost = client.prices.get_price_cost(catalogue.fixed.id, PriceCostRequest(quantity=DecimalInput("3")))
    assert (cost.billing_model.value, cost.quantity, cost.amount) == ("FLAT_FEE", "3", "147")


def test_coupon_found_by_its_code_in_another_letter_case(client: Tally, catalogue: Catalogue) -> None:
    coupon, code = catalogue.coupon, catalogue.coupon_code
    assert (coupon.type.value, coupon.cadence.value, coupon.percentage_off, coupon.coupon_code, coupon.total_redemptions) == (
        "percentage", "forever", "20", code.lower(), 0)
    assert client.coupons.get_coupon_by_code(code.lower()).id == coupon.id
    assert client.coupons.get_coupon_by_code(code).id == coupon.id


def test_plan_appears_in_search_and_list(client: Tally, catalogue: Catalogue) -> None:
    plan = catalogue.plan
    by_lookup_key = client.plans.query_plan(PlanFilter(lookup_key=plan.lookup_key, expand="prices"))
    assert [p.id for p in by_lookup_key.items] == [plan.id]
    assert sorted(p.id for p in by_lookup_key.items[0].prices) == sorted([catalogue.fixed.id, catalogue.usage.id])

    by_name = FilterCondition(field="name", operator="eq", data_type="string", value=FilterValue(string="Pro"))
    found = client.collect_all(lambda limit, offset: client.plans.query_plan(PlanFilter(limit=limit, offset=offset, filters=[by_name])))
    assert plan.id in [p.id for p in found]

    listed = client.collect_all(lambda limit, offset: client.plans.list_plans(limit=limit, offset=offset))
    assert plan.id in [p.id for p in listed]
