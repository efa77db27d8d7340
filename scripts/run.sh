#!/usr/bin/env bash
# Installs what is needed, builds, and runs the conformance suite against the
# embedded reference server, writing JSON, JUnit and HTML reports to reports/.
# Extra arguments are passed to `manta-harness run` (e.g. --base-url URL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh run
cmake -S . -B build -DMH_TESTS=OFF >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
mkdir -p reports
set +e
build/manta-harness run \
  --report json:reports/report.json \
  --report junit:reports/junit.xml \
  --report html:reports/report.html \
  "$@"
status=$?
set -e
echo "reports: $(pwd)/reports/report.json, $(pwd)/reports/junit.xml, $(pwd)/reports/report.html"
exit $status
