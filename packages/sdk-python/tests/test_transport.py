"""Transport rules against a scripted urllib3 pool: no server needed, every attempt is recorded."""

from __future__ import annotations

import inspect
import io
import json
import os
import socket
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Union
from unittest import mock

import pytest
import urllib3

from tally_sdk import (
    CreateCustomerRequest,
    Tally,
    TallyConnectionError,
    TallyRateLimitError,
    TallyServerError,
    TallyTimeoutError,
    TallyValidationError,
)
from tally_sdk._generated import api as generated_apis
from tally_sdk._generated.api.customers_api import CustomersApi
from tally_sdk.retry import backoff_delay, retry_after_seconds

Step = Union[urllib3.HTTPResponse, Exception]


def answer(status: int, body: Dict[str, Any], headers: Optional[Dict[str, str]] = None) -> urllib3.HTTPResponse:
    all_headers = {"content-type": "application/json", "x-request-id": "req_123", **(headers or {})}
    return urllib3.HTTPResponse(body=io.BytesIO(json.dumps(body).encode()), status=status, headers=all_headers, preload_content=False)


def envelope(status: int, code: str, **extra: Any) -> Dict[str, Any]:
    return {"code": code, "message": f"{code} happened", "http_status_code": status, "success": False,
            "error": {"message": f"{code} happened", "internal_error": ""}, **extra}


CUSTOMER = {
    "id": "cust_1", "external_id": "e1", "name": "N", "email": "", "timezone": "UTC", "metadata": {},
    "environment_id": "env_1", "tenant_id": "tenant_1", "status": "published",
    "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
}


class ScriptedPool:
    def __init__(self, steps: List[Step]) -> None:
        self.steps = steps
        self.attempts: List[Dict[str, Any]] = []

    def request(self, method: str, url: str, **kwargs: Any) -> urllib3.HTTPResponse:
        headers = {k.lower(): v for k, v in (kwargs.get("headers") or {}).items()}
        self.attempts.append({"method": method, "idempotency_key": headers.get("idempotency-key"), "api_key": headers.get("x-api-key")})
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        return step

    def clear(self) -> None:
        pass


def client(steps: List[Step], **options: Any):
    pool = ScriptedPool(steps)
    delays: List[float] = []
    tally = Tally("sk_test", "http://tally.invalid/v1", pool_manager=pool, sleep=delays.append, **options)
    return tally, pool, delays


def create(tally: Tally) -> Any:
    return tally.customers.create_customer(CreateCustomerRequest(external_id="e1", name="N"))


def test_retries_network_errors_429_and_5xx_with_one_idempotency_key() -> None:
    tally, pool, delays = client([
        urllib3.exceptions.ProtocolError("Connection aborted."),
        answer(503, envelope(503, "service_unavailable")),
        answer(429, envelope(429, "too_many_requests"), {"retry-after": "2"}),
        answer(201, CUSTOMER),
    ])
    assert create(tally).id == "cust_1"
    assert len(pool.attempts) == 4
    keys = {a["idempotency_key"] for a in pool.attempts}
    assert len(keys) == 1 and None not in keys
    assert delays[2] == 2.0  # Retry-After wins over the backoff
    assert all(a["api_key"] == "sk_test" for a in pool.attempts)


def test_each_logical_post_gets_its_own_key_and_get_gets_none() -> None:
    tally, pool, _ = client([answer(201, CUSTOMER), answer(201, CUSTOMER), answer(200, CUSTOMER)])
    create(tally)
    create(tally)
    tally.customers.get_customer("cust_1")
    assert pool.attempts[0]["idempotency_key"] != pool.attempts[1]["idempotency_key"]
    assert pool.attempts[2]["method"] == "GET" and pool.attempts[2]["idempotency_key"] is None


