#!/usr/bin/env bash
# One device call for the analysis commands on the GPU: the CUDA engine tests, `peak`, `profile` at batch 1/8/64,
# `latency` at batch 1 (128/128), the default batch `sweep` at 128/128 and 512/512 (each timed end to end), a
# sequence-length study at batch 1 and 64, and the PyTorch + CUDA-graph anchor. Everything lands in $OUT/analysis.tgz.
# Staging here: ../shared/tools/device-bundle.sh src/LlmBench.Cli tests/LlmBench.Engine.Cuda.Tests, then
#   (cd .device && tar -cf - LlmBench.Cli LlmBench.Engine.Cuda.Tests | xz -T2 > apps.tar.xz && rm -rf LlmBench.Cli LlmBench.Engine.Cuda.Tests)
#   cp ../shared/bench/anchors/torch_cudagraph.py .device/
# Device: run(command="bash dev/device/analysis.sh", carry=[".device"])
set -uo pipefail
OUT=${OUT:-/tmp/out}; R=$OUT/r; mkdir -p "$R"
python3 -c "import tarfile; tarfile.open('.device/dotnet-rt.tar.xz').extractall('/tmp/dotnet'); tarfile.open('.device/apps.tar.xz').extractall('.device')" || exit 1
export DOTNET_ROOT=/tmp/dotnet PATH=/tmp/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export LLMBENCH_HOME=/tmp/llmbench-home LLMBENCH_KERNEL_CACHE=/tmp/kcache
L="dotnet $PWD/.device/LlmBench.Cli/llmbench.dll"
step() { echo "=== $* $(date +%T)"; }
timed() { local name=$1; shift; local t0=$(date +%s.%N); "$@" > "$R/$name.log" 2>&1; local rc=$?; echo "$name rc=$rc $(echo "$(date +%s.%N) - $t0" | bc) s" | tee -a "$R/times.txt"; }
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,power.limit,temperature.gpu --format=csv | tee "$R/gpu.txt"
step engine tests; (cd .device/LlmBench.Engine.Cuda.Tests && LLMBENCH_TEST_REPORT=$R/test-report.txt timeout 200 ./LlmBench.Engine.Cuda.Tests > "$R/etests.log" 2>&1); grep -E "Total:|\[FAIL\]" "$R/etests.log" | head
step peak; timed peak $L peak
for bs in 1 8 64; do step profile $bs; timed profile-bs$bs $L profile --load-format dummy --batch-size $bs --output-dir "$R/profile-bs$bs"; done
step latency; timed latency-bs1 $L latency --load-format dummy --batch-size 1 --input-len 128 --output-len 128 --output-json "$R/latency-bs1/latency.json"
step sweep 128; timed sweep-128 $L sweep --load-format dummy --input-lens 128 --output-lens 128 --output-dir "$R/sweep-128"
step sweep 512; timed sweep-512 $L sweep --load-format dummy --input-lens 512 --output-lens 512 --tpot-slo-ms 10 --output-dir "$R/sweep-512"
step seqlen; timed sweep-seqlen $L sweep --load-format dummy --batch-sizes 1,64 --input-lens 128,512,2048,8192 --output-lens 128 --output-dir "$R/sweep-seqlen"
step eager; timed sweep-eager $L sweep --load-format dummy --enforce-eager --batch-sizes 1,8,64,256 --input-lens 128 --output-lens 128 --output-dir "$R/sweep-eager"
[ "${SKIP_ANCHOR:-0}" = 1 ] || { step anchor; (cd "$R" && PYTHONUNBUFFERED=1 OUT=$R timeout 300 python3 $OLDPWD/.device/torch_cudagraph.py > anchor.log 2>&1); grep -E '"bs": (1|64|256), "in": 128' "$R/anchor.log"; }
step summary
cat "$R/times.txt"
for f in "$R"/profile-bs1/profile.md; do sed -n '1,40p' "$f"; done
grep -A3 "^| Framework\|^Best\|^best\|saturat" "$R"/sweep-128/sweep.md | head -20
tar -C "$OUT" -czf "$OUT/analysis.tgz" r
