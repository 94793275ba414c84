#!/usr/bin/env bash
# The Windows and phone builds in CI, for .ci/run to call (`bash .ci/windows.sh`), as root on a
# fresh Debian 12 machine. Installs what they need, then runs each with a time budget and prints
# its duration:
#   windows  scripts/windows/build-and-run.sh: cccd.exe cross-built with mingw-w64 and run under
#            Wine (simulated card, Vietnamese names byte for byte, paths with Vietnamese
#            letters); its PC/SC step runs where Wine has a PC/SC bridge and says SKIPPED on
#            Debian 12's Wine 8.0 (docs/windows.md says why)
#   mobile   scripts/mobile-check.sh: cargo check of the library for aarch64-linux-android and
#            aarch64-apple-ios without pcsc
# Usage: .ci/windows.sh [install|windows|mobile|all]   (default: all)
# Budgets in seconds: CCCD_CI_WINDOWS_TIMEOUT (default 1800), CCCD_CI_MOBILE_TIMEOUT (1200); the
# first run on a new machine builds every dependency for three targets.
set -euo pipefail
SELF=$(realpath "$0")
cd "$(dirname "$SELF")/.."

PACKAGES=(gcc-mingw-w64-x86-64 wine64 python3 bsdutils util-linux procps pcscd vsmartcard-vpcd)

now_ms() { echo $(($(date +%s%N) / 1000000)); }
seconds_since() {
  local ms=$(($(now_ms) - $1))
  printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100))
}

ci_windows_install() {
  local missing=() p sudo=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "packages already installed: ${PACKAGES[*]}"
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || {
      echo "not root and no sudo: cannot install ${missing[*]}" >&2
      return 1
    }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "installed: ${missing[*]}"
}

# Runs "$@" within BUDGET seconds and prints its duration; TERM at the deadline, KILL 30 s later.
budgeted() {
  local name=$1 budget=$2 start rc=0
  shift 2
  start=$(now_ms)
  echo "=== $name (budget ${budget} s)"
  timeout --kill-after=30 "$budget" "$@" || rc=$?
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    echo "=== $name: OUT OF TIME after $(seconds_since "$start")"
  elif [ $rc -ne 0 ]; then
    echo "=== $name: FAILED (exit $rc) after $(seconds_since "$start")"
  else
    echo "=== $name: ok in $(seconds_since "$start")"
  fi
  return $rc
}

ci_windows_run() {
  budgeted "windows: cccd.exe under Wine" "${CCCD_CI_WINDOWS_TIMEOUT:-1800}" \
    bash scripts/windows/build-and-run.sh
}

ci_mobile_check() {
  budgeted "mobile: cargo check for Android and iOS" "${CCCD_CI_MOBILE_TIMEOUT:-1200}" \
    bash scripts/mobile-check.sh
}

case "${1:-all}" in
  install) ci_windows_install ;;
  windows) ci_windows_install && ci_windows_run ;;
  mobile) ci_mobile_check ;;
  all)
    start=$(now_ms)
    budgeted "install packages" 900 bash "$SELF" install
    status=0
    ci_windows_run || status=1
    ci_mobile_check || status=1
    echo "=== windows.sh: total $(seconds_since "$start")"
    exit $status
    ;;
  *)
    echo "usage: $0 [install|windows|mobile|all]" >&2
    exit 2
    ;;
esac
