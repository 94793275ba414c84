#!/usr/bin/env bash
# Cross-builds cccd.exe for Windows x86_64 with mingw-w64 and runs it under Wine, headless:
#   1. `read --sim --json` and `read --sim`: the ID number and the Vietnamese name with its
#      diacritics, byte for byte (scripts/windows/check_output.py);
#   2. the same summary through Wine's console (a pseudo-terminal): Rust's std writes to a
#      Windows console with WriteConsoleW, Wine's console turns that into UTF-8 on the pty;
#   3. `--out`, `--face` and `--trust` paths with spaces and Vietnamese letters, the exe itself in
#      such a folder, and `verify` of the dump against the CSCA written there;
#   4. PC/SC through Wine's winscard.dll, pcscd and vsmartcard vpcd, where this Wine can do it
#      (Wine 9.0 and later forward winscard.dll to libpcsclite; Debian 12's Wine 8.0 has only a
#      stub: see docs/windows.md). Otherwise the step says SKIPPED and why.
# Idempotent (reuses the build, the stub DLL and the Wine prefix); prints each step's duration.
#
# Needs rustup, gcc-mingw-w64-x86-64, wine64, python3, script (bsdutils); step 4 also pcscd,
# vsmartcard-vpcd. .ci/windows.sh installs them.
# Environment:
#   WINE             the 64-bit Wine loader (default: /usr/lib/wine/wine64, wine64 or wine)
#   CCCD_WIN_WORK    work folder (default: target/windows-run)
#   CCCD_WINE_PCSC   auto (default): step 4 when Wine has its PC/SC bridge; skip; force
#   CCCD_PCSC_CLIENT run step 4's client commands with this native cccd instead of cccd.exe
#                    under Wine (tests the pcscd + vpcd + `sim serve` set-up on a Wine without
#                    PC/SC)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TARGET=x86_64-pc-windows-gnu
HERE=scripts/windows
WORK=${CCCD_WIN_WORK:-$ROOT/target/windows-run}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

# Headless and quiet Wine with its own prefix; no Mono or Gecko (their install prompts), no X.
export WINEPREFIX=$WORK/wineprefix
export WINEARCH=win64
export WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES="mscoree=;mshtml=;winemenubuilder.exe="
unset DISPLAY WAYLAND_DISPLAY
# Wine converts Unix file names with the locale's character set: UTF-8 for Vietnamese names.
export LC_ALL=C.UTF-8 LANG=C.UTF-8

now_ms() { echo $(($(date +%s%N) / 1000000)); }
seconds_since() {
  local ms=$(($(now_ms) - $1))
  printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100))
}
TOTAL_START=$(now_ms)
step_start=0
step() {
  step_start=$(now_ms)
  echo "== $*"
}
step_done() {
  echo "-- done in $(seconds_since "$step_start")"
}
die() {
  echo "build-and-run: FAIL: $*" >&2
  exit 1
}

find_wine() {
  if [ -n "${WINE:-}" ]; then
    echo "$WINE"
    return
  fi
  local w
  for w in /usr/lib/wine/wine64 "$(command -v wine64 || true)" "$(command -v wine || true)"; do
    if [ -n "$w" ] && [ -x "$w" ]; then
      echo "$w"
      return
    fi
  done
  die "no Wine found (Debian: apt-get install wine64)"
}
WINE=$(find_wine)
WINESERVER=$(dirname "$WINE")/wineserver
[ -x "$WINESERVER" ] || WINESERVER=$(command -v wineserver || echo wineserver)

# Processes this script started, stopped on exit (by PID, never by name).
PIDS=()
cleanup() {
  local pid
  # Ends every process of this prefix (sim serve among them) through its wineserver: a SIGTERM
  # to a Wine process with open sockets can trip a wineserver assertion (Wine 8.0).
  "$WINESERVER" -k 2>/dev/null || true
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  # Should the wineserver have died, its services would linger: end those of this prefix.
  for pid in $(pgrep -f '^C:\\windows\\' || true); do
    if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "WINEPREFIX=$WINEPREFIX"; then
      kill "$pid" 2>/dev/null || true
    fi
  done
}
trap cleanup EXIT
# A budget's `timeout` sends TERM: exit through the EXIT trap so nothing is left running.
trap 'exit 143' TERM INT

