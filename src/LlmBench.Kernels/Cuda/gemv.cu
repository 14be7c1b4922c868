// Skinny GEMM for small batches (at most 8 tokens): y[m, n] = bf16( sum_k x[m, k] * w[n, k] ), fp32 accumulation.
// At these sizes a linear layer is a stream over its weights; each CTA reads whole weight rows with 16-byte loads,
// so the grid covers every SM and the weights flow at close to copy bandwidth.
//
// Layout
//   w  bf16 [N, GEMV_K] row-major (nn.Linear's weight: out features x in features); e4m3 bytes with GEMV_W_FP8
//   scales  fp32 [N] (GEMV_W_FP8 only; [2N] for the fused gate/up weight)
//   x  bf16 [M, GEMV_K] row-major (tokens x in features)
//   y  bf16 [M, N] row-major
//   gemv_swiglu_*: w is the fused gate/up weight [2N, GEMV_K] (gate rows, then up rows) and
//     y[m, n] = bf16( bf16(silu(g)) * u ), g = bf16(x[m] . w[n]), u = bf16(x[m] . w[N + n]):
//     the GEMM's bf16 outputs through silu_mul.cu's numerics, so it equals the GEMM followed by silu_mul.
//   gemv_norm_* / gemv_swiglu_norm_* (with GEMV_NORM): x is not read; each CTA computes it from the residual stream as
//     rmsnorm.cu's rmsnorm_fused_add does, with the same numerics and the same reduction order (so bit for bit the
//     same x):  h = bf16(residual_in + add) (add may be null: h = residual_in),
//               x = bf16( norm_w * bf16( h * rsqrt(mean(h^2) + eps) ) ),
//     and CTA 0 writes h to residual_out (another buffer than residual_in, which every CTA is still reading).
//     One launch replaces the norm kernel and the GEMV that follows it; GEMV_K is then the hidden size.
//   gemv_then_norm_* (with GEMV_THEN_NORM): the plain product, then the residual add and RMSNorm that the next layer
//     reads, done once by whichever CTA finishes last (grid_counter.cuh: every CTA fences its y and counts itself):
//               residual[m] = h = bf16(residual[m] + y[m]),  normed[m] = bf16( norm_w * bf16( h * rsqrt(mean(h^2) + eps) ) )
//     with rmsnorm.cu's rmsnorm_fused_add numerics and reduction order (RMS_THREADS = GEMV_THREADS), so the same bits as
//     the GEMV followed by that kernel, one launch fewer. n_out is then the hidden size GEMV_NORM_N; the counter is one
//     uint that is zero before the launch, and the last CTA sets it back to zero.
//   With GEMV_W_FP8 every kernel of the family reads fp8 e4m3 weights with one fp32 scale per weight row (W8A16:
//     quantize_fp8.cu makes them) and takes `scales` after `w`:  y[m, n] = bf16( scales[n] * sum_k x[m, k] * q[n, k] ),
//     (the SwiGLU gate and up values each with their row's scale, then rounded to bf16 as above).
// Kernels
//   gemv_r{R}_m{MM}, gemv_swiglu_r{R}_m{MM} (with GEMV_SWIGLU), gemv[_swiglu]_norm_r{R}_m{MM} (with GEMV_NORM):
//   R in {1, 2, 4} output rows per CTA, MM in {1, 2, 4, 8} the most tokens;
//   rows m < num_tokens <= MM are computed (x rows past num_tokens are never read).
//   grid (ceil(N / R)), block (GEMV_THREADS).
// Work split
//   CTA b owns output rows [bR, bR + R) (and their up rows). Its threads split GEMV_K into 16-byte vectors: thread t
//   takes vectors t, t + GEMV_THREADS, ..., so each warp reads 512 contiguous bytes of a row per load. A thread first
//   loads all its weight vectors into registers (weights do not depend on earlier kernels), then waits for the
//   previous kernel (programmatic dependent launch), then reads x. Partial sums are reduced within the warp by a
//   transposing butterfly (about R*MM shuffles rather than 5 per value), then across warps through shared memory
//   in a fixed order, so a result never depends on timing.
// Macros
//   GEMV_K        in features, a multiple of 8
//   GEMV_THREADS  threads per CTA, a multiple of 32 (default 128)
//   GEMV_SWIGLU   1 to compile the gemv_swiglu_* kernels too (default 0)
//   GEMV_NORM     1 to compile the gemv_norm_* kernels too (and gemv_swiglu_norm_* with GEMV_SWIGLU; default 0)
//   GEMV_W_FP8    1: the weights are fp8 e4m3 with per-row scales (compute capability 8.9+; default 0)
//   GEMV_THEN_NORM  1 to compile the gemv_then_norm_* kernels too, with GEMV_NORM_N the hidden size (default 0)
//
// Compiled by NVRTC alone: no includes (KernelFamily puts programmatic_launch.cuh and bf16.cuh in front); bf16 travels as raw 16-bit words.

