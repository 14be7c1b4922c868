// bf16 as raw 16-bit words: the conversions every kernel of this folder shares (NVRTC compiles without cuda_bf16.h).
// KernelFamily puts this file, after programmatic_launch.cuh, in front of every .cu file of this folder.
//
//   f32_to_bf16(f)     the bf16 bits of f, rounded to nearest even; NaN stays a (quiet) NaN
//   bf16_round(f)      f rounded to bf16 and widened back to fp32 (what torch's bf16 ops store)
//   unpack8(v, f)      8 bf16 in a uint4 -> 8 floats, element 0 from the low half of v.x
//   pack8(f)           8 floats -> 8 bf16 in a uint4, each rounded
//   pack8_exact(f)     the same for values already bf16-exact (truncation is then exact and cheaper)

__device__ __forceinline__ unsigned short f32_to_bf16(float f)
{
    unsigned u = __float_as_uint(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (unsigned short)((u >> 16) | 0x0040u);  // keep NaN a NaN
    u += 0x7fffu + ((u >> 16) & 1u);  // round to nearest, ties to even
    return (unsigned short)(u >> 16);
}

__device__ __forceinline__ float bf16_round(float f) { return __uint_as_float((unsigned)f32_to_bf16(f) << 16); }

__device__ __forceinline__ void unpack8(uint4 v, float* f)
{
    const unsigned w[4] = {v.x, v.y, v.z, v.w};
#pragma unroll
    for (int i = 0; i < 4; i++) {
        f[2 * i] = __uint_as_float(w[i] << 16);
        f[2 * i + 1] = __uint_as_float(w[i] & 0xffff0000u);
    }
}

__device__ __forceinline__ uint4 pack8(const float* f)
{
    unsigned w[4];
#pragma unroll
    for (int i = 0; i < 4; i++) w[i] = f32_to_bf16(f[2 * i]) | ((unsigned)f32_to_bf16(f[2 * i + 1]) << 16);
    return make_uint4(w[0], w[1], w[2], w[3]);
}

__device__ __forceinline__ uint4 pack8_exact(const float* f)
{
    unsigned w[4];
#pragma unroll
    for (int i = 0; i < 4; i++) w[i] = (__float_as_uint(f[2 * i]) >> 16) | (__float_as_uint(f[2 * i + 1]) & 0xffff0000u);
    return make_uint4(w[0], w[1], w[2], w[3]);
}
