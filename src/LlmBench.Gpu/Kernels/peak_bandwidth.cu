// Memory-bandwidth probes for `llmbench peak`. Each thread keeps four independent 16-byte loads in flight per
// iteration so that the memory system, not latency, limits the rate; the grid strides over the whole buffer.

__device__ __forceinline__ float sum4(float4 v) { return (v.x + v.y) + (v.z + v.w); }

// Reads every float once and adds them up: a read-only stream (bytes moved = bytes read). The sum is checked by
// the tests, and writing it keeps the compiler from discarding the loads.
extern "C" __global__ void read_reduce_f32(const float4* __restrict__ in, long long n4, float* __restrict__ out)
{
    const long long stride = (long long)gridDim.x * blockDim.x;
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    float acc0 = 0.f, acc1 = 0.f, acc2 = 0.f, acc3 = 0.f;
    for (; i + 3 * stride < n4; i += 4 * stride)
    {
        float4 a = in[i], b = in[i + stride], c = in[i + 2 * stride], d = in[i + 3 * stride];
        acc0 += sum4(a);
        acc1 += sum4(b);
        acc2 += sum4(c);
        acc3 += sum4(d);
    }
    for (; i < n4; i += stride)
        acc0 += sum4(in[i]);
    float acc = (acc0 + acc1) + (acc2 + acc3);

    for (int offset = 16; offset > 0; offset >>= 1)
        acc += __shfl_down_sync(0xffffffffu, acc, offset);
    __shared__ float warp_sums[32];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0)
        warp_sums[warp] = acc;
    __syncthreads();
    if (warp == 0)
    {
        acc = lane < (int)(blockDim.x >> 5) ? warp_sums[lane] : 0.f;
        for (int offset = 16; offset > 0; offset >>= 1)
            acc += __shfl_down_sync(0xffffffffu, acc, offset);
        if (lane == 0)
            atomicAdd(out, acc);
    }
}

// Copies n4 float4 values: bytes moved = bytes read + bytes written.
extern "C" __global__ void copy_f32(float4* __restrict__ dst, const float4* __restrict__ src, long long n4)
{
    const long long stride = (long long)gridDim.x * blockDim.x;
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    for (; i + 3 * stride < n4; i += 4 * stride)
    {
        float4 a = src[i], b = src[i + stride], c = src[i + 2 * stride], d = src[i + 3 * stride];
        dst[i] = a;
        dst[i + stride] = b;
        dst[i + 2 * stride] = c;
        dst[i + 3 * stride] = d;
    }
    for (; i < n4; i += stride)
        dst[i] = src[i];
}
