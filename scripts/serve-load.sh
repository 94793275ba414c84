#!/usr/bin/env bash
# Load test of `cccd serve --verify-only`: POST /api/v1/verify with the BSI TR-03105-5 specimen,
# loopback only, bounded (it stops by itself). Prints throughput and p50/p99 latency at 1, 8
# and 32 concurrent clients (ApacheBench, keep-alive), the service's RSS after 1,000 and after
# CCCD_LOAD_TOTAL requests, and the in-process batch baseline (tests/serve_load.rs) on the same
# machine, then checks the "done means" ratios.
#
# Env: CCCD_BIN (default target/debug/cccd, built with --features serve), CCCD_LOAD_TOTAL
# (20000), CCCD_LOAD_N1/N8/N32 (requests measured at each level: 500/2000/4000),
# CCCD_LOAD_SECONDS (in-process run, 5), CCCD_LOAD_NO_BASELINE=1 to skip the baseline,
# CCCD_CARGO_FEATURES (the baseline's cargo features, default --all-features: build the service
# with the same ones so both run the same code).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${CCCD_BIN:-target/debug/cccd}
TOTAL=${CCCD_LOAD_TOTAL:-20000}
N1=${CCCD_LOAD_N1:-500}
N8=${CCCD_LOAD_N8:-2000}
N32=${CCCD_LOAD_N32:-4000}
out=target/serve-load
mkdir -p "$out"
command -v ab >/dev/null || { echo "ab (apache2-utils) is needed" >&2; exit 2; }
[ -x "$BIN" ] || { echo "$BIN not built (cargo build --features serve)" >&2; exit 2; }

python3 - "$out/bsi.json" <<'PY'
import base64, json, sys
d = "../shared/test-data/bsi-tr03105-5/"
names = {"COM": "EF_COM.bin", "SOD": "EF_SOD.bin", "DG1": "Datagroup1.bin", "DG2": "Datagroup2.bin",
         "DG3": "Datagroup3.bin", "DG4": "Datagroup4.bin", "DG14": "Datagroup14.bin", "DG15": "Datagroup15.bin"}
files = {k: base64.b64encode(open(d + v, "rb").read()).decode() for k, v in names.items()}
open(sys.argv[1], "w").write(json.dumps({"files": files}))
PY

"$BIN" serve --verify-only --listen 127.0.0.1:0 2>"$out/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
addr=""
for _ in $(seq 100); do
  addr=$(sed -n 's/.*listening on http:\/\/\([^ ]*\).*/\1/p' "$out/serve.log" | head -1)
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { cat "$out/serve.log" >&2; exit 1; }
url="http://$addr/api/v1/verify"
done_requests=0

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }

# run N C LABEL: one ab run; prints and records throughput and percentiles.
run() {
  local n=$1 c=$2 label=$3 f="$out/ab-$3.txt"
  ab -q -k -n "$n" -c "$c" -p "$out/bsi.json" -T application/json "$url" >"$f" 2>&1 || { cat "$f" >&2; exit 1; }
  done_requests=$((done_requests + n))
  local rps p50 p99 failed non2xx
  rps=$(awk '/^Requests per second/ {print $4}' "$f")
  p50=$(awk '$1 == "50%" {print $2}' "$f")
  p99=$(awk '$1 == "99%" {print $2}' "$f")
  failed=$(awk '/^Failed requests/ {print $3}' "$f")
  non2xx=$(awk '/^Non-2xx responses/ {print $3}' "$f")
  printf '%-10s c=%-3s n=%-6s %8s req/s  p50 %5s ms  p99 %5s ms  failed %s  non-2xx %s\n' \
    "$label" "$c" "$n" "$rps" "$p50" "$p99" "$failed" "${non2xx:-0}"
  if [ "${failed:-0}" != 0 ] || [ -n "${non2xx:-}" ]; then echo "errors in $label" >&2; exit 1; fi
  eval "rps_$label=$rps"
}

echo "== cccd serve --verify-only at $addr, $(nproc) cores, body $(stat -c %s "$out/bsi.json") bytes"
run 1000 32 warmup
rss_1000=$(rss_kb)
run "$N1" 1 c1
run "$N8" 8 c8
run "$N32" 32 c32
rest=$((TOTAL - done_requests))
[ "$rest" -gt 0 ] && run "$rest" 32 rest
rss_total=$(rss_kb)
echo "RSS after 1000 requests: ${rss_1000} kB; after ${done_requests}: ${rss_total} kB (ratio $(awk "BEGIN {printf \"%.3f\", $rss_total / $rss_1000}"))"
if curl -s "http://$addr/metrics" | grep -q 'status="5'; then
  echo "a 5xx answer was counted" >&2
  exit 1
fi
best=$(printf '%s\n' "$rps_c1" "$rps_c8" "$rps_c32" | sort -g | tail -1)
kill $pid; wait $pid 2>/dev/null || true
trap - EXIT

awk "BEGIN {exit !($rss_total <= 1.2 * $rss_1000)}" || { echo "FAIL: RSS grew more than 1.2x" >&2; exit 1; }
if [ "${CCCD_LOAD_NO_BASELINE:-}" = 1 ]; then
  echo "best service throughput ${best} req/s (no baseline run)"
  exit 0
fi
base=$(cargo test -q ${CCCD_CARGO_FEATURES:---all-features} --test serve_load -- --ignored --nocapture 2>/dev/null \
  | sed -n 's/^in-process: \([0-9.]*\)\/s.*/\1/p')
[ -n "$base" ] || { echo "the in-process baseline did not run" >&2; exit 1; }
ratio=$(awk "BEGIN {printf \"%.2f\", $best / $base}")
echo "in-process batch ${base}/s; best service throughput ${best} req/s; ratio ${ratio}"
awk "BEGIN {exit !($best >= 0.5 * $base)}" || { echo "FAIL: below 0.5x the in-process throughput" >&2; exit 1; }
echo "PASS"
