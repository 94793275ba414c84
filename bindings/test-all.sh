#!/usr/bin/env bash
# Builds the C ABI and the UniFFI library (release) and runs every binding's test against the
# simulator:
#   - the C example under valgrind (no leak, no error),
#   - the C# test with Mono (mcs + mono),
#   - the Java test with JNA (javac + java),
#   - the Kotlin test of the UniFFI module (bindings/uniffi/tests/ReadSim.kt, on the JVM),
#   - the Python test of the UniFFI module (bindings/uniffi/tests/test_read.py, a transport
#     written in Python), against the committed generated module and then against the package
#     `pip install ./bindings/python` installed in a venv (in-tree PEP 517 backend, no PyPI).
# Each step has a time budget and prints its duration; the sizes of the built libraries are
# printed. Installs what it needs with apt (as root, or with sudo when not root).
# Usage: bindings/test-all.sh            (from anywhere; exit status 0 when all passed)
# Env:   CCCD_FFI_PROFILE=dev builds the debug library (CI: it reuses the dependencies the test
#        step already built; a cold release build takes 10-20 minutes on 2 cores), default release;
#        CCCD_SKIP_INSTALL=1 never calls apt; CCCD_BUILD_BUDGET=seconds for the cargo build;
#        CCCD_SKIP_PYTHON_PACKAGE=1 skips the pip install of bindings/python;
#        CCCD_SKIP_KOTLIN=1 skips the Kotlin test (it fetches the compiler once, see scripts/kotlinc);
#        CCCD_BINDINGS_WINDOWS=1 also cross-builds cccd_ffi.dll and runs the C example under Wine
#        (bindings/c/windows/build-and-run.sh: needs the x86_64-pc-windows-gnu target,
#        gcc-mingw-w64-x86-64 and wine64; about 8 minutes of release build on 2 shared cores).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/target/bindings-test"
profile="${CCCD_FFI_PROFILE:-release}"
case "$profile" in
    release) lib="$root/target/release" ;;
    dev) lib="$root/target/debug" ;;
    *) echo "CCCD_FFI_PROFILE must be release or dev" >&2; exit 2 ;;
esac
mkdir -p "$out"

# step NAME BUDGET_SECONDS COMMAND...: runs COMMAND with a time budget, prints its duration.
step() {
    local name="$1" budget="$2"
    shift 2
    local start=$SECONDS rc=0
    echo "== $name (budget ${budget}s)"
    timeout --kill-after=10 "$budget" "$@" || rc=$?
    local took=$((SECONDS - start))
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        echo "== $name: TIMED OUT after ${took}s (budget ${budget}s)"
        exit 1
    elif [ "$rc" -ne 0 ]; then
        echo "== $name: FAILED (exit $rc) after ${took}s"
        exit 1
    fi
    echo "== $name: ok in ${took}s"
}