#ifndef GEMV_K
#error "GEMV_K must be defined"
#endif
#if GEMV_K % 8 != 0
#error "GEMV_K must be a multiple of 8"
#endif
#ifndef GEMV_THREADS
#define GEMV_THREADS 128
#endif
#ifndef GEMV_SWIGLU
#define GEMV_SWIGLU 0
#endif
#ifndef GEMV_NORM
#define GEMV_NORM 0
#endif
#ifndef GEMV_W_FP8
#define GEMV_W_FP8 0
#endif
#ifndef GEMV_THEN_NORM
#define GEMV_THEN_NORM 0
#endif
#if GEMV_THEN_NORM && (!defined(GEMV_NORM_N) || GEMV_NORM_N % 8 != 0)
#error "GEMV_THEN_NORM needs GEMV_NORM_N, the hidden size, a multiple of 8"
#endif
#if GEMV_W_FP8 && !HAS_FP8 && defined(__CUDA_ARCH__)
#error "fp8 weights need compute capability 8.9 or later"
#endif
#define GEMV_VECS (GEMV_K / 8)
#define GEMV_VECS_PER_THREAD ((GEMV_VECS + GEMV_THREADS - 1) / GEMV_THREADS)
#define GEMV_WARPS (GEMV_THREADS / 32)

// A weight vector, read once per step: not kept in L1, so x and the activations stay there.
__device__ __forceinline__ uint4 load_streaming(const uint4* p)
{
    uint4 v;
    asm volatile("ld.global.nc.L1::no_allocate.v4.u32 {%0, %1, %2, %3}, [%4];"
                 : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w) : "l"(p));
    return v;
}

// Eight fp8 weights (one x vector's worth), the same way.
__device__ __forceinline__ uint2 load_streaming(const uint2* p)
{
    uint2 v;
    asm volatile("ld.global.nc.L1::no_allocate.v2.u32 {%0, %1}, [%2];" : "=r"(v.x), "=r"(v.y) : "l"(p));
    return v;
}

// The weight storage: 8 bf16 (uint4) or 8 e4m3 bytes (uint2) per x vector of 8 values.
#if GEMV_W_FP8
typedef uint2 wvec;
__device__ __forceinline__ void unpack_weights(uint2 v, float* f) { unpack8_e4m3(v, f); }
__device__ __forceinline__ wvec zero_weights() { return make_uint2(0u, 0u); }
#else
typedef uint4 wvec;
__device__ __forceinline__ void unpack_weights(uint4 v, float* f) { unpack8(v, f); }
__device__ __forceinline__ wvec zero_weights() { return make_uint4(0u, 0u, 0u, 0u); }
#endif

