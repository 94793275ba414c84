#!/usr/bin/env bash
# Compiles the generated Kotlin (bindings/uniffi/generated/kotlin) and tests/ReadSim.kt on the JVM
# against JNA, then runs ReadSim against the built libcccd_uniffi.so: the code an Android app
# compiles, through a transport written in Kotlin.
# The compiler is scripts/kotlinc (a pinned Kotlin 2.4 from the npm registry: Debian 12's 1.3.31
# cannot compile what uniffi-bindgen generates); KOTLINC=... picks another one.
# Usage: bindings/uniffi/tests/kotlin.sh [LIBDIR]   (default target/debug)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
lib="${1:-$root/target/debug}"
out="$root/target/bindings-test/kotlin"
jna=/usr/share/java/jna.jar
kotlinc="${KOTLINC:-$root/scripts/kotlinc}"
rm -rf "$out" && mkdir -p "$out"
"$kotlinc" -version 2>&1
"$kotlinc" -nowarn -include-runtime -cp "$jna" -d "$out/readsim.jar" \
    "$root"/bindings/uniffi/generated/kotlin/vn/cccd/cccd.kt "$root/bindings/uniffi/tests/ReadSim.kt"
java -Dfile.encoding=UTF-8 -Djna.library.path="$lib" -cp "$out/readsim.jar:$jna" ReadSimKt
