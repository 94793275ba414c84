#!/usr/bin/env bash
# CI fuzz step (#14 item 2, #17 item 4): installs the nightly toolchain and cargo-fuzz if absent,
# builds every fuzz target and runs each for FUZZ_SECONDS (default 5) from its committed seeds
# (fuzz/seeds), failing on any crash, OOM or timeout (fuzz/run-all does the work).
#
# Budget: the whole step within 6 minutes on 2 cores once cargo-fuzz is installed: 21 targets
# x 5 s of fuzzing plus the build. `cargo install cargo-fuzz --locked` itself measured
# 6 min 18 s wall (1 min 47 s CPU) on this shared machine: cache ~/.cargo/bin in CI, or give the
# first run that much more. Prints each phase's duration and a table per target.
set -euo pipefail
cd "$(dirname "$0")/.."
step_start=$SECONDS
seconds=${FUZZ_SECONDS:-5}
if ! rustup toolchain list | grep -q '^nightly'; then
  t0=$SECONDS
  rustup toolchain install nightly --profile minimal
  echo "== rustup toolchain install nightly: $((SECONDS - t0)) s"
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  t0=$SECONDS
  cargo install cargo-fuzz --locked
  echo "== cargo install cargo-fuzz: $((SECONDS - t0)) s"
fi
t0=$SECONDS
# The fuzz crate is outside the workspace: `cargo fmt --all` at the root does not see it.
(cd fuzz && cargo fmt --check)
# Two targets at a time on the 2-core machine.
FUZZ_TOOLCHAIN=nightly FUZZ_JOBS=${FUZZ_JOBS:-2} fuzz/run-all "$seconds"
echo "== fuzz targets built and run ${seconds} s each: $((SECONDS - t0)) s"
echo "== fuzz step: $((SECONDS - step_start)) s"
