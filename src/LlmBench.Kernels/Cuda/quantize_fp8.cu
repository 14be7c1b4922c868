// bf16 weights to fp8 e4m3 with one fp32 scale per row, at load time (the weights gemv.cu reads with GEMV_W_FP8):
//   amax[n]   = max_k |w[n, k]|
//   scales[n] = amax[n] / 448 (448: e4m3's largest finite value), or 1 for a row of zeros
//   q[n, k]   = e4m3( w[n, k] * (1 / scales[n]) ), rounded to nearest even and saturated at +-448
// so w[n, k] ~ q[n, k] * scales[n]. The product and the reciprocal are fp32, as the CPU reference computes them.
//
// Layout
//   w       bf16 [rows, QK] row-major
//   q       e4m3 bytes [rows, QK] row-major
//   scales  fp32 [rows]
// Kernels
//   quantize_rows_e4m3    grid (rows), block (QT): one row per CTA.
//   dequantize_rows_e4m3  grid (rows), block (QT): w[n, k] = bf16(q[n, k] * scales[n]), for the cuBLASLt path of steps
//                         too large for gemv.cu (the GEMM then reads bf16 weights equal to what the GEMV multiplies by,
//                         up to the bf16 rounding of q * scale).
// Macros
//   QK  row width, a multiple of 8;  QT  threads per CTA, a multiple of 32 (default 128)
//
// Compiled by NVRTC alone: no includes (KernelFamily puts the prelude in front). Compute capability 8.9+.

#ifndef QK
#error "QK must be defined"
#endif
#if QK % 8 != 0
#error "QK must be a multiple of 8"
#endif
#ifndef QT
#define QT 128
#endif
#if !HAS_FP8 && defined(__CUDA_ARCH__)
#error "fp8 needs compute capability 8.9 or later"
#endif
#define Q_VECS (QK / 8)
#define Q_VECS_PER_THREAD ((Q_VECS + QT - 1) / QT)

extern "C" __global__ void __launch_bounds__(QT)
quantize_rows_e4m3(const uint4* __restrict__ w, uint2* __restrict__ q, float* __restrict__ scales)
{
#if HAS_FP8
    __shared__ float warp_max[QT / 32];
    const long long row = (long long)blockIdx.x * Q_VECS;
    const int tid = threadIdx.x;
    float f[Q_VECS_PER_THREAD][8];  // the row's values this thread quantizes, read once
    float amax = 0.f;
#pragma unroll
    for (int i = 0; i < Q_VECS_PER_THREAD; i++) {
        const int v = tid + i * QT;
        if (v < Q_VECS) {
            unpack8(w[row + v], f[i]);
#pragma unroll
            for (int e = 0; e < 8; e++) amax = fmaxf(amax, fabsf(f[i][e]));
        }
    }
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) amax = fmaxf(amax, __shfl_xor_sync(0xffffffffu, amax, off));
    if ((tid & 31) == 0) warp_max[tid >> 5] = amax;
    __syncthreads();
    amax = 0.f;
#pragma unroll
    for (int i = 0; i < QT / 32; i++) amax = fmaxf(amax, warp_max[i]);  // a maximum: exact in any order
    const float scale = amax > 0.f ? amax / 448.0f : 1.0f;
    const float inv = 1.0f / scale;
    if (tid == 0) scales[blockIdx.x] = scale;
#pragma unroll
    for (int i = 0; i < Q_VECS_PER_THREAD; i++) {
        const int v = tid + i * QT;
        if (v < Q_VECS) q[row + v] = pack8_e4m3(f[i], inv);
    }
#endif
}

extern "C" __global__ void __launch_bounds__(QT)
dequantize_rows_e4m3(const uint2* __restrict__ q, const float* __restrict__ scales, uint4* __restrict__ w)
{
#if HAS_FP8
    const long long row = (long long)blockIdx.x * Q_VECS;
    const float scale = scales[blockIdx.x];
#pragma unroll
    for (int i = 0; i < Q_VECS_PER_THREAD; i++) {
        const int v = threadIdx.x + i * QT;
        if (v < Q_VECS) {
            float f[8];
            unpack8_e4m3(q[row + v], f);
#pragma unroll
            for (int e = 0; e < 8; e++) f[e] *= scale;
            w[row + v] = pack8(f);
        }
    }
#endif
}
