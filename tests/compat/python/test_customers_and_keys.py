"""Customers and API keys through FlexPrice's Python SDK."""

from __future__ import annotations

import pytest
from flexprice import Flexprice
from flexprice.models import errors

from helpers import covers, unique


@covers("customers.create_customer", "customers.get_customer", "customers.get_customer_by_external_id")
def test_creates_a_customer_and_reads_it_by_id_and_external_id(flexprice):
    external_id = unique("cust")
    created = flexprice.customers.create_customer(
        external_id=external_id,
        name="Acme Corp",
        email="billing@acme.test",
        address_city="Berlin",
        address_country="DE",
        timezone="Europe/Berlin",
        metadata={"tier": "gold"},
    )
    assert created.id.startswith("cust_") and len(created.id) == 31
    assert (created.external_id, created.name, created.email) == (external_id, "Acme Corp", "billing@acme.test")
    assert (created.address_city, created.address_country, created.metadata) == ("Berlin", "DE", {"tier": "gold"})
    assert created.status == "published"

    by_id = flexprice.customers.get_customer(id=created.id)
    assert (by_id.id, by_id.external_id, by_id.name) == (created.id, external_id, "Acme Corp")
    assert flexprice.customers.get_customer_by_external_id(external_id=external_id).id == created.id


@covers("customers.update_customer")
def test_updates_a_customer_by_id_and_by_external_id(flexprice):
    external_id = unique("cust-upd")
    created = flexprice.customers.create_customer(external_id=external_id, name="Before")
    by_id = flexprice.customers.update_customer(id=created.id, name="After", email="after@acme.test")
    assert (by_id.id, by_id.name, by_id.email) == (created.id, "After", "after@acme.test")
    by_external = flexprice.customers.update_customer(external_customer_id=external_id, metadata={"plan": "pro"})
    assert (by_external.name, by_external.metadata) == ("After", {"plan": "pro"})


@covers("customers.query_customer")
def test_searches_customers_by_external_id_and_pages(flexprice):
    tag = unique("cust-q")
    ids = [flexprice.customers.create_customer(external_id=f"{tag}-{n}", name=f"Query {n}").id for n in (1, 2, 3)]
    external_ids = [f"{tag}-{n}" for n in (1, 2, 3)]
    page = flexprice.customers.query_customer(external_ids=external_ids, limit=2, offset=0, order="asc")
    assert [c.id for c in page.items] == ids[:2]
    assert (page.pagination.total, page.pagination.limit, page.pagination.offset) == (3, 2, 2)
    rest = flexprice.customers.query_customer(external_ids=external_ids, limit=2, offset=2, order="asc")
    assert [c.external_id for c in rest.items] == [f"{tag}-3"]


@covers("customers.delete_customer")
def test_deletes_a_customer(flexprice):
    external_id = unique("cust-del")
    created = flexprice.customers.create_customer(external_id=external_id, name="Leaving")
    flexprice.customers.delete_customer(id=created.id)
    with pytest.raises(errors.FlexpriceError) as gone:
        flexprice.customers.get_customer_by_external_id(external_id=external_id)
    assert gone.value.status_code == 404


@covers("secrets.create_api_key", "secrets.list_api_keys", "secrets.delete_api_key")
def test_creates_lists_and_deletes_an_api_key(flexprice, server):
    name = unique("backend")
    created = flexprice.secrets.create_api_key(name=name, type_="private_key")
    assert created.api_key.startswith("sk_") and len(created.api_key) == 29
    assert (created.secret.name, created.secret.type, created.secret.status) == (name, "private_key", "published")
    assert created.secret.display_id == f"{created.api_key[:5]}***{created.api_key[-2:]}"

    with Flexprice(server_url=server.base_url, api_key_auth=created.api_key) as other:
        listed = other.secrets.list_api_keys(limit=1000, offset=0)
        mine = [s for s in listed.items if s.id == created.secret.id]
        assert [(s.name, s.display_id) for s in mine] == [(name, created.secret.display_id)]
        assert created.api_key not in listed.model_dump_json()

        flexprice.secrets.delete_api_key(id=created.secret.id)
        with pytest.raises(errors.FlexpriceError) as refused:
            other.secrets.list_api_keys()
        assert refused.value.status_code == 401
    remaining = flexprice.secrets.list_api_keys(limit=1000)
    assert created.secret.id not in [s.id for s in remaining.items]
