"""Features, events and usage through FlexPrice's Python SDK."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from flexprice.models import errors

from helpers import covers, unique

START = "2025-04-01T00:00:00Z"
END = "2025-04-04T00:00:00Z"


def _metered(flexprice, key: str, aggregation: dict, event_name: str, filters=None):
    meter = {"name": key, "event_name": event_name, "aggregation": aggregation, "reset_usage": "BILLING_PERIOD"}
    if filters:
        meter["filters"] = filters
    return flexprice.features.create_feature(name=key, type_="metered", lookup_key=key, meter=meter)


@covers("features.create_feature")
def test_creates_metered_and_boolean_features(flexprice):
    key = unique("tokens")
    feature = flexprice.features.create_feature(
        name="LLM tokens",
        type_="metered",
        lookup_key=key,
        description="Tokens used by completions",
        unit_singular="token",
        unit_plural="tokens",
        metadata={"team": "ai"},
        meter={
            "name": "Tokens",
            "event_name": f"{key}.completion",
            "aggregation": {"type": "SUM", "field": "tokens"},
            "reset_usage": "BILLING_PERIOD",
            "filters": [{"key": "model", "values": ["gpt-4o"]}],
        },
    )
    assert feature.id.startswith("feat_") and feature.meter_id.startswith("meter_")
    assert (feature.name, feature.type, feature.lookup_key, feature.unit_plural) == ("LLM tokens", "metered", key, "tokens")
    assert feature.metadata == {"team": "ai"}
    flag = flexprice.features.create_feature(name="SSO", type_="boolean", lookup_key=unique("sso"))
    assert (flag.name, flag.type) == ("SSO", "boolean")


@covers("features.query_feature", "features.update_feature")
def test_searches_and_updates_features(flexprice):
    key = unique("calls")
    created = _metered(flexprice, key, {"type": "COUNT"}, f"{key}.call", [{"key": "region", "values": ["eu"]}])
    found = flexprice.features.query_feature(lookup_keys=[key])
    assert [f.id for f in found.items] == [created.id]
    assert found.pagination.total == 1

    updated = flexprice.features.update_feature(id=created.id, name="API requests", description="Every request", filters=[{"key": "region", "values": ["us"]}])
    assert (updated.id, updated.name, updated.description) == (created.id, "API requests", "Every request")
    expanded = flexprice.features.query_feature(feature_ids=[created.id], expand="meters")
    assert [(f.key, f.values) for f in expanded.items[0].meter.filters] == [("region", ["eu", "us"])]


@covers("features.clone_feature", "features.delete_feature")
def test_clones_and_deletes_a_feature(flexprice):
    key = unique("source")
    source = _metered(flexprice, key, {"type": "SUM", "field": "gb"}, f"{key}.stored")
    clone_key = unique("clone")
    clone = flexprice.features.clone_feature(id=source.id, name="Clone", lookup_key=clone_key)
    assert (clone.name, clone.lookup_key, clone.type) == ("Clone", clone_key, "metered")
    assert clone.id != source.id and clone.meter_id != source.meter_id

    deleted = flexprice.features.delete_feature(id=clone.id)
    assert deleted.message == "feature deleted successfully"
    assert flexprice.features.query_feature(lookup_keys=[clone_key]).pagination.total == 0


@covers("events.ingest_event", "events.get_event")
def test_ingests_an_event_and_looks_it_up(flexprice):
    customer, name, event_id = unique("ev-cust"), unique("api_call"), unique("evt")
    accepted = flexprice.events.ingest_event(
        event_id=event_id,
        event_name=name,
        external_customer_id=customer,
        timestamp="2025-04-01T10:00:00Z",
        source="sdk",
        properties={"region": "eu", "tokens": "120"},
    )
    assert accepted == {"message": "Event accepted for processing", "event_id": event_id}

    # The Python SDK reads an event with GET /events/lookup?id= and requires external_customer_id
    # (and offers a time window); Tally, like FlexPrice's server of the reference, looks up by id alone.
    found = flexprice.events.get_event(id=event_id, external_customer_id=customer)
    assert found.status == "processed"
    assert (found.event.id, found.event.event_name, found.event.external_customer_id) == (event_id, name, customer)
    assert found.event.properties == {"region": "eu", "tokens": "120"}
    assert found.event.timestamp in ("2025-04-01T10:00:00Z", datetime(2025, 4, 1, 10, tzinfo=timezone.utc))
    with pytest.raises(errors.FlexpriceError) as missing:
        flexprice.events.get_event(id=unique("nope"), external_customer_id=customer)
    assert missing.value.status_code == 404


@covers("events.ingest_events_bulk", "events.list_raw_events", "events.get_usage_statistics", "events.get_usage_by_meter")
def test_ingests_a_batch_lists_it_and_aggregates_usage(flexprice):
    customer, name = unique("bulk-cust"), unique("storage")
    accepted = flexprice.events.ingest_events_bulk(
        events=[
            {"event_id": f"{name}-1", "event_name": name, "external_customer_id": customer, "timestamp": "2025-04-01T09:00:00Z", "properties": {"region": "eu", "gb": "1.5"}},
            {"event_id": f"{name}-2", "event_name": name, "external_customer_id": customer, "timestamp": "2025-04-02T09:00:00Z", "properties": {"region": "us", "gb": "2"}},
            {"event_id": f"{name}-3", "event_name": name, "external_customer_id": customer, "timestamp": "2025-04-03T09:00:00Z", "properties": {"region": "eu", "gb": "4.25"}},
        ]
    )
    # FlexPrice's answer, a map of strings (the SDK refuses anything else).
    assert accepted == {"message": "Events accepted for processing"}

    listed = flexprice.events.list_raw_events(external_customer_id=customer, event_name=name, start_time=START, end_time=END, order="asc", page_size=2)
    assert [e.id for e in listed.events] == [f"{name}-1", f"{name}-2"]
    assert (listed.total_count, listed.has_more) == (3, True)
    rest = flexprice.events.list_raw_events(external_customer_id=customer, event_name=name, start_time=START, end_time=END, order="asc", page_size=2, offset=listed.offset)
    assert [e.id for e in rest.events] == [f"{name}-3"]
    eu = flexprice.events.list_raw_events(external_customer_id=customer, start_time=START, end_time=END, property_filters={"region": ["eu"]})
    assert eu.total_count == 2

    total = flexprice.events.get_usage_statistics(event_name=name, external_customer_id=customer, aggregation_type="SUM", property_name="gb", start_time=START, end_time=END)
    assert (total.event_name, total.type, total.value) == (name, "SUM", 7.75)
    daily = flexprice.events.get_usage_statistics(event_name=name, external_customer_id=customer, aggregation_type="COUNT", start_time=START, end_time=END, window_size="DAY")
    assert [(r.window_size, r.value) for r in daily.results] == [("2025-04-01T00:00:00Z", 1), ("2025-04-02T00:00:00Z", 1), ("2025-04-03T00:00:00Z", 1)]

    feature = _metered(flexprice, unique("gb"), {"type": "MAX", "field": "gb"}, name, [{"key": "region", "values": ["eu"]}])
    by_meter = flexprice.events.get_usage_by_meter(meter_id=feature.meter_id, external_customer_id=customer, start_time=START, end_time=END)
    assert (by_meter.type, by_meter.value) == ("MAX", 4.25)
