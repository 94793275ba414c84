#!/usr/bin/env bash
# Cross-builds the C ABI for Windows x86_64 with mingw-w64 (cccd_ffi.dll, its import library
# libcccd_ffi.dll.a, the header) and runs the C example bindings/c/examples/read_sim.c, built
# with x86_64-w64-mingw32-gcc, under Wine: it reads the simulator through cccd_sim_transmit
# passed as the transmit callback and checks the ID number, the name with its diacritics, the
# verdict, a wrong key (code 3) and NULL / non-UTF-8 requests.
#
# Needs rustup's x86_64-pc-windows-gnu target, gcc-mingw-w64-x86-64 and wine64 (.ci/windows.sh
# installs them). Wine 8.0 (Debian 12) lacks bcryptprimitives.dll, which Rust's standard library
# imports: the TEST-ONLY stub of scripts/windows/bcryptprimitives-stub.c is placed beside the
# exe (never ship it; Windows 10+ and Wine 9+ have the real one).
# Environment: WINE (default /usr/lib/wine/wine64, wine64 or wine), CCCD_WIN_WORK (work folder,
# default target/windows-ffi).
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
TARGET=x86_64-pc-windows-gnu
WORK=${CCCD_WIN_WORK:-$ROOT/target/windows-ffi}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
export WINEPREFIX=$WORK/wineprefix WINEARCH=win64 WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES="mscoree=;mshtml=;winemenubuilder.exe="
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset DISPLAY WAYLAND_DISPLAY

step() {
    echo "== $*"
    step_start=$SECONDS
}
step_done() { echo "-- done in $((SECONDS - step_start)) s"; }

WINE=${WINE:-}
if [ -z "$WINE" ]; then
    for w in /usr/lib/wine/wine64 "$(command -v wine64 || true)" "$(command -v wine || true)"; do
        if [ -n "$w" ] && [ -x "$w" ]; then WINE=$w; break; fi
    done
fi
[ -n "$WINE" ] || { echo "no Wine found (Debian: apt-get install wine64)" >&2; exit 1; }

# CCCD_WINDOWS_PROFILE=dev builds faster (CI); release (default) is what ships.
PROFILE=${CCCD_WINDOWS_PROFILE:-release}
PROFILE_DIR=$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")
step "cargo build -p cccd-ffi --profile $PROFILE --target $TARGET"
cargo build -p cccd-ffi --profile "$PROFILE" --target "$TARGET" --locked
OUT=$ROOT/target/$TARGET/$PROFILE_DIR
for f in cccd_ffi.dll libcccd_ffi.dll.a libcccd_ffi.a; do
    printf '%10d bytes  %s\n' "$(stat -c %s "$OUT/$f")" "target/$TARGET/$PROFILE_DIR/$f"
done
# The DLL imports only system DLLs (no libgcc or libwinpthread to ship beside it).
x86_64-w64-mingw32-objdump -p "$OUT/cccd_ffi.dll" | sed -n 's/^\tDLL Name: /   imports /p'
step_done

step "mingw gcc read_sim.c and the test-only bcryptprimitives.dll stub"
BIN=$WORK/bin
mkdir -p "$BIN"
cp "$OUT/cccd_ffi.dll" "$BIN/"
x86_64-w64-mingw32-gcc -std=c99 -O2 -Wall -Wextra -Werror -Ibindings/c \
    bindings/c/examples/read_sim.c -L"$OUT" -lcccd_ffi -o "$BIN/read_sim.exe"
x86_64-w64-mingw32-gcc -shared -O2 -Wall -Wextra -Werror -o "$BIN/bcryptprimitives.dll" \
    scripts/windows/bcryptprimitives-stub.c scripts/windows/bcryptprimitives-stub.def -ladvapi32
step_done

step "wine read_sim.exe"
(cd "$BIN" && "$WINE" read_sim.exe) | tee "$WORK/read_sim.out"
grep -q '^all checks passed' "$WORK/read_sim.out"
step_done
echo "== the C ABI example passed under Wine ($("$WINE" --version 2>/dev/null || echo wine))"