// Sums a[V] over the warp's lanes while spreading the V sums across them: each step halves the values a lane keeps
// (lanes with bit OFF set keep the upper half) and adds its partner's copy of them. Afterwards a lane holds
// max(1, V/32) sums, a[i] being value i + (V/32)*lane for V >= 32, or value lane / (32/V) for V < 32.
template <int N, int OFF>
__device__ __forceinline__ void butterfly(float* a, int lane)
{
    if constexpr (OFF > 0) {
        if constexpr (N > 1) {
            constexpr int H = N / 2;
            const bool upper = (lane & OFF) != 0;
#pragma unroll
            for (int i = 0; i < H; i++) {
                const float send = upper ? a[i] : a[i + H];
                const float keep = upper ? a[i + H] : a[i];
                a[i] = keep + __shfl_xor_sync(0xffffffffu, send, OFF);
            }
            butterfly<H, OFF / 2>(a, lane);
        } else {
#pragma unroll
            for (int i = 0; i < N; i++) a[i] += __shfl_xor_sync(0xffffffffu, a[i], OFF);
            butterfly<N, OFF / 2>(a, lane);
        }
    }
}

// silu_mul.cu's numerics on the GEMM's bf16-rounded gate and up values.
__device__ __forceinline__ unsigned short swiglu(float gate, float up)
{
    const float g = bf16_round(gate), u = bf16_round(up);
    return f32_to_bf16(bf16_round(g / (1.0f + expf(-g))) * u);
}

// The residual stream a gemv_norm_* kernel normalizes its x from (see the header).
struct NormInput {
    const uint4* residual_in;
    const uint4* add;
    const uint4* weight;
    uint4* residual_out;
    float eps;
};

// h = bf16(residual_in + add) for this thread's vectors of every token, kept as bf16 (exact), and 1 / rms(h) per
// token: rmsnorm.cu's load_row and block_sum for one row per token, term for term and in the same order.
template <int MM>
__device__ __forceinline__ void residual_rows(const NormInput& in, int num_tokens, uint4 (*hv)[GEMV_VECS_PER_THREAD], float* inv_rms)
{
    __shared__ float warp_sums[GEMV_WARPS][MM];
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
#pragma unroll
    for (int m = 0; m < MM; m++) {
        float sumsq = 0.f;
#pragma unroll
        for (int j = 0; j < GEMV_VECS_PER_THREAD; j++) {
            const int v = tid + j * GEMV_THREADS;
            hv[m][j] = make_uint4(0u, 0u, 0u, 0u);
            if (m < num_tokens && v < GEMV_VECS) {
                const long long at = (long long)m * GEMV_VECS + v;
                float h[8];
                unpack8(in.residual_in[at], h);
                if (in.add != nullptr) {
                    float a[8];
                    unpack8(in.add[at], a);
#pragma unroll
                    for (int e = 0; e < 8; e++) h[e] = bf16_round(h[e] + a[e]);
                }
#pragma unroll
                for (int e = 0; e < 8; e++) sumsq += h[e] * h[e];
                hv[m][j] = pack8_exact(h);
                if (blockIdx.x == 0) in.residual_out[at] = hv[m][j];
            }
        }
#pragma unroll
        for (int off = 16; off > 0; off >>= 1) sumsq += __shfl_xor_sync(0xffffffffu, sumsq, off);
        if (lane == 0) warp_sums[warp][m] = sumsq;
    }
    __syncthreads();
#pragma unroll
    for (int m = 0; m < MM; m++) {
        float total = 0.f;
#pragma unroll
        for (int k = 0; k < GEMV_WARPS; k++) total += warp_sums[k][m];  // same order in every thread
        inv_rms[m] = rsqrtf(total / (float)GEMV_K + in.eps);
    }
}

// Where a gemv_then_norm_* kernel puts the residual add and norm that follow its product (see the header).
struct ThenNorm {
    uint4* residual;        // [tokens, GEMV_NORM_N], updated in place by the last CTA
    const uint4* weight;    // [GEMV_NORM_N]
    uint4* normed;          // [tokens, GEMV_NORM_N]
    unsigned int* counter;  // zero before the launch; zero again after it
    float eps;
};

