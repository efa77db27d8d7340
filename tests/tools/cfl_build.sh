#!/usr/bin/env bash
# CTest fuzz_cfl_build: runs .clusterfuzzlite/build.sh locally as
# ClusterFuzzLite would for libFuzzer + ASan (CC=clang, CXX=clang++, the
# sanitizer in CFLAGS, LIB_FUZZING_ENGINE=-fsanitize=fuzzer, fresh OUT and
# WORK), checks that every target's binary, dictionary, options and seed zip
# are in $OUT, and runs each binary briefly on its unzipped seed corpus.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/out" "$tmp/work" "$tmp/src"
ln -s "$root" "$tmp/src/manta-harness"
export CC=clang CXX=clang++ CFLAGS="-fsanitize=fuzzer-no-link,address -O1 -g"
export CXXFLAGS="$CFLAGS" LIB_FUZZING_ENGINE=-fsanitize=fuzzer
export OUT=$tmp/out WORK=$tmp/work SRC=$tmp/src
if ! bash "$root/.clusterfuzzlite/build.sh" >"$tmp/build.log" 2>&1; then
  echo "cfl_build: build.sh failed:"; tail -40 "$tmp/build.log"; exit 1
fi
[ -f "$OUT/manta-openapi.json" ] || { echo "cfl_build: contract copy missing in OUT"; exit 1; }
fail=0
for t in $(grep -E '^[a-z_]+$' "$root/fuzz/targets.txt"); do
  for f in "$t" "$t.dict" "$t.options" "${t}_seed_corpus.zip"; do
    [ -s "$OUT/$f" ] || { echo "cfl_build: $f missing in OUT"; fail=1; }
  done
  [ -x "$OUT/$t" ] || continue
  mkdir -p "$tmp/seeds/$t"
  unzip -q "$OUT/${t}_seed_corpus.zip" -d "$tmp/seeds/$t"
  seeds=$(ls "$tmp/seeds/$t" | wc -l)
  # Run from elsewhere: the binary must find its contract next to itself.
  if (cd / && "$OUT/$t" -runs=200 -dict="$OUT/$t.dict" -artifact_prefix="$tmp/" \
      "$tmp/seeds/$t" >"$tmp/$t.log" 2>&1); then
    echo "cfl_build: $t: ok ($seeds seeds, 200 runs)"
  else
    echo "cfl_build: $t FAILED:"; tail -30 "$tmp/$t.log"; fail=1
  fi
done
exit $fail
