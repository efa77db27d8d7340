#!/bin/sh
# ci-gate.sh — run manta-harness as a CI conformance gate, configured by the
# environment. Extra arguments are passed on to `manta-harness run`; the exit
# status is run's (0 pass, 1 findings, 2 configuration, 3 unreachable).
#
#   MANTA_BASE_URL    the service under test (required: a gate must name it)
#   MANTA_TOKEN       bearer token, or MANTA_JWT_KEY to mint tokens (read by
#   MANTA_JWT_KEY     manta-harness itself from the environment, so secrets
#   MANTA_BOT_ID      never appear in argv or in the logs)
#   MANTA_SECRET      real value of the body's credential property
#   MANTA_SHARD       K/N: run the K-th of N parts of the plan (optional)
#   MANTA_BASELINE    baseline file; used when it exists (optional)
#   MANTA_REPORT_DIR  where reports go (default: reports)
#   MANTA_SEED        plan seed (default 1: the same plan on every run, so
#                     results compare from commit to commit and shards agree)
#   MANTA_HARNESS     the binary (default: manta-harness on PATH, else the
#                     build tree's build/manta-harness)
#
# Reports (with -shard-K-of-N before the extension when sharded):
#   $MANTA_REPORT_DIR/manta.json  junit.xml  manta.sarif  report.html
set -eu

die() {
    echo "ci-gate.sh: $*" >&2
    exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
mh=${MANTA_HARNESS:-}
if [ -z "$mh" ]; then
    if command -v manta-harness >/dev/null 2>&1; then
        mh=manta-harness
    elif [ -x "$here/../build/manta-harness" ]; then
        mh=$here/../build/manta-harness
    else
        die "manta-harness not found: put it on PATH or set MANTA_HARNESS"
    fi
fi
[ -n "${MANTA_BASE_URL:-}" ] || die "MANTA_BASE_URL is not set: which service does this gate test?"

dir=${MANTA_REPORT_DIR:-reports}
seed=${MANTA_SEED:-1}
suffix=
if [ -n "${MANTA_SHARD:-}" ]; then
    case $MANTA_SHARD in
    */*) suffix="-shard-${MANTA_SHARD%%/*}-of-${MANTA_SHARD#*/}" ;;
    *) die "MANTA_SHARD must be K/N, got '$MANTA_SHARD'" ;;
    esac
fi

# The run command: gate defaults first, then the caller's arguments, which
# can add to them (another --report, --checks ...). Flags are checked against
# `manta-harness run --help` by tests/e2e/test_install.c.
set -- --no-progress --seed "$seed" "$@"
set -- --report "json:$dir/manta$suffix.json" --report "junit:$dir/junit$suffix.xml" "$@"
set -- --report "sarif:$dir/manta$suffix.sarif" --report "html:$dir/report$suffix.html" "$@"
if [ -n "${MANTA_SHARD:-}" ]; then
    set -- --shard "$MANTA_SHARD" "$@"
fi
if [ -n "${MANTA_BASELINE:-}" ]; then
    if [ -f "$MANTA_BASELINE" ]; then
        set -- --baseline "$MANTA_BASELINE" "$@"
    else
        echo "ci-gate.sh: no baseline at $MANTA_BASELINE: every finding counts as new" >&2
    fi
fi
# argv is not echoed: a caller may have passed a secret in the extra arguments.
echo "ci-gate.sh: seed $seed${MANTA_SHARD:+, shard $MANTA_SHARD}, reports in $dir/" >&2
status=0
"$mh" run "$@" || status=$?
exit "$status"
