"""Plans, prices, price units, addons, entitlements and coupons through FlexPrice's Python SDK."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone

import pytest
from flexprice.models import errors

from helpers import covers, unique


def monthly_fee(plan_id: str, amount: str) -> dict:
    return {
        "entity_type": "PLAN",
        "entity_id": plan_id,
        "type_": "FIXED",
        "currency": "usd",
        "amount": amount,
        "billing_period": "MONTHLY",
        "billing_period_count": 1,
        "billing_model": "FLAT_FEE",
        "invoice_cadence": "ADVANCE",
        "price_unit_type": "FIAT",
    }


def as_item(price: dict) -> dict:
    """The same price as an item of a bulk request (a TypedDict: the wire name `type`)."""
    item = dict(price)
    item["type"] = item.pop("type_")
    return item


@pytest.fixture(scope="module")
def meter_id(sdk) -> str:
    key = unique("cat-meter")
    meter = {"name": "Requests", "event_name": f"{key}.request", "aggregation": {"type": "COUNT"}, "reset_usage": "BILLING_PERIOD"}
    return sdk.features.create_feature(name="Requests", type_="metered", lookup_key=key, meter=meter).meter_id


@covers("plans.create_plan", "plans.get_plan", "plans.update_plan")
def test_creates_reads_and_updates_a_plan(flexprice):
    key = unique("pro")
    plan = flexprice.plans.create_plan(name="Pro", lookup_key=key, description="For teams", display_order=2, metadata={"tier": "pro"})
    assert plan.id.startswith("plan_")
    assert (plan.name, plan.lookup_key, plan.description, plan.display_order, plan.metadata) == ("Pro", key, "For teams", 2, {"tier": "pro"})
    price = flexprice.prices.create_price(**monthly_fee(plan.id, "49.90"))
    read = flexprice.plans.get_plan(id=plan.id)
    assert [(p.id, p.amount, p.display_amount) for p in read.prices] == [(price.id, "49.9", "$49.9")]
    updated = flexprice.plans.update_plan(id=plan.id, name="Pro 2", metadata={"tier": "pro2"})
    assert (updated.id, updated.name, updated.lookup_key, updated.metadata) == (plan.id, "Pro 2", key, {"tier": "pro2"})


@covers("plans.query_plan", "plans.clone_plan", "plans.delete_plan")
def test_searches_clones_and_deletes_plans(flexprice):
    key = unique("src")
    source = flexprice.plans.create_plan(name="Source", lookup_key=key, metadata={"a": "1"})
    flexprice.prices.create_price(**monthly_fee(source.id, "25"))
    found = flexprice.plans.query_plan(lookup_key=key, expand="prices")
    assert [(p.id, [x.amount for x in p.prices]) for p in found.items] == [(source.id, ["25"])]

    clone_key = unique("clone")
    clone = flexprice.plans.clone_plan(id=source.id, name="Clone", lookup_key=clone_key, metadata={"b": "2"})
    assert (clone.name, clone.lookup_key) == ("Clone", clone_key)
    assert clone.metadata == {"a": "1", "b": "2", "source_plan_id": source.id}
    assert [(p.amount, p.entity_id) for p in flexprice.plans.get_plan(id=clone.id).prices] == [("25", clone.id)]

    deleted = flexprice.plans.delete_plan(id=clone.id)
    assert deleted.message == "plan deleted successfully"
    assert flexprice.plans.query_plan(lookup_key=clone_key).pagination.total == 0


@covers("prices.create_price", "prices.get_price", "prices.get_price_by_lookup_key", "prices.query_price")
def test_creates_prices_and_reads_them(flexprice, meter_id):
    plan = flexprice.plans.create_plan(name="Priced", lookup_key=unique("priced"))
    key = unique("seat")
    flat = flexprice.prices.create_price(**monthly_fee(plan.id, "12.50"), lookup_key=key, display_name="Seat", metadata={"kind": "seat"})
    assert flat.id.startswith("price_")
    assert (flat.amount, flat.display_amount, flat.currency, flat.billing_model, flat.entity_id) == ("12.5", "$12.5", "usd", "FLAT_FEE", plan.id)
    tiered = flexprice.prices.create_price(
        entity_type="PLAN",
        entity_id=plan.id,
        type_="USAGE",
        meter_id=meter_id,
        currency="eur",
        billing_period="MONTHLY",
        billing_period_count=1,
        billing_model="TIERED",
        tier_mode="VOLUME",
        tiers=[{"up_to": 1000, "unit_amount": "0.10"}, {"unit_amount": "0.05", "flat_amount": "10"}],
        invoice_cadence="ARREAR",
        price_unit_type="FIAT",
    )
    assert [(t.up_to, t.unit_amount, t.flat_amount) for t in tiered.tiers] == [(1000, "0.1", None), (None, "0.05", "10")]
    assert (tiered.tier_mode, tiered.meter_id, tiered.currency) == ("VOLUME", meter_id, "eur")

    assert flexprice.prices.get_price(id=tiered.id).tiers[1].flat_amount == "10"
    assert flexprice.prices.get_price_by_lookup_key(lookup_key=key).id == flat.id
    page = flexprice.prices.query_price(plan_ids=[plan.id], order="asc")
    assert [p.id for p in page.items] == [flat.id, tiered.id]
    assert page.pagination.total == 2


@covers("prices.create_prices_bulk", "prices.update_price", "prices.delete_price")
def test_bulk_creates_updates_and_ends_prices(flexprice):
    plan = flexprice.plans.create_plan(name="Bulk", lookup_key=unique("bulk"))
    bulk = flexprice.prices.create_prices_bulk(items=[as_item(monthly_fee(plan.id, "1")), as_item(monthly_fee(plan.id, "2.25"))])
    assert [(p.amount, p.entity_id) for p in bulk.items] == [("1", plan.id), ("2.25", plan.id)]

    first = bulk.items[0]
    renamed = flexprice.prices.update_price(id=first.id, display_name="Base fee")
    assert (renamed.id, renamed.display_name, renamed.amount) == (first.id, "Base fee", "1")
    successor = flexprice.prices.update_price(id=first.id, amount="1.5")
    assert successor.id != first.id
    assert (successor.amount, successor.parent_price_id) == ("1.5", first.id)

    ended = flexprice.prices.delete_price(id=bulk.items[1].id, end_date="2099-01-01T00:00:00Z")
    assert ended.message == "price deleted successfully"
    end_date = flexprice.prices.get_price(id=bulk.items[1].id).end_date
    assert end_date == datetime(2099, 1, 1, tzinfo=timezone.utc)


@covers(
    "price_units.create_price_unit",
    "price_units.get_price_unit",
    "price_units.get_price_unit_by_code",
    "price_units.list_price_units",
    "price_units.query_price_unit",
    "price_units.update_price_unit",
    "price_units.delete_price_unit",
)
def test_price_units(flexprice):
    code = "p" + secrets.token_hex(1)
    unit = flexprice.price_units.create_price_unit(name="Credits", code=code, symbol="CR", base_currency="USD", conversion_rate="0.015", metadata={"a": "b"})
    assert unit.id.startswith("price_unit_")
    assert (unit.code, unit.base_currency, unit.conversion_rate, unit.metadata) == (code, "usd", "0.015", {"a": "b"})
    assert flexprice.price_units.get_price_unit(id=unit.id).symbol == "CR"
    assert flexprice.price_units.get_price_unit_by_code(code=code).id == unit.id
    assert unit.id in [u.id for u in flexprice.price_units.list_price_units(limit=1000).items]
    searched = flexprice.price_units.query_price_unit(price_unit_ids=[unit.id])
    assert [(u.id, u.name) for u in searched.items] == [(unit.id, "Credits")]

    renamed = flexprice.price_units.update_price_unit(id=unit.id, name="Credit packs")
    assert (renamed.name, renamed.conversion_rate) == ("Credit packs", "0.015")
    deleted = flexprice.price_units.delete_price_unit(id=unit.id)
    assert deleted.message == "Price unit deleted successfully"
    assert flexprice.price_units.get_price_unit(id=unit.id).status == "archived"


@covers("addons.create_addon", "addons.get_addon", "addons.get_addon_by_lookup_key", "addons.query_addon", "addons.update_addon", "addons.delete_addon")
def test_addons(flexprice):
    key = unique("storage")
    addon = flexprice.addons.create_addon(name="Extra storage", lookup_key=key, description="100 GB more", metadata={"gb": 100})
    assert addon.id.startswith("addon_")
    assert (addon.name, addon.lookup_key, addon.description, addon.metadata) == ("Extra storage", key, "100 GB more", {"gb": 100})
    assert flexprice.addons.get_addon(id=addon.id).prices == []
    assert flexprice.addons.get_addon_by_lookup_key(lookup_key=key).id == addon.id
    found = flexprice.addons.query_addon(lookup_keys=[key])
    assert [a.id for a in found.items] == [addon.id]

    updated = flexprice.addons.update_addon(id=addon.id, name="More storage", metadata={"gb": 200})
    assert (updated.name, updated.metadata) == ("More storage", {"gb": 200})
    deleted = flexprice.addons.delete_addon(id=addon.id)
    assert deleted.message == "addon deleted successfully"
    with pytest.raises(errors.FlexpriceError) as gone:
        flexprice.addons.get_addon_by_lookup_key(lookup_key=key)
    assert gone.value.status_code == 404


@covers(
    "entitlements.create_entitlement",
    "entitlements.create_entitlements_bulk",
    "entitlements.get_entitlement",
    "entitlements.get_plan_entitlements",
    "entitlements.get_addon_entitlements",
    "entitlements.query_entitlement",
    "entitlements.update_entitlement",
    "entitlements.delete_entitlement",
)
def test_entitlements(flexprice, meter_id):
    plan = flexprice.plans.create_plan(name="Entitled", lookup_key=unique("ent-plan"))
    addon = flexprice.addons.create_addon(name="Entitled addon", lookup_key=unique("ent-addon"))
    key = unique("ent-calls")
    metered = flexprice.features.create_feature(
        name="Calls", type_="metered", lookup_key=key, meter={"name": "Calls", "event_name": f"{key}.call", "aggregation": {"type": "COUNT"}, "reset_usage": "BILLING_PERIOD"}
    )
    flag = flexprice.features.create_feature(name="SSO", type_="boolean", lookup_key=unique("ent-sso"))
    config = flexprice.features.create_feature(name="Limits", type_="config", lookup_key=unique("ent-cfg"))

    ent = flexprice.entitlements.create_entitlement(plan_id=plan.id, feature_id=metered.id, feature_type="metered", usage_limit=1000, usage_reset_period="MONTHLY", is_soft_limit=True)
    assert ent.id.startswith("ent_")
    assert (ent.entity_type, ent.entity_id, ent.usage_limit, ent.usage_reset_period, ent.is_soft_limit) == ("PLAN", plan.id, 1000, "MONTHLY", True)
    read = flexprice.entitlements.get_entitlement(id=ent.id)
    assert (read.id, read.feature.id, read.feature.name) == (ent.id, metered.id, "Calls")

    bulk = flexprice.entitlements.create_entitlements_bulk(
        items=[
            {"plan_id": plan.id, "feature_id": flag.id, "feature_type": "boolean", "is_enabled": True},
            {"entity_type": "ADDON", "entity_id": addon.id, "feature_id": config.id, "feature_type": "config", "config_value": {"max_projects": 10}},
        ]
    )
    assert [(e.entity_type, e.feature_id) for e in bulk.items] == [("PLAN", flag.id), ("ADDON", config.id)]
    of_plan = flexprice.entitlements.get_plan_entitlements(id=plan.id)
    assert sorted(e.feature_id for e in of_plan.items) == sorted([metered.id, flag.id])
    of_addon = flexprice.entitlements.get_addon_entitlements(id=addon.id)
    assert [(e.feature_id, e.config_value) for e in of_addon.items] == [(config.id, {"max_projects": 10})]

    found = flexprice.entitlements.query_entitlement(plan_ids=[plan.id], feature_type="metered")
    assert [e.id for e in found.items] == [ent.id]
    updated = flexprice.entitlements.update_entitlement(id=ent.id, usage_limit=50, usage_reset_period="WEEKLY")
    assert (updated.usage_limit, updated.usage_reset_period) == (50, "WEEKLY")
    deleted = flexprice.entitlements.delete_entitlement(id=ent.id)
    assert deleted.message == "entitlement deleted successfully"
    assert [e.feature_id for e in flexprice.entitlements.get_plan_entitlements(id=plan.id).items] == [flag.id]


@covers("coupons.create_coupon", "coupons.get_coupon", "coupons.get_coupon_by_code", "coupons.query_coupon", "coupons.update_coupon", "coupons.delete_coupon")
def test_coupons(flexprice):
    code = unique("SPRING")
    fixed = flexprice.coupons.create_coupon(name="10 off", type_="fixed", amount_off="10.00", currency="USD", cadence="once", coupon_code=code, max_redemptions=100)
    assert fixed.id.startswith("coupon_")
    assert (fixed.type, fixed.amount_off, fixed.currency, fixed.cadence, fixed.max_redemptions) == ("fixed", "10", "usd", "once", 100)
    assert fixed.coupon_code == code.lower()
    pct = flexprice.coupons.create_coupon(name="20%", type_="percentage", percentage_off="20", cadence="repeated", duration_in_periods=3)
    assert (pct.percentage_off, pct.duration_in_periods) == ("20", 3)

    assert flexprice.coupons.get_coupon(id=pct.id).name == "20%"
    assert flexprice.coupons.get_coupon_by_code(code=code.upper()).id == fixed.id
    found = flexprice.coupons.query_coupon(coupon_ids=[fixed.id, pct.id], order="asc")
    assert [c.id for c in found.items] == [fixed.id, pct.id]

    renamed = flexprice.coupons.update_coupon(id=pct.id, name="Twenty", metadata={"k": "v"})
    assert (renamed.name, renamed.metadata) == ("Twenty", {"k": "v"})
    deleted = flexprice.coupons.delete_coupon(id=fixed.id)
    assert deleted == {"message": "Coupon deleted successfully"}
    with pytest.raises(errors.FlexpriceError) as gone:
        flexprice.coupons.get_coupon_by_code(code=code)
    assert gone.value.status_code == 404
