#!/usr/bin/env bash
# Compiles the generated Kotlin (bindings/uniffi/generated/kotlin) and tests/ReadSim.kt with the
# `kotlinc` on PATH against JNA, then runs ReadSim against the built libcccd_uniffi.so.
# Not in CI: Debian 12's kotlin is 1.3.31; see docs/sdk/kotlin.md for what it compiles.
# Usage: bindings/uniffi/tests/kotlin.sh [LIBDIR]   (default target/debug)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
lib="${1:-$root/target/debug}"
out="$root/target/bindings-test/kotlin"
jna=/usr/share/java/jna.jar
rm -rf "$out" && mkdir -p "$out"
kotlinc -version 2>&1
kotlinc -include-runtime -cp "$jna" -d "$out/readsim.jar" \
    "$root"/bindings/uniffi/generated/kotlin/vn/cccd/cccd.kt "$root/bindings/uniffi/tests/ReadSim.kt"
java -Dfile.encoding=UTF-8 -Djna.library.path="$lib" -cp "$out/readsim.jar:$jna" ReadSimKt
