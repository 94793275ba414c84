#!/usr/bin/env bash
# CI fuzz step (#14 item 2, #17 item 4): installs cargo-fuzz if absent, builds every fuzz target
# and runs each for FUZZ_SECONDS (default 5) from its committed seeds, failing on any crash,
# OOM or timeout. Budget: the whole step within 6 minutes on 2 cores once cargo-fuzz is
# installed (its install measured 6 min 18 s wall on this shared machine, 1 min 47 s CPU).
# Prints each phase's duration and a table per target.
set -euo pipefail
cd "$(dirname "$0")/.."
step_start=$SECONDS
seconds=${FUZZ_SECONDS:-5}
if ! cargo fuzz --version >/dev/null 2>&1; then
  t0=$SECONDS
  cargo install cargo-fuzz --locked
  echo "== cargo install cargo-fuzz: $((SECONDS - t0)) s"
fi
t0=$SECONDS
fuzz/run-all "$seconds"
echo "== fuzz targets built and run ${seconds} s each: $((SECONDS - t0)) s"
echo "== fuzz step: $((SECONDS - step_start)) s"
