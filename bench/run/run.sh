#!/usr/bin/env bash
# bench/run/run.sh — throughput and peak memory of `manta-harness run`.
#
# Starts `manta-harness serve` on a loopback port with known credentials and
# runs the full default plan against it, repeated to ~10,000 cases
# (88 cases per plan x --repeat 114) at --concurrency 8. Then, against the
# same server, wrk at the same concurrency (-c8 -t2) posts valid unique
# creates (create.lua) for a comparable duration: that is the ceiling a
# client could reach on this server. Prints both rates, their ratio and the
# harness's peak RSS (GNU time).
#
# Goals (issue 4): harness rate >= 50% of wrk's, peak RSS < 32 MiB.
#
# usage: bench/run/run.sh [BUILD_DIR]      (default: build)
# env:   BENCH_REPEAT (114), BENCH_CONCURRENCY (8), BENCH_THREADS (2)
# Needs wrk and GNU time (Debian: wrk, time; scripts/install-deps.sh).
# Exit: 0 measured (goals are reported, not enforced), 2 missing tool or
# binary, 3 a run failed (non-zero exit of the harness: the numbers would lie).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bash "$root/scripts/install-deps.sh" bench
build=${1:-$root/build}
bin=$build/manta-harness
repeat=${BENCH_REPEAT:-114}
conc=${BENCH_CONCURRENCY:-8}
threads=${BENCH_THREADS:-2}

for tool in wrk /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool not found (scripts/install-deps.sh)" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "run.sh: no binary at $bin (build first or pass the build dir)" >&2; exit 2; }

tmp=$(mktemp -d)
serve_pid=""
cleanup() {
    if [ -n "$serve_pid" ]; then
        kill "$serve_pid" 2>/dev/null || true
        wait "$serve_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# Credentials for this run only, in the environment (never argv, never printed).
export MANTA_BOT_ID=bench
export MANTA_SECRET="bench-secret-$RANDOM$RANDOM"
export MANTA_JWT_KEY="bench-key-$RANDOM$RANDOM$RANDOM"
export BENCH_BOT_ID=$MANTA_BOT_ID BENCH_SECRET=$MANTA_SECRET
BENCH_TOKEN=$("$bin" token --ttl 3600)
export BENCH_TOKEN

"$bin" serve --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
serve_pid=$!
for _ in $(seq 200); do
    [ -s "$tmp/serve.out" ] && break
    sleep 0.05
done
base=$(head -n1 "$tmp/serve.out")
[ -n "$base" ] || { echo "run.sh: serve did not start:" >&2; cat "$tmp/serve.err" >&2; exit 3; }

now_ns() { date +%s%N; }

# --- manta-harness run ------------------------------------------------------
t0=$(now_ns)
set +e
/usr/bin/time -v -o "$tmp/time.txt" "$bin" run --base-url "$base" --repeat "$repeat" \
    --concurrency "$conc" --no-progress --quiet >"$tmp/run.out" 2>"$tmp/run.err"
run_rc=$?
set -e
t1=$(now_ns)
if [ "$run_rc" -ne 0 ]; then
    echo "run.sh: manta-harness run exited $run_rc against the conformant server:" >&2
    cat "$tmp/run.out" "$tmp/run.err" >&2
    exit 3
fi
summary=$(tail -n1 "$tmp/run.out")
cases=$(awk '{print $1; exit}' <<<"$summary")
wall_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
rss_kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
harness_rate=$(awk -v n="$cases" -v s="$wall_s" 'BEGIN { printf "%.0f", n / s }')

# --- the valid suite alone: the same kind of request wrk sends -------------
# Diagnostic: separates the cost of the plan's large cases (1 MiB invalid
# bodies, 64 Ki code point names) from the per-request overhead.
valid_per=$("$bin" run --list-cases --suite valid | head -n1 | awk '{print $7}')
valid_rep=$(( (10000 + valid_per - 1) / valid_per ))
t0=$(now_ns)
"$bin" run --base-url "$base" --suite valid --repeat "$valid_rep" --concurrency "$conc" \
    --no-progress --quiet >"$tmp/valid.out" 2>&1 || true
t1=$(now_ns)
valid_cases=$(awk '{print $1; exit}' "$tmp/valid.out")
valid_rate=$(awk -v n="$valid_cases" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / ((b - a) / 1e9) }')

# --- wrk, same server, same concurrency -----------------------------------
dur=$(awk -v s="$wall_s" 'BEGIN { d = int(s + 0.999); if (d < 3) d = 3; print d }')
wrk -t"$threads" -c"$conc" -d"${dur}s" -s "$here/create.lua" "$base" >"$tmp/wrk.out" 2>&1
wrk_rate=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$tmp/wrk.out")
wrk_non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$tmp/wrk.out")
wrk_sock=$(grep -E '^ +Socket errors:' "$tmp/wrk.out" | sed 's/^ *Socket errors: *//' || true)

# --- report -----------------------------------------------------------------
ratio=$(awk -v a="$harness_rate" -v b="$wrk_rate" 'BEGIN { if (b > 0) printf "%.0f", 100 * a / b; else print "n/a" }')
rss_mib=$(awk -v k="$rss_kib" 'BEGIN { printf "%.1f", k / 1024 }')
echo "manta-harness run vs wrk against manta-harness serve ($(nproc) cores), concurrency $conc"
printf '%-28s %8s cases/s  (%s cases in %s s wall, exit %s)\n' "manta-harness run" \
    "$harness_rate" "$cases" "$wall_s" "$run_rc"
printf '%-28s %8s req/s    (-t%s -c%s -d%ss, non-2xx %s, socket errors: %s)\n' \
    "wrk (valid creates)" "$wrk_rate" "$threads" "$conc" "$dur" "${wrk_non2xx:-0}" "${wrk_sock:-none}"
printf '%-28s %8s cases/s  (%s cases, --suite valid only: diagnostic)\n' \
    "manta-harness run (valid)" "$valid_rate" "$valid_cases"
echo "harness / wrk: ${ratio}% (goal >= 50%)"
echo "harness peak RSS: ${rss_mib} MiB (goal < 32 MiB)"
echo "harness summary: $summary"
