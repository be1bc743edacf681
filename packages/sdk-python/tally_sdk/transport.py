"""The generated ApiClient with the SDK's transport rules.

Every operation of the generated API classes goes through ``call_api`` once per logical call; this
subclass turns that one call into up to ``1 + max_retries`` attempts, and turns error responses
into typed errors in ``response_deserialize``.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional

import urllib3

from tally_sdk._generated.api_client import ApiClient
from tally_sdk._generated.configuration import Configuration
from tally_sdk._generated import rest
from tally_sdk.errors import TallyConnectionError, TallyTimeoutError, api_error
from tally_sdk.retry import backoff_delay, retry_after_seconds

IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class RetrySettings:
    max_retries: int = 3
    initial_delay: float = 0.5
    max_delay: float = 8.0
    timeout: Optional[float] = 30.0


def _header(headers: Dict[str, Any], name: str) -> Optional[str]:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _is_in_progress_conflict(response: rest.RESTResponse, headers: Dict[str, Any]) -> bool:
    """409 because a request with the same Idempotency-Key is still running: worth waiting for."""
    if response.status != 409 or _header(headers, IDEMPOTENCY_HEADER) is None:
        return False
    try:
        return json.loads(response.data or b"{}").get("code") == "version_conflict"
    except (ValueError, AttributeError):
        return False


def _is_retryable(response: rest.RESTResponse, headers: Dict[str, Any]) -> bool:
    return response.status == 429 or response.status >= 500 or _is_in_progress_conflict(response, headers)


class TallyApiClient(ApiClient):
    """ApiClient doing timeouts, retries with backoff, Idempotency-Keys and typed errors."""

    def __init__(self, configuration: Configuration, settings: RetrySettings, sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(configuration)
        self.settings = settings
        self._sleep = sleep

    def param_serialize(self, *args: Any, **kwargs: Any):
        # Operations with their own `servers` in the spec (the health check, at the API's root
        # outside /v1) carry the spec's literal host; point them at this client's server instead.
        if kwargs.get("_host"):
            kwargs["_host"] = self.configuration.host.rstrip("/").removesuffix("/v1")
        return super().param_serialize(*args, **kwargs)

    def call_api(self, method, url, header_params=None, body=None, post_params=None, _request_timeout=None) -> rest.RESTResponse:
        headers = dict(header_params or {})
        # One key per logical POST, the same on every retry: the server runs it at most once and
        # replays the first answer to the retries.
        if method.upper() == "POST" and _header(headers, IDEMPOTENCY_HEADER) is None:
            headers[IDEMPOTENCY_HEADER] = str(uuid.uuid4())
        timeout = _request_timeout if _request_timeout is not None else self.settings.timeout

        attempt = 0
        while True:
            try:
                response = super().call_api(method, url, header_params=headers, body=body, post_params=post_params, _request_timeout=timeout)
                response.read()  # the whole body within the attempt, so a cut-off body is retried too
            except (urllib3.exceptions.HTTPError, OSError) as err:
                timed_out = isinstance(err, (urllib3.exceptions.TimeoutError, TimeoutError))
                if attempt >= self.settings.max_retries:
                    kind = TallyTimeoutError if timed_out else TallyConnectionError
                    raise kind(f"{method} {url}: {err}") from err
                self._sleep(backoff_delay(attempt, self.settings.initial_delay, self.settings.max_delay))
                attempt += 1
                continue
            if attempt >= self.settings.max_retries or not _is_retryable(response, headers):
                return response
            delay = retry_after_seconds(response.headers.get("retry-after"))
            if delay is None:
                delay = backoff_delay(attempt, self.settings.initial_delay, self.settings.max_delay)
            self._sleep(delay)
            attempt += 1

    def response_deserialize(self, response_data, response_types_map=None):
        if not 200 <= response_data.status <= 299:
            raise api_error(response_data.status, response_data.data, response_data.headers.get("x-request-id"))
        return super().response_deserialize(response_data, response_types_map)
