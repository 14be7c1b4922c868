// Paged decode attention for grouped-query attention, split over the context (flash-decoding).
// Each sequence has exactly one query token. A CTA takes one (sequence, kv head, context partition) and all
// GQA q heads of that kv head, so every K/V byte is read once. Softmax is online, in fp32, in base 2 (scores
// are pre-multiplied by log2 e). Scale = `scale` (1/sqrt(HEAD_DIM) for Qwen and Llama).
//
// Layout
//   qkv           bf16 [T, (NUM_Q_HEADS + 2*NUM_KV_HEADS) * HEAD_DIM]; the query of sequence s is row seq_start[s]
//   k_cache, v_cache    kv_vec elements [num_blocks, NUM_KV_HEADS, BLOCK_SIZE, HEAD_DIM] (bf16, or fp8 e4m3 with
//                       KV_FP8: see kv_cache.cuh)
//   kv_scale      fp32 [2]: this layer's K and V scales (KV_FP8 only; else may be null). The K scale is folded into
//                 the query, the V scale into the output.
//   seq_start     int32 [S+1]  (only seq_start[s] is read: the row of the sequence's single query)
//   context_lens  int32 [S]    keys in the cache for the sequence, this step's included (>= 1)
//   block_tables  int32 [S, max_blocks_per_seq]
//   out           bf16 [T, NUM_Q_HEADS * HEAD_DIM]; written at row seq_start[s]
//   part_acc      fp32 [S, NUM_Q_HEADS, Z, HEAD_DIM]  normalized partial outputs (scratch)
//   part_ml       fp32x2 [S, NUM_Q_HEADS, Z]          (max in log2 units, sum of exp2) per partial
// Launch
//   decode_attention        grid (S, NUM_KV_HEADS, Z), block (DEC_WARPS*32). Each sequence's context is cut into at
//                           most Z partitions of equal size (a multiple of BLOCK_SIZE, at least DEC_WARPS blocks),
//                           one per CTA, so Z alone sets the parallelism and nothing depends on the longest context:
//                           a CUDA graph captured for a batch size keeps working as contexts grow. Pick Z so that
//                           S * NUM_KV_HEADS * Z fills the GPU about twice (Z = 1 at large batch, up to 64 at batch 1).
//                           A sequence that gets one partition is finished here (out written); others leave partials.
//   decode_attention_merge  grid (S, NUM_Q_HEADS), block (MERGE_THREADS), argument Z; combines the partials of
//                           sequences with more than one partition and exits at once for the others. Launch it
//                           after decode_attention whenever Z > 1.
//   decode_attention_merging  decode_attention with the merge done by the partition that finishes last, so no second
//                           launch: after writing its partial, each CTA fences it and counts itself on
//                           counters[s * NUM_KV_HEADS + kv head] (uint, zero before the launch); the CTA that brings
//                           the count to the sequence's partition count reads every partial through L2, runs
//                           decode_attention_merge's code for each q head of its group (DEC_WARPS * 32 ==
//                           MERGE_THREADS threads, the same thread mapping, so the same bits) and sets the counter
//                           back to zero. Extra argument: counters, uint32 [S * NUM_KV_HEADS].
// Macros
//   HEAD_DIM (32, 64, 128), NUM_Q_HEADS, NUM_KV_HEADS (NUM_Q_HEADS / NUM_KV_HEADS in 1..8), BLOCK_SIZE (a multiple
//   of 256/HEAD_DIM), KV_FP8 (0/1), DEC_WARPS (default 4),
//   MERGE_THREADS (a multiple of 32, default 128), DEC_MERGING (1: also compile decode_attention_merging; default 0)
//
// Work split inside a warp: HEAD_DIM/8 lanes share one key (each lane owns 8 dims, one 16-byte vector), so a warp
// covers 256/HEAD_DIM keys per step and a whole cache block in BLOCK_SIZE*HEAD_DIM/256 steps; warps take cache
// blocks round-robin. With an fp8 cache a lane's 8 dims are 8 bytes instead of 16. Each lane group keeps its own running max/sum; groups, then warps, merge at the end.
//
// Compiled by NVRTC alone: no includes (KernelFamily puts programmatic_launch.cuh and bf16.cuh in front); bf16 travels as raw 16-bit words.