#if GEMV_THEN_NORM
#define THEN_VECS (GEMV_NORM_N / 8)
#define THEN_VECS_PER_THREAD ((THEN_VECS + GEMV_THREADS - 1) / GEMV_THREADS)

// rmsnorm_fused_add for each token row, by one CTA of GEMV_THREADS (= RMS_THREADS) threads, term for term: the same
// vectors per thread, the same warp then cross-warp sums in the same order.
__device__ void add_and_normalize(const ThenNorm& t, const unsigned short* y, int num_tokens)
{
    __shared__ float warp_sums[GEMV_WARPS];
    const uint4* yv = (const uint4*)y;
    const int tid = threadIdx.x;
    for (int m = 0; m < num_tokens; m++) {
        const long long row = (long long)m * THEN_VECS;
        float h[THEN_VECS_PER_THREAD][8];
        float sumsq = 0.f;
#pragma unroll
        for (int i = 0; i < THEN_VECS_PER_THREAD; i++) {
            const int v = tid + i * GEMV_THREADS;
            if (v < THEN_VECS) {
                float xf[8];
                unpack8(t.residual[row + v], h[i]);
                unpack8(load_l2(yv + row + v), xf);
#pragma unroll
                for (int j = 0; j < 8; j++) h[i][j] = __uint_as_float((unsigned)f32_to_bf16(h[i][j] + xf[j]) << 16);
#pragma unroll
                for (int j = 0; j < 8; j++) sumsq += h[i][j] * h[i][j];
                t.residual[row + v] = pack8(h[i]);  // exact: h holds bf16 values
            }
        }
#pragma unroll
        for (int off = 16; off > 0; off >>= 1) sumsq += __shfl_xor_sync(0xffffffffu, sumsq, off);
        if ((tid & 31) == 0) warp_sums[tid >> 5] = sumsq;
        __syncthreads();
        float total = 0.f;
#pragma unroll
        for (int k = 0; k < GEMV_WARPS; k++) total += warp_sums[k];  // same order in every thread
        __syncthreads();  // warp_sums is reused by the next row
        const float inv_rms = rsqrtf(total / (float)GEMV_NORM_N + t.eps);
#pragma unroll
        for (int i = 0; i < THEN_VECS_PER_THREAD; i++) {
            const int v = tid + i * GEMV_THREADS;
            if (v < THEN_VECS) {
                float wf[8], o[8];
                unpack8(t.weight[v], wf);
#pragma unroll
                for (int j = 0; j < 8; j++) o[j] = wf[j] * __uint_as_float((unsigned)f32_to_bf16(h[i][j] * inv_rms) << 16);
                t.normed[row + v] = pack8(o);
            }
        }
    }
    reset_counter(t.counter);  // ready for the next launch (every CTA has counted itself)
}
#endif

