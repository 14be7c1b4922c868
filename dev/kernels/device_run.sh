#!/usr/bin/env bash
# Runs the lab on the GPU machine and leaves lab.log and a resource/SASS summary under $OUT.
#   cp -r dev/kernels src/LlmBench.Kernels/Cuda -> /work/main/.devwork/kernels/{.,Cuda}; carry .devwork/kernels;
#   command: bash .devwork/kernels/device_run.sh [check-name filters]
set -o pipefail
cd "$(dirname "$0")"
OUT=${OUT:-/tmp/lab-out}
mkdir -p "$OUT" /tmp/cubins
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,temperature.gpu --format=csv
LAB_DUMP_DIR=/tmp/cubins PYTHONUNBUFFERED=1 timeout "${LAB_TIMEOUT:-270}" python3 lab.py "$@" 2>&1 | tee "$OUT/lab.log"
rc=$?
{
  for f in /tmp/cubins/*.cubin; do
    echo "== $(basename "$f")"
    cuobjdump -res-usage "$f" | grep -E "Function|REG"
  done
  for f in /tmp/cubins/prefill*.cubin; do
    s=$(cuobjdump -sass "$f")
    echo "== $(basename "$f"): HMMA $(grep -c HMMA <<<"$s") LDSM $(grep -c LDSM <<<"$s") LDGSTS $(grep -c LDGSTS <<<"$s") LDL $(grep -c LDL <<<"$s")"
  done
  for f in /tmp/cubins/decode*.cubin; do
    s=$(cuobjdump -sass "$f")
    echo "== $(basename "$f"): LDG.128 $(grep -cE 'LDG.E.128|LDG.E.ENL2.128' <<<"$s") LDL $(grep -c LDL <<<"$s") STL $(grep -c STL <<<"$s")"
  done
} > "$OUT/sass.txt" 2>&1
exit $rc