#if !defined(HEAD_DIM) || !defined(NUM_Q_HEADS) || !defined(NUM_KV_HEADS) || !defined(BLOCK_SIZE)
#error "HEAD_DIM, NUM_Q_HEADS, NUM_KV_HEADS and BLOCK_SIZE must be defined"
#endif
#if HEAD_DIM != 32 && HEAD_DIM != 64 && HEAD_DIM != 128
#error "HEAD_DIM must be 32, 64 or 128"
#endif
#if NUM_Q_HEADS % NUM_KV_HEADS != 0
#error "NUM_Q_HEADS must be a multiple of NUM_KV_HEADS"
#endif
#ifndef DEC_WARPS
#define DEC_WARPS 4
#endif
#ifndef MERGE_THREADS
#define MERGE_THREADS 128
#endif
#ifndef DEC_MERGING
#define DEC_MERGING 0
#endif

#define GQA (NUM_Q_HEADS / NUM_KV_HEADS)
#define LANES_PER_KEY (HEAD_DIM / 8)
#define KEYS_PER_STEP (32 / LANES_PER_KEY)
#define KEYS_PER_LANE (BLOCK_SIZE / KEYS_PER_STEP)
#define QKV_VECS ((NUM_Q_HEADS + 2 * NUM_KV_HEADS) * LANES_PER_KEY)
#define OUT_VECS (NUM_Q_HEADS * LANES_PER_KEY)
#define LOG2E 1.4426950408889634f
#define NEG_BIG (-1e30f)  // finite "minus infinity" for running maxima: exp2(NEG_BIG - NEG_BIG) = 1, not NaN

#if BLOCK_SIZE % KEYS_PER_STEP != 0
#error "BLOCK_SIZE must be a multiple of 256/HEAD_DIM"
#endif

// Tokens per partition when a context of ctx tokens is split into at most z parts.
__device__ __forceinline__ int partition_tokens(int ctx, int z)
{
    const int even = (ctx + z - 1) / z;
    return max(DEC_WARPS * BLOCK_SIZE, (even + BLOCK_SIZE - 1) / BLOCK_SIZE * BLOCK_SIZE);
}