template <int R, int MM, bool SWIGLU, bool NORM, bool THEN = false>
__device__ __forceinline__ void gemv(const wvec* __restrict__ w, const float* __restrict__ scales, const uint4* __restrict__ x,
                                     unsigned short* __restrict__ y, int n_out, int num_tokens, const NormInput& norm,
                                     const ThenNorm& then = ThenNorm{})
{
    constexpr int ROWS = SWIGLU ? 2 * R : R;  // weight rows per CTA
    constexpr int V = ROWS * MM;              // partial sums per thread
    static_assert(V <= 64, "R * MM too large");
    __shared__ float partial[GEMV_WARPS][V];

    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    const int n0 = blockIdx.x * R;

    wvec wv[ROWS][GEMV_VECS_PER_THREAD];
#pragma unroll
    for (int r = 0; r < ROWS; r++) {
        const int n = n0 + (r % R);
        const long long row = SWIGLU && r >= R ? (long long)n_out + n : n;
#pragma unroll
        for (int j = 0; j < GEMV_VECS_PER_THREAD; j++) {
            const int v = tid + j * GEMV_THREADS;
            wv[r][j] = zero_weights();
            if (n < n_out && v < GEMV_VECS) wv[r][j] = load_streaming(w + row * GEMV_VECS + v);
        }
    }

    grid_dependency_wait();
    grid_dependents_launch();

    uint4 hv[NORM ? MM : 1][GEMV_VECS_PER_THREAD];
    float inv_rms[NORM ? MM : 1];
    if constexpr (NORM) residual_rows<MM>(norm, num_tokens, hv, inv_rms);

    float acc[V];
#pragma unroll
    for (int i = 0; i < V; i++) acc[i] = 0.f;
#pragma unroll
    for (int j = 0; j < GEMV_VECS_PER_THREAD; j++) {
        const int v = tid + j * GEMV_THREADS;
        if (v < GEMV_VECS) {
            float xf[MM][8];
            float nw[8];
            if constexpr (NORM) unpack8(norm.weight[v], nw);
#pragma unroll
            for (int m = 0; m < MM; m++) {
                if (m < num_tokens) {
                    if constexpr (NORM) {
                        float h[8];
                        unpack8(hv[m][j], h);
#pragma unroll
                        for (int e = 0; e < 8; e++) xf[m][e] = bf16_round(nw[e] * bf16_round(h[e] * inv_rms[m]));
                    } else {
                        unpack8(x[(long long)m * GEMV_VECS + v], xf[m]);
                    }
                } else {
#pragma unroll
                    for (int e = 0; e < 8; e++) xf[m][e] = 0.f;
                }
            }
#pragma unroll
            for (int r = 0; r < ROWS; r++) {
                float wf[8];
                unpack_weights(wv[r][j], wf);
#pragma unroll
                for (int m = 0; m < MM; m++) {
                    float s = acc[r * MM + m];
#pragma unroll
                    for (int e = 0; e < 8; e++) s = fmaf(wf[e], xf[m][e], s);
                    acc[r * MM + m] = s;
                }
            }
        }
    }

    butterfly<V, 16>(acc, lane);
    if constexpr (V >= 32) {
#pragma unroll
        for (int i = 0; i < V / 32; i++) partial[warp][i + (V / 32) * lane] = acc[i];
    } else {
        if (lane % (32 / V) == 0) partial[warp][lane / (32 / V)] = acc[0];
    }
    __syncthreads();

    // Thread t < R*MM finishes value t = r*MM + m (and, for SwiGLU, its up partner R*MM + t).
    if (tid < R * MM) {
        const int r = tid / MM, m = tid % MM, n = n0 + r;
        float sum = 0.f;
#pragma unroll
        for (int k = 0; k < GEMV_WARPS; k++) sum += partial[k][tid];
        if (n < n_out && m < num_tokens) {
#if GEMV_W_FP8
            sum *= scales[n];
#endif
            if constexpr (SWIGLU) {
                float up = 0.f;
#pragma unroll
                for (int k = 0; k < GEMV_WARPS; k++) up += partial[k][R * MM + tid];
#if GEMV_W_FP8
                up *= scales[n_out + n];
#endif
                y[(long long)m * n_out + n] = swiglu(sum, up);
            } else {
                y[(long long)m * n_out + n] = f32_to_bf16(sum);
            }
        }
    }
#if GEMV_THEN_NORM
    if constexpr (THEN) {
        if (finished_last(then.counter, gridDim.x)) add_and_normalize(then, y, num_tokens);
    }
#endif
}

// The weight parameters of every kernel: `w` (bf16), or `w, scales` (GEMV_W_FP8).
#if GEMV_W_FP8
#define GEMV_WEIGHT_PARAMS const wvec* __restrict__ w, const float* __restrict__ scales
#define GEMV_SCALES scales
#else
#define GEMV_WEIGHT_PARAMS const wvec* __restrict__ w
#define GEMV_SCALES nullptr
#endif