# A Windows path for a Unix one: Wine maps Z: to /.
winpath() {
  local p=$1
  echo "Z:${p//\//\\}"
}

# Runs cccd.exe under Wine, bounded in time.
BIN_DIR="$WORK/Chương trình cccd"
EXE="$BIN_DIR/cccd.exe"
wine_cccd() {
  timeout 120 "$WINE" "$EXE" "$@"
}

step "rustup target $TARGET"
if ! rustup target list --installed | grep -qx "$TARGET"; then
  rustup target add "$TARGET"
fi
step_done

# CCCD_WINDOWS_PROFILE=dev builds faster (CI); release (default) is what ships.
PROFILE=${CCCD_WINDOWS_PROFILE:-release}
PROFILE_DIR=$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")
step "cargo build --profile $PROFILE --target $TARGET --features cli"
cargo build --profile "$PROFILE" --target "$TARGET" --features cli
BUILT=target/$TARGET/$PROFILE_DIR/cccd.exe
[ -f "$BUILT" ] || die "$BUILT was not built"
echo "cccd.exe: $(stat -c %s "$BUILT") bytes; imports: $(x86_64-w64-mingw32-objdump -p "$BUILT" \
  | sed -n 's/^\tDLL Name: //p' | sort -fu | tr '\n' ' ')"
step_done

step "stub bcryptprimitives.dll (TEST ONLY: Wine 8.0 lacks it, Windows 10+ has it)"
mkdir -p "$BIN_DIR"
cp -f "$BUILT" "$EXE"
x86_64-w64-mingw32-gcc -shared -O2 -Wall -Wextra -Werror \
  -o "$BIN_DIR/bcryptprimitives.dll" \
  "$HERE/bcryptprimitives-stub.c" "$HERE/bcryptprimitives-stub.def" -ladvapi32
exports=$(x86_64-w64-mingw32-objdump -p "$BIN_DIR/bcryptprimitives.dll")
grep -q '\] ProcessPrng$' <<<"$exports" || die "the stub does not export ProcessPrng"
step_done

step "Wine prefix $WINEPREFIX ($("$WINE" --version 2>/dev/null || echo 'unknown version'))"
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  timeout 300 "$WINE" wineboot --init >"$WORK/wineboot.log" 2>&1 \
    || { tail -5 "$WORK/wineboot.log"; die "wineboot failed"; }
  "$WINESERVER" -w 2>/dev/null || true
fi
step_done

OUT=$WORK/out
rm -rf "$OUT"
mkdir -p "$OUT"
CHECK=(python3 "$HERE/check_output.py")

step "cccd.exe sim show --json (the expected persona)"
wine_cccd sim show --json >"$OUT/persona.json" || die "sim show failed"
IFS=$'\t' read -r ID NAME < <("${CHECK[@]}" persona "$OUT/persona.json")
echo "expecting ID number $ID, name $NAME"
step_done

step "cccd.exe read --sim --json"
wine_cccd read --sim --json >"$OUT/read.json" 2>"$OUT/read.json.err" \
  || { cat "$OUT/read.json.err"; die "read --sim --json failed"; }
"${CHECK[@]}" json "$OUT/persona.json" "$OUT/read.json"
step_done

step "cccd.exe read --sim (summary on a pipe)"
wine_cccd read --sim >"$OUT/read.txt" 2>"$OUT/read.txt.err" \
  || { cat "$OUT/read.txt.err"; die "read --sim failed"; }
"${CHECK[@]}" text "$OUT/persona.json" "$OUT/read.txt"
step_done

step "cccd.exe read --sim on Wine's console (a pseudo-terminal)"
# `script` gives Wine a terminal, so stdout is a Windows console there.
printf -v cmd '%q ' timeout 120 "$WINE" "$EXE" read --sim
script -qec "$cmd" "$OUT/console.typescript" >/dev/null 2>&1 </dev/null \
  || { tail -5 "$OUT/console.typescript"; die "read --sim on a console failed"; }
