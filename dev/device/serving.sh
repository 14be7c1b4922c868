#!/usr/bin/env bash
# One device call for the serving sweeps (issue 13) after the GPU tests: a concurrency sweep of `llmbench serve`
# (Qwen3-0.6B dummy, 512/512) in two parts (few prompts at low concurrency, many at high), and the SLO search for
# P99 TPOT <= 10 ms and P99 TTFT <= 500 ms. Staging as dev/device/analysis.sh, with tests/LlmBench.Kernels.Tests added
# to apps.tar.xz. Device: run(command="bash dev/device/serving.sh", carry=[".device"]); results in $OUT/serving.tgz.
set -uo pipefail
OUT=${OUT:-/tmp/out}; R=$OUT/v; mkdir -p "$R"
python3 -c "import tarfile; tarfile.open('.device/dotnet-rt.tar.xz').extractall('/tmp/dotnet'); tarfile.open('.device/apps.tar.xz').extractall('.device')" || exit 1
export DOTNET_ROOT=/tmp/dotnet PATH=/tmp/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export LLMBENCH_HOME=/tmp/llmbench-home LLMBENCH_KERNEL_CACHE=/tmp/kcache
L="dotnet $PWD/.device/LlmBench.Cli/llmbench.dll"
step() { echo "=== $* $(date +%T)"; }
step kernel tests; (cd .device/LlmBench.Kernels.Tests && timeout 200 ./LlmBench.Kernels.Tests > "$R/ktests.log" 2>&1); grep -E "Total:|\[FAIL\]" "$R/ktests.log" | head
step engine tests; (cd .device/LlmBench.Engine.Cuda.Tests && LLMBENCH_TEST_REPORT=$R/test-report.txt timeout 200 ./LlmBench.Engine.Cuda.Tests > "$R/etests.log" 2>&1); grep -E "Total:|\[FAIL\]" "$R/etests.log" | head
SERVE="$L serve qwen3-0.6b --load-format dummy --port 18300"
COMMON="--port 18300 --model qwen3-0.6b --random-input-len 512 --random-output-len 512 --ignore-eos --percentile-metrics ttft,tpot,itl,e2el --metric-percentiles 50,90,99"
step sweep low; $L bench serve --launch "$SERVE" $COMMON --max-concurrency 1,8 --num-prompts 32 --save-result --result-dir "$R/sweep-low" > "$R/sweep-low.log" 2>&1; echo "rc=$?"
step sweep high; $L bench serve --launch "$SERVE" $COMMON --max-concurrency 32,64,128,256 --num-prompts 512 --save-result --result-dir "$R/sweep-high" > "$R/sweep-high.log" 2>&1; echo "rc=$?"
step search; $L bench serve --launch "$SERVE" $COMMON --num-prompts 256 --search max-concurrency --search-start 8 --goodput ttft:500 tpot:10 --save-result --result-dir "$R/search" > "$R/search.log" 2>&1; echo "rc=$?"
step summary
cat "$R"/sweep-low/sweep.md "$R"/sweep-high/sweep.md 2>/dev/null | grep -E "^\|" | head -20
grep -iE "probe|answer|highest|pass|fail" "$R/search.log" | tail -14
tar -C "$OUT" -czf "$OUT/serving.tgz" v
