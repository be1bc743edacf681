"""Schemathesis hooks for fuzzing Tally (loaded through SCHEMATHESIS_HOOKS=tally_hooks by run.sh).

The API key the fuzzer sends
----------------------------
The fuzzer exercises DELETE /v1/secrets/api/keys/{id} like every other operation, and it can learn
every key id of its environment from GET /v1/secrets/api/keys, its own included. Tally refuses to
delete an environment's *last* working key, but as soon as the fuzzer has created a second key it
may delete the one it is using and lock itself out: every later request would answer 401, which no
check counts as a failure, and the rest of the run would test nothing.

So the key the fuzzer sends is never a fixed one. A "mint" key lives in an environment of its own
(created before the run) whose keys the fuzzer cannot list or delete: keys are scoped to their
environment, and environments cannot be deleted. Through it this module mints a fresh key for the
environment under test whenever the current one is gone:

- after a 204 from DELETE /secrets/api/keys/{id} naming the current key's id (the fuzzer deleted
  its own key), that key is retired at once and the next request gets a new one;
- as a safety net, a 401 to a request that carried the current key retires it too (and is counted:
  the run fails if that ever happens, since it means the key died some other way);
- a case generated before its key was retired gets the current key when it is sent.

Requests the checks send on purpose without a key or with a wrong one (ignored_auth) do not pass
through these hooks and keep their credentials.

Other adaptations
-----------------
- GET /health lives outside /v1 (the spec gives it its own server); it is sent there.
- A valid Idempotency-Key (1–255 characters) is made unique per request: Hypothesis draws the
  same short keys ("0") for different requests, and Tally rightly answers 422
  idempotency_key_reused to a key reused for another request, so the request would never reach
  its operation. The key keeps its generated length; an invalid one (empty, too long) is sent as
  generated.

- Once per run, the first DELETE /secrets/api/keys/{id} sent with a real key id is pointed at
  the fuzzer's own current key, so the lock-out above is not left to chance: the run proves that
  the fuzzer deletes its own key and carries on (summarize.py fails the run otherwise).

Failures dropped on purpose (filter_failure; Schemathesis prints how many it dropped)
------------------------------------------------------------------------------------
- negative_data_rejection for a request whose only "invalid" part is an empty query parameter
  (`?start_time=`): Tally reads an empty query parameter as an absent one, as FlexPrice's
  parameter binding does (README, API conventions), so the request is the valid one without it.

Statistics (keys minted, deletions, lock-outs) are written to $TALLY_FUZZ_STATS for run.sh.
"""

from __future__ import annotations

import itertools
import json
import os
import threading

import requests
import schemathesis
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import negated_parameters

ORIGIN = os.environ["TALLY_FUZZ_ORIGIN"]  # http://127.0.0.1:<port>
BOOTSTRAP_KEY = os.environ["TALLY_FUZZ_BOOTSTRAP_KEY"]
STATS_FILE = os.environ.get("TALLY_FUZZ_STATS")

KEYS_PATH = "/secrets/api/keys/{id}"


