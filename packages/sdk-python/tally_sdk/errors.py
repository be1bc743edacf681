"""Typed errors: every failure the SDK raises is a :class:`TallyError`."""

from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional, Type


class TallyError(Exception):
    """Base of every error this SDK raises."""


class TallyApiError(TallyError):
    """The API answered with an error status (after any retries).

    Carries the fields of Tally's (and FlexPrice's) error envelope as the API names them, and the
    ``X-Request-ID`` of the response, to quote when asking for help.
    """

    code: str
    message: str
    http_status_code: int
    details: Dict[str, Any]
    request_id: Optional[str]
    body: Any

    def __init__(self, status: int, body: Any, request_id: Optional[str]) -> None:
        envelope: Mapping[str, Any] = body if isinstance(body, Mapping) else {}
        error = envelope.get("error") if isinstance(envelope.get("error"), Mapping) else {}
        self.message = str(envelope.get("message") or error.get("message") or f"Tally answered HTTP {status}")
        self.code = str(envelope.get("code") or "unknown_error")
        self.http_status_code = int(envelope.get("http_status_code") or status)
        details = envelope.get("details")
        self.details = dict(details) if isinstance(details, Mapping) else {}
        self.request_id = request_id
        self.body = body
        super().__init__(self.message)

    def __str__(self) -> str:
        suffix = f", request {self.request_id}" if self.request_id else ""
        return f"{self.message} ({self.code}, HTTP {self.http_status_code}{suffix})"


class TallyValidationError(TallyApiError):
    """400: the request is invalid; ``details`` names each field."""


class TallyAuthenticationError(TallyApiError):
    """401: missing, unknown, expired or revoked API key."""


class TallyPermissionError(TallyApiError):
    """403: the key may not do this."""


class TallyNotFoundError(TallyApiError):
    """404: no such resource in the key's environment."""


class TallyConflictError(TallyApiError):
    """409: a conflicting resource exists, or a request with the same Idempotency-Key still runs."""


class TallyIdempotencyError(TallyApiError):
    """422: the Idempotency-Key was already used for a different request."""


class TallyRateLimitError(TallyApiError):
    """429: over the rate limit, still after the retries."""


class TallyServerError(TallyApiError):
    """5xx: the server failed, still after the retries."""


class TallyConnectionError(TallyError):
    """No response: the connection failed, still after the retries."""


class TallyTimeoutError(TallyConnectionError):
    """No response within the configured timeout, still after the retries."""


_BY_STATUS: Dict[int, Type[TallyApiError]] = {
    400: TallyValidationError,
    401: TallyAuthenticationError,
    403: TallyPermissionError,
    404: TallyNotFoundError,
    409: TallyConflictError,
    422: TallyIdempotencyError,
    429: TallyRateLimitError,
}


def parse_body(data: Optional[bytes]) -> Any:
    if not data:
        return None
    text = data.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text  # not JSON (a proxy's HTML page, say): keep the text


def api_error(status: int, data: Optional[bytes], request_id: Optional[str]) -> TallyApiError:
    """The TallyApiError subclass for an error response."""
    cls = _BY_STATUS.get(status) or (TallyServerError if status >= 500 else TallyApiError)
    return cls(status, parse_body(data), request_id)
