#!/usr/bin/env bash
# FP8 KV cache on the GPU (issue 18), bf16 and fp8 side by side in one call: `llmbench peak` (the floor's bandwidth),
# `throughput --preset nano`, `throughput` 256 x 128/128 and `run` (20 s warm-up, DURATION s measured), each with
# --kv-cache-dtype bf16 and fp8, then the PyTorch + CUDA-graph anchor. Logs and result files go to $OUT/fp8.tgz;
# a short table is printed last.
# Staging here (the tree that travels is limited to 64 MiB, so the CLI travels compressed):
#   ../shared/tools/device-bundle.sh src/LlmBench.Cli
#   tar -C .device -cf - LlmBench.Cli | xz -T2 > .device/apps.tar.xz && rm -rf .device/LlmBench.Cli
#   cp ../shared/bench/anchors/torch_cudagraph.py .device/
# Device: run(command="bash dev/device/fp8.sh", carry=[".device"])
set -uo pipefail
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"; R=/tmp/fp8; rm -rf "$R"; mkdir -p "$R"
trap 'tar -C /tmp -czf "$OUT/fp8.tgz" fp8 2>/dev/null' EXIT
python3 -c "import tarfile; tarfile.open('.device/dotnet-rt.tar.xz').extractall('/tmp/dotnet'); tarfile.open('.device/apps.tar.xz').extractall('.device')" || exit 1
export DOTNET_ROOT=/tmp/dotnet PATH=/tmp/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export LLMBENCH_HOME=/tmp/llmbench-home LLMBENCH_KERNEL_CACHE=/tmp/kcache
L="dotnet $PWD/.device/LlmBench.Cli/llmbench.dll"
DURATION=${DURATION:-60}
step() { echo "=== $* $(date +%T)"; }
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,power.limit,temperature.gpu --format=csv | tee "$R/gpu.txt"
step peak; $L peak > "$R/peak.txt" 2>&1; grep -iE "copy" "$R/peak.txt" | head -2
for kv in bf16 fp8; do
  step "nano $kv"; $L throughput --preset nano --load-format dummy --kv-cache-dtype $kv --output-json "$R/nano-$kv.json" > "$R/nano-$kv.log" 2>&1 || tail -3 "$R/nano-$kv.log"
  step "256x128 $kv"; $L throughput --num-prompts 256 --input-len 128 --output-len 128 --load-format dummy --kv-cache-dtype $kv --output-json "$R/b256-$kv.json" > "$R/b256-$kv.log" 2>&1 || tail -3 "$R/b256-$kv.log"
done
step "nano fp8 calculated scales"; $L throughput --preset nano --load-format dummy --kv-cache-dtype fp8 --calculate-kv-scales --output-json "$R/nano-fp8calc.json" > "$R/nano-fp8calc.log" 2>&1 || tail -3 "$R/nano-fp8calc.log"
for kv in bf16 fp8; do
  step "run $kv"; $L run --load-format dummy --kv-cache-dtype $kv --warmup 20 --duration $DURATION --output-dir "$R/run-$kv" > "$R/run-$kv.log" 2>&1 || tail -3 "$R/run-$kv.log"
  grep -iE "tok/s|valid|kv cache|tokens/J|tok/J" "$R/run-$kv.log" | head -8
done
[ "${SKIP_ANCHOR:-0}" = 1 ] || { step anchor; PYTHONUNBUFFERED=1 OUT=$R timeout 200 python3 .device/torch_cudagraph.py > "$R/anchor.log" 2>&1; grep -E '"bs": (1|256), "in": 128' "$R/anchor.log" | head -3; }
step summary
python3 - "$R" <<'PY' | tee "$R/summary.txt"
import json, sys, glob
r = sys.argv[1]
def load(p):
    try: return json.load(open(p))
    except Exception: return None
print(f"{'workload':14} {'out tok/s':>10} {'floor %':>8} {'kv blocks':>10}")
for name in ("nano-bf16", "nano-fp8", "nano-fp8calc", "b256-bf16", "b256-fp8"):
    j = load(f"{r}/{name}.json")
    if not j: print(f"{name:14} missing"); continue
    ll = j.get("llmbench") or {}
    fl = ll.get("memory_bandwidth_floor") or {}
    opts = ((ll.get("configuration") or {}).get("engine_options")) or {}
    print(f"{name:14} {j.get('output_throughput', 0):10.0f} {(fl.get('fraction_of_floor') or 0) * 100:8.1f} {opts.get('kv_cache_blocks', '?'):>10}")
for kv in ("bf16", "fp8"):
    for f in glob.glob(f"{r}/run-{kv}/result.json"):
        j = load(f) or {}
        print(f"run-{kv}", json.dumps({k: j.get(k) for k in ("score", "output_throughput", "valid", "verdict", "tokens_per_joule")}))
PY
