#!/usr/bin/env bash
# Lighthouse (mobile preset) on home, search, a product page and the sell form of a local server with demo
# data on SQLite. Lighthouse comes from npm into a scratch folder outside the repository (LH_DIR); Chromium is
# Debian's. Prints the four category scores per page; the JSON reports stay in $WORK.
# Usage: bench/lighthouse.sh   (PORT=5077 LH_DIR=/tmp/lh WORK=/tmp/lhapp to change)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5077}
LH_DIR=${LH_DIR:-/tmp/lh}
WORK=${WORK:-/tmp/lhapp}
BIN=${BIN:-.venv/bin}
BASE="http://127.0.0.1:$PORT"
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
export DATABASE_URL="sqlite:///$WORK/memi.db" MEDIA_ROOT="$WORK/media" BASE_URL="$BASE"

[ -x "$LH_DIR/node_modules/.bin/lighthouse" ] || (mkdir -p "$LH_DIR" && cd "$LH_DIR" && npm install --no-save lighthouse >/dev/null)
mkdir -p "$WORK"
if [ ! -f "$WORK/memi.db" ]; then
  "$BIN/flask" --app wsgi db upgrade >/dev/null 2>&1
  "$BIN/flask" --app wsgi seed >/dev/null
  "$BIN/flask" --app wsgi demo-data --users 10 --products 60 --seed 1 >/dev/null
fi
"$BIN/gunicorn" --config gunicorn.conf.py --bind "127.0.0.1:$PORT" wsgi:app >"$WORK/gunicorn.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER' EXIT
for _ in $(seq 50); do curl -fs -o /dev/null "$BASE/healthz" && break; sleep 0.2; done

# The sell form needs a signed-in seller: log in with curl and hand Lighthouse the cookies.
JAR="$WORK/cookies"
rm -f "$JAR"
TOKEN=$(curl -s -c "$JAR" -b "$JAR" "$BASE/login" | grep -o 'name="csrf_token"[^>]*value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$JAR" -b "$JAR" -o /dev/null -d "csrf_token=$TOKEN&email=demo1@memi.test&password=demo-password" "$BASE/login"
COOKIE=$(awk '$6 == "memi_session" || $6 == "remember_token" {printf "%s=%s; ", $6, $7}' "$JAR")
printf '{"Cookie": "%s"}\n' "$COOKIE" >"$WORK/headers.json"
PRODUCT=$(curl -s "$BASE/search?q=jacket" | grep -o 'href="/products/[0-9]*"' | head -1 | sed 's/href="//;s/"//')

for page in "home|/" "search|/search?q=jacket" "product|$PRODUCT" "sell|/sell"; do
  name=${page%%|*}
  path=${page#*|}
  extra=()
  [ "$name" = sell ] && extra=(--extra-headers="$WORK/headers.json")
  "$LH_DIR/node_modules/.bin/lighthouse" "$BASE$path" "${extra[@]}" --quiet \
    --chrome-flags="--headless=new --no-sandbox" --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$WORK/lighthouse-$name.json"
  node -e "const r = require('$WORK/lighthouse-$name.json');
    console.log('$name'.padEnd(8), r.finalDisplayedUrl.replace('$BASE', '').padEnd(18),
      Object.values(r.categories).map(c => c.id + ' ' + Math.round(c.score * 100)).join('  '))"
done
