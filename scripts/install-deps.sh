#!/usr/bin/env bash
# Installs what manta-harness needs, by purpose. Idempotent and quiet when
# everything is present; `apt-get update` runs only when a package is missing.
#
#   scripts/install-deps.sh run     build and run the tool (scripts/run.sh)
#   scripts/install-deps.sh test    + test, fuzz and document-corpus tools (scripts/test.sh)
#   scripts/install-deps.sh bench   + benchmark tools (wrk, nginx)
#   scripts/install-deps.sh         everything (test + bench)
#
# The test profile also installs two npm packages, pinned, into the
# git-ignored folder tests/.npm/: @readme/oas-examples (real OpenAPI documents
# nobody here wrote) and @stoplight/prism-cli (an independent mock server).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-all}

RUN_PACKAGES=(
  build-essential cmake pkg-config
  libcurl4-openssl-dev libcjson-dev libmicrohttpd-dev libssl-dev libpcre2-dev libyaml-dev
)
TEST_PACKAGES=(
  git clang libclang-rt-14-dev llvm clang-format check libsubunit-dev libxml2-utils
  nodejs npm curl python3 zip unzip time valgrind
)
BENCH_PACKAGES=(wrk nginx-light nodejs npm curl python3 time)

case $profile in
run) PACKAGES=("${RUN_PACKAGES[@]}") ;;
test) PACKAGES=("${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}") ;;
bench) PACKAGES=("${RUN_PACKAGES[@]}" "${BENCH_PACKAGES[@]}") ;;
all) PACKAGES=("${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${BENCH_PACKAGES[@]}") ;;
*)
  echo "install-deps: unknown profile '$profile' (run, test, bench or all)" >&2
  exit 2
  ;;
esac

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# node/npm may come from elsewhere than Debian's packages; accept them on PATH.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]+"${missing[@]}"}"; do
    [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p")
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || {
      echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
      exit 1
    }
    SUDO=sudo
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # nginx-light starts a system service on install; the benchmarks start their own.
  if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl stop nginx >/dev/null 2>&1 || true; fi
  $SUDO pkill -x nginx >/dev/null 2>&1 || true
fi

# npm packages for the tests, pinned; reinstalled only when a version changes.
if [[ $profile == test || $profile == all ]]; then
  npm_dir=tests/.npm
  want="@readme/oas-examples@8.2.2 @stoplight/prism-cli@5.14.2"
  if [ "$(cat "$npm_dir/.installed" 2>/dev/null)" != "$want" ]; then
    mkdir -p "$npm_dir"
    echo "install-deps: npm install $want into $npm_dir" >&2
    # shellcheck disable=SC2086
    npm install --prefix "$npm_dir" --no-audit --no-fund --no-save --loglevel=error $want >/dev/null
    echo "$want" >"$npm_dir/.installed"
  fi
fi
