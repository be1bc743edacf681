"""After a Schemathesis run: prints what was sent and fails on what its checks do not see.

usage: summarize.py REPORT_DIR SERVER_LOG LABEL SECONDS

- requests sent, operations reached, status codes, failures by check (from the NDJSON report);
- no 429: every check accepts one, so a throttled run would pass while testing nothing;
- the key ring (tally_hooks.py): DELETE /secrets/api/keys/{id} must have deleted keys, the
  fuzzer's own among them, and the fuzzer must never have been locked out (a 401 to its own key);
- the server log must hold no error or fatal line (an exception that did not become a 5xx).
"""

from __future__ import annotations

import collections
import glob
import json
import sys


def main() -> int:
    report_dir, server_log, label, seconds = sys.argv[1:5]
    ndjson = sorted(glob.glob(f"{report_dir}/*.ndjson"))
    statuses: collections.Counter[int] = collections.Counter()
    operations: set[str] = set()
    failures: collections.Counter[str] = collections.Counter()
    requests = 0
    for path in ndjson:
        with open(path, encoding="utf-8") as f:
            for line in f:
                event = json.loads(line)
                if "ScenarioFinished" not in event:
                    continue
                recorder = event["ScenarioFinished"]["recorder"]
                if recorder["label"].split(" ")[0] in ("GET", "POST", "PUT", "DELETE"):
                    operations.add(recorder["label"])
                for interaction in recorder.get("interactions", {}).values():
                    if interaction.get("response"):
                        requests += 1
                        statuses[interaction["response"]["status_code"]] += 1
                for checks in recorder.get("checks", {}).values():
                    for check in checks:
                        if check["status"] == "failure":
                            failures[check["name"]] += 1
    ok = True
    by_class = collections.Counter(f"{code // 100}xx" for code in statuses.elements())
    print(f"\nfuzz summary ({label}): {requests} requests to {len(operations)} operations in {seconds}s")
    print("  responses: " + ", ".join(f"{k} {v}" for k, v in sorted(by_class.items())))
    print("  statuses:  " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    if failures:
        print("  failed checks: " + ", ".join(f"{k} ×{v}" for k, v in failures.most_common()))
    if statuses[429]:
        # Every check accepts a 429, so a throttled run passes while testing nothing.
        print(f"  FAIL: {statuses[429]} answers were 429: raise the rate limits run.sh gives the server")
        ok = False

    try:
        with open(f"{report_dir}/keys.json", encoding="utf-8") as f:
            keys = json.load(f)
    except FileNotFoundError:
        keys = None
    if keys is None:
        print("  key ring: no statistics written (did tally_hooks load?)")
        ok = False
    else:
        print(
            "  API keys: {key_deletes_sent} DELETE /secrets/api/keys/{{id}} sent, {key_deletes_204} deleted a key, "
            "{own_key_deleted} of them the fuzzer's own; {keys_minted} keys minted".format(**keys)
        )
        # (A run limited to other operations, e.g. --include-operation-id while debugging, is let off.)
        deletes_tested = "DELETE /secrets/api/keys/{id}" in operations
        if deletes_tested and keys["key_deletes_204"] < 1:
            print("  FAIL: no DELETE /secrets/api/keys/{id} deleted a key: key deletion was not exercised")
            ok = False
        if deletes_tested and keys["own_key_deleted"] < 1:
            print("  FAIL: the fuzzer never deleted its own key: the lock-out handling was not exercised")
            ok = False
        if keys["unexpected_401"]:
            print(f"  FAIL: the fuzzer's own key was refused {keys['unexpected_401']} times: {keys['unexpected_401_requests']}")
            ok = False

    errors = []
    with open(server_log, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                level = json.loads(line).get("level")
            except ValueError:
                continue
            if isinstance(level, int) and level >= 50:
                errors.append(line.rstrip())
    if errors:
        print(f"  FAIL: the server logged {len(errors)} error(s); first ones:")
        for line in errors[:5]:
            print("    " + line[:2000])
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
