#!/usr/bin/env bash
# Fuzzes a live Tally with Schemathesis: every operation of spec/dist/openapi.json, every check,
# examples + coverage + fuzzing + stateful phases, a fixed seed (tests/fuzz/schemathesis.toml).
# Exits non-zero on any check failure (a 5xx, a response that breaks the spec, …).
#
#   tests/fuzz/run.sh                                   # on an embedded PGlite in a fresh data dir
#   DATABASE_URL=postgres://…/tally_fuzz tests/fuzz/run.sh   # on PostgreSQL (a database of its own)
#   tests/fuzz/run.sh --max-examples 5                  # extra arguments go to `schemathesis run`
#
# Needs Python 3.10+ (python3, or TALLY_FUZZ_PYTHON) and `npm ci` done. Schemathesis is installed
# from requirements.txt into tests/fuzz/.venv on the first run; reports go to tests/fuzz/.reports.
set -euo pipefail

FUZZ_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$FUZZ_DIR/../.." && pwd)
VENV=$FUZZ_DIR/.venv
NODE=$ROOT/node_modules/.bin/node
SPEC=$ROOT/spec/dist/openapi.json
[[ -x $NODE ]] || { echo "fuzz: $NODE is missing: run npm ci first" >&2; exit 1; }

# --- Schemathesis, pinned, in a venv of its own (reinstalled when requirements.txt changes) ---
python=${TALLY_FUZZ_PYTHON:-$(command -v python3.11 || command -v python3 || true)}
[[ -n $python ]] || { echo "fuzz: no python3 found (set TALLY_FUZZ_PYTHON)" >&2; exit 1; }
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { echo "fuzz: Schemathesis needs Python 3.10+, $python is $("$python" --version)" >&2; exit 1; }
stamp=$(sha256sum "$FUZZ_DIR/requirements.txt" | cut -c1-16)
if [[ ! -x $VENV/bin/schemathesis || $(cat "$VENV/.stamp" 2>/dev/null) != "$stamp" ]]; then
  echo "fuzz: installing Schemathesis into $VENV"
  rm -rf "$VENV"
  "$python" -m venv "$VENV"
  PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 "$VENV/bin/pip" install -q --no-deps -r "$FUZZ_DIR/requirements.txt"
  echo "$stamp" >"$VENV/.stamp"
fi
echo "fuzz: $("$VENV/bin/schemathesis" --version) on $("$VENV/bin/python" --version)"

# --- a live Tally on a free port, fresh data dir, rate limits out of the way ---
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tally-fuzz.XXXXXX")
SERVER_PID=
stop_server() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
cleanup() {
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ORIGIN=http://127.0.0.1:$PORT
BOOTSTRAP_KEY=sk_fuzz_$("$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(16))')
DB_LABEL=pglite
[[ -n ${DATABASE_URL:-} ]] && DB_LABEL=postgresql
echo "fuzz: starting Tally on $ORIGIN ($DB_LABEL)"
(
  cd "$ROOT/services/api"
  export PORT HOST=127.0.0.1 TALLY_DATA_DIR="$WORK/data" TALLY_API_KEY="$BOOTSTRAP_KEY" LOG_LEVEL=warn
  # High enough never to answer 429: the fuzzer sends thousands of requests a minute.
  export TALLY_RATE_LIMIT_PER_MINUTE=1000000000 TALLY_EVENTS_RATE_LIMIT_PER_MINUTE=1000000000 TALLY_FAILED_AUTH_RATE_LIMIT_PER_MINUTE=1000000000
  unset TALLY_VALIDATE_RESPONSES NODE_ENV # Schemathesis checks the responses itself
  exec "$NODE" src/main.ts
) >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  if "$VENV/bin/python" -c "import urllib.request, sys; urllib.request.urlopen('$ORIGIN/health', timeout=1)" 2>/dev/null; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "fuzz: Tally did not start" >&2; exit 1; }
  sleep 0.5
done

# --- the run ---
REPORTS=$FUZZ_DIR/.reports/$DB_LABEL
rm -rf "$REPORTS"
mkdir -p "$REPORTS"
started=$SECONDS
set +e
# From the scratch directory, with Hypothesis' own cache in the venv: nothing lands in the checkout.
(
  cd "$WORK"
  PYTHONPATH=$FUZZ_DIR SCHEMATHESIS_HOOKS=tally_hooks HYPOTHESIS_STORAGE_DIRECTORY=$VENV/hypothesis \
    TALLY_FUZZ_ORIGIN=$ORIGIN TALLY_FUZZ_BOOTSTRAP_KEY=$BOOTSTRAP_KEY TALLY_FUZZ_STATS=$REPORTS/keys.json \
    exec "$VENV/bin/schemathesis" --config-file "$FUZZ_DIR/schemathesis.toml" run "$SPEC" \
    --url "$ORIGIN/v1" --no-color --report ndjson,junit --report-dir "$REPORTS" "$@"
)
rc=$?
set -e
elapsed=$((SECONDS - started))
stop_server

# --- what the run proves beyond Schemathesis' own checks ---
"$VENV/bin/python" "$FUZZ_DIR/summarize.py" "$REPORTS" "$WORK/server.log" "$DB_LABEL" "$elapsed" || rc=1
if [[ $rc -ne 0 ]]; then
  echo "fuzz: FAILED on $DB_LABEL (exit $rc); reports in $REPORTS" >&2
  exit 1
fi
echo "fuzz: passed on $DB_LABEL in ${elapsed}s"
