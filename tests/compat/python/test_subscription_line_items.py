"""A subscription's line items after its creation, and a quantity change, through FlexPrice's Python SDK.

A plan of $20 a month in advance; a customer subscribed now. A line item added from the plan's price,
re-priced to $25, found by search; its seats raised 1 → 3 from the period start (preview, then
execute: $40.00, the whole period, on a PRORATION invoice); then ended.
"""

from __future__ import annotations

from helpers import covers, unique


@covers(
    "subscriptions.create_subscription_line_item",
    "subscriptions.update_subscription_line_item",
    "subscriptions.query_subscription_line_items",
    "subscriptions.preview_subscription_modify",
    "subscriptions.execute_subscription_modify",
    "subscriptions.delete_subscription_line_item",
)
def test_adds_reprices_raises_and_ends_a_line_item(flexprice):
    plan_id = flexprice.plans.create_plan(name="Seats", lookup_key=unique("li-seats")).id
    price = flexprice.prices.create_price(
        entity_id=plan_id, entity_type="PLAN", currency="usd", billing_period="MONTHLY", billing_period_count=1,
        billing_model="FLAT_FEE", price_unit_type="FIAT", type_="FIXED", amount="20", invoice_cadence="ADVANCE", display_name="Seat",
    )
    customer_id = flexprice.customers.create_customer(external_id=unique("li-py"), name="Seater").id
    sub = flexprice.subscriptions.create_subscription(customer_id=customer_id, plan_id=plan_id, currency="usd", billing_period="MONTHLY")
    plan_line = sub.line_items[0]

    added = flexprice.subscriptions.create_subscription_line_item(id=sub.id, price_id=price.id, display_name="Extra seat")
    assert (added.subscription_id, added.price_id, added.display_name, added.quantity, added.entity_type) == (sub.id, price.id, "Extra seat", "1", "plan")

    repriced = flexprice.subscriptions.update_subscription_line_item(id=added.id, amount="25")
    assert repriced.id != added.id
    assert (repriced.price.amount, repriced.price.parent_price_id) == ("25", price.id)

    found = flexprice.subscriptions.query_subscription_line_items(subscription_ids=[sub.id])
    assert sorted(l.id for l in found.items) == sorted([plan_line.id, repriced.id])

    change = {"line_items": [{"id": plan_line.id, "quantity": "3", "effective_date": sub.current_period_start}]}
    preview = flexprice.subscriptions.preview_subscription_modify(id=sub.id, type_="quantity_change", quantity_change_params=change)
    executed = flexprice.subscriptions.execute_subscription_modify(id=sub.id, type_="quantity_change", quantity_change_params=change)
    for answer in (preview, executed):
        [invoice] = answer.changed_resources.invoices
        assert (invoice.invoice.billing_reason, invoice.invoice.total) == ("PRORATION", "40")
        assert [(l.quantity, l.amount) for l in invoice.invoice.line_items] == [("2", "40")]
    assert preview.changed_resources.invoices[0].id == "(preview)"
    assert executed.changed_resources.invoices[0].invoice.invoice_status == "FINALIZED"

    ended = flexprice.subscriptions.delete_subscription_line_item(id=repriced.id)
    assert ended.id == repriced.id and ended.end_date is not None
