"""Tally's Python SDK: the generated API classes and models, plus retries, idempotency, typed
errors and pagination. Start with :class:`Tally`."""

from tally_sdk._generated.models import *  # noqa: F401,F403  (the request and response models)
from tally_sdk.client import DEFAULT_BASE_URL, Tally, __version__
from tally_sdk.errors import (
    TallyApiError,
    TallyAuthenticationError,
    TallyConflictError,
    TallyConnectionError,
    TallyError,
    TallyIdempotencyError,
    TallyNotFoundError,
    TallyPermissionError,
    TallyRateLimitError,
    TallyServerError,
    TallyTimeoutError,
    TallyValidationError,
)
from tally_sdk.pagination import collect_all, paginate
from tally_sdk.transport import IDEMPOTENCY_HEADER
from tally_sdk.webhooks import TallyWebhookVerificationError, verify_webhook

__all__ = [
    "DEFAULT_BASE_URL",
    "IDEMPOTENCY_HEADER",
    "Tally",
    "TallyApiError",
    "TallyAuthenticationError",
    "TallyConflictError",
    "TallyConnectionError",
    "TallyError",
    "TallyIdempotencyError",
    "TallyNotFoundError",
    "TallyPermissionError",
    "TallyRateLimitError",
    "TallyServerError",
    "TallyTimeoutError",
    "TallyValidationError",
    "TallyWebhookVerificationError",
    "__version__",
    "collect_all",
    "paginate",
    "verify_webhook",
]