"${CHECK[@]}" console "$OUT/persona.json" "$OUT/console.typescript"
step_done

step "paths with spaces and Vietnamese letters: --out, --face, --trust, verify"
DUMP="$OUT/Hồ sơ khách hàng/thẻ số 1"
TRUST_DIR="$OUT/Tin cậy (CSCA)"
TRUST_FILE="$TRUST_DIR/CSCA thử nghiệm.der"
FACE="$OUT/Hồ sơ khách hàng/ảnh chân dung.png"
mkdir -p "$TRUST_DIR" "$(dirname "$DUMP")"
wine_cccd sim csca --out "$(winpath "$TRUST_FILE")" 2>>"$OUT/paths.err" \
  || { cat "$OUT/paths.err"; die "sim csca --out failed"; }
[ -s "$TRUST_FILE" ] || die "no CSCA at $TRUST_FILE"
wine_cccd read --sim --trust "$(winpath "$TRUST_FILE")" --out "$(winpath "$DUMP")" \
  --face "$(winpath "$FACE")" >"$OUT/read-paths.txt" 2>>"$OUT/paths.err" \
  || { cat "$OUT/paths.err"; die "read --sim --trust FILE --out DIR --face FILE failed"; }
"${CHECK[@]}" text "$OUT/persona.json" "$OUT/read-paths.txt"
"${CHECK[@]}" dump "$OUT/persona.json" "$DUMP"
[ "$(head -c 8 "$FACE" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
  || die "$FACE is not a PNG"
for trust in "$TRUST_DIR" "$TRUST_FILE"; do
  wine_cccd verify "$(winpath "$DUMP")" --trust "$(winpath "$trust")" >"$OUT/verify.txt" \
    2>>"$OUT/paths.err" || { cat "$OUT/verify.txt" "$OUT/paths.err"; die "verify --trust $trust"; }
  grep -q '^DOCUMENT: DATA AUTHENTIC' "$OUT/verify.txt" || die "verify --trust $trust: data not proven authentic"
done
echo "check_output: dump, face, CSCA and verify under '$OUT' with Vietnamese folder names: ok"
step_done

# Step 4: PC/SC under Wine.
wine_has_pcsc() {
  # Wine 9.0+ builds winscard's Unix half (x86_64-unix/winscard.so, linked to libpcsclite)
  # beside its PE half; Wine 8.0's winscard.dll is a stub with no Unix half.
  local dll dir
  dll=$(find /usr/lib/x86_64-linux-gnu/wine /usr/lib/wine /usr/lib64/wine /opt/wine* \
    -path '*x86_64-windows/winscard.dll' 2>/dev/null | head -1 || true)
  [ -n "$dll" ] || return 1
  dir=$(dirname "$(dirname "$dll")")
  [ -f "$dir/x86_64-unix/winscard.so" ]
}

run_pcsc_step() {
  local pcscd driver d port sock dir client reader_list
  pcscd=$(command -v pcscd || echo /usr/sbin/pcscd)
  [ -x "$pcscd" ] || die "pcscd is not installed"
  driver=
  for d in /usr/lib/pcsc/drivers/serial/libifdvpcd.so \
    /usr/lib64/pcsc/drivers/serial/libifdvpcd.so \
    /usr/local/lib/pcsc/drivers/serial/libifdvpcd.so; do
    if [ -f "$d" ]; then
      driver=$d
      break
    fi
  done
  [ -n "$driver" ] || die "the vpcd driver is not installed (vsmartcard-vpcd)"
  dir=$WORK/pcscd
  rm -rf "$dir"
  mkdir -p "$dir/reader.conf.d"
  # vpcd listens on PORT (slot 0) and PORT+1 (slot 1).
  port=$(python3 -c 'import random; print(random.randrange(30000, 60000, 2))')
  printf 'FRIENDLYNAME "cccd vpcd"\nDEVICENAME /dev/null:0x%X\nLIBPATH %s\nCHANNELID 0x%X\n' \
    "$port" "$driver" "$port" >"$dir/reader.conf.d/vpcd"
  sock=$dir/pcscd.comm
  # pcscd's socket path is compiled in; it takes a socket from systemd-style activation, so
  # bind ours and hand it over as fd 3. A private /run/pcscd (when unshare works) keeps its pid
  # file away from a system pcscd.
  local launcher=(python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(16)
os.dup2(s.fileno(), 3); os.set_inheritable(3, True)
os.environ["LISTEN_FDS"] = "1"; os.environ["LISTEN_PID"] = str(os.getpid())
os.execv(sys.argv[2], sys.argv[2:])' "$sock" "$pcscd" --foreground --auto-exit
    --config "$dir/reader.conf.d")
  if unshare --mount --propagation private true 2>/dev/null; then
    unshare --mount --propagation private sh -c \
      'mkdir -p /run/pcscd && mount -t tmpfs -o size=1m tmpfs /run/pcscd && exec "$@"' sh \
      "${launcher[@]}" >"$dir/pcscd.log" 2>&1 &
  else
    "${launcher[@]}" >"$dir/pcscd.log" 2>&1 &
  fi
  PIDS+=($!)
  export PCSCLITE_CSOCK_NAME=$sock
  # The simulated card in vpcd's slot 0, served by cccd.exe under Wine (plain TCP).
  "$WINE" "$EXE" sim serve --vpcd "127.0.0.1:$port" >"$dir/serve.log" 2>&1 &
  PIDS+=($!)
  if [ -n "${CCCD_PCSC_CLIENT:-}" ]; then
    client=(timeout 120 "$CCCD_PCSC_CLIENT")
    echo "client: $CCCD_PCSC_CLIENT (native; CCCD_PCSC_CLIENT)"
  else
    client=(wine_cccd)
    echo "client: cccd.exe under Wine"
  fi
  local deadline=$((SECONDS + 60))
  until reader_list=$("${client[@]}" readers 2>"$dir/readers.err") \
    && grep -qx 'cccd vpcd 00 00' <<<"$reader_list"; do
    if [ $SECONDS -ge $deadline ]; then
      cat "$dir/readers.err" "$dir/pcscd.log" >&2
      die "readers did not list 'cccd vpcd 00 00' (got: ${reader_list:-nothing})"
    fi
    sleep 1
  done
  echo "readers: $(tr '\n' ';' <<<"$reader_list")"
  # PACE with the CAN (last 6 digits of the ID), through pcscd, with the simulator's CSCA.
  # `read --reader` does not wait: retry while the card (cccd.exe starting under Wine, then
  # pcscd's 400 ms presence poll) is not in the reader yet.
  local trust
  if [ -n "${CCCD_PCSC_CLIENT:-}" ]; then trust=$TRUST_FILE; else trust=$(winpath "$TRUST_FILE"); fi
  deadline=$((SECONDS + 60))
  until "${client[@]}" read --reader "cccd vpcd 00 00" --id "$ID" --trust "$trust" --json \
    >"$OUT/pcsc-read.json" 2>"$dir/read.err"; do
    if ! grep -q 'no card present' "$dir/read.err" || [ $SECONDS -ge $deadline ]; then
      cat "$dir/read.err" "$dir/serve.log" >&2
      die "read --reader failed"
    fi
    sleep 1
  done
  "${CHECK[@]}" json "$OUT/persona.json" "$OUT/pcsc-read.json"
}

step "PC/SC under Wine: cccd.exe readers and read --reader through pcscd + vpcd"
case "${CCCD_WINE_PCSC:-auto}" in
  skip) echo "SKIPPED: CCCD_WINE_PCSC=skip" ;;
  force) run_pcsc_step ;;
  *)
    if [ -n "${CCCD_PCSC_CLIENT:-}" ] || wine_has_pcsc; then
      run_pcsc_step
    else
      echo "SKIPPED: $("$WINE" --version 2>/dev/null) has no PC/SC bridge: its winscard.dll is a" \
        "stub (SCardEstablishContext answers SCARD_F_INTERNAL_ERROR, SCardConnect and" \
        "SCardTransmit are unimplemented) and there is no x86_64-unix/winscard.so." \
        "Wine 9.0+ forwards to libpcsclite. Evidence: docs/windows.md."
    fi
    ;;
esac
step_done

echo "== total $(seconds_since "$TOTAL_START")"
