#!/usr/bin/env bash
# The load generator's own capacity on this machine (docs/PERFORMANCE.md, "bench serve: client capacity"): against an
# endpoint in the same process that answers every request at once with 16 chunks, (1) a closed loop of 256 in flight,
# (2) 2,000 req/s offered, (3) a 5-point --max-concurrency sweep (16, 32, 64, 128, 256) at 2,000 req/s per point.
# Prints one line per run: throughput, the client's first-chunk stamp minus the endpoint's flush (what the client adds
# to TTFT), send lag and CPU. LLMBENCH_PERF_REQUESTS=N changes the requests per run.
#   dev/client-capacity.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${TMPDIR:-/tmp}/llmbench-client-capacity.txt"
rm -f "$out"
echo "machine: $(nproc) cores, $(uname -m), load average $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD); $(date -u +%F)"
LLMBENCH_PERF=1 dotnet test --project tests/LlmBench.LoadGen.Tests -c Release -- --filter-class "*ClientCapacityBenchmark" >/dev/null || status=$?
cat "$out"
exit "${status:-0}"
