#!/usr/bin/env bash
# Issue 16/18 speed in one call, every variant alternated in the same call as the anchor: `llmbench peak` (the floor's
# bandwidth); `EngineCheck time qwen3-0.6b` (dummy weights: bs 1 and bs 8 decode step, bs 256 x 128/128) without
# and with --fuse-norms, --fp8-weights and both, ROUNDS times; `throughput --preset nano` with bf16, fp8 KV, fp8
# weights and both; then the PyTorch + CUDA-graph anchor. Stops itself before LIMIT s (default 570); logs and
# result files in $OUT/speed.tgz, a short table last. Staging as dev/device/validate.sh (engine-check and the CLI in
# .device/apps.tar.xz, plus torch_cudagraph.py). Device: run(command="bash dev/device/speed.sh", carry=[".device"])
set -uo pipefail
T0=$(date +%s); LIMIT=${LIMIT:-570}; ROUNDS=${ROUNDS:-2}
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"; R=/tmp/speed; rm -rf "$R"; mkdir -p "$R"
trap 'tar -C /tmp -czf "$OUT/speed.tgz" speed 2>/dev/null' EXIT
left() { echo $(( LIMIT - ($(date +%s) - T0) )); }
step() { echo "=== $* (t=$(( $(date +%s) - T0 )) s)"; }
[ -x /tmp/dotnet/dotnet ] || python3 -c "import tarfile; tarfile.open('.device/dotnet-rt.tar.xz').extractall('/tmp/dotnet')" || exit 1
[ -d .device/engine-check ] || python3 -c "import tarfile; tarfile.open('.device/apps.tar.xz').extractall('.device')" || exit 1
export DOTNET_ROOT=/tmp/dotnet PATH=/tmp/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export LLMBENCH_HOME=/tmp/llmbench-home LLMBENCH_KERNEL_CACHE=/tmp/kcache
L="dotnet $PWD/.device/LlmBench.Cli/llmbench.dll"; E=$PWD/.device/engine-check/EngineCheck
nvidia-smi --query-gpu=name,driver_version,power.limit,temperature.gpu --format=csv,noheader | tee "$R/gpu.txt"
step peak; timeout 120 $L peak > "$R/peak.txt" 2>&1; grep -iE "copy" "$R/peak.txt" | head -1
for round in $(seq 1 "$ROUNDS"); do
  for v in "" "--fuse-norms" "--fp8-weights" "--fp8-weights --fuse-norms"; do
    [ "$(left)" -gt 200 ] || break 2
    name="time${v// /}-r$round"; step "$name"
    timeout 150 $E time qwen3-0.6b $v > "$R/$name.log" 2>&1 || tail -3 "$R/$name.log"
    grep -E "^bs " "$R/$name.log"
  done
done
for v in "bf16:" "fp8kv:--kv-cache-dtype fp8" "fp8w:--quantization fp8" "fp8both:--quantization fp8 --kv-cache-dtype fp8"; do
  [ "$(left)" -gt 150 ] || break
  name=nano-${v%%:*}; step "$name"
  timeout 120 $L throughput --preset nano --load-format dummy ${v#*:} --output-json "$R/$name.json" > "$R/$name.log" 2>&1 || tail -3 "$R/$name.log"
done
[ "$(left)" -gt 60 ] && { step anchor; PYTHONUNBUFFERED=1 OUT=$R timeout $(( $(left) - 20 )) python3 .device/torch_cudagraph.py > "$R/anchor.log" 2>&1; }
step summary
grep -hE '"bs": (1|8|256), "in": 128' "$R/anchor.log" 2>/dev/null | head -4
python3 - "$R" <<'PY' | tee "$R/summary.txt"
import json, sys, glob, re, os
r = sys.argv[1]
for f in sorted(glob.glob(f"{r}/time*.log")):
    t = open(f).read()
    g = lambda p: (re.search(p, t) or [None, "-"])[1]
    print(f"{os.path.basename(f)[:-4]:28} bs1 {g(r'bs 1 128/128: decode step median ([0-9.]+)')} ms  bs8 {g(r'bs 8 128/128: decode step median ([0-9.]+)')} ms  bs256 {g(r'end-to-end ([0-9]+) output')} tok/s")
for f in sorted(glob.glob(f"{r}/nano-*.json")):
    j = json.load(open(f)); ll = j.get("llmbench") or {}; fl = ll.get("memory_bandwidth_floor") or {}
    print(f"{os.path.basename(f)[:-5]:28} {j.get('output_throughput', 0):8.0f} tok/s  floor {(fl.get('fraction_of_floor') or 0)*100:5.1f} %")
PY
