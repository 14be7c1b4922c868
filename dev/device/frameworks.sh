#!/usr/bin/env bash
# Frameworks side by side on the GPU (issue 15, docs/FRAMEWORKS.md): Qwen3-0.6B with dummy weights (the same seeded
# weights for every backend: llmbench writes them once as an HF directory that transformers loads) at batch
# 1,4,8,16,32,64,256, fixed 128-token prompts and varied U[128,512], 128 output tokens, for llmbench, llmbench-eager,
# hf (transformers generate, eager) and hf-compile (static cache + torch.compile'd decode step), in one sweep result.
# First a smoke (batch 1, 8 output tokens, every backend) so a broken backend shows in the first minutes; it also
# warms the kernel and inductor caches. Each backend of the main sweep gets a time budget (--time-budget), the whole
# script stops itself before LIMIT seconds (default 530) with Ctrl-C semantics (the points measured are saved), and a
# backend that fails does not stop the others. Results and logs: $OUT/frameworks.tgz; the table is printed last.
# Staging here:  ../shared/tools/device-bundle.sh src/LlmBench.Cli
# Device:        run(command="bash dev/device/frameworks.sh", carry=[".device"], timeout_s=600)
# Knobs: PYTHON (default python3, needs torch with CUDA and transformers), LIMIT, COMPILE_MODES (--compile-mode),
#        BATCHES, SKIP_SMOKE=1, BACKENDS (default all four), BUDGET (seconds per backend; default shares what is left).
#        hf-compile alone with room to compile (42-76 s per new batch shape on an H100):
#        BACKENDS=hf-compile BUDGET=480 SKIP_SMOKE=1 COMPILE_MODES=reduce-overhead bash dev/device/frameworks.sh
set -uo pipefail
T0=$(date +%s)
LIMIT=${LIMIT:-530}
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
R=/tmp/frameworks; rm -rf "$R"; mkdir -p "$R"
finish() { tar -C /tmp -czf "$OUT/frameworks.tgz" frameworks 2>/dev/null; }
trap finish EXIT
exec > >(tee -a "$R/script.log") 2>&1
left() { echo $(( LIMIT - ($(date +%s) - T0) )); }
step() { echo "=== $* (t=$(( $(date +%s) - T0 )) s, $(left) s left)"; }

step setup
python3 -c "import tarfile; tarfile.open('.device/dotnet-rt.tar.xz').extractall('/tmp/dotnet')" || { echo "no .device/dotnet-rt.tar.xz: stage with ../shared/tools/device-bundle.sh src/LlmBench.Cli"; exit 1; }
export DOTNET_ROOT=/tmp/dotnet PATH=/tmp/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export LLMBENCH_HOME=/tmp/llmbench-home LLMBENCH_KERNEL_CACHE=/tmp/kcache
export TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
L="dotnet $PWD/.device/LlmBench.Cli/llmbench.dll"
PY=${PYTHON:-python3}
MODES=${COMPILE_MODES:-reduce-overhead,default}
BATCHES=${BATCHES:-1,4,8,16,32,64,256}
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,power.limit --format=csv | tee "$R/gpu.txt"
$PY - <<'PYEOF' 2>&1 | tee "$R/python.txt"
import sys
print("python", sys.version.split()[0], sys.executable)
try:
    import torch
    print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())
    import transformers
    print("transformers", transformers.__version__)
except Exception as e:
    print("import failed:", e)
PYEOF
$L --version | tee "$R/llmbench-version.txt"
common=(--model qwen3-0.6b --load-format dummy --python "$PY" --compile-mode "$MODES")
backends=${BACKENDS:-llmbench,llmbench-eager,hf,hf-compile}

if [ "${SKIP_SMOKE:-0}" != 1 ]; then
  step smoke: batch 1, 128 in, 8 out, every backend
  timeout -s INT -k 15 150 $L sweep "${common[@]}" --backend $backends --batch-sizes 1 --input-lens 128 --output-lens 8 \
    --time-budget 60 --output-dir "$R/smoke" > "$R/smoke.log" 2>&1
  echo "smoke rc=$?"
  grep -E "^error:|^backend |FAILED|\| (llmbench|hf)" "$R/smoke.log" | head -20
fi

main=$(( $(left) - 15 ))
# llmbench's two backends take well under a minute each; the Hugging Face ones get what is left, shared.
per=$(( (main - 100) / 3 )); [ $per -gt 160 ] && per=160; [ $per -lt 30 ] && per=30
per=${BUDGET:-$per}
step "main sweep: $backends at batch $BATCHES, input 128 and 128-512, output 128 ($main s at most, $per s per backend)"
timeout -s INT -k 15 $main $L sweep "${common[@]}" --backend $backends --batch-sizes "$BATCHES" --input-lens 128,128-512 --output-lens 128 \
  --time-budget $per --output-dir "$R/sweep" > "$R/sweep.log" 2>&1
echo "sweep rc=$? (130: stopped by the time limit, points measured saved)"

step summary
grep -E "^error:|^note: --max|FAILED|compiled in|hf-compile: mode" "$R/sweep.log" | head -20
if [ -f "$R/sweep/sweep.md" ]; then
  grep -E '^- (llmbench|llmbench-eager|hf|hf-compile|openai):' "$R/sweep/sweep.md"
  sed -n '/^| Framework/,/^$/p' "$R/sweep/sweep.md"
else
  echo "no sweep result; the end of the log:"; tail -30 "$R/sweep.log"
fi
echo "total $(( $(date +%s) - T0 )) s; results and logs in \$OUT/frameworks.tgz"