// One CTA's (sequence, kv head, partition): its output (one partition) or its partial. Returns the sequence's
// partition count, or 0 when this CTA has no partition (it returned at once).
__device__ __forceinline__ int attend(const uint4* __restrict__ qkv, const kv_vec* __restrict__ k_cache, const kv_vec* __restrict__ v_cache,
                                      const float* __restrict__ kv_scale, const int* __restrict__ seq_start, const int* __restrict__ context_lens,
                                      const int* __restrict__ block_tables, int max_blocks_per_seq, uint4* __restrict__ out,
                                      float* __restrict__ part_acc, float2* __restrict__ part_ml, float scale)
{
    grid_dependency_sync();
    __shared__ float sm_acc[DEC_WARPS][GQA][HEAD_DIM];
    __shared__ float sm_m[DEC_WARPS][GQA], sm_l[DEC_WARPS][GQA];

    const int s = blockIdx.x, kv_head = blockIdx.y;
    const int ctx = context_lens[s];
    const int part_len = partition_tokens(ctx, gridDim.z);
    const int nparts = (ctx + part_len - 1) / part_len;  // <= gridDim.z
    const int p = blockIdx.z;
    if (p >= nparts) return 0;

    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int slice = lane % LANES_PER_KEY;     // which 8 dims this lane owns
    const int key_in_step = lane / LANES_PER_KEY;
    const long long q_row = seq_start[s];
    const int* table = block_tables + (long long)s * max_blocks_per_seq;

    float q[GQA][8];
    const float q_mul = scale * LOG2E * kv_scale_of(kv_scale, 0);
#pragma unroll
    for (int g = 0; g < GQA; g++) {
        unpack8(qkv[q_row * QKV_VECS + (kv_head * GQA + g) * LANES_PER_KEY + slice], q[g]);
#pragma unroll
        for (int j = 0; j < 8; j++) q[g][j] *= q_mul;
    }

    const int tok_begin = p * part_len;
    const int tok_end = min(ctx, tok_begin + part_len);
    float m[GQA], l[GQA], acc[GQA][8];
#pragma unroll
    for (int g = 0; g < GQA; g++) {
        m[g] = NEG_BIG;
        l[g] = 0.f;
#pragma unroll
        for (int j = 0; j < 8; j++) acc[g][j] = 0.f;
    }

    const int end_block = (tok_end + BLOCK_SIZE - 1) / BLOCK_SIZE;
    for (int b = tok_begin / BLOCK_SIZE + warp; b < end_block; b += DEC_WARPS) {
        const long long base = ((long long)table[b] * NUM_KV_HEADS + kv_head) * BLOCK_SIZE * LANES_PER_KEY;
        kv_vec kv[KEYS_PER_LANE], vv[KEYS_PER_LANE];
#pragma unroll
        for (int i = 0; i < KEYS_PER_LANE; i++) {
            const long long at = base + (i * KEYS_PER_STEP + key_in_step) * LANES_PER_KEY + slice;
            kv[i] = k_cache[at];
#if GQA <= 4
            vv[i] = v_cache[at];  // in flight together with K; with more heads the registers run short
#endif
        }
        float sc[KEYS_PER_LANE][GQA];
#pragma unroll
        for (int i = 0; i < KEYS_PER_LANE; i++) {
            float kf[8];
            kv_load8(kv[i], kf);
            const bool valid = b * BLOCK_SIZE + i * KEYS_PER_STEP + key_in_step < tok_end;
#pragma unroll
            for (int g = 0; g < GQA; g++) {
                float d = 0.f;
#pragma unroll
                for (int j = 0; j < 8; j++) d += q[g][j] * kf[j];
#pragma unroll
                for (int off = LANES_PER_KEY / 2; off > 0; off >>= 1) d += __shfl_xor_sync(0xffffffffu, d, off);
                sc[i][g] = valid ? d : -__int_as_float(0x7f800000);
            }
        }
#if GQA > 4
#pragma unroll
        for (int i = 0; i < KEYS_PER_LANE; i++)
            vv[i] = v_cache[base + (i * KEYS_PER_STEP + key_in_step) * LANES_PER_KEY + slice];
#endif
#pragma unroll
        for (int g = 0; g < GQA; g++) {
            float mb = m[g];
#pragma unroll
            for (int i = 0; i < KEYS_PER_LANE; i++) mb = fmaxf(mb, sc[i][g]);
            const float alpha = exp2f(m[g] - mb);
            m[g] = mb;
            l[g] *= alpha;
#pragma unroll
            for (int j = 0; j < 8; j++) acc[g][j] *= alpha;
        }
#pragma unroll
        for (int i = 0; i < KEYS_PER_LANE; i++) {
            // Slots past the context hold whatever the cache had (maybe NaN): their weight is 0, and 0 * NaN
            // would still poison the sum, so they are zeroed.
            const bool valid = b * BLOCK_SIZE + i * KEYS_PER_STEP + key_in_step < tok_end;
            float vf[8];
            kv_load8(valid ? vv[i] : KV_VEC_ZERO, vf);
#pragma unroll
            for (int g = 0; g < GQA; g++) {
                const float w = exp2f(sc[i][g] - m[g]);
                l[g] += w;
#pragma unroll
                for (int j = 0; j < 8; j++) acc[g][j] += w * vf[j];
            }
        }
    }

    // Merge the lane groups of the warp (same dims, different keys).
#pragma unroll
    for (int off = LANES_PER_KEY; off < 32; off <<= 1) {
#pragma unroll
        for (int g = 0; g < GQA; g++) {
            const float m_o = __shfl_xor_sync(0xffffffffu, m[g], off);
            const float l_o = __shfl_xor_sync(0xffffffffu, l[g], off);
            const float mn = fmaxf(m[g], m_o);
            const float a = exp2f(m[g] - mn), c = exp2f(m_o - mn);
            l[g] = l[g] * a + l_o * c;
            m[g] = mn;
#pragma unroll
            for (int j = 0; j < 8; j++) {
                const float acc_o = __shfl_xor_sync(0xffffffffu, acc[g][j], off);
                acc[g][j] = acc[g][j] * a + acc_o * c;
            }
        }
    }
    if (lane < LANES_PER_KEY) {
#pragma unroll
        for (int g = 0; g < GQA; g++) {
#pragma unroll
            for (int j = 0; j < 8; j++) sm_acc[warp][g][slice * 8 + j] = acc[g][j];
            if (slice == 0) {
                sm_m[warp][g] = m[g];
                sm_l[warp][g] = l[g];
            }
        }
    }
    __syncthreads();

    // Merge the warps; one thread per (q head of the group, 8 dims).
    for (int item = threadIdx.x; item < GQA * LANES_PER_KEY; item += DEC_WARPS * 32) {
        const int g = item / LANES_PER_KEY, sl = item % LANES_PER_KEY;
        float mx = NEG_BIG;
#pragma unroll
        for (int w = 0; w < DEC_WARPS; w++) mx = fmaxf(mx, sm_m[w][g]);
        float sum = 0.f, o[8];
#pragma unroll
        for (int j = 0; j < 8; j++) o[j] = 0.f;
#pragma unroll
        for (int w = 0; w < DEC_WARPS; w++) {
            const float c = exp2f(sm_m[w][g] - mx);
            sum += sm_l[w][g] * c;
#pragma unroll
            for (int j = 0; j < 8; j++) o[j] += sm_acc[w][g][sl * 8 + j] * c;
        }
        const float inv = sum > 0.f ? kv_scale_of(kv_scale, 1) / sum : 0.f;  // the partials carry the V scale too
#pragma unroll
        for (int j = 0; j < 8; j++) o[j] *= inv;
        const int h = kv_head * GQA + g;
        if (nparts == 1) {
            out[q_row * OUT_VECS + h * LANES_PER_KEY + sl] = pack8(o);
        } else {
            const long long part = ((long long)s * NUM_Q_HEADS + h) * gridDim.z + p;
            float4* dst = reinterpret_cast<float4*>(part_acc + part * HEAD_DIM + sl * 8);
            dst[0] = make_float4(o[0], o[1], o[2], o[3]);
            dst[1] = make_float4(o[4], o[5], o[6], o[7]);
            if (sl == 0) part_ml[part] = make_float2(mx, sum);
        }
    }
    return nparts;
}

