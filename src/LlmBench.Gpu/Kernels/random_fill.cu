// Random fills for benchmark inputs and tests, generated on the GPU so that large buffers never cross PCIe.
// Counter-based: element i of seed s is always the same value, whatever the grid, so a CPU can reproduce any of them
// and two launches with different seeds never share a stream of numbers.

__device__ __forceinline__ unsigned long long splitmix64(unsigned long long x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Uniform in [lo, hi) from the top 24 bits: exactly representable steps, no rounding up to hi.
__device__ __forceinline__ float uniform_at(unsigned long long seed, long long i, float lo, float hi)
{
    unsigned int bits = (unsigned int)(splitmix64(seed ^ splitmix64((unsigned long long)i)) >> 40);
    return lo + (hi - lo) * ((float)bits * (1.0f / 16777216.0f));
}

// Round to nearest even; our inputs are finite, so no NaN handling is needed.
__device__ __forceinline__ unsigned short float_to_bf16_bits(float v)
{
    unsigned int u = __float_as_uint(v);
    u += 0x7FFFu + ((u >> 16) & 1u);
    return (unsigned short)(u >> 16);
}

__device__ __forceinline__ unsigned short float_to_f16_bits(float v)
{
    unsigned short h;
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(v));
    return h;
}

extern "C" __global__ void fill_uniform_f32(float* __restrict__ out, long long n, unsigned long long seed, float lo, float hi)
{
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
        out[i] = uniform_at(seed, i, lo, hi);
}

extern "C" __global__ void fill_uniform_bf16(unsigned short* __restrict__ out, long long n, unsigned long long seed, float lo, float hi)
{
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
        out[i] = float_to_bf16_bits(uniform_at(seed, i, lo, hi));
}

extern "C" __global__ void fill_uniform_f16(unsigned short* __restrict__ out, long long n, unsigned long long seed, float lo, float hi)
{
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
        out[i] = float_to_f16_bits(uniform_at(seed, i, lo, hi));
}

// fp8 e4m3 (saturating, round to nearest) through the hardware conversion of Ada and Hopper; one thread writes one
// byte so any length works. Older GPUs have no fp8 tensor cores, and the benchmark never asks them for fp8.
extern "C" __global__ void fill_uniform_e4m3(unsigned char* __restrict__ out, long long n, unsigned long long seed, float lo, float hi)
{
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 890
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
    {
        unsigned short pair;
        float v = uniform_at(seed, i, lo, hi);
        asm("cvt.rn.satfinite.e4m3x2.f32 %0, %1, %2;" : "=h"(pair) : "f"(v), "f"(v));
        out[i] = (unsigned char)(pair & 0xFF);
    }
#else
    __trap();
#endif
}
