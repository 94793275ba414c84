/*
 * TEST-ONLY stub of bcryptprimitives.dll, for running cccd.exe under Wine 8.0 (Debian 12).
 *
 * DO NOT SHIP THIS DLL. Real Windows 10 and later have bcryptprimitives.dll in System32, and
 * Windows loads that one. This file exists only because Wine 8.0 lacks the DLL while Rust's
 * standard library (1.78+) imports ProcessPrng from it for std's hash-map seeds and for the
 * getrandom crate. Wine 9.0 and later ship the DLL; then this stub is not needed.
 *
 * ProcessPrng is documented (learn.microsoft.com, "ProcessPrng function") as
 *   BOOL WINAPI ProcessPrng(PBYTE pbData, SIZE_T cbData);
 * which always returns TRUE. This stub forwards to RtlGenRandom, exported by advapi32.dll as
 * SystemFunction036, which Wine implements on the host's random source; cbData is a SIZE_T,
 * RtlGenRandom takes a ULONG, so large requests are split.
 *
 * Built by scripts/windows/build-and-run.sh:
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives-stub.c \
 *       bcryptprimitives-stub.def -ladvapi32
 */
#include <windows.h>

/* advapi32!SystemFunction036, better known as RtlGenRandom. */
BOOLEAN WINAPI SystemFunction036(PVOID RandomBuffer, ULONG RandomBufferLength);

BOOL WINAPI ProcessPrng(PBYTE pbData, SIZE_T cbData)
{
    while (cbData > 0) {
        ULONG chunk = cbData > 0x40000000u ? 0x40000000u : (ULONG)cbData;
        if (!SystemFunction036(pbData, chunk)) {
            /* ProcessPrng cannot fail on Windows, so callers (Rust's std, getrandom) ignore
             * its result: ending the process beats handing out predictable bytes. */
            TerminateProcess(GetCurrentProcess(), 0xC0000001u /* STATUS_UNSUCCESSFUL */);
        }
        pbData += chunk;
        cbData -= chunk;
    }
    return TRUE;
}
