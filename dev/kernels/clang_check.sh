#!/usr/bin/env bash
# Local syntax and PTX-constraint check (ARCH=sm_80 to check the pre-Hopper paths) of the .cu files with clang (no CUDA toolkit on the dev machine).
# NVRTC on the device is the real compiler; this only catches C++ mistakes before spending device time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cu=$here/../../src/LlmBench.Kernels/Cuda
check() {
  local file=$1; shift
  ${CLANG:-clang-16} -x cuda --cuda-device-only --cuda-gpu-arch=${ARCH:-sm_90} -nocudainc -nocudalib -std=c++17 -O2 -S -o /dev/null \
    -Wall -Wno-unknown-cuda-version -include "$here/nvrtc_shim.h" -include "$cu/programmatic_launch.cuh" -include "$cu/grid_counter.cuh" -include "$cu/bf16.cuh" -include "$cu/fp8.cuh" -include "$cu/kv_cache.cuh" "$@" "$cu/$file" && echo "ok   $file $*"
}
check embedding.cu -DHIDDEN=1024
check rmsnorm.cu -DHIDDEN=896
check silu_mul.cu -DINTER=3072
check util.cu -DWIDTH=1024
check util.cu
check gemv.cu -DGEMV_K=1024 -DGEMV_SWIGLU=1
check gemv.cu -DGEMV_K=1024 -DGEMV_SWIGLU=1 -DGEMV_NORM=1
check gemv.cu -DGEMV_K=136 -DGEMV_THREADS=64 -DGEMV_NORM=1
check gemv.cu -DGEMV_K=3072
check gemv.cu -DGEMV_K=3072 -DGEMV_THEN_NORM=1 -DGEMV_NORM_N=1024
check gemv.cu -DGEMV_K=136 -DGEMV_THREADS=64 -DGEMV_THEN_NORM=1 -DGEMV_NORM_N=200
check gemv.cu -DGEMV_K=136 -DGEMV_THREADS=64
for d in 32 64 128; do
  check qk_norm_rope.cu -DHEAD_DIM=$d -DNUM_Q_HEADS=16 -DNUM_KV_HEADS=8 -DBLOCK_SIZE=16 -DQK_NORM=1 -DQKV_BIAS=1
  check decode_attention.cu -DHEAD_DIM=$d -DNUM_Q_HEADS=16 -DNUM_KV_HEADS=2 -DBLOCK_SIZE=16
  check decode_attention.cu -DHEAD_DIM=$d -DNUM_Q_HEADS=16 -DNUM_KV_HEADS=2 -DBLOCK_SIZE=16 -DDEC_MERGING=1
  check prefill_attention.cu -DHEAD_DIM=$d -DNUM_Q_HEADS=16 -DNUM_KV_HEADS=8 -DBLOCK_SIZE=16
  check prefill_attention.cu -DHEAD_DIM=$d -DNUM_Q_HEADS=16 -DNUM_KV_HEADS=8 -DBLOCK_SIZE=16 -DPF_STAGES=1
  # fp8 KV cache: sm_89+ only. A clang older than 16 (no sm_89) checks it as sm_86 with FP8_ARCH='-U__CUDA_ARCH__ -D__CUDA_ARCH__=900 -Wno-builtin-macro-redefined'.
  for f in qk_norm_rope.cu decode_attention.cu prefill_attention.cu; do
    check $f -DHEAD_DIM=$d -DNUM_Q_HEADS=16 -DNUM_KV_HEADS=8 -DBLOCK_SIZE=16 -DKV_FP8=1 ${FP8_ARCH:-}
  done
done
check gemv.cu -DGEMV_K=1024 -DGEMV_SWIGLU=1 -DGEMV_NORM=1 -DGEMV_W_FP8=1 ${FP8_ARCH:-}
check gemv.cu -DGEMV_K=136 -DGEMV_THREADS=64 -DGEMV_W_FP8=1 ${FP8_ARCH:-}
check gemv.cu -DGEMV_K=2048 -DGEMV_W_FP8=1 -DGEMV_THEN_NORM=1 -DGEMV_NORM_N=1024 ${FP8_ARCH:-}
check quantize_fp8.cu -DQK=1024 ${FP8_ARCH:-}
check quantize_fp8.cu -DQK=136 -DQT=64 ${FP8_ARCH:-}
check sampling.cu
check sampling.cu -DSAMPLE_SPLIT=1 -DLOGITS_BF16=1
check gemv.cu -DGEMV_K=1024 -DGEMV_SWIGLU=1 -DGEMV_NORM=1 -DGEMV_W_FP8=1 ${FP8_ARCH:-}
check gemv.cu -DGEMV_K=136 -DGEMV_THREADS=64 -DGEMV_W_FP8=1 ${FP8_ARCH:-}
check quantize_fp8.cu -DQK=1024 ${FP8_ARCH:-}
check quantize_fp8.cu -DQK=136 -DQT=64 ${FP8_ARCH:-}
check sampling.cu -DLOGITS_BF16=1
check logprobs.cu
check logprobs.cu -DLOGPROB_MAX_TOP=1 -DLOGPROB_THREADS=64