def test_keeps_an_idempotency_key_the_caller_chose() -> None:
    tally, pool, _ = client([answer(500, envelope(500, "internal_error")), answer(201, CUSTOMER)])
    tally.customers.create_customer(CreateCustomerRequest(external_id="e1", name="N"), _headers={"Idempotency-Key": "order-42"})
    assert [a["idempotency_key"] for a in pool.attempts] == ["order-42", "order-42"]


def test_stops_after_max_retries_with_the_typed_error_of_the_last_answer() -> None:
    tally, pool, delays = client([answer(502, envelope(502, "bad_gateway")) for _ in range(4)], initial_retry_delay=0.5, max_retry_delay=8)
    with pytest.raises(TallyServerError) as caught:
        create(tally)
    assert len(pool.attempts) == 4  # 1 + the default 3 retries
    assert (caught.value.code, caught.value.http_status_code, caught.value.request_id) == ("bad_gateway", 502, "req_123")
    assert [d <= cap for d, cap in zip(delays, [0.5, 1.0, 2.0])] == [True, True, True]


def test_connection_error_when_the_network_keeps_failing() -> None:
    tally, pool, _ = client([urllib3.exceptions.NewConnectionError(None, "refused") for _ in range(3)], max_retries=2)  # type: ignore[arg-type]
    with pytest.raises(TallyConnectionError):
        create(tally)
    assert len(pool.attempts) == 3


def test_does_not_retry_a_400() -> None:
    tally, pool, _ = client([answer(400, envelope(400, "validation_error", details={"name": "is required"}))])
    with pytest.raises(TallyValidationError) as caught:
        create(tally)
    assert len(pool.attempts) == 1
    assert caught.value.details == {"name": "is required"}
    assert caught.value.message == "validation_error happened"


def test_rate_limit_error_when_retries_are_off() -> None:
    tally, pool, _ = client([answer(429, envelope(429, "too_many_requests"), {"retry-after": "30"})], max_retries=0)
    with pytest.raises(TallyRateLimitError):
        create(tally)
    assert len(pool.attempts) == 1


def test_backoff_is_full_jitter_under_an_exponential_cap() -> None:
    assert backoff_delay(0, 0.5, 8.0, rand=lambda: 1.0) == 0.5
    assert backoff_delay(3, 0.5, 8.0, rand=lambda: 0.5) == 2.0
    assert backoff_delay(10, 0.5, 8.0, rand=lambda: 1.0) == 8.0
    assert backoff_delay(2, 0.5, 8.0, rand=lambda: 0.0) == 0.0


def test_retry_after_reads_seconds_or_an_http_date_capped_at_a_minute() -> None:
    assert retry_after_seconds("2") == 2.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("3600") == 60.0
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:05 GMT", now=now) == 5.0


def test_configuration_from_the_environment() -> None:
    with mock.patch.dict(os.environ, {"TALLY_API_KEY": "sk_from_env"}, clear=False):
        os.environ.pop("TALLY_BASE_URL", None)
        assert Tally().base_url == "http://localhost:8080/v1"
        os.environ["TALLY_BASE_URL"] = "https://billing.example.test/v1/"
        assert Tally().base_url == "https://billing.example.test/v1"
    with mock.patch.dict(os.environ, {}, clear=True):
        with pytest.raises(ValueError, match="TALLY_API_KEY"):
            Tally()


def test_a_silent_server_times_out_as_a_typed_timeout() -> None:
    with socket.socket() as silent:  # accepts connections (the backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        tally = Tally("sk_test", f"http://127.0.0.1:{port}/v1", timeout=0.2, max_retries=1, sleep=lambda _: None)
        with pytest.raises(TallyTimeoutError):
            tally.customers.get_customer("cust_1")


def test_every_generated_api_class_is_an_attribute() -> None:
    tally = Tally("sk_test")
    assert isinstance(tally.customers, CustomersApi)
    classes = [c for n, c in inspect.getmembers(generated_apis, inspect.isclass) if n.endswith("Api")]
    assert len(classes) >= 4
    attributes = {type(v) for v in vars(tally).values()}
    assert set(classes) <= attributes
