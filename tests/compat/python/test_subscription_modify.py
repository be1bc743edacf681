"""`modify` types trial_end, coupon and tax through FlexPrice's Python SDK.

A plan of $20 a month in advance. A subscription with a 14-day trial has its trial moved 20 days out
(scheduled_date), then ended now (immediate: $20.00 for the first paid month on a SUBSCRIPTION_TRIAL_END
invoice). Another gets a 10% coupon attached and removed, and a 5% tax rate linked and unlinked.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from helpers import covers, unique


def _plan(flexprice) -> str:
    plan_id = flexprice.plans.create_plan(name="Modified", lookup_key=unique("mod-plan")).id
    flexprice.prices.create_price(
        entity_id=plan_id, entity_type="PLAN", currency="usd", billing_period="MONTHLY", billing_period_count=1,
        billing_model="FLAT_FEE", price_unit_type="FIAT", type_="FIXED", amount="20", invoice_cadence="ADVANCE", display_name="Seat",
    )
    return plan_id


@covers("subscriptions.preview_subscription_modify", "subscriptions.execute_subscription_modify")
def test_moves_then_ends_a_trial(flexprice):
    plan_id = _plan(flexprice)
    customer_id = flexprice.customers.create_customer(external_id=unique("mod-trial"), name="Trialist").id
    sub = flexprice.subscriptions.create_subscription(customer_id=customer_id, plan_id=plan_id, currency="usd", billing_period="MONTHLY", trial_period_days=14)
    assert sub.subscription_status == "trialing"

    later = (datetime.now(timezone.utc) + timedelta(days=20)).replace(microsecond=0)
    moved = flexprice.subscriptions.execute_subscription_modify(id=sub.id, type_="trial_end", trial_end_params={"action": "scheduled_date", "new_trial_end": later})
    [changed] = moved.changed_resources.subscriptions
    assert (changed.status, changed.trial_end, changed.current_period_end) == ("trialing", later, later)

    preview = flexprice.subscriptions.preview_subscription_modify(id=sub.id, type_="trial_end", trial_end_params={"action": "immediate"})
    ended = flexprice.subscriptions.execute_subscription_modify(id=sub.id, type_="trial_end", trial_end_params={"action": "immediate"})
    for answer in (preview, ended):
        [invoice] = answer.changed_resources.invoices
        assert (invoice.invoice.billing_reason, invoice.invoice.total, invoice.invoice.amount_due) == ("SUBSCRIPTION_TRIAL_END", "20", "20")
        assert answer.changed_resources.subscriptions[0].status == "incomplete"
    assert preview.changed_resources.invoices[0].id == "(preview)"
    assert ended.subscription.subscription_status == "incomplete"
    assert ended.subscription.trial_end == ended.subscription.current_period_start


@covers("subscriptions.execute_subscription_modify", "tax_associations.list_tax_associations")
def test_attaches_and_removes_a_coupon_and_a_tax_rate(flexprice):
    plan_id = _plan(flexprice)
    customer_id = flexprice.customers.create_customer(external_id=unique("mod-ct"), name="Discounted").id
    sub = flexprice.subscriptions.create_subscription(customer_id=customer_id, plan_id=plan_id, currency="usd", billing_period="MONTHLY")

    code = unique("TEN")
    coupon = flexprice.coupons.create_coupon(name="10%", type_="percentage", percentage_off="10", cadence="forever", coupon_code=code)
    added = flexprice.subscriptions.execute_subscription_modify(id=sub.id, type_="coupon", coupon_params={"action": "add", "coupon_code": code, "subscription_id": sub.id})
    [association] = added.subscription.coupon_associations
    assert (association.coupon_id, association.end_date) == (coupon.id, None)
    removed = flexprice.subscriptions.execute_subscription_modify(id=sub.id, type_="coupon", coupon_params={"action": "remove", "coupon_association_id": association.id})
    [ended] = removed.subscription.coupon_associations
    assert ended.id == association.id and ended.end_date is not None

    rate = flexprice.tax_rates.create_tax_rate(name="VAT", code=unique("VAT"), tax_rate_type="percentage", percentage_value="5")
    linked = flexprice.subscriptions.execute_subscription_modify(id=sub.id, type_="tax", tax_params={"action": "add", "tax_rate_id": rate.id})
    assert linked.subscription.id == sub.id
    links = flexprice.tax_associations.list_tax_associations(entity_type="subscription", entity_id=sub.id)
    [link] = [a for a in links.items if a.tax_rate_id == rate.id]
    assert (link.priority, link.auto_apply, link.currency, link.end_date) == (100, True, "usd", None)
    flexprice.subscriptions.execute_subscription_modify(id=sub.id, type_="tax", tax_params={"action": "remove", "tax_association_id": link.id})
    [unlinked] = [a for a in flexprice.tax_associations.list_tax_associations(entity_type="subscription", entity_id=sub.id).items if a.id == link.id]
    assert unlinked.end_date is not None
