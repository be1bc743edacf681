"""Credit grants through FlexPrice's Python SDK: a plan's grant copied onto a subscription, a subscription's own grant, upcoming applications."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flexprice.models import errors

from helpers import covers, unique


@pytest.fixture(scope="module")
def plan_id(sdk) -> str:
    plan = sdk.plans.create_plan(name="Granted", lookup_key=unique("cg-plan")).id
    sdk.prices.create_price(entity_id=plan, entity_type="PLAN", currency="usd", billing_period="MONTHLY", billing_period_count=1, billing_model="FLAT_FEE", price_unit_type="FIAT", type_="FIXED", amount="20", invoice_cadence="ADVANCE")
    return plan


@covers("credit_grants.create_credit_grant", "credit_grants.get_credit_grant", "credit_grants.get_plan_credit_grants", "subscriptions.get_subscription_upcoming_grants", "customers.get_customer_upcoming_grants")
def test_a_plans_monthly_grant_credits_a_new_subscription(flexprice, plan_id):
    template = flexprice.credit_grants.create_credit_grant(name="Monthly credits", scope="PLAN", plan_id=plan_id, credits="1000", cadence="RECURRING", period="MONTHLY", period_count=1, expiration_type="BILLING_CYCLE", priority=1)
    assert template.id.startswith("cg_")
    assert (template.scope, template.credits, template.period, template.expiration_type) == ("PLAN", "1000", "MONTHLY", "BILLING_CYCLE")
    assert flexprice.credit_grants.get_credit_grant(id=template.id).plan_id == plan_id
    assert [g.id for g in flexprice.credit_grants.get_plan_credit_grants(id=plan_id).items] == [template.id]
    customer = flexprice.customers.create_customer(external_id=unique("granted"), name="Granted")
    sub = flexprice.subscriptions.create_subscription(customer_id=customer.id, plan_id=plan_id, currency="usd", billing_period="MONTHLY")
    assert [w.credit_balance for w in flexprice.wallets.get_wallets_by_customer_id(id=customer.id)] == ["1000"]
    upcoming = flexprice.subscriptions.get_subscription_upcoming_grants(id=sub.id).items
    assert [(a.application_status, a.application_reason, float(a.credits)) for a in upcoming] == [("pending", "recurring_credit_grant", 1000.0)]
    assert [a.id for a in flexprice.customers.get_customer_upcoming_grants(id=customer.id).items] == [a.id for a in upcoming]


@covers("credit_grants.update_credit_grant", "credit_grants.delete_credit_grant", "credit_grants.get_addon_credit_grants")
def test_updates_and_deletes_a_subscription_grant(flexprice, plan_id):
    customer = flexprice.customers.create_customer(external_id=unique("boosted"), name="Boosted")
    sub = flexprice.subscriptions.create_subscription(customer_id=customer.id, plan_id=plan_id, currency="usd", billing_period="MONTHLY")
    start = datetime.now(timezone.utc) + timedelta(days=1)
    grant = flexprice.credit_grants.create_credit_grant(name="Boost", scope="SUBSCRIPTION", subscription_id=sub.id, credits="50", cadence="ONETIME", expiration_type="NEVER", start_date=start)
    renamed = flexprice.credit_grants.update_credit_grant(id=grant.id, name="Big boost", metadata={"reason": "support"})
    assert (renamed.name, renamed.metadata) == ("Big boost", {"reason": "support"})
    flexprice.credit_grants.delete_credit_grant(id=grant.id)
    assert [a for a in flexprice.subscriptions.get_subscription_upcoming_grants(id=sub.id).items if a.credit_grant_id == grant.id] == []
    addon = flexprice.addons.create_addon(name="Extra", lookup_key=unique("cg-addon"))
    on_addon = flexprice.credit_grants.create_credit_grant(name="Addon credits", scope="ADDON", addon_id=addon.id, credits="10", cadence="ONETIME", expiration_type="NEVER")
    assert [g.id for g in flexprice.credit_grants.get_addon_credit_grants(id=addon.id).items] == [on_addon.id]
    with pytest.raises(errors.FlexpriceError) as refused:
        flexprice.credit_grants.create_credit_grant(name="No plan", scope="PLAN", credits="5", cadence="ONETIME", expiration_type="NEVER")
    assert refused.value.status_code == 400
