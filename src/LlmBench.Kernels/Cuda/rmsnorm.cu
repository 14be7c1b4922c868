// RMSNorm, alone or fused with the residual add, with Hugging Face's bf16 numerics:
//   h   = bf16(residual + x)                         (the decoder layer's "hidden = residual + hidden")
//   out = bf16( w * bf16( h * rsqrt(mean(h^2) + eps) ) )   (Qwen3RMSNorm / LlamaRMSNorm: the normalized
//         value is cast to bf16 before the weight multiplies it; the mean is taken in fp32)
//
// Layout
//   residual, x, out  bf16 [rows, HIDDEN] row-major (x may be null: then h = residual)
//   w                 bf16 [HIDDEN]
//   rows              int32 [R] (rmsnorm_rows only): the rows to normalize, e.g. each sequence's last token
// Kernels
//   rmsnorm_fused_add  grid (T): residual[t] = h (only when x is given), out[t] = norm(h).
//                      With x == null this is the plain RMSNorm of the first layer.
//   rmsnorm_rows       grid (R): out[r] = norm(h of row rows[r]); residual is not written. The final norm
//                      gathered on the rows that feed the LM head, fused with the last residual add.
//   block (RMS_THREADS) for both. eps is a kernel argument (config.json's rms_norm_eps).
// Macros
//   HIDDEN       row width, a multiple of 8 (16-byte vectors)
//   RMS_THREADS  threads per block, a multiple of 32 (default 128)
//
// Compiled by NVRTC alone: no includes (KernelFamily puts programmatic_launch.cuh and bf16.cuh in front); bf16 travels as raw 16-bit words.

#ifndef HIDDEN
#error "HIDDEN must be defined"
#endif
#if HIDDEN % 8 != 0
#error "HIDDEN must be a multiple of 8"
#endif
#ifndef RMS_THREADS
#define RMS_THREADS 128
#endif
#define RMS_VECS (HIDDEN / 8)
#define RMS_VECS_PER_THREAD ((RMS_VECS + RMS_THREADS - 1) / RMS_THREADS)

__device__ __forceinline__ float block_sum(float v)
{
    __shared__ float warp_sums[RMS_THREADS / 32];
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) v += __shfl_xor_sync(0xffffffffu, v, off);
    if ((threadIdx.x & 31) == 0) warp_sums[threadIdx.x >> 5] = v;
    __syncthreads();
    float total = 0.f;
#pragma unroll
    for (int i = 0; i < RMS_THREADS / 32; i++) total += warp_sums[i];  // same order in every thread
    return total;
}

// Loads h = bf16(residual + x) for one row into registers and returns the row's sum of squares.
__device__ __forceinline__ float load_row(const uint4* residual_row, const uint4* x_row, float (*h)[8])
{
    float sumsq = 0.f;
#pragma unroll
    for (int i = 0; i < RMS_VECS_PER_THREAD; i++) {
        const int v = threadIdx.x + i * RMS_THREADS;
        if (v < RMS_VECS) {
            unpack8(residual_row[v], h[i]);
            if (x_row != nullptr) {
                float xf[8];
                unpack8(x_row[v], xf);
#pragma unroll
                for (int j = 0; j < 8; j++) h[i][j] = __uint_as_float((unsigned)f32_to_bf16(h[i][j] + xf[j]) << 16);
            }
#pragma unroll
            for (int j = 0; j < 8; j++) sumsq += h[i][j] * h[i][j];
        }
    }
    return sumsq;
}

__device__ __forceinline__ void store_normalized(float (*h)[8], float inv_rms, const uint4* w, uint4* out_row)
{
#pragma unroll
    for (int i = 0; i < RMS_VECS_PER_THREAD; i++) {
        const int v = threadIdx.x + i * RMS_THREADS;
        if (v < RMS_VECS) {
            float wf[8], o[8];
            unpack8(w[v], wf);
#pragma unroll
            for (int j = 0; j < 8; j++) o[j] = wf[j] * __uint_as_float((unsigned)f32_to_bf16(h[i][j] * inv_rms) << 16);
            out_row[v] = pack8(o);
        }
    }
}

extern "C" __global__ void __launch_bounds__(RMS_THREADS)
rmsnorm_fused_add(uint4* __restrict__ residual, const uint4* __restrict__ x, const uint4* __restrict__ w,
                  uint4* __restrict__ out, float eps)
{
    grid_dependency_sync();
    const long long row = (long long)blockIdx.x * RMS_VECS;
    float h[RMS_VECS_PER_THREAD][8];
    const float sumsq = load_row(residual + row, x == nullptr ? nullptr : x + row, h);
    if (x != nullptr) {
#pragma unroll
        for (int i = 0; i < RMS_VECS_PER_THREAD; i++) {
            const int v = threadIdx.x + i * RMS_THREADS;
            if (v < RMS_VECS) residual[row + v] = pack8(h[i]);  // exact: h already holds bf16 values
        }
    }
    const float inv_rms = rsqrtf(block_sum(sumsq) / (float)HIDDEN + eps);
    store_normalized(h, inv_rms, w, out + row);
}

extern "C" __global__ void __launch_bounds__(RMS_THREADS)
rmsnorm_rows(const uint4* __restrict__ residual, const uint4* __restrict__ x, const int* __restrict__ rows,
             const uint4* __restrict__ w, uint4* __restrict__ out, float eps)
{
    grid_dependency_sync();
    const long long src = (long long)rows[blockIdx.x] * RMS_VECS;
    float h[RMS_VECS_PER_THREAD][8];
    const float sumsq = load_row(residual + src, x == nullptr ? nullptr : x + src, h);
    const float inv_rms = rsqrtf(block_sum(sumsq) / (float)HIDDEN + eps);
    store_normalized(h, inv_rms, w, out + (long long)blockIdx.x * RMS_VECS);
}
