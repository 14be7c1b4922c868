// Per-head q/k RMSNorm (Qwen3) and rotary embedding, in place in the fused QKV buffer, fused with the store of
// this step's k and v into the paged KV cache. With Hugging Face's bf16 numerics:
//   x    = bf16(x + bias)                                        (QKV_BIAS: Qwen2's q/k/v biases; HF adds the
//                                                                 bias inside the GEMM and rounds once, we round twice)
//   x    = bf16( w * bf16( x * rsqrt(mean(x^2) + eps) ) )        (QK_NORM: Qwen3's q_norm / k_norm over head_dim)
//   cos  = bf16(cos(pos * inv_freq[i])), sin likewise, i = e mod HEAD_DIM/2   (fp32 angle, as HF)
//   x[e] = bf16( bf16(x[e] * cos) + bf16(rotate_half(x)[e] * sin) )         (HF's rotate_half convention)
//
// Layout
//   qkv           bf16 [T, (NUM_Q_HEADS + 2*NUM_KV_HEADS) * HEAD_DIM]: q heads, then k heads, then v heads
//   positions     int32 [T]
//   slot_mapping  int32 [T]; slot = block_id * BLOCK_SIZE + offset; -1 = padding: nothing is stored
//   inv_freq      fp32 [HEAD_DIM/2]: theta^(-2i/HEAD_DIM) as HF computes it on the host (Llama 3 rope scaling
//                 only rescales this table, so it needs no kernel change)
//   q_norm_w, k_norm_w  bf16 [HEAD_DIM] (QK_NORM only; else pass null)
//   bias          bf16 [(NUM_Q_HEADS + 2*NUM_KV_HEADS) * HEAD_DIM] (QKV_BIAS only; else pass null)
//   k_cache, v_cache    kv_vec elements [num_blocks, NUM_KV_HEADS, BLOCK_SIZE, HEAD_DIM]: bf16, or with KV_FP8
//                 e4m3 bytes of x / scale (see kv_cache.cuh)
//   kv_scale      fp32 [2]: this layer's K and V scales (KV_FP8 only; else may be null)
//   kv_amax       fp32 [2] or null: when given, the largest |k| and |v| stored (before scaling) are max-ed into it
//                 (a calibration pass; values are non-negative, so their int bits order like the floats)
// After the kernel, qkv holds the roped q and k (and biased v), and the cache holds this step's k and v.
// Launch
//   grid (T), block (ROPE_THREADS). Each thread owns 8 consecutive values (one 16-byte vector) of one head;
//   the HEAD_DIM/8 threads of a head sit in one warp and reduce with shuffles.
// Macros
//   HEAD_DIM (32, 64 or 128), NUM_Q_HEADS, NUM_KV_HEADS, BLOCK_SIZE, QK_NORM (0/1), QKV_BIAS (0/1), KV_FP8 (0/1),
//   ROPE_THREADS (a multiple of 32, default 256)
//
// Compiled by NVRTC alone: no includes (KernelFamily puts programmatic_launch.cuh and bf16.cuh in front); bf16 travels as raw 16-bit words.

#if !defined(HEAD_DIM) || !defined(NUM_Q_HEADS) || !defined(NUM_KV_HEADS) || !defined(BLOCK_SIZE)
#error "HEAD_DIM, NUM_Q_HEADS, NUM_KV_HEADS and BLOCK_SIZE must be defined"
#endif
#if HEAD_DIM != 32 && HEAD_DIM != 64 && HEAD_DIM != 128
#error "HEAD_DIM must be 32, 64 or 128"
#endif
#ifndef QK_NORM
#define QK_NORM 0
#endif
#ifndef QKV_BIAS
#define QKV_BIAS 0
#endif
#ifndef ROPE_THREADS
#define ROPE_THREADS 256
#endif

#define VECS_PER_HEAD (HEAD_DIM / 8)
#define NUM_HEADS (NUM_Q_HEADS + 2 * NUM_KV_HEADS)
#define ITEMS (NUM_HEADS * VECS_PER_HEAD)
#define ITEMS_ROUNDED ((ITEMS + ROPE_THREADS - 1) / ROPE_THREADS * ROPE_THREADS)

