#!/usr/bin/env bash
# One device call on the single-file llmbench (issue 19): the GPU machine has no .NET, so this is the artifact users run.
# Staging here (the tree that travels is limited to 64 MiB and the file is ~61 MB, so it travels xz-compressed):
#   dev/publish.sh --rid linux-x64 --no-tool && mkdir -p .device && xz -T2 -6 -c artifacts/linux-x64/llmbench > .device/llmbench.xz
#   cp artifacts/SHA256SUMS .device/
# Device: run(command="bash dev/device/single-file.sh", carry=[".device"]); results in $OUT/single-file.tgz.
set -uo pipefail
OUT=${OUT:-/tmp/out}; R=$OUT/s; mkdir -p "$R"
python3 -c "import lzma, shutil; shutil.copyfileobj(lzma.open('.device/llmbench.xz'), open('/tmp/llmbench-linux-x64', 'wb'))" || exit 1
chmod +x /tmp/llmbench-linux-x64
(cd /tmp && sha256sum -c "$OLDPWD/.device/SHA256SUMS" 2>&1 | tee "$R/sha256.txt")
export LLMBENCH_HOME=/tmp/llmbench-home LLMBENCH_KERNEL_CACHE=/tmp/kcache
L=/tmp/llmbench-linux-x64
echo "dotnet on PATH: $(command -v dotnet || echo none)" | tee "$R/env.txt"
ms() { local t0=$(date +%s%N); "$@" > /dev/null 2>&1; echo $(( ($(date +%s%N) - t0) / 1000000 )); }
for i in 1 2 3 4 5; do echo "version $(ms $L --version) ms, gpu $(ms $L gpu) ms"; done | tee "$R/startup.txt"
$L --version | tee -a "$R/startup.txt"
$L gpu > "$R/gpu.txt" 2>&1; head -20 "$R/gpu.txt"
$L peak > "$R/peak.txt" 2>&1; grep -iE "copy|bf16 .*8192" "$R/peak.txt" | head -3
echo "=== run $(date +%T)"; $L run --duration 60 --warmup 10 --output-dir "$R/run" > "$R/run.log" 2>&1; echo "run rc=$?"; grep -iE "score|valid|tokens per joule|J/token|report" "$R/run.log" | head -8
echo "=== serve-512 $(date +%T)"
$L bench serve --launch "$L serve qwen3-0.6b --load-format dummy --port 18300" --port 18300 --model qwen3-0.6b \
  --max-concurrency 50 --num-prompts 200 --random-input-len 512 --random-output-len 512 --ignore-eos \
  --percentile-metrics ttft,tpot,itl,e2el --metric-percentiles 50,90,99 --save-result --result-dir "$R/serve" > "$R/serve.log" 2>&1; echo "serve rc=$?"
grep -E "Successful|Output token throughput|P99 TTFT|P99 TPOT" "$R/serve.log" | head -6
tar -C "$OUT" -czf "$OUT/single-file.tgz" s
