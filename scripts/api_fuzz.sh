#!/usr/bin/env bash
# Fuzz /api/v1 with schemathesis against its own OpenAPI document: no 500s, no response that breaks
# its own schema. Runs a throwaway server on SQLite with a fresh user's token. Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
work=$(mktemp -d)
port=$($BIN/python -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
export DATABASE_URL="sqlite:///$work/fuzz.db" MEDIA_ROOT="$work/media" RATELIMIT_ENABLED=false \
  SECRET_KEY=fuzz-secret-key-fuzz-secret-key-000 BASE_URL="http://127.0.0.1:$port"
$BIN/flask --app wsgi db upgrade >/dev/null 2>&1
$BIN/flask --app wsgi seed >/dev/null
$BIN/gunicorn --config gunicorn.conf.py --bind "127.0.0.1:$port" --workers 1 wsgi:app >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/register" -H 'Content-Type: application/json' \
  -d '{"email": "fuzz@example.az", "password": "fuzz-password-1", "name": "Fuzz"}' \
  | $BIN/python -c "import json, sys; print(json.load(sys.stdin)['access_token'])")
status=0
$BIN/schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --checks not_a_server_error,response_schema_conformance \
  -H "Authorization: Bearer $token" \
  --max-examples "${FUZZ_EXAMPLES:-25}" --max-time "${FUZZ_SECONDS:-240}" --seed 1 \
  --exclude-path-regex '/auth/(logout|password/reset)' || status=$?
if grep -q "Traceback" "$work/server.log"; then
  echo "server log has tracebacks:"; grep -A20 "Traceback" "$work/server.log" | head -60; status=1
fi
exit $status