extern "C" __global__ void __launch_bounds__(ROPE_THREADS)
qk_norm_rope_store(uint4* __restrict__ qkv, const int* __restrict__ positions, const int* __restrict__ slot_mapping,
                   const float* __restrict__ inv_freq, const uint4* __restrict__ q_norm_w,
                   const uint4* __restrict__ k_norm_w, const uint4* __restrict__ bias, kv_vec* __restrict__ k_cache,
                   kv_vec* __restrict__ v_cache, const float* __restrict__ kv_scale, float* __restrict__ kv_amax, float eps)
{
    grid_dependency_sync();
    __shared__ float cos_s[HEAD_DIM / 2], sin_s[HEAD_DIM / 2];
    const int t = blockIdx.x;
    if (threadIdx.x < HEAD_DIM / 2) {
        float s, c;
        sincosf((float)positions[t] * inv_freq[threadIdx.x], &s, &c);
        cos_s[threadIdx.x] = bf16_round(c);
        sin_s[threadIdx.x] = bf16_round(s);
    }
    __syncthreads();

    const int slot = slot_mapping[t];
    const float inv_k_scale = 1.f / kv_scale_of(kv_scale, 0), inv_v_scale = 1.f / kv_scale_of(kv_scale, 1);
    uint4* row = qkv + (long long)t * ITEMS;
    for (int base = 0; base < ITEMS_ROUNDED; base += ROPE_THREADS) {
        const int i = base + threadIdx.x;
        const bool valid = i < ITEMS;
        const int head = i / VECS_PER_HEAD;
        const int c = i % VECS_PER_HEAD;
        float x[8];
        unpack8(valid ? row[i] : make_uint4(0u, 0u, 0u, 0u), x);
#if QKV_BIAS
        if (valid) {
            float b[8];
            unpack8(bias[i], b);
#pragma unroll
            for (int j = 0; j < 8; j++) x[j] = bf16_round(x[j] + b[j]);
        }
#endif
        const bool is_v = head >= NUM_Q_HEADS + NUM_KV_HEADS;
#if QK_NORM
        // Every lane takes part in the shuffles (v heads and idle lanes too); only q and k use the result.
        float sumsq = 0.f;
#pragma unroll
        for (int j = 0; j < 8; j++) sumsq += x[j] * x[j];
#pragma unroll
        for (int off = VECS_PER_HEAD / 2; off > 0; off >>= 1) sumsq += __shfl_xor_sync(0xffffffffu, sumsq, off);
        if (valid && !is_v) {
            const float inv_rms = rsqrtf(sumsq / (float)HEAD_DIM + eps);
            float w[8];
            unpack8(head < NUM_Q_HEADS ? q_norm_w[c] : k_norm_w[c], w);
#pragma unroll
            for (int j = 0; j < 8; j++) x[j] = bf16_round(w[j] * bf16_round(x[j] * inv_rms));
        }
#endif
        // rotate_half pairs element e with e +- HEAD_DIM/2: the partner vector sits VECS_PER_HEAD/2 lanes away.
        const uint4 mine = pack8_exact(x);
        uint4 other;
        other.x = __shfl_xor_sync(0xffffffffu, mine.x, VECS_PER_HEAD / 2);
        other.y = __shfl_xor_sync(0xffffffffu, mine.y, VECS_PER_HEAD / 2);
        other.z = __shfl_xor_sync(0xffffffffu, mine.z, VECS_PER_HEAD / 2);
        other.w = __shfl_xor_sync(0xffffffffu, mine.w, VECS_PER_HEAD / 2);
        if (!valid) continue;
        if (!is_v) {
            float p[8];
            unpack8(other, p);
            const bool lower = c < VECS_PER_HEAD / 2;
            const int f0 = (c % (VECS_PER_HEAD / 2)) * 8;
#pragma unroll
            for (int j = 0; j < 8; j++) {
                const float rot = lower ? -p[j] : p[j];
                x[j] = bf16_round(bf16_round(x[j] * cos_s[f0 + j]) + bf16_round(rot * sin_s[f0 + j]));
            }
        }
        const uint4 result = pack8_exact(x);
        if (!is_v || QKV_BIAS) row[i] = result;
        if (head >= NUM_Q_HEADS && slot >= 0) {
            const int kv_head = is_v ? head - NUM_Q_HEADS - NUM_KV_HEADS : head - NUM_Q_HEADS;
            const long long dst = (((long long)(slot / BLOCK_SIZE) * NUM_KV_HEADS + kv_head) * BLOCK_SIZE
                                   + slot % BLOCK_SIZE) * VECS_PER_HEAD + c;
            (is_v ? v_cache : k_cache)[dst] = kv_store8(x, is_v ? inv_v_scale : inv_k_scale);
            if (kv_amax != nullptr) {
                float amax = 0.f;
#pragma unroll
                for (int j = 0; j < 8; j++) amax = fmaxf(amax, fabsf(x[j]));
                atomicMax(reinterpret_cast<int*>(kv_amax) + (is_v ? 1 : 0), __float_as_int(amax));
            }
        }
    }
}
