"""A webhook receiver: verifies each delivery with the endpoint's secret, then handles it once.

Run: TALLY_WEBHOOK_SECRET=whsec_... python packages/sdk-python/examples/webhook_receiver.py
(then create an endpoint pointing at http://127.0.0.1:4000/tally; start Tally with
TALLY_WEBHOOK_ALLOW_PRIVATE=1 so it delivers to this machine).
"""

import os
from http.server import BaseHTTPRequestHandler, HTTPServer

from tally_sdk import TallyWebhookVerificationError, verify_webhook

SECRET = os.environ.get("TALLY_WEBHOOK_SECRET", "")
seen = set()  # use your database: deliveries are at least once


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))  # the raw body, before JSON parsing
        try:
            event = verify_webhook(body, dict(self.headers), SECRET)
        except TallyWebhookVerificationError as err:
            self.send_response(400)
            self.end_headers()
            self.wfile.write(str(err).encode())
            return
        if self.headers["webhook-id"] not in seen:
            seen.add(self.headers["webhook-id"])
            print(event["event_type"], event)
        self.send_response(204)  # any 2xx within 10 s; anything else is retried
        self.end_headers()


HTTPServer(("127.0.0.1", 4000), Receiver).serve_forever()
