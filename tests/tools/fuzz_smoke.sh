#!/usr/bin/env bash
# CTest fuzz_smoke: builds the clang libFuzzer targets (build-fuzz/, via
# scripts/fuzz.sh --build-only, incremental after the first time) and runs
# each target for a few thousand inputs on a throw-away copy of its seed
# corpus and regression inputs. Fails on any crash, leak, UB report or
# violated property. Needs clang; CTest registers it only when clang exists.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${MH_FUZZ_SMOKE_RUNS:-3000}
build=${MH_FUZZ_BUILD:-$root/build-fuzz}
MH_FUZZ_BUILD=$build "$root/scripts/fuzz.sh" --build-only
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1
fail=0
for t in $("$root/scripts/fuzz.sh" --list); do
  mkdir -p "$tmp/$t"
  cp "$root/corpus/$t"/* "$tmp/$t/"
  reg=$root/tests/data/fuzz-regressions/$t
  [ -d "$reg" ] && cp "$reg"/* "$tmp/$t/" 2>/dev/null || true
  max_len=$(sed -n 's/^max_len *= *\([0-9]*\).*/\1/p' "$root/fuzz/$t.options")
  start=$(date +%s)
  if "$build/fuzz/fuzz_$t" -runs="$runs" -seed=1 -max_len="${max_len:-4096}" -timeout=10 \
      -dict="$root/fuzz/$t.dict" -artifact_prefix="$tmp/" "$tmp/$t" >"$tmp/$t.log" 2>&1; then
    echo "fuzz_smoke: $t: $runs runs ok ($(grep -Eo 'cov: [0-9]+' "$tmp/$t.log" | tail -1), $(($(date +%s) - start))s)"
  else
    echo "fuzz_smoke: $t FAILED; log tail:"
    tail -40 "$tmp/$t.log"
    for a in "$tmp"/crash-* "$tmp"/leak-* "$tmp"/timeout-*; do
      [ -e "$a" ] && echo "input (base64): $(base64 -w0 "$a" | head -c 2000)"
    done
    fail=1
  fi
done
exit $fail
