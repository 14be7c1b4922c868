#!/usr/bin/env bash
# On the GPU machine, from the repo root, with the staging folder carried (see dev/engine-check/README.md):
#   bash .devwork/<name>/device_run.sh [tests] [ktests] [model] [logits] [time] [anchor] ...
# Logs go to $OUT (or /tmp/out).
set -uo pipefail
W=${W:-$(dirname "$0")}; OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
python3 -c "import tarfile; tarfile.open('$W/dotnet-rt.tar.xz').extractall('/tmp/dotnet')" && export DOTNET_ROOT=/tmp/dotnet PATH=/tmp/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export LLMBENCH_KERNEL_CACHE=/tmp/kcache
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,power.draw,temperature.gpu --format=csv | tee "$OUT/gpu.txt"
for step in "$@"; do
  echo "=== $step $(date +%T)"
  case $step in
    tests) (cd $W/LlmBench.Engine.Cuda.Tests && LLMBENCH_TEST_REPORT=$OUT/test-report.txt timeout 180 ./LlmBench.Engine.Cuda.Tests 2>&1) > "$OUT/tests.log"; grep -E "failed|error|Assert|total|succeeded|skipped" "$OUT/tests.log" | head -40; cat "$OUT/test-report.txt" ;;
    ktests) (cd $W/LlmBench.Kernels.Tests && KERNEL_TEST_ERROR_LOG=$OUT/kernel-errors.txt timeout 420 ./LlmBench.Kernels.Tests 2>&1) > "$OUT/ktests.log"; grep -E "^failed|Assert|Total:|total|succeeded|skipped:" "$OUT/ktests.log" | head -40 ;;
    klogprobs) (cd $W/LlmBench.Kernels.Tests && KERNEL_TEST_ERROR_LOG=$OUT/kernel-errors.txt timeout 200 ./LlmBench.Kernels.Tests -class LlmBench.Kernels.Tests.OnGpu.LogprobGpuTests 2>&1) > "$OUT/klogprobs.log"; grep -E "^failed|Assert|Total:|total|succeeded|skipped:" "$OUT/klogprobs.log" | head -20 ;;
    gtests) (cd $W/LlmBench.Gpu.Tests && timeout 180 ./LlmBench.Gpu.Tests 2>&1) > "$OUT/gtests.log"; grep -E "^failed|Assert|Total:|total|succeeded|skipped:" "$OUT/gtests.log" | head -40 ;;
    tools) for t in nsys ncu nvcc; do command -v $t || echo "no $t"; done ;;
    gemv) timeout 200 $W/engine-check/EngineCheck gemv 2>&1 | tee "$OUT/gemv.log" ;;
    timebase) timeout 120 $W/engine-check/EngineCheck time /tmp/q3 --gemv-max 0 --no-pdl 2>&1 | tee "$OUT/timebase.log" ;;
    timenopdl) timeout 120 $W/engine-check/EngineCheck time /tmp/q3 --no-pdl 2>&1 | tee "$OUT/timenopdl.log" ;;
    nsys) if command -v nsys >/dev/null; then timeout 200 nsys profile --cuda-graph-trace=node -o /tmp/prof -f true $W/engine-check/EngineCheck time /tmp/q3 --bs1-only > "$OUT/nsys.log" 2>&1; timeout 120 nsys stats -r cuda_gpu_kern_sum -f csv -o /tmp/kern /tmp/prof.nsys-rep >> "$OUT/nsys.log" 2>&1; cp /tmp/kern*.csv "$OUT/" 2>/dev/null; head -30 /tmp/kern*.csv; else echo "no nsys"; ls /usr/local/cuda*/bin 2>/dev/null | head; fi ;;
    model) PYTHONUNBUFFERED=1 python3 $W/make_qwen3_0_6b_random.py /tmp/q3 2>&1 | tail -3 ;;
    fp8model) PYTHONUNBUFFERED=1 python3 $W/make_fp8_checkpoint.py /tmp/q3 /tmp/q3fp8 2>&1 | tail -3 ;;
    fp8ckpt) timeout 400 $W/engine-check/EngineCheck fp8ckpt /tmp/q3fp8 /tmp/q3 2>&1 | tee "$OUT/fp8ckpt.log" ;;
    fp8) timeout 300 $W/engine-check/EngineCheck fp8 /tmp/q3 2>&1 | tee "$OUT/fp8.log" ;;
    logits) timeout 300 $W/engine-check/EngineCheck logits /tmp/q3 2>&1 | tee "$OUT/logits.log" ;;
    time) timeout 120 $W/engine-check/EngineCheck time /tmp/q3 2>&1 | tee "$OUT/time.log" ;;
    fp8time) for f in "" --fp8-weights "--fp8-weights --fp8-gemm"; do echo "--- time $f"; timeout 150 $W/engine-check/EngineCheck time /tmp/q3 $f 2>&1 | tee -a "$OUT/fp8time.log" | grep -E "bs *(1|8|256) |step|decode|tok/s|large-step" | head -8; done ;;
    variants) for f in "" --fuse-norms --fp8-weights "--fp8-weights --fuse-norms"; do echo "--- time qwen3-0.6b $f"; timeout 120 $W/engine-check/EngineCheck time qwen3-0.6b $f 2>&1 | tee -a "$OUT/variants.log" | grep -E "^bs |idle"; done ;;
    fusednorms) for i in 1 2; do for f in "" --fuse-norms; do echo "--- time $f (round $i)"; timeout 120 $W/engine-check/EngineCheck time /tmp/q3 $f 2>&1 | tee -a "$OUT/fusednorms.log" | grep -E "bs *(1|8) |step|decode" | head -6; done; done ;;
    normsafter) for i in $(seq 1 ${ROUNDS:-1}); do for f in "" --norms-after --merge-in-attention --split-sampling "--norms-after --merge-in-attention --split-sampling" "--fp8-weights" "--fp8-weights --norms-after --merge-in-attention --split-sampling"; do echo "--- time $f (round $i)"; timeout 120 $W/engine-check/EngineCheck time /tmp/q3 $f 2>&1 | tee -a "$OUT/normsafter.log" | grep -E "bs *(1|8) |step|decode" | head -6; done; done ;;
    eager) $W/engine-check/EngineCheck time /tmp/q3 --eager 2>&1 | tee "$OUT/eager.log" ;;
    splits16) $W/engine-check/EngineCheck time /tmp/q3 --max-splits 16 2>&1 | tee "$OUT/splits16.log" ;;
    splits4) $W/engine-check/EngineCheck time /tmp/q3 --max-splits 4 2>&1 | tee "$OUT/splits4.log" ;;
    autotune) $W/engine-check/EngineCheck time /tmp/q3 --autotune 2>&1 | tee "$OUT/autotune.log" ;;
    sync) $W/engine-check/EngineCheck time /tmp/q3 --no-overlap 2>&1 | tee "$OUT/sync.log" ;;
    fakequant) PYTHONUNBUFFERED=1 timeout 200 python3 $W/fp8_fake_quant_reference.py /tmp/q3 2>&1 | tee "$OUT/fakequant.log" ;;
    hf32) PYTHONUNBUFFERED=1 python3 $W/hf_fp32_reference.py /tmp/q3 2>&1 | tee "$OUT/hf32.log"; timeout 300 $W/engine-check/EngineCheck logits /tmp/q3 reference_logits_fp32.json 2>&1 | grep -v CPU | tee -a "$OUT/hf32.log" ;;
    profile) timeout 400 $W/engine-check/EngineCheck profile ${PROFILE_MODEL:-qwen3-0.6b} --bs ${PROFILE_BS:-1,8,64,256} ${PROFILE_FLAGS:-} 2>&1 | tee "$OUT/profile${PROFILE_FLAGS:+-variants}.log" ;;
    logprobs) timeout 300 $W/engine-check/EngineCheck logprobs ${LOGPROBS_MODEL:-/tmp/q3} 2>&1 | tee "$OUT/logprobs.log" ;;
    timedummy) timeout 120 $W/engine-check/EngineCheck time qwen3-0.6b 2>&1 | tee "$OUT/timedummy.log" ;;
    anchor) PYTHONUNBUFFERED=1 python3 $W/torch_cudagraph.py 2>&1 | tee "$OUT/anchor.log" | grep -E '"bs": (1|256), "in": 128|fail' ;;
  esac
done
echo "=== done $(date +%T)"
