// "The CTA that finishes last": a kernel whose CTAs each write a partial result can finish the job in the same launch
// (merge partials, normalize the rows they wrote) instead of a second kernel. KernelFamily puts this file in front of
// every .cu file of this folder, so the kernels share one definition.
//
//   finished_last(counter, n)   every thread of the CTA calls it after the CTA's writes; each thread fences its writes,
//                               thread 0 adds 1 to *counter, and the call returns true in every thread of the CTA that
//                               brought the count to n (then fenced again, so its reads come after every count). That
//                               CTA reads the others' writes with load_l2 (this SM's L1 may hold an older copy) and
//                               sets *counter back to 0 (reset_counter) for the next launch: a counter is zero between
//                               launches, and launches that share one must not run at the same time.
//   load_l2(p)                  a load through L2 only, for float, int, float2, float4 and uint4.

__device__ __forceinline__ void fence_device() { asm volatile("membar.gl;" ::: "memory"); }

__device__ __forceinline__ bool finished_last(unsigned int* counter, unsigned int n)
{
    __shared__ bool last;
    fence_device();
    __syncthreads();
    if (threadIdx.x == 0) {
        unsigned int before;
        asm volatile("atom.global.add.u32 %0, [%1], %2;" : "=r"(before) : "l"(counter), "r"(1u) : "memory");
        last = before == n - 1;
    }
    __syncthreads();
    if (last) fence_device();
    return last;
}

__device__ __forceinline__ void reset_counter(unsigned int* counter)
{
    if (threadIdx.x == 0) *counter = 0u;
}

__device__ __forceinline__ float load_l2(const float* p)
{
    float v;
    asm volatile("ld.global.cg.f32 %0, [%1];" : "=f"(v) : "l"(p) : "memory");
    return v;
}

__device__ __forceinline__ int load_l2(const int* p)
{
    int v;
    asm volatile("ld.global.cg.s32 %0, [%1];" : "=r"(v) : "l"(p) : "memory");
    return v;
}

__device__ __forceinline__ float2 load_l2(const float2* p)
{
    float2 v;
    asm volatile("ld.global.cg.v2.f32 {%0, %1}, [%2];" : "=f"(v.x), "=f"(v.y) : "l"(p) : "memory");
    return v;
}

__device__ __forceinline__ float4 load_l2(const float4* p)
{
    float4 v;
    asm volatile("ld.global.cg.v4.f32 {%0, %1, %2, %3}, [%4];" : "=f"(v.x), "=f"(v.y), "=f"(v.z), "=f"(v.w) : "l"(p) : "memory");
    return v;
}

__device__ __forceinline__ uint4 load_l2(const uint4* p)
{
    uint4 v;
    asm volatile("ld.global.cg.v4.u32 {%0, %1, %2, %3}, [%4];" : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w) : "l"(p) : "memory");
    return v;
}
