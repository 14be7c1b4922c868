// SwiGLU activation: act = silu(gate) * up, with Hugging Face's bf16 numerics:
//   act = bf16( bf16(silu(gate)) * up ),  silu(g) = g / (1 + exp(-g)) in fp32
// (torch evaluates SiLU of a bf16 tensor in fp32 and rounds it, then the product rounds again).
//
// Layout
//   gate_up  bf16 [T, 2*INTER]: gate in columns [0, INTER), up in [INTER, 2*INTER) (the fused GEMM's output)
//   act      bf16 [T, INTER]
// Launch
//   grid (ceil(T*INTER/8 / SILU_THREADS)), block (SILU_THREADS); one 16-byte vector (8 values) per thread.
// Macros
//   INTER         intermediate size, a multiple of 8
//   SILU_THREADS  threads per block (default 256)
//
// Compiled by NVRTC alone: no includes (KernelFamily puts programmatic_launch.cuh and bf16.cuh in front); bf16 travels as raw 16-bit words.

#ifndef INTER
#error "INTER must be defined"
#endif
#if INTER % 8 != 0
#error "INTER must be a multiple of 8"
#endif
#ifndef SILU_THREADS
#define SILU_THREADS 256
#endif

__device__ __forceinline__ unsigned swiglu2(unsigned g, unsigned u)
{
    const float g_lo = __uint_as_float(g << 16), g_hi = __uint_as_float(g & 0xffff0000u);
    const float u_lo = __uint_as_float(u << 16), u_hi = __uint_as_float(u & 0xffff0000u);
    const float a_lo = bf16_round(bf16_round(g_lo / (1.0f + expf(-g_lo))) * u_lo);
    const float a_hi = bf16_round(bf16_round(g_hi / (1.0f + expf(-g_hi))) * u_hi);
    return (__float_as_uint(a_lo) >> 16) | (__float_as_uint(a_hi) & 0xffff0000u);
}

extern "C" __global__ void __launch_bounds__(SILU_THREADS)
silu_mul(const uint4* __restrict__ gate_up, uint4* __restrict__ act, int num_tokens)
{
    grid_dependency_sync();
    const long long i = (long long)blockIdx.x * SILU_THREADS + threadIdx.x;
    if (i >= (long long)num_tokens * (INTER / 8)) return;
    const long long t = i / (INTER / 8);
    const int c = (int)(i - t * (INTER / 8));
    const uint4 g = gate_up[t * (2 * INTER / 8) + c];
    const uint4 u = gate_up[t * (2 * INTER / 8) + INTER / 8 + c];
    act[i] = make_uint4(swiglu2(g.x, u.x), swiglu2(g.y, u.y), swiglu2(g.z, u.z), swiglu2(g.w, u.w));
}
