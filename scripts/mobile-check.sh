#!/usr/bin/env bash
# `cargo check` of the cccd library for the phones: aarch64-linux-android and aarch64-apple-ios,
# without `pcsc` (a phone has no PC/SC: the app reads the chip over NFC and hands the APDUs to
# the library through the `Transport` trait), once with no feature and once with the features
# a phone app may use together with the UniFFI crate (bindings/uniffi, what the Kotlin and Swift
# apps link: it pulls the library without `pcsc`) in one invocation, so the library is checked
# once with the union of both feature sets. Checks only: no NDK or Xcode here, so nothing is
# linked (docs/mobile.md and docs/sdk/{kotlin,swift}.md say how to link).
#
# Environment: CCCD_MOBILE_TARGETS (default: both), CCCD_MOBILE_FEATURES (default:
# "image,serde,jpeg2000,sim"; the UniFFI crate adds json).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=${CCCD_MOBILE_TARGETS:-"aarch64-linux-android aarch64-apple-ios"}
FEATURES=${CCCD_MOBILE_FEATURES:-"image,serde,jpeg2000,sim"}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
seconds_since() {
  local ms=$(($(now_ms) - $1))
  printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100))
}

TOTAL_START=$(now_ms)
installed=$(rustup target list --installed)
failed=0
for target in $TARGETS; do
  if ! grep -qx "$target" <<<"$installed"; then
    rustup target add "$target"
  fi
  start=$(now_ms)
  echo "== cargo check --lib --target $target --no-default-features"
  if cargo check --lib --target "$target" --no-default-features; then
    echo "-- ok in $(seconds_since "$start")"
  else
    echo "-- FAILED in $(seconds_since "$start")"
    failed=1
  fi
  features=$(sed 's/\([^,]*\)/cccd\/\1/g' <<<"$FEATURES")
  start=$(now_ms)
  echo "== cargo check --lib --target $target -p cccd -p cccd-uniffi --no-default-features --features $features"
  if cargo check --lib --target "$target" -p cccd -p cccd-uniffi --no-default-features --features "$features"; then
    echo "-- ok in $(seconds_since "$start")"
  else
    echo "-- FAILED in $(seconds_since "$start")"
    failed=1
  fi
done
echo "== total $(seconds_since "$TOTAL_START")"
exit $failed