extern "C" __global__ void __launch_bounds__(DEC_WARPS * 32)
decode_attention(const uint4* __restrict__ qkv, const kv_vec* __restrict__ k_cache, const kv_vec* __restrict__ v_cache,
                 const float* __restrict__ kv_scale, const int* __restrict__ seq_start, const int* __restrict__ context_lens,
                 const int* __restrict__ block_tables, int max_blocks_per_seq, uint4* __restrict__ out,
                 float* __restrict__ part_acc, float2* __restrict__ part_ml, float scale)
{
    attend(qkv, k_cache, v_cache, kv_scale, seq_start, context_lens, block_tables, max_blocks_per_seq, out, part_acc, part_ml, scale);
}

// One CTA per (sequence, q head): threads split as PART_LANES partition lanes x LANES_PER_KEY dim slices, so a
// long context's partials are read in parallel (one thread looping over 64 partials was slower than the attention).
#define PART_LANES (MERGE_THREADS / LANES_PER_KEY)

// Loads of another CTA's partials: plain (a later kernel), or through L2 only (the same kernel's other CTAs wrote them).
template <bool L2, typename T>
__device__ __forceinline__ T load_partial(const T* p)
{
    if constexpr (L2) return load_l2(p);
    else return *p;
}

// Merges the nparts partials of (sequence s, q head h) into out; MERGE_THREADS threads of one CTA.
template <bool L2>
__device__ __forceinline__ void merge_partials(int s, int h, int nparts, int num_splits, const int* __restrict__ seq_start,
                                               const float* __restrict__ part_acc, const float2* __restrict__ part_ml, uint4* __restrict__ out)
{
    __shared__ float sm_o[PART_LANES][HEAD_DIM];
    __shared__ float sm_w[PART_LANES];
    __shared__ float sm_max[MERGE_THREADS / 32];
    const int sl = threadIdx.x % LANES_PER_KEY, pl = threadIdx.x / LANES_PER_KEY;
    const long long first = ((long long)s * NUM_Q_HEADS + h) * num_splits;

    float mx = NEG_BIG;
    for (int p = threadIdx.x; p < nparts; p += MERGE_THREADS) mx = fmaxf(mx, load_partial<L2>(part_ml + first + p).x);
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, off));
    if ((threadIdx.x & 31) == 0) sm_max[threadIdx.x >> 5] = mx;
    __syncthreads();
