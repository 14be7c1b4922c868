#!/usr/bin/env bash
# One call that checks new GPU code before it is timed: extracts .device/apps.tar.xz (the CLI, the two GPU test
# projects and engine-check, packed into one xz so the carried tree stays under 64 MiB) and runs
# .device/device_run.sh with the steps given (default: ktests tests model fp8 fp8time fusednorms). Logs: $OUT/validate.tgz.
# Staging here:
#   ../shared/tools/device-bundle.sh tests/LlmBench.Engine.Cuda.Tests tests/LlmBench.Kernels.Tests tests/LlmBench.Gpu.Tests dev/engine-check src/LlmBench.Cli
#   (cd .device && tar -cf - LlmBench.Cli LlmBench.Engine.Cuda.Tests LlmBench.Kernels.Tests LlmBench.Gpu.Tests engine-check | xz -T2 > apps.tar.xz \
#      && rm -rf LlmBench.Cli LlmBench.Engine.Cuda.Tests LlmBench.Kernels.Tests LlmBench.Gpu.Tests engine-check)
#   cp dev/engine-check/device_run.sh dev/engine-check/*.py ../shared/bench/anchors/{torch_cudagraph,make_qwen3_0_6b_random}.py .device/
#   optionally the last call's kernel cache: cp /work/.device/<call>/kcache.tar.xz .device/
# Device: run(command="bash dev/device/validate.sh ktests tests ...", carry=[".device"])
# What waits for a GPU (2026-12-08), in the order to run it, each call under 600 s:
#   1. bash dev/device/validate.sh gtests ktests tests; python3 dev/device/fp8_outer_vec_probe.py
#      (vector-scaled fp8 GEMM, CUPTI trace test, chunked logprobs, gemv_then_norm, decode_attention_merging,
#      NormsAfterGemv / MergeAttentionInLastCta logit equality)
#   2. LOGPROBS_MODEL=qwen3-0.6b PROFILE_BS=1,8,64 bash dev/device/validate.sh model normsafter profile logprobs fp8time
#      and the profile with the variants on, for the before/after table:
#      PROFILE_BS=1,8,64 PROFILE_FLAGS="--norms-after --merge-in-attention --split-sampling" bash dev/device/validate.sh profile
#      (then copy $OUT/kcache.tar.xz into .device/ before the next call)
#   3. dev/device/speed.sh or dev/device/fp8.sh on an H200 (issue 16 and 18 targets, anchor in the same call)
set -uo pipefail
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"; V=/tmp/validate; mkdir -p "$V"
# The kernel cache (/tmp/kcache, device_run.sh's LLMBENCH_KERNEL_CACHE, which the GPU test fixtures also use) comes back
# as $OUT/kcache.tar.xz; copied into .device/ it is carried into the next call, so unchanged kernels are not compiled again.
save_kcache() { [ -d /tmp/kcache ] && python3 -c "import tarfile; t = tarfile.open('$OUT/kcache.tar.xz', 'w:xz'); t.add('/tmp/kcache', 'kcache'); t.close()"; }
trap 'tar -C /tmp -czf "$OUT/validate.tgz" validate 2>/dev/null; save_kcache' EXIT
[ -f .device/kcache.tar.xz ] && [ ! -d /tmp/kcache ] && python3 -c "import tarfile; tarfile.open('.device/kcache.tar.xz').extractall('/tmp')"
[ -d .device/engine-check ] || python3 -c "import tarfile; tarfile.open('.device/apps.tar.xz').extractall('.device')" || exit 1
[ $# -gt 0 ] || set -- ktests tests model fp8 fp8time fusednorms
# One step at a time, the logs packed after each, so a call cut off at its limit still brings back what ran.
for s in "$@"; do OUT=$V bash .device/device_run.sh "$s"; tar -C /tmp -czf "$OUT/validate.tgz" validate 2>/dev/null; done
