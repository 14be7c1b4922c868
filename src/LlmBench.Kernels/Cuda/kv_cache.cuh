// The paged KV cache's element, shared by the kernels that write it (qk_norm_rope.cu) and read it (the attention
// kernels). KernelFamily puts this file last in front of every .cu file of this folder.
//
//   KV_FP8 = 0 (default)  bf16: a kv_vec is a uint4 of 8 bf16; kv_scale is not read (may be null)
//   KV_FP8 = 1            fp8 e4m3: a kv_vec is a uint2 of 8 bytes; the stored value is x / scale, with one fp32
//                         scale per tensor (K and V of one layer: kv_scale[0], kv_scale[1], read from device memory
//                         so that a calibration can change them without recapturing CUDA graphs). Readers fold the
//                         K scale into the query and the V scale into the output, so they only widen the bytes.
//
//   kv_store8(f, inv_scale)  8 floats (already bf16-exact) -> one kv_vec
//   kv_load8(v, f)           one kv_vec -> 8 floats (the stored values, unscaled)
//   KV_VEC_ZERO              a kv_vec of zeros

#ifndef KV_FP8
#define KV_FP8 0
#endif

#if KV_FP8
#if !HAS_FP8
#error "KV_FP8 needs compute capability 8.9 or newer"
#endif
typedef uint2 kv_vec;
#define KV_VEC_ZERO make_uint2(0u, 0u)
__device__ __forceinline__ kv_vec kv_store8(const float* f, float inv_scale) { return pack8_e4m3(f, inv_scale); }
__device__ __forceinline__ void kv_load8(kv_vec v, float* f) { unpack8_e4m3(v, f); }
#else
typedef uint4 kv_vec;
#define KV_VEC_ZERO make_uint4(0u, 0u, 0u, 0u)
__device__ __forceinline__ kv_vec kv_store8(const float* f, float) { return pack8_exact(f); }
__device__ __forceinline__ void kv_load8(kv_vec v, float* f) { unpack8(v, f); }
#endif

// The (K, V) scales of this layer; 1 when the cache is bf16.
__device__ __forceinline__ float kv_scale_of(const float* kv_scale, int which)
{
#if KV_FP8
    return kv_scale[which];
#else
    return 1.f;
#endif
}
