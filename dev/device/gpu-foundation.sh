#!/usr/bin/env bash
# One device call for issue 3: GPU tests, `llmbench gpu`, `peak`, a 20 s `monitor --csv`, and the PyTorch anchor's
# ceilings, side by side. Expects the bundle (device-bundle.sh) and anchor_ceilings.py under $W; writes under $OUT.
set -uo pipefail
W=${W:-.devwork/gpu}
python3 -c "import tarfile; tarfile.open('$W/dotnet-rt.tar.xz').extractall('/tmp/dotnet')" || exit 1
export DOTNET_ROOT=/tmp/dotnet PATH=/tmp/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export LLMBENCH_HOME=/tmp/llmbench-home
L="dotnet $W/LlmBench.Cli/llmbench.dll"
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,power.limit,temperature.gpu --format=csv
echo "== GPU tests";       dotnet $W/LlmBench.Gpu.Tests/LlmBench.Gpu.Tests.dll 2>&1 | tee $OUT/tests.log | tail -25
echo "== Telemetry tests"; dotnet $W/LlmBench.Telemetry.Tests/LlmBench.Telemetry.Tests.dll 2>&1 | tee -a $OUT/tests.log | tail -8
echo "== llmbench gpu";    $L gpu 2>&1 | head -60
$L gpu --json > $OUT/gpu.json 2>&1; echo "gpu --json exit $? ($(wc -c < $OUT/gpu.json) bytes)"
echo "== llmbench monitor (20 s, in the background) and llmbench peak"
$L monitor --csv $OUT/monitor.csv --duration 20 --interval 0.5 > $OUT/monitor.txt 2>&1 &
monitor=$!
$L peak 2>&1 | tee $OUT/peak.txt
wait $monitor; echo "monitor exit $?"; tail -12 $OUT/monitor.txt; echo "csv rows: $(wc -l < $OUT/monitor.csv)"
$L peak --json --no-save > $OUT/peak.json 2>/dev/null; echo "peak --json exit $?"
echo "== PyTorch anchor (ceilings part of hf_transformers.py)"
PYTHONUNBUFFERED=1 python3 $W/anchor_ceilings.py 2>&1 | tee $OUT/anchor.txt
python3 - "$OUT" <<'PY' | tee $OUT/summary.txt
import json, sys
out = sys.argv[1]
peak = json.load(open(f"{out}/peak.json")); anchor = json.loads(open(f"{out}/anchor.txt").read().strip().splitlines()[-1])
bw = {b["method"]: b["tb_per_s"] for b in peak["bandwidth_results"]}
gemm = {(g["dtype"], g["size"]): g["tflop_per_s"] for g in peak["gemm_results"]}
print(f"{'figure':34} {'llmbench':>10} {'pytorch':>10}")
print(f"{'copy TB/s (best)':34} {max(v for k, v in bw.items() if k.startswith('copy')):10.2f} {anchor['copy_TBps']:10.2f}")
for k, v in bw.items(): print(f"{k:34} {v:10.2f}")
print(f"{'bf16 8192 TFLOP/s':34} {gemm[('bf16', 8192)]:10.0f} {anchor['bf16_TFLOPs']:10.0f}")
for (t, s), v in gemm.items(): print(f"{t + ' ' + str(s):34} {v or 0:10.0f}")
PY
