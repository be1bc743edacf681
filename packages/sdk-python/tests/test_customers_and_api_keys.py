"""Customers and API keys end to end through the Python SDK against a live Tally."""

from __future__ import annotations

import re
import uuid
from typing import Any, Dict, List

import pytest
import urllib3

from tally_sdk import (
    CreateAPIKeyRequest,
    CreateCustomerRequest,
    CustomerFilter,
    FilterCondition,
    FilterValue,
    Tally,
    TallyAuthenticationError,
    TallyConflictError,
    TallyNotFoundError,
    TallyValidationError,
    UpdateCustomerRequest,
)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_health_check_at_the_api_root_outside_v1(tally: Tally) -> None:
    assert tally.health.get_health().status == "ok"


def test_creates_reads_and_updates_a_customer(tally: Tally) -> None:
    external_id = unique("acme")
    created = tally.customers.create_customer(
        CreateCustomerRequest(external_id=external_id, name="Acme Corp", email="billing@acme.test", metadata={"plan": "pro"})
    )
    assert re.fullmatch(r"cust_[0-9A-Z]{26}", created.id)
    assert (created.external_id, created.name, created.email, created.timezone, created.status.value) == (
        external_id, "Acme Corp", "billing@acme.test", "UTC", "published")

    by_id = tally.customers.get_customer(created.id)
    assert (by_id.id, by_id.external_id, by_id.metadata) == (created.id, external_id, {"plan": "pro"})
    assert tally.customers.get_customer_by_external_id(external_id).id == created.id

    updated = tally.customers.update_customer_by_id(created.id, UpdateCustomerRequest(name="Acme Inc.", timezone="Europe/Berlin"))
    assert (updated.name, updated.timezone, updated.email) == ("Acme Inc.", "Europe/Berlin", "billing@acme.test")
    assert tally.customers.get_customer(created.id).name == "Acme Inc."


def test_walks_every_page_of_a_list(tally: Tally) -> None:
    external_ids = [unique(f"page-{i}") for i in range(7)]
    for external_id in external_ids:
        tally.customers.create_customer(CreateCustomerRequest(external_id=external_id, name=f"Paged {external_id}"))
    page_sizes: List[int] = []

    def page(limit: int, offset: int) -> Any:
        answer = tally.customers.list_customers(limit=limit, offset=offset, external_ids=external_ids)
        page_sizes.append(len(answer.items))
        return answer

    seen = list(tally.paginate(page, limit=3))
    assert page_sizes == [3, 3, 1]
    assert sorted(c.external_id for c in seen) == sorted(external_ids)


def test_searches_by_name_across_pages(tally: Tally) -> None:
    token = unique("zebra")
    names = [f"{token} One", f"Two {token}", f"{token} Three"]
    for name in names:
        tally.customers.create_customer(CreateCustomerRequest(external_id=unique("search"), name=name))
    tally.customers.create_customer(CreateCustomerRequest(external_id=unique("search"), name="Someone else"))

    condition = FilterCondition(field="name", operator="contains", data_type="string", value=FilterValue(string=token))
    found = tally.collect_all(
        lambda limit, offset: tally.customers.query_customer(CustomerFilter(limit=limit, offset=offset, filters=[condition])),
        limit=2,
    )
    assert sorted(c.name for c in found) == sorted(names)


def test_deleted_customer_answers_a_typed_404(tally: Tally) -> None:
    customer = tally.customers.create_customer(CreateCustomerRequest(external_id=unique("gone"), name="Gone Ltd"))
    tally.customers.delete_customer(customer.id)

    with pytest.raises(TallyNotFoundError) as caught:
        tally.customers.get_customer(customer.id)
    error = caught.value
    assert (error.code, error.http_status_code) == ("not_found", 404)
    assert error.message
    assert error.request_id


def test_400_is_a_typed_validation_error_naming_the_field(tally: Tally) -> None:
    with pytest.raises(TallyValidationError) as caught:
        tally.customers.create_customer(CreateCustomerRequest(external_id=unique("nameless")))
    error = caught.value
    assert (error.code, error.http_status_code) == ("validation_error", 400)
    assert "name" in error.details
    assert "name" in error.message
    assert error.request_id


def test_duplicate_external_id_is_a_typed_409(tally: Tally) -> None:
    external_id = unique("dup")
    tally.customers.create_customer(CreateCustomerRequest(external_id=external_id, name="First"))
    with pytest.raises(TallyConflictError) as caught:
        tally.customers.create_customer(CreateCustomerRequest(external_id=external_id, name="Second"))
    assert caught.value.code == "already_exists"


class LosesFirstPostResponse:
    """A urllib3 pool that sends every request for real, but loses the first POST's response."""

    def __init__(self) -> None:
        self.pool = urllib3.PoolManager(retries=False)
        self.attempts: List[Dict[str, Any]] = []
        self.failed = False

    def request(self, method: str, url: str, **kwargs: Any) -> urllib3.BaseHTTPResponse:
        response = self.pool.request(method, url, **kwargs)
        headers = {k.lower(): v for k, v in (kwargs.get("headers") or {}).items()}
        self.attempts.append({
            "idempotency_key": headers.get("idempotency-key"),
            "status": response.status,
            "replayed": response.headers.get("idempotent-replayed"),
        })
        if method == "POST" and not self.failed:
            self.failed = True
            response.drain_conn()
            raise urllib3.exceptions.ProtocolError("Connection aborted.", ConnectionResetError("response lost"))
        return response

    def clear(self) -> None:
        self.pool.clear()


def test_retried_post_after_a_lost_response_creates_exactly_one_customer(server: Any, tally: Tally) -> None:
    flaky_pool = LosesFirstPostResponse()
    flaky = Tally(server.api_key, server.base_url, pool_manager=flaky_pool, initial_retry_delay=0.01, max_retry_delay=0.02)
    external_id = unique("retried")

    customer = flaky.customers.create_customer(CreateCustomerRequest(external_id=external_id, name="Retried Co"))

    first, second = flaky_pool.attempts
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first["idempotency_key"])
    assert second["idempotency_key"] == first["idempotency_key"]
    assert first["status"] == 201
    assert (second["status"], second["replayed"]) == (201, "true")
    assert customer.external_id == external_id

    listed = tally.customers.list_customers(external_ids=[external_id])
    assert [c.id for c in listed.items] == [customer.id]
    assert listed.pagination.total == 1


def test_api_keys_create_list_delete(server: Any, tally: Tally) -> None:
    created = tally.secrets.create_api_key(CreateAPIKeyRequest(name=unique("backend"), type="private_key"))
    assert created.api_key.startswith("sk_")
    assert (created.secret.type.value, created.secret.status.value) == ("private_key", "published")

    with Tally(created.api_key, server.base_url, max_retries=0) as with_new_key:
        assert with_new_key.customers.list_customers(limit=1).items is not None

        keys = tally.collect_all(lambda limit, offset: tally.secrets.list_api_keys(limit=limit, offset=offset), limit=1)
        assert created.secret.id in [k.id for k in keys]
        assert len(keys) >= 2

        tally.secrets.delete_api_key(created.secret.id)
        after = tally.collect_all(lambda limit, offset: tally.secrets.list_api_keys(limit=limit, offset=offset))
        assert created.secret.id not in [k.id for k in after]

        with pytest.raises(TallyAuthenticationError) as caught:
            with_new_key.customers.list_customers(limit=1)
        assert caught.value.http_status_code == 401