class KeyRing:
    """The fuzzer's current key of the environment under test, minted through a hidden key."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._session = requests.Session()
        self._mint_key: str | None = None
        self._environment_id: str | None = None
        self._current: tuple[str, str] | None = None  # (secret id, key)
        self._minted: set[str] = set()
        self.stats = {
            "keys_minted": 0,
            "key_deletes_sent": 0,
            "key_deletes_204": 0,
            "own_key_deleted": 0,
            "unexpected_401": 0,
            "unexpected_401_requests": [],
        }

    def _call(self, method: str, path: str, key: str, body: dict | None = None) -> dict:
        response = self._session.request(method, f"{ORIGIN}/v1{path}", headers={"x-api-key": key}, json=body, timeout=30)
        if response.status_code >= 300:
            raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.text[:500]}")
        return response.json()

    def _setup(self) -> None:
        """Creates the mint environment and its key, using the server's bootstrap key (once)."""
        keys = self._call("GET", "/secrets/api/keys", BOOTSTRAP_KEY)
        self._environment_id = keys["items"][0]["environment_id"]
        mint_env = self._call("POST", "/environments", BOOTSTRAP_KEY, {"name": "fuzzer key mint", "type": "development"})
        created = self._call(
            "POST",
            "/secrets/api/keys",
            BOOTSTRAP_KEY,
            {"name": "fuzzer key mint", "type": "private_key", "environment_id": mint_env["id"]},
        )
        self._mint_key = created["api_key"]

    def current(self) -> str:
        with self._lock:
            if self._current is None:
                if self._mint_key is None:
                    self._setup()
                created = self._call(
                    "POST",
                    "/secrets/api/keys",
                    self._mint_key,
                    {"name": f"fuzzer {self.stats['keys_minted'] + 1}", "type": "private_key", "environment_id": self._environment_id},
                )
                self._current = (created["secret"]["id"], created["api_key"])
                self._minted.add(created["api_key"])
                self.stats["keys_minted"] += 1
                self._save()
            return self._current[1]

    def current_id(self) -> str:
        self.current()
        with self._lock:
            assert self._current is not None
            return self._current[0]

    def is_minted(self, key: object) -> bool:
        return isinstance(key, str) and key in self._minted

    def retire_id(self, secret_id: str) -> bool:
        with self._lock:
            if self._current is not None and self._current[0] == secret_id:
                self._current = None
                return True
            return False

    def retire_key(self, key: str) -> bool:
        with self._lock:
            if self._current is not None and self._current[1] == key:
                self._current = None
                return True
            return False

    def count(self, name: str, detail: str | None = None) -> None:
        with self._lock:
            self.stats[name] += 1
            if detail is not None and len(self.stats[f"{name}_requests"]) < 20:
                self.stats[f"{name}_requests"].append(detail)
            self._save()

    def _save(self) -> None:
        if STATS_FILE:
            with open(STATS_FILE, "w", encoding="utf-8") as f:
                json.dump(self.stats, f, indent=2)


RING = KeyRing()
_unique = itertools.count(1)


@schemathesis.auth(refresh_interval=None)
class TallyApiKey:
    """Sends the key ring's current key as x-api-key (no caching here: the ring decides)."""

    def get(self, case, context):
        return RING.current()

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["x-api-key"] = data


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.headers is None:
        case.headers = {}
    headers = case.headers
    # A case generated before its key was retired: send it with the current key.
    key = headers.get("x-api-key")
    if RING.is_minted(key):
        headers["x-api-key"] = RING.current()
    idem = headers.get("Idempotency-Key")
    if isinstance(idem, str) and 0 < len(idem) <= 255:  # a valid key; an invalid one is sent as generated
        prefix = f"fz{next(_unique)}-"
        headers["Idempotency-Key"] = (prefix + idem)[: max(len(idem), len(prefix))]
    if case.operation.path == "/health":
        kwargs["url"] = f"{ORIGIN}/health"
    if case.operation.method.upper() == "DELETE" and case.operation.path == KEYS_PATH:
        RING.count("key_deletes_sent")
        secret_id = (case.path_parameters or {}).get("id")
        if RING.stats["own_key_deleted"] == 0 and isinstance(secret_id, str) and secret_id.startswith("secret_"):
            case.path_parameters["id"] = RING.current_id()


@schemathesis.hook
def after_call(context, case, response):
    headers = case.headers or {}
    if case.operation.method.upper() == "DELETE" and case.operation.path == KEYS_PATH and response.status_code == 204:
        RING.count("key_deletes_204")
        if RING.retire_id(str((case.path_parameters or {}).get("id"))):
            RING.count("own_key_deleted")
    if response.status_code == 401 and RING.is_minted(headers.get("x-api-key")):
        if RING.retire_key(headers["x-api-key"]):
            RING.count("unexpected_401", f"{case.operation.method.upper()} {case.formatted_path}")


def _empty(value: object) -> bool:
    # `?x=` once: Tally drops it (a repeated `?x=&x=` arrives as a list and is validated).
    return value == "" or value == [""]


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure but negative_data_rejection on empty query parameters (see the top)."""
    if failure.code != "ST201":
        return True
    negated = list(negated_parameters(case.meta))
    query = case.query or {}
    only_empty_query = bool(negated) and all(
        location == ParameterLocation.QUERY and name in query and _empty(query[name]) for name, location in negated
    )
    return not only_empty_query
