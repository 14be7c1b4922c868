// fp8 e4m3 (the OCP "E4M3FN" format: 4 exponent bits, bias 7, 3 mantissa bits, no infinities, largest finite 448,
// NaN = 0x7f / 0xff) as raw bytes, converted with Ada/Hopper's own instructions. KernelFamily puts this file, after
// bf16.cuh, in front of every .cu file of this folder; on GPUs below compute capability 8.9 the functions do not
// exist and a kernel that needs them does not compile (the engine refuses fp8 there before it compiles anything).
//
//   f32x2_to_e4m3x2(lo, hi)   two floats -> two e4m3 bytes (lo in the low byte), rounded to nearest even,
//                             saturated to +-448 (satfinite: never NaN from a finite input)
//   e4m3x2_to_f32x2(v, lo, hi) two e4m3 bytes -> two floats (exact: every e4m3 value is an fp16 and an fp32)
//   pack8_e4m3(f, mul)        8 floats, each multiplied by `mul`, -> 8 e4m3 bytes in a uint2, element 0 lowest
//   unpack8_e4m3(v, f)        8 e4m3 bytes in a uint2 -> 8 floats

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 890
#define HAS_FP8 1

__device__ __forceinline__ unsigned short f32x2_to_e4m3x2(float lo, float hi)
{
    unsigned short r;
    asm("cvt.rn.satfinite.e4m3x2.f32 %0, %1, %2;" : "=h"(r) : "f"(hi), "f"(lo));  // first source -> upper byte
    return r;
}

__device__ __forceinline__ void e4m3x2_to_f32x2(unsigned short v, float& lo, float& hi)
{
    unsigned h2;
    asm("cvt.rn.f16x2.e4m3x2 %0, %1;" : "=r"(h2) : "h"(v));
    asm("{ .reg .b16 l, h; mov.b32 {l, h}, %2; cvt.f32.f16 %0, l; cvt.f32.f16 %1, h; }" : "=f"(lo), "=f"(hi) : "r"(h2));
}

__device__ __forceinline__ uint2 pack8_e4m3(const float* f, float mul)
{
    unsigned w[2];
#pragma unroll
    for (int i = 0; i < 2; i++)
        w[i] = (unsigned)f32x2_to_e4m3x2(f[4 * i] * mul, f[4 * i + 1] * mul)
             | ((unsigned)f32x2_to_e4m3x2(f[4 * i + 2] * mul, f[4 * i + 3] * mul) << 16);
    return make_uint2(w[0], w[1]);
}

__device__ __forceinline__ void unpack8_e4m3(uint2 v, float* f)
{
    const unsigned w[2] = {v.x, v.y};
#pragma unroll
    for (int i = 0; i < 2; i++) {
        e4m3x2_to_f32x2((unsigned short)(w[i] & 0xffffu), f[4 * i], f[4 * i + 1]);
        e4m3x2_to_f32x2((unsigned short)(w[i] >> 16), f[4 * i + 2], f[4 * i + 3]);
    }
}
#else
#define HAS_FP8 0
#endif
