#!/usr/bin/env bash
# bench/prism/run.sh — a whole-document run against an independent mock server.
#
# Starts Prism (tests/.npm, installed by scripts/install-deps.sh test) on
# loopback for DOC (default: contracts/petstore-3.1.yaml), runs the full
# default plan of every operation against it BENCH_RUNS times (default 3) and
# prints cases/s (best and median), then, in the same invocation, wrk against
# the same Prism on one GET of the document (the rate a client could reach on
# this mock) and the ratio. Prism validates every request and builds every
# answer in JavaScript, so both sides are bound by it; the ratio says how much
# of that ceiling the harness reaches.
#
# usage: bench/prism/run.sh [DOC] [BUILD_DIR]
# Exit: 0 measured, 2 a tool is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bash "$root/scripts/install-deps.sh" bench
doc=${1:-$root/contracts/petstore-3.1.yaml}
build=${2:-$root/build}
bin=$build/manta-harness
prism=$root/tests/.npm/node_modules/.bin/prism
runs=${BENCH_RUNS:-3}
[ -x "$bin" ] || { echo "run.sh: no binary at $bin (build first)" >&2; exit 2; }
[ -x "$prism" ] || { echo "run.sh: prism missing (bash scripts/install-deps.sh test)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "run.sh: wrk missing" >&2; exit 2; }

tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$prism" mock -h 127.0.0.1 -p "$port" "$doc" >"$tmp/prism.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT INT TERM
for _ in $(seq 1 600); do
    (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
    sleep 0.1
done
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores); document $doc"
rates=()
for i in $(seq 1 "$runs"); do
    start=$(date +%s.%N)
    set +e
    "$bin" run --spec "$doc" --base-url "http://127.0.0.1:$port" --seed 7 --no-progress --quiet \
        --api-key api_key=bench-api-key-0123456789 --token bench-token-0123456789abcdef \
        --report "json:$tmp/r.json" >"$tmp/out.txt" 2>&1
    rc=$?
    set -e
    end=$(date +%s.%N)
    cases=$(python3 -c "import json; print(json.load(open('$tmp/r.json'))['summary']['cases'])")
    rates+=("$(python3 -c "print('%.1f' % ($cases / ($end - $start)))")")
    echo "run $i: $cases cases in $(python3 -c "print('%.2f' % ($end - $start))") s (exit $rc): ${rates[-1]} cases/s"
done
best=$(printf '%s\n' "${rates[@]}" | sort -g | tail -1)
median=$(printf '%s\n' "${rates[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p")
echo "manta-harness against prism: best $best cases/s, median $median cases/s"
path=$(python3 - "$doc" <<'PY'
import json, sys, re
text = open(sys.argv[1]).read()
m = re.search(r'^  (/[^:{}\s]+):\s*$', text, re.M)
print(m.group(1) if m else "/")
PY
)
wrk -t2 -c4 -d5s -H 'X-API-Key: bench-api-key-0123456789' -H 'Authorization: Bearer bench-token-0123456789abcdef' \
    "http://127.0.0.1:$port$path" >"$tmp/wrk.txt" 2>&1
wrk_rate=$(awk '/Requests\/sec/ { print $2 }' "$tmp/wrk.txt")
echo "wrk -t2 -c4 GET $path against the same prism: $wrk_rate req/s"
python3 -c "print('harness / wrk: %.0f%%' % (100 * $best / $wrk_rate))"
