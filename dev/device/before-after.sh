#!/usr/bin/env bash
# One device call that measures two builds of the CLI side by side on the same GPU, alternating A/B twice:
# `throughput --preset nano`, `throughput` 256 x 128/128 and serve-512 (bench serve --launch, c = 50, 512/512),
# after the GPU test projects and `llmbench peak` (so every floor uses the measured copy bandwidth), then the
# PyTorch + CUDA-graph anchor. Prints a short table last; logs and result files go to $OUT.
#
# Staging (here, from the repo root; the tree that travels is limited to 64 MiB, so the builds travel compressed):
#   ../shared/tools/device-bundle.sh tests/LlmBench.Kernels.Tests tests/LlmBench.Engine.Cuda.Tests   # runtime + tests
#   dotnet publish src/LlmBench.Cli -c Release --no-self-contained -r linux-x64 -o STAGE/cli-after -p:DebugType=none
#   (the same from a worktree of the base commit into STAGE/cli-before)
#   tar -C STAGE -cf - cli-before cli-after LlmBench.Kernels.Tests LlmBench.Engine.Cuda.Tests | xz -T2 > .device/apps.tar.xz
#   cp ../shared/bench/anchors/torch_cudagraph.py .device/
# Device: run(command="bash dev/device/before-after.sh", carry=[".device"])
set -uo pipefail
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
python3 -c "import tarfile; tarfile.open('.device/dotnet-rt.tar.xz').extractall('/tmp/dotnet'); tarfile.open('.device/apps.tar.xz').extractall('.device/x')" || exit 1
export DOTNET_ROOT=/tmp/dotnet PATH=/tmp/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export LLMBENCH_HOME=/tmp/llmbench-home LLMBENCH_KERNEL_CACHE=/tmp/kcache
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,power.limit,temperature.gpu --format=csv | tee "$OUT/gpu.txt"
step() { echo "=== $* $(date +%T)"; }
if [ "${SKIP_TESTS:-0}" != 1 ]; then
  [ "${KTESTS:-1}" = 0 ] || { step kernel tests; (cd .device/x/LlmBench.Kernels.Tests && timeout 200 ./LlmBench.Kernels.Tests > "$OUT/ktests.log" 2>&1); grep -E "Total:|\[FAIL\]" "$OUT/ktests.log" | head -20; }
  step engine tests; (cd .device/x/LlmBench.Engine.Cuda.Tests && LLMBENCH_TEST_REPORT=$OUT/test-report.txt timeout 240 ./LlmBench.Engine.Cuda.Tests > "$OUT/etests.log" 2>&1); grep -E "Total:|\[FAIL\]" "$OUT/etests.log" | head -20
fi
step peak; dotnet .device/x/cli-after/llmbench.dll peak > "$OUT/peak.txt" 2>&1; grep -iE "copy|bf16 .*8192" "$OUT/peak.txt" | head -4
for round in ${ROUNDS-1 2}; do
  for v in before after; do
    L="dotnet .device/x/cli-$v/llmbench.dll"
    step "$v round $round nano"; $L throughput --preset nano --load-format dummy --output-json "$OUT/nano-$v-$round.json" > "$OUT/nano-$v-$round.log" 2>&1 || tail -3 "$OUT/nano-$v-$round.log"
    step "$v round $round 256x128"; $L throughput --num-prompts 256 --input-len 128 --output-len 128 --load-format dummy --output-json "$OUT/b256-$v-$round.json" > "$OUT/b256-$v-$round.log" 2>&1 || tail -3 "$OUT/b256-$v-$round.log"
    step "$v round $round serve-512"
    $L bench serve --launch "$L serve qwen3-0.6b --load-format dummy --port 18300" --port 18300 --model qwen3-0.6b \
      --max-concurrency 50 --num-prompts 200 --random-input-len 512 --random-output-len 512 --ignore-eos \
      --percentile-metrics ttft,tpot,itl,e2el --metric-percentiles 50,90,99 --save-result --result-dir /tmp/serve-$v-$round > "$OUT/serve-$v-$round.log" 2>&1 || tail -5 "$OUT/serve-$v-$round.log"
    cp /tmp/serve-$v-$round/*.json "$OUT/serve-$v-$round.json" 2>/dev/null
  done
done
[ "${SKIP_ANCHOR:-0}" = 1 ] || { step anchor; PYTHONUNBUFFERED=1 OUT=$OUT timeout 300 python3 .device/torch_cudagraph.py > "$OUT/anchor.log" 2>&1; grep -E '"bs": (1|50|256), "in": (128|512)' "$OUT/anchor.log" | head -6; }
step summary
python3 - "$OUT" <<'PY' | tee "$OUT/summary.txt"
import json, sys, glob, os
out = sys.argv[1]
def load(p):
    try: return json.load(open(p))
    except Exception: return None
print(f"{'workload':12} {'build':7} {'round':>5} {'out tok/s':>10} {'floor %':>8} {'TPOT p50':>9} {'P99 TPOT':>9} {'P99 TTFT':>9} {'ok':>7}")
for w in ("nano", "b256", "serve"):
    for v in ("before", "after"):
        for r in (1, 2):
            j = load(f"{out}/{w}-{v}-{r}.json")
            if not j: print(f"{w:12} {v:7} {r:>5} {'missing':>10}"); continue
            fl = (j.get("llmbench") or {}).get("memory_bandwidth_floor") or {}
            frac = fl.get("fraction_of_floor")
            print(f"{w:12} {v:7} {r:>5} {j.get('output_throughput', 0):10.0f} {(frac or 0) * 100:8.1f} {j.get('median_tpot_ms') or 0:9.2f} {j.get('p99_tpot_ms') or 0:9.2f} {j.get('p99_ttft_ms') or 0:9.1f} {str(j.get('completed', '')) + '/' + str(j.get('num_prompts', j.get('num_requests', ''))):>7}")
a = glob.glob(f"{out}/anchor_torch_graph.json")
if a:
    for row in load(a[0]) or []:
        print("anchor", json.dumps(row))
PY
