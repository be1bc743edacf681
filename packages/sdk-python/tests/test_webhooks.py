from __future__ import annotations

import base64
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Dict, List

import pytest
from standardwebhooks import Webhook

from tally_sdk import CreateCustomerRequest, CreateWebhookEndpointRequest, Tally, TallyWebhookVerificationError, verify_webhook

SECRET = "whsec_" + base64.b64encode(bytes([1]) * 32).decode()
BODY = '{"event_type":"customer.created","customer":{"id":"cust_1","name":"Acme"}}'
MSG_ID = "sys_event_01JD2Z7Q8K3M4N5P6R7S8T9V0W"


def signed(at: datetime | None = None, secret: str = SECRET) -> Dict[str, str]:
    at = at or datetime.now(timezone.utc)
    return {
        "webhook-id": MSG_ID,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(MSG_ID, at, BODY),
    }


def test_signs_exactly_as_tally_does() -> None:
    # Computed by Tally's signer (the standardwebhooks npm package) for this secret, id, time and body.
    at = datetime.fromtimestamp(1767225600, timezone.utc)
    assert Webhook(SECRET).sign(MSG_ID, at, BODY) == "v1,z3Vm+cb4VH8unovlvwiCuGqFuM1EP7a1hz7jbTtsZ+E="


def test_verifies_a_signed_delivery_as_bytes_or_text_with_any_header_case() -> None:
    assert verify_webhook(BODY, signed(), SECRET) == {"event_type": "customer.created", "customer": {"id": "cust_1", "name": "Acme"}}
    upper = {k.upper(): v for k, v in signed().items()}
    assert verify_webhook(BODY.encode(), upper, SECRET)["event_type"] == "customer.created"


def test_accepts_flexprice_clouds_svix_headers() -> None:
    svix = {k.replace("webhook-", "svix-"): v for k, v in signed().items()}
    assert verify_webhook(BODY, svix, SECRET)["event_type"] == "customer.created"


def test_refuses_a_wrong_secret_an_altered_body_a_stale_timestamp_and_missing_headers() -> None:
    wrong = "whsec_" + base64.b64encode(bytes([9]) * 32).decode()
    with pytest.raises(TallyWebhookVerificationError, match="No matching signature found"):
        verify_webhook(BODY, signed(), wrong)
    with pytest.raises(TallyWebhookVerificationError, match="No matching signature found"):
        verify_webhook(BODY.replace("Acme", "Evil"), signed(), SECRET)
    with pytest.raises(TallyWebhookVerificationError, match="too old"):
        verify_webhook(BODY, signed(datetime.now(timezone.utc) - timedelta(minutes=6)), SECRET)
    with pytest.raises(TallyWebhookVerificationError, match="Missing required headers"):
        verify_webhook(BODY, {}, SECRET)


def test_a_receiver_verifies_a_live_customer_created_from_tally(tally: Tally) -> None:
    received: List[Dict[str, Any]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"body": body, "headers": dict(self.headers)})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint = tally.webhooks.create_webhook_endpoint(
            CreateWebhookEndpointRequest(url=f"http://127.0.0.1:{httpd.server_port}/hooks", event_types=["customer.created"])
        )
        customer = tally.customers.create_customer(CreateCustomerRequest(external_id="py-hook", name="Hooked"))
        deadline = time.time() + 10
        while not received and time.time() < deadline:
            time.sleep(0.05)
        event = verify_webhook(received[0]["body"], received[0]["headers"], endpoint.secret)
        assert event["event_type"] == "customer.created"
        assert event["customer"]["id"] == customer.id
        assert event["customer"]["external_id"] == "py-hook"
    finally:
        httpd.shutdown()
