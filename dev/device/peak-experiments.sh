#!/usr/bin/env bash
# bf16 8192 under each GEMM setting, twice each, beside PyTorch's figure: which default gets closest to the anchor.
set -uo pipefail
W=${W:-.devwork/gpu}
python3 -c "import tarfile; tarfile.open('$W/dotnet-rt.tar.xz').extractall('/tmp/dotnet')" || exit 1
export DOTNET_ROOT=/tmp/dotnet PATH=/tmp/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 LLMBENCH_HOME=/tmp/llmbench-home
L="dotnet $W/LlmBench.Cli/llmbench.dll"
for round in 1 2; do
  for setting in "--layout tn" "--layout nn" "--layout tn --autotune 8" "--layout nn --autotune 8"; do
    tflops=$($L peak --sizes 4096,8192 --dtypes bf16 --json --no-save $setting 2>/dev/null | python3 -c "import json,sys; print(' '.join(f\"{g['size']}:{g['tflop_per_s']:.0f}\" for g in json.load(sys.stdin)['gemm_results']))")
    echo "round $round  $setting  ->  $tflops" | tee -a $OUT/experiments.txt
  done
done
$L peak --no-save 2>&1 | grep -v "^peak:" | tee $OUT/peak-default.txt
PYTHONUNBUFFERED=1 python3 $W/anchor_ceilings.py 2>&1 | tee -a $OUT/experiments.txt
