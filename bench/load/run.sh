#!/usr/bin/env bash
# bench/load/run.sh — load + compile time and memory of OpenAPI documents.
#
# For synthetic documents of 100, 1,000 and 10,000 operations (gen_doc.py:
# $ref chains of depth 8, 200-value enums, parameters, bodies), each as JSON
# and as YAML, and for the largest documents of @readme/oas-examples, prints
# manta-harness's load time (parse, bundle, compile every schema; best and
# median of BENCH_REPS) and peak RSS (GNU time), the YAML/JSON time ratio,
# and the reference side from the same invocation: Node parsing the same
# files (JSON.parse, js-yaml 4, installed into bench/.node).
#
# usage: bench/load/run.sh            env: BENCH_REPS (5), BENCH_SIZES ("100 1000 10000")
# Exit: 0 measured (goals are reported, not enforced), 2 a tool is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bash "$root/scripts/install-deps.sh" bench
reps=${BENCH_REPS:-5}
sizes=${BENCH_SIZES:-"100 1000 10000"}
build=${BENCH_BUILD_DIR:-$root/build-bench}
node_prefix=$root/bench/.node
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DMH_TESTS=OFF &&
    cmake --build "$build" -j2 --target bench_load; } >"$tmp/build.log" 2>&1; then
    cat "$tmp/build.log" >&2
    echo "run.sh: building bench_load failed" >&2
    exit 2
fi
bin=$build/bench/bench_load
if [ ! -f "$node_prefix/node_modules/js-yaml/package.json" ]; then
    npm install --prefix "$node_prefix" js-yaml@4.1.0 --no-audit --no-fund --loglevel=error >/dev/null
fi
export JS_YAML=$node_prefix/node_modules/js-yaml

measure() { # FILE: manta-harness best/median and peak RSS, then node
    local out
    out=$(/usr/bin/time -f "%M" "$bin" "$1" "$reps" 2>"$tmp/rss") || {
        cat "$tmp/rss" >&2
        return 1
    }
    echo "$out, peak RSS $(tail -1 "$tmp/rss") KiB"
    node "$here/ref_load.js" "$1"
}

best_ms() { sed -E 's/.*best ([0-9.]+) ms.*/\1/'; }

for n in $sizes; do
    python3 "$here/gen_doc.py" "$n" "$tmp/s$n.json" "$tmp/s$n.yaml"
    j=$(measure "$tmp/s$n.json")
    y=$(measure "$tmp/s$n.yaml")
    echo "$j"
    echo "$y"
    jm=$(echo "$j" | head -1 | best_ms)
    ym=$(echo "$y" | head -1 | best_ms)
    awk -v n="$n" -v j="$jm" -v y="$ym" \
        'BEGIN { printf "synthetic %d operations: YAML/JSON load time %.2fx (goal <= 2x)\n", n, y / j }'
done

pkg=$root/tests/.npm/node_modules/@readme/oas-examples
if [ -d "$pkg" ]; then
    for f in "$pkg/3.1/json/readme.json" "$pkg/3.1/yaml/readme.yaml" \
        "$pkg/3.0/json/star-trek.json" "$pkg/3.0/yaml/star-trek.yaml"; do
        [ -f "$f" ] && measure "$f"
    done
else
    echo "run.sh: @readme/oas-examples not installed (scripts/install-deps.sh test): skipped"
fi
