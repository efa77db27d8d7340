#!/usr/bin/env bash
# bench/validate/run.sh — parse + validate throughput of the engine
# (mh_json_parse + mh_schema_validate against BasicSuccessResponse and
# ErrorResponse from contracts/manta-openapi.json) against JSON.parse + ajv on
# the same generated documents, with a verdict-by-verdict comparison.
#
# usage: bench/validate/run.sh [COUNT (200000)] [REPS (5)]
# env:   BENCH_SEED (42)            generator seed; same seed, same documents
#        BENCH_BUILD_DIR (build-bench)  Release build dir this script configures
#        BENCH_NO_AJV=1             measure manta-harness only
#        BENCH_BREAKDOWN=1          also time the engine's stages on their own
# Needs cmake and a C compiler (scripts/install-deps.sh); for the ajv side
# Node >= 16 with npm: ajv@8 is installed into bench/.ajv/ (git-ignored).
# Exit status: 0, or 1 when the two sides disagree outside the known,
# by-design differences (printed as UNEXPECTED), 2 on setup errors.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bash "$root/scripts/install-deps.sh" bench
count=${1:-200000}
reps=${2:-5}
seed=${BENCH_SEED:-42}
build=${BENCH_BUILD_DIR:-$root/build-bench}
spec=$root/contracts/manta-openapi.json
ajv_prefix=$root/bench/.ajv

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# --- build the driver (Release, -O2) ------------------------------------
if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" -DMH_TESTS=OFF &&
    cmake --build "$build" -j2 --target bench_validate; } >"$tmp/build.log" 2>&1; then
    cat "$tmp/build.log" >&2
    echo "run.sh: building bench_validate failed" >&2
    exit 2
fi
bin=$build/bench/bench_validate

# --- ajv, installed once into bench/.ajv -----------------------------------
use_ajv=1
if [ "${BENCH_NO_AJV:-0}" = 1 ]; then
    use_ajv=0
elif ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "run.sh: node/npm not found: measuring manta-harness only (install Node >= 16 for ajv)" >&2
    use_ajv=0
elif [ ! -f "$ajv_prefix/node_modules/ajv/package.json" ]; then
    echo "run.sh: installing ajv@8 into bench/.ajv ..." >&2
    if ! npm install --prefix "$ajv_prefix" ajv@8 --no-audit --no-fund --loglevel=error \
        >"$tmp/npm.log" 2>&1; then
        tail -n 5 "$tmp/npm.log" >&2
        echo "run.sh: npm install ajv@8 failed: measuring manta-harness only" >&2
        use_ajv=0
    fi
fi

# --- documents, then both sides -------------------------------------------
"$bin" gen "$count" "$seed" "$tmp/docs"
breakdown=()
[ "${BENCH_BREAKDOWN:-0}" = 1 ] && breakdown=(--breakdown)
mh=$("$bin" run "$spec" "$tmp/docs" "$reps" "$tmp/verdicts.c" "${breakdown[@]}")
echo "manta-harness: $mh"

field() { # key "k=v k=v ..."
    tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k { print $2 }'
}
# rate "docs or bytes" seconds divisor -> "1,234,567" (divisor 1) or "12.3"
rate() {
    awk -v n="$1" -v t="$2" -v d="$3" 'BEGIN {
        r = n / t / d
        if (d != 1) { printf "%.1f", r; exit }
        s = sprintf("%.0f", r); o = ""
        while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
        print s o }'
}

docs=$(field docs "$mh")
bytes=$(field bytes "$mh")
mh_s=$(field best_s "$mh")
mh_cpu=$(field best_cpu_s "$mh")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
line="validate: manta-harness $(rate "$docs" "$mh_s" 1) docs/s ($(rate "$bytes" "$mh_s" 1e6) MB/s)"
status=0
if [ "$use_ajv" = 1 ]; then
    node "$here/ajv.js" "$spec" "$tmp/docs" "$reps" "$tmp/verdicts.ajv" "$tmp/verdicts.c" \
        >"$tmp/ajv.out"
    grep -v '^docs=' "$tmp/ajv.out"
    aj=$(grep '^docs=' "$tmp/ajv.out")
    echo "ajv: $aj"
    aj_s=$(field best_s "$aj")
    aj_cpu=$(field best_cpu_s "$aj")
    ajd_s=$(field best_decode_s "$aj")
    ajd_cpu=$(field best_decode_cpu_s "$aj")
    [ "$(field unexpected "$aj")" = 0 ] || status=1
    echo "by CPU time: manta-harness $(rate "$docs" "$mh_cpu" 1) docs/s," \
        "ajv $(rate "$docs" "$aj_cpu" 1) docs/s, ratio $(ratio "$aj_cpu" "$mh_cpu")x"
    echo "ajv with UTF-8 decoding in the loop (bytes in, like manta-harness):" \
        "$(rate "$docs" "$ajd_s" 1) docs/s ($(rate "$bytes" "$ajd_s" 1e6) MB/s)," \
        "ratio $(ratio "$ajd_s" "$mh_s")x (by CPU time $(ratio "$ajd_cpu" "$mh_cpu")x)"
    line="$line, ajv $(rate "$docs" "$aj_s" 1) docs/s ($(rate "$bytes" "$aj_s" 1e6) MB/s),"
    line="$line ratio $(ratio "$aj_s" "$mh_s")x"
else
    line="$line, ajv not measured"
fi
echo "$docs documents (seed $seed), $bytes bytes, best of $reps, one thread ($(nproc) cores)"
echo "$line"
exit "$status"
