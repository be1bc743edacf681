"""What customers and apps ask at run time, through FlexPrice's Python SDK on the server's wall clock.

A plan at $0.01 a call with 1,000 calls included a month; a customer subscribed now who has made
3,000 calls: its entitlements (by id and external id), its subscriptions by external id, its usage
against the allowance (300%), the usage's charges so far ($20 for the 2,000 beyond the allowance)
and the calls' list cost ($30).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Dict

import pytest

from helpers import covers, unique


@pytest.fixture(scope="module")
def caller(sdk) -> Dict[str, str]:
    key = unique("rt-calls")
    event_name = f"{key}.call"
    meter = {"name": "Calls", "event_name": event_name, "aggregation": {"type": "COUNT"}, "reset_usage": "BILLING_PERIOD"}
    feature = sdk.features.create_feature(name="Calls", type_="metered", lookup_key=key, meter=meter)
    plan = sdk.plans.create_plan(name="Metered", lookup_key=unique("rt-plan")).id
    sdk.prices.create_price(
        entity_id=plan, entity_type="PLAN", currency="usd", billing_period="MONTHLY", billing_period_count=1, billing_model="FLAT_FEE",
        price_unit_type="FIAT", type_="USAGE", meter_id=feature.meter_id, amount="0.01", invoice_cadence="ARREAR", display_name="Calls",
    )
    sdk.entitlements.create_entitlement(plan_id=plan, feature_id=feature.id, feature_type="metered", usage_limit=1000, usage_reset_period="MONTHLY")
    external_id = unique("rt-customer")
    customer = sdk.customers.create_customer(external_id=external_id, name="Caller").id
    sub = sdk.subscriptions.create_subscription(customer_id=customer, plan_id=plan, currency="usd", billing_period="MONTHLY").id
    for batch in range(3):
        events = [{"event_id": f"{sub}-{batch}-{i}", "event_name": event_name, "external_customer_id": external_id} for i in range(1000)]
        sdk.events.ingest_events_bulk(events=events)
    return {"feature": feature.id, "plan": plan, "customer": customer, "external_id": external_id, "subscription": sub}


@covers("subscriptions.get_subscription_entitlements", "customers.get_customer_entitlements", "customers.get_customer_entitlements_by_external_id")
def test_reads_entitlements_of_a_subscription_and_a_customer(flexprice, caller):
    sub = flexprice.subscriptions.get_subscription_entitlements(id=caller["subscription"], feature_ids=[caller["feature"]])
    assert (sub.subscription_id, sub.plan_id) == (caller["subscription"], caller["plan"])
    [feature] = sub.features
    assert feature.feature.id == caller["feature"]
    assert (feature.entitlement.is_enabled, feature.entitlement.usage_limit, feature.entitlement.usage_reset_period) == (True, 1000, "MONTHLY")
    [source] = feature.sources
    assert (source.subscription_id, source.entity_type, source.entity_id, source.entity_name, source.usage_limit) == (caller["subscription"], "plan", caller["plan"], "Metered", 1000)

    for customer in (
        flexprice.customers.get_customer_entitlements(id=caller["customer"]),
        flexprice.customers.get_customer_entitlements_by_external_id(external_id=caller["external_id"]),
    ):
        assert customer.customer_id == caller["customer"]
        assert [(f.feature.id, f.entitlement.usage_limit) for f in customer.features] == [(caller["feature"], 1000)]


@covers("customers.get_subscriptions_for_customer")
def test_lists_a_customers_subscriptions_by_external_id(flexprice, caller):
    listed = flexprice.customers.get_subscriptions_for_customer(external_id=caller["external_id"], expand="subscription_line_items")
    assert [s.id for s in listed.items] == [caller["subscription"]]
    assert [l.display_name for l in listed.items[0].line_items] == ["Calls"]


@covers("customers.get_customer_usage_summary")
def test_summarises_usage_against_the_allowance(flexprice, caller):
    summary = flexprice.customers.get_customer_usage_summary(customer_id=caller["customer"], feature_ids=[caller["feature"]])
    assert summary.customer_id == caller["customer"]
    [feature] = summary.features
    assert (feature.current_usage, feature.total_limit, feature.usage_percent, feature.is_unlimited) == ("3000", 1000, "300", False)


@covers("subscriptions.get_subscription_usage")
def test_prices_the_usage_so_far(flexprice, caller):
    usage = flexprice.subscriptions.get_subscription_usage(subscription_id=caller["subscription"])
    assert (usage.amount, usage.currency, usage.display_amount) == (20, "usd", "$20")  # 2,000 beyond the allowance × $0.01
    [charge] = usage.charges
    assert (charge.quantity, charge.amount, charge.is_overage) == (2000, 20, False)


@covers("events.get_usage_analytics")
def test_reports_the_list_cost_of_the_calls(flexprice, caller):
    now = datetime.now(timezone.utc)
    analytics = flexprice.events.get_usage_analytics(external_customer_id=caller["external_id"], start_time=now - timedelta(hours=1), end_time=now + timedelta(minutes=1))
    assert (analytics.total_cost, analytics.currency) == ("30", "usd")  # 3,000 × $0.01
    [item] = analytics.items
    assert (item.feature_id, item.subscription_id, item.total_usage, item.total_cost) == (caller["feature"], caller["subscription"], "3000", "30")