install_missing() {
    local missing=()
    command -v gcc >/dev/null || missing+=(gcc)
    command -v valgrind >/dev/null || missing+=(valgrind)
    command -v mcs >/dev/null || missing+=(mono-mcs)
    command -v mono >/dev/null || missing+=(mono-runtime)
    command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
    [ -f /usr/share/java/jna.jar ] || missing+=(libjna-java)
    command -v python3 >/dev/null || missing+=(python3)
    python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
    [ "${#missing[@]}" -eq 0 ] && return 0
    if [ -n "${CCCD_SKIP_INSTALL:-}" ]; then
        echo "missing: ${missing[*]} (CCCD_SKIP_INSTALL is set)"
        return 1
    fi
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "installing: ${missing[*]}"
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

step "install the tools" 900 bash -c "$(declare -f install_missing); install_missing"

# dev (CI): with the crate's tests, so features resolve as in README's `cargo test -p cccd-ffi`
# (dev-dependencies turn on features of shared crates) and that build is reused, not redone.
ffi_targets=()
[ "$profile" = dev ] && ffi_targets=(--lib --tests)
step "cargo build -p cccd-ffi --profile $profile" "${CCCD_BUILD_BUDGET:-2400}" \
    cargo build -p cccd-ffi --profile "$profile" --locked "${ffi_targets[@]}"

echo "== sizes of the built libraries"
for f in "$lib/libcccd_ffi.so" "$lib/libcccd_ffi.a"; do
    printf '%10d bytes  %s\n' "$(stat -c %s "$f")" "${f#"$root"/}"
done
strip -o "$out/libcccd_ffi.stripped.so" "$lib/libcccd_ffi.so"
printf '%10d bytes  libcccd_ffi.so stripped\n' "$(stat -c %s "$out/libcccd_ffi.stripped.so")"

step "cargo build -p cccd-uniffi --profile $profile" "${CCCD_BUILD_BUDGET:-2400}" \
    cargo build -p cccd-uniffi --profile "$profile" --locked
for f in "$lib/libcccd_uniffi.so" "$lib/libcccd_uniffi.a"; do
    printf '%10d bytes  %s\n' "$(stat -c %s "$f")" "${f#"$root"/}"
done
strip -o "$out/libcccd_uniffi.stripped.so" "$lib/libcccd_uniffi.so"
printf '%10d bytes  libcccd_uniffi.so stripped\n' "$(stat -c %s "$out/libcccd_uniffi.stripped.so")"

step "C: gcc read_sim.c" 120 \
    gcc -std=c99 -Wall -Wextra -Werror -Ibindings/c bindings/c/examples/read_sim.c \
    -L"$lib" -lcccd_ffi -Wl,-rpath,"$lib" -o "$out/read_sim"
# The suppressions cover only the library's process-wide caches of public keys and
# certificates (bindings/c/valgrind.supp says why); --num-callers so that every stack reaches
# the cache's function.
grind=(valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 --num-callers=60
    --suppressions="$root/bindings/c/valgrind.supp")
step "C: read_sim under valgrind" 600 bash -c "cd '$out' && ${grind[*]} ./read_sim"
step "C: the example of docs/sdk/c.md under valgrind" 300 bash -c "gcc -std=c99 -Wall -Wextra \
    -Werror -Ibindings/c bindings/c/examples/minimal.c -L'$lib' -lcccd_ffi -Wl,-rpath,'$lib' \
    -o '$out/minimal' && cd '$out' && ${grind[*]} ./minimal"

step "C#: mcs" 300 bash -c "mcs -target:library -warnaserror -out:'$out/Cccd.dll' bindings/csharp/Cccd.cs && \
    mcs -warnaserror -r:'$out/Cccd.dll' -out:'$out/CccdTest.exe' bindings/csharp/tests/CccdTest.cs"
step "C#: mono CccdTest.exe" 300 env LD_LIBRARY_PATH="$lib" mono "$out/CccdTest.exe"
step "C#: the example of docs/sdk/csharp.md" 300 bash -c "mcs -warnaserror -r:'$out/Cccd.dll' \
    -out:'$out/Teller.exe' bindings/csharp/examples/Teller.cs && cd '$out' && \
    LD_LIBRARY_PATH='$lib' mono Teller.exe"

jna=/usr/share/java/jna.jar
step "Java: javac" 300 bash -c "rm -rf '$out/java' && javac -Xlint:all -Werror -cp $jna -d '$out/java' \
    bindings/java/src/cccd/*.java bindings/java/tests/CccdTest.java"
step "Java: java CccdTest" 300 java -cp "$out/java:$jna" -Djna.library.path="$lib" CccdTest
step "Java: the example of docs/sdk/java.md" 300 bash -c "javac -Xlint:all -Werror \
    -cp '$out/java:$jna' -d '$out/java' bindings/java/examples/Teller.java && cd '$out' && \
    java -Dfile.encoding=UTF-8 -cp '$out/java:$jna' -Djna.library.path='$lib' Teller"

# The committed generated module beside the library just built: what an app ships.
step "Python (UniFFI): test_read.py, generated module" 300 bash -c "rm -rf '$out/python' && \
    mkdir -p '$out/python' && cp bindings/uniffi/generated/python/cccd.py '$out/python/' && \
    cp '$lib/libcccd_uniffi.so' '$out/python/' && \
    PYTHONPATH='$out/python' python3 bindings/uniffi/tests/test_read.py"
step "Python (UniFFI): the example of docs/sdk/python.md" 120 bash -c "cd '$out' && \
    PYTHONPATH='$out/python' python3 '$root/bindings/uniffi/examples/teller.py'"
# The Kotlin an Android app compiles (the committed cccd.kt) and a transport written in Kotlin,
# on the JVM against JNA: scripts/kotlinc fetches a pinned Kotlin 2.4 once (about 90 MB from the
# npm registry, SHA-512 checked; Debian's kotlin 1.3 cannot compile it).
if [ -z "${CCCD_SKIP_KOTLIN:-}" ]; then
    step "Kotlin (UniFFI): compile cccd.kt and ReadSim.kt, run on the JVM" 600 \
        bash bindings/uniffi/tests/kotlin.sh "$lib"
fi
if [ -z "${CCCD_SKIP_PYTHON_PACKAGE:-}" ]; then
    # The back office's package: its PEP 517 backend runs the same cargo build (a no-op here)
    # and packs the committed generated module with the library; installed in a fresh venv.
    step "Python package: pip install ./bindings/python (venv)" 600 bash -c "python3 -m venv --clear '$out/venv' && \
        CCCD_CARGO_PROFILE='$profile' '$out/venv/bin/pip' install -q --disable-pip-version-check \
        ./bindings/python"
    step "Python package: test_read.py against the installed package" 300 bash -c \
        "cd '$out' && '$out/venv/bin/python' '$root/bindings/uniffi/tests/test_read.py'"
fi

if [ -n "${CCCD_BINDINGS_WINDOWS:-}" ]; then
    step "Windows: cccd_ffi.dll and the C example under Wine" 2400 bindings/c/windows/build-and-run.sh
fi

echo "== all binding tests passed"