#if GEMV_SWIGLU
#define GEMV_SWIGLU_KERNEL(R, MM)                                                                                 \
    extern "C" __global__ void __launch_bounds__(GEMV_THREADS)                                                    \
    gemv_swiglu_r##R##_m##MM(GEMV_WEIGHT_PARAMS, const uint4* __restrict__ x,                                     \
                             unsigned short* __restrict__ y, int n_out, int num_tokens)                           \
    {                                                                                                             \
        gemv<R, MM, true, false>(w, GEMV_SCALES, x, y, n_out, num_tokens, NormInput{});                           \
    }
#else
#define GEMV_SWIGLU_KERNEL(R, MM)
#endif

#if GEMV_NORM
#define GEMV_NORM_KERNEL(NAME, R, MM, SWIGLU)                                                                     \
    extern "C" __global__ void __launch_bounds__(GEMV_THREADS)                                                    \
    NAME(GEMV_WEIGHT_PARAMS, const uint4* __restrict__ residual_in, const uint4* __restrict__ add,                \
         const uint4* __restrict__ norm_w, uint4* __restrict__ residual_out, unsigned short* __restrict__ y,      \
         int n_out, int num_tokens, float eps)                                                                    \
    {                                                                                                             \
        gemv<R, MM, SWIGLU, true>(w, GEMV_SCALES, nullptr, y, n_out, num_tokens,                                  \
                                  NormInput{residual_in, add, norm_w, residual_out, eps});                        \
    }
#if GEMV_SWIGLU
#define GEMV_NORM_KERNELS(R, MM)                                                                                  \
    GEMV_NORM_KERNEL(gemv_norm_r##R##_m##MM, R, MM, false)                                                        \
    GEMV_NORM_KERNEL(gemv_swiglu_norm_r##R##_m##MM, R, MM, true)
#else
#define GEMV_NORM_KERNELS(R, MM) GEMV_NORM_KERNEL(gemv_norm_r##R##_m##MM, R, MM, false)
#endif
#else
#define GEMV_NORM_KERNELS(R, MM)
#endif

#if GEMV_THEN_NORM
#define GEMV_THEN_NORM_KERNEL(R, MM)                                                                              \
    extern "C" __global__ void __launch_bounds__(GEMV_THREADS)                                                    \
    gemv_then_norm_r##R##_m##MM(GEMV_WEIGHT_PARAMS, const uint4* __restrict__ x, unsigned short* __restrict__ y,  \
                                int n_out, int num_tokens, uint4* residual, const uint4* __restrict__ norm_w,     \
                                uint4* __restrict__ normed, unsigned int* counter, float eps)                     \
    {                                                                                                             \
        gemv<R, MM, false, false, true>(w, GEMV_SCALES, x, y, n_out, num_tokens, NormInput{},                     \
                                        ThenNorm{residual, norm_w, normed, counter, eps});                        \
    }
#else
#define GEMV_THEN_NORM_KERNEL(R, MM)
#endif

#define GEMV_KERNELS(R, MM)                                                                                       \
    extern "C" __global__ void __launch_bounds__(GEMV_THREADS)                                                    \
    gemv_r##R##_m##MM(GEMV_WEIGHT_PARAMS, const uint4* __restrict__ x, unsigned short* __restrict__ y,            \
                      int n_out, int num_tokens)                                                                  \
    {                                                                                                             \
        gemv<R, MM, false, false>(w, GEMV_SCALES, x, y, n_out, num_tokens, NormInput{});                          \
    }                                                                                                             \
    GEMV_SWIGLU_KERNEL(R, MM)                                                                                     \
    GEMV_NORM_KERNELS(R, MM)                                                                                      \
    GEMV_THEN_NORM_KERNEL(R, MM)

GEMV_KERNELS(1, 1)
GEMV_KERNELS(1, 2)
GEMV_KERNELS(1, 4)
GEMV_KERNELS(1, 8)
GEMV_KERNELS(2, 1)
GEMV_KERNELS(2, 2)
GEMV_KERNELS(2, 4)
GEMV_KERNELS(2, 8)
GEMV_KERNELS(4, 1)
GEMV_KERNELS(4, 2)
GEMV_KERNELS(4, 4)
GEMV_KERNELS(4, 8)