#pragma unroll
    for (int w = 0; w < MERGE_THREADS / 32; w++) mx = fmaxf(mx, sm_max[w]);

    float sum = 0.f, o[8];
#pragma unroll
    for (int j = 0; j < 8; j++) o[j] = 0.f;
    for (int p = pl; p < nparts; p += PART_LANES) {
        const float2 ml = load_partial<L2>(part_ml + first + p);
        const float w = ml.y * exp2f(ml.x - mx);
        sum += w;
        const float4* src = reinterpret_cast<const float4*>(part_acc + (first + p) * HEAD_DIM + sl * 8);
        const float4 a = load_partial<L2>(src), b = load_partial<L2>(src + 1);
        o[0] += w * a.x; o[1] += w * a.y; o[2] += w * a.z; o[3] += w * a.w;
        o[4] += w * b.x; o[5] += w * b.y; o[6] += w * b.z; o[7] += w * b.w;
    }
#pragma unroll
    for (int j = 0; j < 8; j++) sm_o[pl][sl * 8 + j] = o[j];
    if (sl == 0) sm_w[pl] = sum;
    __syncthreads();
    if (pl == 0) {
        float total = 0.f;
#pragma unroll
        for (int j = 0; j < 8; j++) o[j] = 0.f;
        for (int q = 0; q < PART_LANES; q++) {
            total += sm_w[q];
#pragma unroll
            for (int j = 0; j < 8; j++) o[j] += sm_o[q][sl * 8 + j];
        }
        const float inv = total > 0.f ? 1.f / total : 0.f;
#pragma unroll
        for (int j = 0; j < 8; j++) o[j] *= inv;
        out[(long long)seq_start[s] * OUT_VECS + h * LANES_PER_KEY + sl] = pack8(o);
    }
}

extern "C" __global__ void __launch_bounds__(MERGE_THREADS)
decode_attention_merge(const int* __restrict__ seq_start, const int* __restrict__ context_lens,
                       const float* __restrict__ part_acc, const float2* __restrict__ part_ml, uint4* __restrict__ out,
                       int num_splits)
{
    grid_dependency_sync();
    const int s = blockIdx.x, h = blockIdx.y;
    const int ctx = context_lens[s];
    const int part_len = partition_tokens(ctx, num_splits);
    const int nparts = (ctx + part_len - 1) / part_len;
    if (nparts <= 1) return;  // decode_attention already wrote this sequence's output
    merge_partials<false>(s, h, nparts, num_splits, seq_start, part_acc, part_ml, out);
}

#if DEC_MERGING
// decode_attention, then (the last partition of a (sequence, kv head) to finish) the merge of its q heads.
extern "C" __global__ void __launch_bounds__(DEC_WARPS * 32)
decode_attention_merging(const uint4* __restrict__ qkv, const kv_vec* __restrict__ k_cache, const kv_vec* __restrict__ v_cache,
                         const float* __restrict__ kv_scale, const int* __restrict__ seq_start, const int* __restrict__ context_lens,
                         const int* __restrict__ block_tables, int max_blocks_per_seq, uint4* __restrict__ out,
                         float* __restrict__ part_acc, float2* __restrict__ part_ml, float scale, unsigned int* counters)
{
    static_assert(DEC_WARPS * 32 == MERGE_THREADS, "the merging CTA runs decode_attention_merge's code with its own threads");
    const int nparts = attend(qkv, k_cache, v_cache, kv_scale, seq_start, context_lens, block_tables, max_blocks_per_seq, out, part_acc, part_ml, scale);
    if (nparts <= 1) return;  // no partials (or this CTA had no partition): nothing to merge
    unsigned int* counter = counters + (long long)blockIdx.x * NUM_KV_HEADS + blockIdx.y;
    if (!finished_last(counter, (unsigned int)nparts)) return;
#pragma unroll 1
    for (int g = 0; g < GQA; g++) {
        merge_partials<true>(blockIdx.x, blockIdx.y * GQA + g, nparts, gridDim.z, seq_start, part_acc, part_ml, out);
        __syncthreads();  // merge_partials' shared arrays are reused by the next head
    }
    reset_counter(counter);  // ready for the next launch
}
#endif
