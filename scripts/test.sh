#!/usr/bin/env bash
# Installs what is needed, then builds and runs every test twice: a normal
# build and an AddressSanitizer+UndefinedBehaviorSanitizer build. Exits
# non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh test

jobs=$(nproc 2>/dev/null || echo 2)

configure_build_test() {
  local dir=$1; shift
  cmake -S . -B "$dir" -DMH_TESTS=ON -DMH_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  (cd "$dir" && ctest --output-on-failure -j "$jobs")
}

echo "== normal build =="
configure_build_test build
echo "== sanitizer build (ASan + UBSan) =="
ASAN_OPTIONS=detect_leaks=1 configure_build_test build-asan -DMH_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
echo "== clang-format =="
if command -v clang-format >/dev/null; then
  files=$(git ls-files '*.c' '*.h' 2>/dev/null || find harness refserver tests fuzz bench -name '*.[ch]')
  clang-format --dry-run --Werror $files
fi
echo "test.sh: all tests passed"
