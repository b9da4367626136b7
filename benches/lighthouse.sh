#!/usr/bin/env bash
# Lighthouse over the built demo: the catalog and a pack page, as a phone
# (Lighthouse's mobile preset: 412 px, slow 4G, 4x CPU slowdown) and as a
# desktop, with the four category scores and the cumulative layout shift.
#
#   benches/lighthouse.sh                   build the demo, serve it, run all four
#   benches/lighthouse.sh --keep DIR        also keep the JSON reports in DIR
#
# The demo is built with the debug binary into target/lighthouse/ and served
# by `python3 -m http.server` on 127.0.0.1. Lighthouse (pinned below) is
# installed with npm into target/lighthouse/node_modules the first time;
# Chromium is $CHROME_PATH, else /usr/bin/chromium. Nothing leaves the
# machine but that one npm install. Not run by CI: the figures depend on the
# machine, and a busy one lowers the performance score.
set -euo pipefail
cd "$(dirname "$0")/.."

LIGHTHOUSE_VERSION=12.8.2
keep=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --keep) keep="$2"; shift 2 ;;
        *) echo "usage: benches/lighthouse.sh [--keep DIR]" >&2; exit 2 ;;
    esac
done

work="$PWD/target/lighthouse"
mkdir -p "$work"
if [[ ! -x "$work/node_modules/.bin/lighthouse" ]]; then
    npm install --prefix "$work" --no-audit --no-fund --no-save "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null
fi
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

cargo build --quiet
rm -rf "$work/public"
./target/debug/flippack build --out "$work/public" >/dev/null

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/public" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
    sleep 0.1
done

printf '%-40s %-8s %5s %5s %5s %5s %7s\n' page form perf a11y bp seo CLS
for path in index.html packs/questioning-wait-time/index.html; do
    for form in mobile desktop; do
        preset=()
        [[ $form == desktop ]] && preset=(--preset=desktop)
        report="$work/report-${form}-${path//\//_}.json"
        "$work/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/$path" \
            "${preset[@]}" --quiet --output=json --output-path="$report" \
            --only-categories=performance,accessibility,best-practices,seo \
            --chrome-flags="--headless --no-sandbox --disable-gpu"
        python3 - "$report" "$path" "$form" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["categories"]
score = lambda k: round(c[k]["score"] * 100)
cls = r["audits"]["cumulative-layout-shift"]["numericValue"]
print(f"{sys.argv[2]:<40} {sys.argv[3]:<8} {score('performance'):5} {score('accessibility'):5} "
      f"{score('best-practices'):5} {score('seo'):5} {cls:7.3f}")
for k in ("accessibility", "best-practices", "seo"):
    for ref in c[k]["auditRefs"]:
        a = r["audits"][ref["id"]]
        if ref["weight"] and a["score"] is not None and a["score"] < 1:
            print(f"    {k}: {a['id']}: {a['title']}")
PY
        if [[ -n $keep ]]; then mkdir -p "$keep"; cp "$report" "$keep/"; fi
    done
done
