#!/usr/bin/env bash
# CI step for `cccd serve` (issue #13), for .ci/run to call: installs what it needs, builds the
# service, runs its HTTP tests, its browser tests (headless Chromium via Playwright, against
# `cccd serve --sim` and against the simulator behind a private pcscd/vpcd) and a short load
# test. Each step has a time budget and prints its duration. Screenshots:
# target/serve-screenshots/; load-test output: target/serve-load/. It builds with
# --all-features, as the README test command does, so after that command nothing is rebuilt.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
unset CCCD_ALLOW_SKIP
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
PLAYWRIGHT_VERSION=1.65.1
NODE_DIR=target/browser-node

t_start=$(date +%s)
summary=()
step() {
  local name=$1 budget=$2
  shift 2
  echo "== serve: $name (budget ${budget}s)"
  local t0=$(date +%s) rc=0
  timeout --foreground -k 10 "$budget" "$@" || rc=$?
  local dt=$(( $(date +%s) - t0 ))
  summary+=("$(printf '%-36s %5ss / %5ss  %s' "$name" "$dt" "$budget" "$([ $rc -eq 0 ] && echo ok || echo "FAILED ($rc)")")")
  echo "== serve: $name: ${dt}s (rc $rc)"
  if [ $rc -ne 0 ]; then
    [ $rc -eq 124 ] && echo "== serve: $name went over its budget of ${budget}s"
    report
    exit 1
  fi
}
report() {
  echo "== serve steps (duration / budget)"
  printf '%s\n' "${summary[@]}"
  echo "== serve total $(( $(date +%s) - t_start ))s"
}

install() {
  local need=()
  command -v chromium >/dev/null || need+=(chromium)
  command -v chromedriver >/dev/null || need+=(chromium-driver)
  command -v node >/dev/null || need+=(nodejs)
  command -v npm >/dev/null || need+=(npm)
  command -v ab >/dev/null || need+=(apache2-utils)
  command -v curl >/dev/null || need+=(curl)
  command -v python3 >/dev/null || need+=(python3)
  [ -x /usr/sbin/pcscd ] || need+=(pcscd)
  ls /usr/lib/pcsc/drivers/serial/libifdvpcd.so >/dev/null 2>&1 || need+=(vsmartcard-vpcd)
  if [ ${#need[@]} -gt 0 ]; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
  fi
  if [ ! -d "$NODE_DIR/node_modules/playwright-core" ]; then
    mkdir -p "$NODE_DIR"
    npm install --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error \
      "playwright-core@$PLAYWRIGHT_VERSION"
  fi
}

step "install (apt, npm)" 900 bash -c "$(declare -f install); NODE_DIR=$NODE_DIR PLAYWRIGHT_VERSION=$PLAYWRIGHT_VERSION SUDO=$SUDO install"
t_start=$(date +%s)   # the 6-minute budget counts from here
step "build (feature serve)" 1500 cargo test --all-features --no-run \
  --test serve_api --test serve_browser --test serve_load
# With the test targets, features resolve as in the test build above (dev-dependencies turn on
# features of shared crates): the binary that build made is reused instead of rebuilding the
# library and a third of its dependencies (2 minutes on a cold target).
step "build the binary" 600 cargo build --all-features --bin cccd --tests
step "HTTP API tests" 600 cargo test -q --all-features --test serve_api
step "browser tests (Chromium)" 420 env CCCD_NODE_MODULES="$NODE_DIR/node_modules" \
  cargo test -q --all-features --test serve_browser -- --ignored --test-threads=1
step "load test (short)" 420 env CCCD_LOAD_TOTAL=3000 CCCD_LOAD_N1=200 CCCD_LOAD_N8=500 \
  CCCD_LOAD_N32=1000 CCCD_LOAD_SECONDS=3 bash scripts/serve-load.sh
ls target/serve-screenshots/*.png
report
