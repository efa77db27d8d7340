#!/usr/bin/env bash
# Runs one libFuzzer target (or all of them) on its seed corpus.
#
#   scripts/fuzz.sh TARGET|all [SECONDS] [JOBS] [--merge]
#   scripts/fuzz.sh --build-only
#   scripts/fuzz.sh --list
#
# Builds the clang fuzz build in build-fuzz/ when needed (-DMH_FUZZ=ON), then
# fuzzes a working copy of corpus/TARGET under reports/fuzz/TARGET/corpus, so
# the git-tracked seeds stay as they are. SECONDS (default 60) is per job;
# JOBS (default 1) parallel jobs each run that long. Crashes, leaks and
# timeouts land in reports/fuzz/TARGET/ (crash-*, leak-*, timeout-*, oom-*),
# libFuzzer's logs in reports/fuzz/TARGET/fuzz-*.log. At the end it prints
# exec/s and coverage (edges) per target. --merge then adds to corpus/TARGET
# only the inputs of the working copy that reach new coverage (libFuzzer
# -merge=1; existing seeds are kept).
# Exit status: 0 no crash, 1 a crash/leak/timeout was found, 2 usage or build
# error.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${MH_FUZZ_BUILD:-$root/build-fuzz}
mapfile -t targets < <(grep -E '^[a-z_]+$' "$root/fuzz/targets.txt")

usage() {
  echo "usage: scripts/fuzz.sh TARGET|all [SECONDS] [JOBS] [--merge]" >&2
  echo "       scripts/fuzz.sh --build-only | --list" >&2
  echo "targets: ${targets[*]}" >&2
  exit 2
}

build_fuzzers() {
  command -v clang >/dev/null || { echo "fuzz.sh: clang is required (scripts/install-deps.sh)" >&2; exit 2; }
  if ! grep -qs '^MH_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
    cmake -S "$root" -B "$build" -DMH_FUZZ=ON -DCMAKE_C_COMPILER=clang -DMH_TESTS=OFF \
      -DMH_WERROR=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 2
  fi
  local names=()
  for t in "${targets[@]}"; do names+=("fuzz_$t"); done
  # Only the fuzz targets (and what they link): the CLI is not needed here.
  cmake --build "$build" -j "${MH_JOBS:-2}" --target "${names[@]}" >/dev/null || {
    echo "fuzz.sh: build failed; rerun: cmake --build $build --target ${names[*]}" >&2
    exit 2
  }
}

option() { # option TARGET KEY DEFAULT: a value from fuzz/TARGET.options
  local v
  v=$(sed -n "s/^$2[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p" "$root/fuzz/$1.options" 2>/dev/null | head -1)
  echo "${v:-$3}"
}

summary_line() { # summary_line TARGET DIR STATUS
  local t=$1 dir=$2 st=$3 execs=0 cov=0 line
  for log in "$dir"/fuzz-*.log; do
    [ -e "$log" ] || continue
    line=$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1 || true)
    execs=$((execs + ${line:-0}))
    line=$(grep -Eo '(DONE|pulse|NEW|REDUCE|INITED) +cov: [0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1 || true)
    [ "${line:-0}" -gt "$cov" ] && cov=$line
  done
  local found
  found=$(find "$dir" -maxdepth 1 -newer "$dir/.started" \( -name 'crash-*' -o -name 'leak-*' \
    -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  printf '%-20s exec/s %-8s cov %-6s edges  %s\n' "$t" "$execs" "$cov" \
    "$([ "$st" -eq 0 ] && [ "$found" -eq 0 ] && echo "no crash" || echo "FOUND $found artifact(s), see $dir")"
  [ "$st" -eq 0 ] && [ "$found" -eq 0 ]
}

fuzz_one() { # fuzz_one TARGET SECONDS JOBS MERGE
  local t=$1 secs=$2 jobs=$3 merge=$4
  local dir=$root/reports/fuzz/$t bin=$build/fuzz/fuzz_$t
  mkdir -p "$dir/corpus"
  cp -n "$root/corpus/$t"/* "$dir/corpus/" 2>/dev/null || true
  rm -f "$dir"/fuzz-*.log
  touch "$dir/.started"
  local args=(-max_len="$(option "$t" max_len 4096)" -timeout="$(option "$t" timeout 10)"
    -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$dir/")
  [ -f "$root/fuzz/$t.dict" ] && args+=(-dict="$root/fuzz/$t.dict")
  echo "== $t: ${secs}s x $jobs job(s), corpus $dir/corpus" >&2
  local st=0
  # -jobs makes libFuzzer write fuzz-N.log in the working directory; a single
  # job writes to stderr, which we keep in fuzz-0.log the same way.
  if [ "$jobs" -gt 1 ]; then
    (cd "$dir" && "$bin" "${args[@]}" -jobs="$jobs" -workers="$jobs" "$dir/corpus" >/dev/null 2>&1) || st=$?
  else
    (cd "$dir" && "$bin" "${args[@]}" "$dir/corpus" >"$dir/fuzz-0.log" 2>&1) || st=$?
  fi
  if [ "$merge" = 1 ]; then
    "$bin" -merge=1 -max_len="$(option "$t" max_len 4096)" "$root/corpus/$t" "$dir/corpus" \
      >"$dir/merge.log" 2>&1 || { echo "fuzz.sh: merge failed, see $dir/merge.log" >&2; st=1; }
    echo "merged into corpus/$t: $(ls "$root/corpus/$t" | wc -l) files" >&2
  fi
  summary_line "$t" "$dir" "$st"
}

[ $# -ge 1 ] || usage
case $1 in
--build-only) build_fuzzers; exit 0 ;;
--list) printf '%s\n' "${targets[@]}"; exit 0 ;;
-h | --help) usage ;;
esac
target=$1; shift
secs=60 jobs=1 merge=0 pos=0
for a in "$@"; do
  case $a in
  --merge) merge=1 ;;
  *[!0-9]* | '') echo "fuzz.sh: '$a' is not a number of seconds/jobs or --merge" >&2; usage ;;
  *) if [ $pos -eq 0 ]; then secs=$a; elif [ $pos -eq 1 ]; then jobs=$a; else usage; fi; pos=$((pos + 1)) ;;
  esac
done
[ "$secs" -gt 0 ] && [ "$jobs" -gt 0 ] || { echo "fuzz.sh: SECONDS and JOBS must be > 0" >&2; usage; }
if [ "$target" = all ]; then
  run=("${targets[@]}")
else
  printf '%s\n' "${targets[@]}" | grep -qx "$target" || { echo "fuzz.sh: unknown target '$target'" >&2; usage; }
  run=("$target")
fi
build_fuzzers
rc=0
for t in "${run[@]}"; do fuzz_one "$t" "$secs" "$jobs" "$merge" || rc=1; done
exit $rc
