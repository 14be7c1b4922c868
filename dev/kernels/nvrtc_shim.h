// Only for a local syntax check with clang (no CUDA toolkit here): declares what NVRTC provides built in.
#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __shared__ __attribute__((shared))
#define __host__ __attribute__((host))
#define __forceinline__ __inline__ __attribute__((always_inline))
#define __launch_bounds__(...) __attribute__((launch_bounds(__VA_ARGS__)))
#define __align__(n) __attribute__((aligned(n)))
#include <__clang_cuda_builtin_vars.h>
struct __attribute__((aligned(16))) uint4 { unsigned x, y, z, w; };
struct __attribute__((aligned(8))) uint2 { unsigned x, y; };
struct __attribute__((aligned(16))) float4 { float x, y, z, w; };
struct __attribute__((aligned(8))) float2 { float x, y; };
__device__ uint4 make_uint4(unsigned, unsigned, unsigned, unsigned);
__device__ uint2 make_uint2(unsigned, unsigned);
__device__ float fabsf(float);
__device__ int __float_as_int(float);
__device__ int atomicMax(int*, int);
__device__ float4 make_float4(float, float, float, float);
__device__ float2 make_float2(float, float);
__device__ float __uint_as_float(unsigned);
__device__ unsigned __float_as_uint(float);
__device__ float __int_as_float(int);
__device__ float expf(float);
__device__ float exp2f(float);
__device__ float logf(float);
__device__ float rsqrtf(float);
__device__ float fmaxf(float, float);
__device__ float fmaf(float, float, float);
__device__ double ceil(double);
__device__ void sincosf(float, float*, float*);
__device__ int min(int, int);
__device__ int max(int, int);
__device__ unsigned __umulhi(unsigned, unsigned);
__device__ unsigned long long __float2ull_rn(float);
__device__ void __syncthreads();
__device__ float __shfl_xor_sync(unsigned, float, int);
__device__ unsigned __shfl_xor_sync(unsigned, unsigned, int);
__device__ int __shfl_xor_sync(unsigned, int, int);
__device__ unsigned long long __shfl_up_sync(unsigned, unsigned long long, int);
__device__ unsigned long long atomicAdd(unsigned long long*, unsigned long long);
__device__ unsigned atomicMax(unsigned*, unsigned);
