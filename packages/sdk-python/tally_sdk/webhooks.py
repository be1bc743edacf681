"""Verifying the webhooks Tally delivers (Standard Webhooks signatures)."""

from __future__ import annotations

from typing import Any, Dict, Mapping, Union

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from tally_sdk.errors import TallyError


class TallyWebhookVerificationError(TallyError):
    """The delivery's signature did not verify: wrong secret, altered body, missing headers, or a
    timestamp more than 5 minutes off."""


def _header(headers: Mapping[str, Any], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return " ".join(value) if isinstance(value, (list, tuple)) else str(value)
    return ""


def verify_webhook(payload: Union[bytes, str], headers: Mapping[str, Any], secret: str) -> Dict[str, Any]:
    """Verifies a webhook delivery with the endpoint's secret (``whsec_…``) and returns its parsed body.

    Pass the raw request body exactly as received (bytes, or the text), before any JSON parsing.
    Tally signs with the Standard Webhooks scheme; this wraps the ``standardwebhooks`` library. The
    ``webhook-*`` headers are read, or FlexPrice Cloud's ``svix-*`` ones when those are absent.
    Deliveries are at least once: deduplicate on the ``webhook-id`` header.
    """

    def pick(name: str) -> str:
        return _header(headers, f"webhook-{name}") or _header(headers, f"svix-{name}")

    try:
        return Webhook(secret).verify(
            payload, {"webhook-id": pick("id"), "webhook-timestamp": pick("timestamp"), "webhook-signature": pick("signature")}
        )
    except WebhookVerificationError as err:
        raise TallyWebhookVerificationError(f"webhook verification failed: {err}") from err
