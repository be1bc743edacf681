"""Addons on a subscription through FlexPrice's Python SDK.

A plan of $20 a month in advance; an addon "Backups" of $10 a month in advance, attached now with
prorations (a PRORATION invoice for the rest of the period), listed, and removed at the period end.
"""

from __future__ import annotations

from helpers import covers, unique

MONTHLY = dict(currency="usd", billing_period="MONTHLY", billing_period_count=1, billing_model="FLAT_FEE", price_unit_type="FIAT", type_="FIXED", invoice_cadence="ADVANCE")


@covers(
    "subscriptions.add_subscription_addon",
    "subscriptions.get_subscription_addon_associations",
    "subscriptions.remove_subscription_addon",
)
def test_attaches_lists_and_removes_an_addon(flexprice):
    plan_id = flexprice.plans.create_plan(name="Host", lookup_key=unique("ad-plan")).id
    flexprice.prices.create_price(entity_id=plan_id, entity_type="PLAN", amount="20", display_name="Hosting", **MONTHLY)
    addon_id = flexprice.addons.create_addon(name="Backups", lookup_key=unique("ad-addon")).id
    flexprice.prices.create_price(entity_id=addon_id, entity_type="ADDON", amount="10", display_name="Backups", **MONTHLY)
    customer_id = flexprice.customers.create_customer(external_id=unique("ad-py"), name="Backer").id
    sub = flexprice.subscriptions.create_subscription(customer_id=customer_id, plan_id=plan_id, currency="usd", billing_period="MONTHLY")

    attached = flexprice.subscriptions.add_subscription_addon(subscription_id=sub.id, addon_id=addon_id, cadence="recurring", proration_behavior="create_prorations")
    assert (attached.entity_id, attached.addon_id, attached.addon_status) == (sub.id, addon_id, "active")
    assert attached.id.startswith("addon_assoc_")

    listed = flexprice.subscriptions.get_subscription_addon_associations(id=sub.id)
    assert [(a.id, a.addon.name) for a in listed.items] == [(attached.id, "Backups")]
    assert listed.pagination.total == 1

    removed = flexprice.subscriptions.remove_subscription_addon(addon_association_id=attached.id, reason="not needed")
    assert removed.message == "addon removed from subscription successfully"
    assert flexprice.subscriptions.get_subscription_addon_associations(id=sub.id).items == []
    read = flexprice.subscriptions.get_subscription(id=sub.id)
    assert [l.end_date for l in read.line_items if l.entity_type == "addon"] == [read.current_period_end]


@covers("subscriptions.preview_subscription_modify", "subscriptions.execute_subscription_modify")
def test_attaches_and_removes_an_addon_through_modify(flexprice):
    plan_id = flexprice.plans.create_plan(name="Host", lookup_key=unique("adm-plan")).id
    flexprice.prices.create_price(entity_id=plan_id, entity_type="PLAN", amount="20", display_name="Hosting", **MONTHLY)
    addon_id = flexprice.addons.create_addon(name="Backups", lookup_key=unique("adm-addon")).id
    flexprice.prices.create_price(entity_id=addon_id, entity_type="ADDON", amount="10", display_name="Backups", **MONTHLY)
    customer_id = flexprice.customers.create_customer(external_id=unique("adm-py"), name="Modifier").id
    sub = flexprice.subscriptions.create_subscription(customer_id=customer_id, plan_id=plan_id, currency="usd", billing_period="MONTHLY")

    add = {"action": "add", "add": {"addon_id": addon_id}}
    preview = flexprice.subscriptions.preview_subscription_modify(id=sub.id, type_="addon", addon_params=add)
    executed = flexprice.subscriptions.execute_subscription_modify(id=sub.id, type_="addon", addon_params=add)
    for answer in (preview, executed):
        assert [(l.change_action, l.quantity) for l in answer.changed_resources.line_items] == [("created", "1")]
        assert not answer.changed_resources.invoices
    assert preview.changed_resources.line_items[0].id == "(preview-created)"
    [association] = flexprice.subscriptions.get_subscription_addon_associations(id=sub.id).items

    remove = {"action": "remove", "remove": {"addon_association_id": association.id}}
    removed = flexprice.subscriptions.execute_subscription_modify(id=sub.id, type_="addon", addon_params=remove)
    assert [(l.change_action, l.end_date) for l in removed.changed_resources.line_items] == [("ended", sub.current_period_end)]
    assert flexprice.subscriptions.get_subscription_addon_associations(id=sub.id).items == []


@covers("subscriptions.preview_subscription_plan_change_v2", "subscriptions.execute_subscription_plan_change_v2")
def test_drops_an_addon_at_a_plan_change(flexprice):
    plan_id = flexprice.plans.create_plan(name="Host", lookup_key=unique("adc-plan")).id
    flexprice.prices.create_price(entity_id=plan_id, entity_type="PLAN", amount="20", display_name="Hosting", **MONTHLY)
    bigger = flexprice.plans.create_plan(name="Host XL", lookup_key=unique("adc-plan-xl")).id
    flexprice.prices.create_price(entity_id=bigger, entity_type="PLAN", amount="40", display_name="Hosting XL", **MONTHLY)
    addon_id = flexprice.addons.create_addon(name="Backups", lookup_key=unique("adc-addon")).id
    flexprice.prices.create_price(entity_id=addon_id, entity_type="ADDON", amount="10", display_name="Backups", **MONTHLY)
    customer_id = flexprice.customers.create_customer(external_id=unique("adc-py"), name="Dropper").id
    sub = flexprice.subscriptions.create_subscription(customer_id=customer_id, plan_id=plan_id, currency="usd", billing_period="MONTHLY")
    association = flexprice.subscriptions.add_subscription_addon(subscription_id=sub.id, addon_id=addon_id)

    body = dict(target_plan_id=bigger, proration_behavior="none", entity_policies={"addons": {"default_behaviour": "drop"}})
    preview = flexprice.subscriptions.preview_subscription_plan_change_v2(id=sub.id, **body)
    done = flexprice.subscriptions.execute_subscription_plan_change_v2(id=sub.id, **body)
    for answer in (preview, done):
        assert [(c.entity_type, c.entity_id, c.reference_id, c.behaviour) for c in answer.entity_changes] == [("addon", addon_id, association.id, "drop")]
        assert (answer.change_type, answer.warnings) == ("upgrade", [])
    assert flexprice.subscriptions.get_subscription_addon_associations(id=sub.id).items == []
    read = flexprice.subscriptions.get_subscription(id=sub.id)
    assert read.plan_id == bigger
    assert all(l.end_date is not None for l in read.line_items if l.entity_type == "addon")
