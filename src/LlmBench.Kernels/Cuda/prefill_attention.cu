// Causal prefill attention over variable-length query chunks whose keys live in the paged KV cache
// (FlashAttention-2 style, bf16 tensor cores through mma.sync m16n8k16, fp32 accumulation, online softmax in base 2).
//
// Query token i of sequence s (0-based in this step's chunk of length L_s) sits at position ctx_s - L_s + i and
// attends keys 0 .. ctx_s - L_s + i of that sequence, read through its block table. The chunk's own K/V must be
// in the cache already (qk_norm_rope_store put them there). Probabilities are rounded to bf16 before the PV
// product, as FlashAttention does; the row sum stays fp32.
//
// Layout
//   qkv           bf16 [T, (NUM_Q_HEADS + 2*NUM_KV_HEADS) * HEAD_DIM]; sequence s owns rows seq_start[s] .. seq_start[s+1]-1
//   k_cache, v_cache    kv_vec elements [num_blocks, NUM_KV_HEADS, BLOCK_SIZE, HEAD_DIM]: bf16, or fp8 e4m3 with
//                       KV_FP8 (kv_cache.cuh). fp8 tiles are widened to bf16 (exactly) on their way into shared memory,
//                       with ordinary loads instead of cp.async; the K scale is folded into the softmax scale and
//                       the V scale into the output.
//   kv_scale      fp32 [2]: this layer's K and V scales (KV_FP8 only; else may be null)
//   seq_start     int32 [S+1]
//   context_lens  int32 [S]   keys in the cache after this step (>= the chunk length)
//   block_tables  int32 [S, max_blocks_per_seq]
//   tile_offsets  int32 [S+1] cumulative count of 64-query tiles: tile_offsets[s+1] - tile_offsets[s] = ceil(L_s / 64)
//   out           bf16 [T, NUM_Q_HEADS * HEAD_DIM]
// Launch
//   grid (NUM_Q_HEADS, tile_offsets[S]), block (128): 4 warps, 16 query rows each; key tiles of 64 loaded with
//   cp.async into shared memory (see PF_STAGES), swizzled so that ldmatrix is free of bank conflicts.
//   Sequences that are plain decodes (L_s = 1) belong in decode_attention: here they would fill 1/64 of a tile.
// Macros
//   HEAD_DIM (32, 64, 128), NUM_Q_HEADS, NUM_KV_HEADS, BLOCK_SIZE, KV_FP8 (0/1)
//   PF_MIN_BLOCKS  CTAs per SM the register allocation must allow (__launch_bounds__; default 2)
//   PF_STAGES      2 (default): two K/V stages in 4 * 64 * HEAD_DIM * 2 bytes of DYNAMIC shared memory (64 KB at
//                     HEAD_DIM 128: the host raises the function's dynamic shared-memory limit and passes the size
//                     at launch); tile j+1 loads while tile j computes. 8% faster than 1 at 256 x 512 tokens.
//                  1: one K and one V buffer in 32 KB of static shared memory; K tile j+1 loads during the PV
//                     product of tile j, V tile j during its QK product.
//
// Compiled by NVRTC alone: no includes (KernelFamily puts programmatic_launch.cuh and bf16.cuh in front); bf16 travels as raw 16-bit words.

#if !defined(HEAD_DIM) || !defined(NUM_Q_HEADS) || !defined(NUM_KV_HEADS) || !defined(BLOCK_SIZE)
#error "HEAD_DIM, NUM_Q_HEADS, NUM_KV_HEADS and BLOCK_SIZE must be defined"
#endif
#if HEAD_DIM != 32 && HEAD_DIM != 64 && HEAD_DIM != 128
#error "HEAD_DIM must be 32, 64 or 128"
#endif

#ifndef PF_MIN_BLOCKS
#define PF_MIN_BLOCKS 2
#endif
#ifndef PF_STAGES
#define PF_STAGES 2
#endif

#define GQA (NUM_Q_HEADS / NUM_KV_HEADS)
#define TILE_Q 64
#define TILE_K 64
#define PF_THREADS 128
#define CHUNKS (HEAD_DIM / 8)  // 16-byte chunks per row
#define QKV_VECS ((NUM_Q_HEADS + 2 * NUM_KV_HEADS) * CHUNKS)
#define OUT_WORDS (NUM_Q_HEADS * HEAD_DIM / 2)
#define LOG2E 1.4426950408889634f
#define NEG_BIG (-1e30f)  // finite "minus infinity" for running maxima: exp2(NEG_BIG - NEG_BIG) = 1, not NaN

// Position of 16-byte chunk `chunk` of tile row `row`: XOR-swizzled so the 8 rows one ldmatrix reads fall in
// 8 different bank groups.
__device__ __forceinline__ int swizzle(int row, int chunk)
{
#if CHUNKS >= 8
    return row * CHUNKS + (chunk ^ (row & 7));
#else
    return row * CHUNKS + (chunk ^ ((row >> 1) & 3));
#endif
}

__device__ __forceinline__ unsigned smem_addr(const void* p)
{
    unsigned a;
    asm("{ .reg .u64 t; cvta.to.shared.u64 t, %1; cvt.u32.u64 %0, t; }" : "=r"(a) : "l"(p));
    return a;
}

// 16-byte async copy global -> shared; when `full` is false the destination is zero-filled and nothing is read.
__device__ __forceinline__ void cp_async16(unsigned dst, const void* src, bool full)
{
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(dst), "l"(src), "r"(full ? 16 : 0) : "memory");
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::: "memory"); }
template <int N> __device__ __forceinline__ void cp_async_wait() { asm volatile("cp.async.wait_group %0;\n" ::"n"(N) : "memory"); }

__device__ __forceinline__ void ldmatrix_x4(unsigned addr, unsigned* r)
{
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(addr) : "memory");
}
__device__ __forceinline__ void ldmatrix_x4_trans(unsigned addr, unsigned* r)
{
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(addr) : "memory");
}

// c += a (16x16, row-major) * b (16x8, column-major), bf16 inputs, fp32 accumulators.
__device__ __forceinline__ void mma_bf16(float* c, const unsigned* a, unsigned b0, unsigned b1)
{
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

// 2^x in one MUFU instruction (2^-inf = 0).
__device__ __forceinline__ float exp2_approx(float x)
{
    float y;
    asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
    return y;
}

// Two fp32 -> packed bf16x2 (round to nearest even); `lo` lands in the low half.
__device__ __forceinline__ unsigned pack_bf16x2(float lo, float hi)
{
    unsigned r;
    asm("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
    return r;
}

// Copies key tile `tile` (keys tile*64 .. +63) of one kv head into shared memory as bf16; keys >= kv_len are
// zero-filled.
__device__ __forceinline__ void load_kv_tile(unsigned dst, const kv_vec* __restrict__ cache, const int* __restrict__ table,
                                             int kv_head, int tile, int kv_len)
{
#pragma unroll
    for (int i = 0; i < TILE_K * CHUNKS / PF_THREADS; i++) {
        const int c = threadIdx.x + i * PF_THREADS;
        const int row = c / CHUNKS, ch = c % CHUNKS;
        const int key = tile * TILE_K + row;
        const bool ok = key < kv_len;
        long long src = 0;
        if (ok) src = (((long long)table[key / BLOCK_SIZE] * NUM_KV_HEADS + kv_head) * BLOCK_SIZE + key % BLOCK_SIZE) * CHUNKS + ch;
#if KV_FP8
        uint4 v = make_uint4(0u, 0u, 0u, 0u);
        if (ok) {
            float f[8];
            kv_load8(cache[src], f);
            v = pack8_exact(f);  // every e4m3 value is a bf16
        }
        asm volatile("st.shared.v4.u32 [%0], {%1, %2, %3, %4};\n" ::"r"(dst + swizzle(row, ch) * 16), "r"(v.x), "r"(v.y), "r"(v.z),
                     "r"(v.w) : "memory");
#else
        cp_async16(dst + swizzle(row, ch) * 16, cache + src, ok);
#endif
    }
}

// S = Q K^T for one key tile: 16 query rows of this warp x 64 keys, fp32 accumulators.
__device__ __forceinline__ void qk_tile(unsigned k_tile, const unsigned (&qf)[HEAD_DIM / 16][4], float (&sc)[TILE_K / 8][4],
                                        int lane)
{
#pragma unroll
    for (int n = 0; n < TILE_K / 8; n++) sc[n][0] = sc[n][1] = sc[n][2] = sc[n][3] = 0.f;
#pragma unroll
    for (int kk = 0; kk < HEAD_DIM / 16; kk++) {
#pragma unroll
        for (int np = 0; np < TILE_K / 16; np++) {
            unsigned b[4];
            ldmatrix_x4(k_tile + swizzle(np * 16 + (lane & 7) + ((lane >> 4) << 3), kk * 2 + ((lane >> 3) & 1)) * 16, b);
            mma_bf16(sc[2 * np], qf[kk], b[0], b[1]);
            mma_bf16(sc[2 * np + 1], qf[kk], b[2], b[3]);
        }
    }
}

// Causal mask, online softmax update and conversion of P to bf16 A fragments (the accumulator layout of two
// n-tiles of S is the A-fragment layout of one k-step of P). Maxima are kept in scaled units
// (score * scale * log2 e): one FFMA and one MUFU per probability.
__device__ __forceinline__ void softmax_tile(float (&sc)[TILE_K / 8][4], float (&m)[2], float (&l)[2],
                                             float (&o)[HEAD_DIM / 8][4], unsigned (&pf)[TILE_K / 16][4],
                                             bool need_mask, int key0, int pos_r0, float scale_log2, int lane)
{
    if (need_mask) {
#pragma unroll
        for (int n = 0; n < TILE_K / 8; n++) {
#pragma unroll
            for (int e = 0; e < 4; e++) {
                const int key = key0 + n * 8 + 2 * (lane & 3) + (e & 1);
                if (key > pos_r0 + (e < 2 ? 0 : 8)) sc[n][e] = -__int_as_float(0x7f800000);
            }
        }
    }
#pragma unroll
    for (int r = 0; r < 2; r++) {
        float raw = -__int_as_float(0x7f800000);
#pragma unroll
        for (int n = 0; n < TILE_K / 8; n++) raw = fmaxf(raw, fmaxf(sc[n][2 * r], sc[n][2 * r + 1]));
        raw = fmaxf(raw, __shfl_xor_sync(0xffffffffu, raw, 1));
        raw = fmaxf(raw, __shfl_xor_sync(0xffffffffu, raw, 2));
        const float mx = fmaxf(m[r], raw * scale_log2);
        const float alpha = exp2_approx(m[r] - mx);
        m[r] = mx;
        l[r] *= alpha;
#pragma unroll
        for (int n = 0; n < HEAD_DIM / 8; n++) {
            o[n][2 * r] *= alpha;
            o[n][2 * r + 1] *= alpha;
        }
#pragma unroll
        for (int n = 0; n < TILE_K / 8; n++) {
            sc[n][2 * r] = exp2_approx(fmaf(sc[n][2 * r], scale_log2, -mx));
            sc[n][2 * r + 1] = exp2_approx(fmaf(sc[n][2 * r + 1], scale_log2, -mx));
            l[r] += sc[n][2 * r] + sc[n][2 * r + 1];
        }
    }
#pragma unroll
    for (int kk = 0; kk < TILE_K / 16; kk++) {
        pf[kk][0] = pack_bf16x2(sc[2 * kk][0], sc[2 * kk][1]);
        pf[kk][1] = pack_bf16x2(sc[2 * kk][2], sc[2 * kk][3]);
        pf[kk][2] = pack_bf16x2(sc[2 * kk + 1][0], sc[2 * kk + 1][1]);
        pf[kk][3] = pack_bf16x2(sc[2 * kk + 1][2], sc[2 * kk + 1][3]);
    }
}

// O += P V for one key tile.
__device__ __forceinline__ void pv_tile(unsigned v_tile, const unsigned (&pf)[TILE_K / 16][4], float (&o)[HEAD_DIM / 8][4],
                                        int lane)
{
#pragma unroll
    for (int kk = 0; kk < TILE_K / 16; kk++) {
#pragma unroll
        for (int dp = 0; dp < HEAD_DIM / 16; dp++) {
            unsigned b[4];
            ldmatrix_x4_trans(v_tile + swizzle(kk * 16 + (lane & 7) + (((lane >> 3) & 1) << 3), dp * 2 + (lane >> 4)) * 16, b);
            mma_bf16(o[2 * dp], pf[kk], b[0], b[1]);
            mma_bf16(o[2 * dp + 1], pf[kk], b[2], b[3]);
        }
    }
}

#define TILE_BYTES (TILE_K * CHUNKS * 16)

extern "C" __global__ void __launch_bounds__(PF_THREADS, PF_MIN_BLOCKS)
prefill_attention(const uint4* __restrict__ qkv, const kv_vec* __restrict__ k_cache, const kv_vec* __restrict__ v_cache,
                  const float* __restrict__ kv_scale, const int* __restrict__ seq_start, const int* __restrict__ context_lens,
                  const int* __restrict__ block_tables, int max_blocks_per_seq, const int* __restrict__ tile_offsets,
                  int num_seqs, unsigned* __restrict__ out, float scale)
{
    grid_dependency_sync();
#if PF_STAGES == 2
    extern __shared__ __align__(128) uint4 smem[];  // [K0 | V0 | K1 | V1], 4 * TILE_BYTES of dynamic shared memory
#else
    __shared__ __align__(128) uint4 smem[2 * TILE_K * CHUNKS];  // [K | V]
#endif
    const unsigned base = smem_addr(smem);

    // Which sequence and which of its query tiles: the last s with tile_offsets[s] <= blockIdx.y.
    const int bt = blockIdx.y;
    int lo = 0, hi = num_seqs - 1;
    while (lo < hi) {
        const int mid = (lo + hi + 1) >> 1;
        if (tile_offsets[mid] <= bt) lo = mid; else hi = mid - 1;
    }
    const int s = lo;
    const int q_begin = seq_start[s];
    const int q_len = seq_start[s + 1] - q_begin;
    const int ntiles_q = tile_offsets[s + 1] - tile_offsets[s];
    const int qt = ntiles_q - 1 - (bt - tile_offsets[s]);  // longest tiles first: better tail balance
    const int ctx = context_lens[s];
    const int pos0 = ctx - q_len;                          // position of the chunk's first query
    const int row0 = qt * TILE_Q;                          // first chunk row of this tile
    const int rows = min(TILE_Q, q_len - row0);
    const int kv_len = pos0 + row0 + rows;                 // keys the tile's last valid row can see
    const int ntiles_k = (kv_len + TILE_K - 1) / TILE_K;
    const int head = blockIdx.x, kv_head = head / GQA;
    const int* table = block_tables + (long long)s * max_blocks_per_seq;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;

    // Q tile -> shared (through the first K buffer) -> A fragments held in registers for the whole loop.
#pragma unroll
    for (int i = 0; i < TILE_Q * CHUNKS / PF_THREADS; i++) {
        const int c = threadIdx.x + i * PF_THREADS;
        const int row = c / CHUNKS, ch = c % CHUNKS;
        const bool ok = row < rows;
        const long long src = ok ? (long long)(q_begin + row0 + row) * QKV_VECS + head * CHUNKS + ch : 0;
        cp_async16(base + swizzle(row, ch) * 16, qkv + src, ok);
    }
    cp_async_commit();
    cp_async_wait<0>();
    __syncthreads();
    unsigned qf[HEAD_DIM / 16][4];
#pragma unroll
    for (int kk = 0; kk < HEAD_DIM / 16; kk++)
        ldmatrix_x4(base + swizzle(warp * 16 + (lane & 15), kk * 2 + (lane >> 4)) * 16, qf[kk]);
    __syncthreads();

    float o[HEAD_DIM / 8][4];
#pragma unroll
    for (int n = 0; n < HEAD_DIM / 8; n++) o[n][0] = o[n][1] = o[n][2] = o[n][3] = 0.f;
    float m[2] = {NEG_BIG, NEG_BIG}, l[2] = {0.f, 0.f};
    const float scale_log2 = scale * LOG2E * kv_scale_of(kv_scale, 0);
    const int pos_r0 = pos0 + row0 + warp * 16 + (lane >> 2);  // position of this lane's first row (second: +8)
    float sc[TILE_K / 8][4];
    unsigned pf[TILE_K / 16][4];

#if PF_STAGES == 2
    // Tile j+1 loads while tile j computes; two barriers per tile.
    load_kv_tile(base, k_cache, table, kv_head, 0, kv_len);
    load_kv_tile(base + TILE_BYTES, v_cache, table, kv_head, 0, kv_len);
    cp_async_commit();
    if (ntiles_k > 1) {
        load_kv_tile(base + 2 * TILE_BYTES, k_cache, table, kv_head, 1, kv_len);
        load_kv_tile(base + 3 * TILE_BYTES, v_cache, table, kv_head, 1, kv_len);
    }
    cp_async_commit();
    for (int j = 0; j < ntiles_k; j++) {
        const unsigned kb = base + (j & 1) * 2 * TILE_BYTES, vb = kb + TILE_BYTES;
        cp_async_wait<1>();  // tile j has landed (tile j+1 may still be in flight)
        __syncthreads();
        qk_tile(kb, qf, sc, lane);
        softmax_tile(sc, m, l, o, pf, (j + 1) * TILE_K - 1 > pos0 + row0, j * TILE_K, pos_r0, scale_log2, lane);
        pv_tile(vb, pf, o, lane);
        __syncthreads();  // every warp is done with this stage before it is refilled
        if (j + 2 < ntiles_k) {
            load_kv_tile(kb, k_cache, table, kv_head, j + 2, kv_len);
            load_kv_tile(vb, v_cache, table, kv_head, j + 2, kv_len);
        }
        cp_async_commit();  // possibly empty: keeps the wait counts uniform
    }
#else
    // One K and one V buffer: K tile j+1 loads during the PV product of tile j, V tile j during its QK product.
    const unsigned kb = base, vb = base + TILE_BYTES;
    load_kv_tile(kb, k_cache, table, kv_head, 0, kv_len);
    cp_async_commit();
    for (int j = 0; j < ntiles_k; j++) {
        load_kv_tile(vb, v_cache, table, kv_head, j, kv_len);
        cp_async_commit();
        cp_async_wait<1>();  // K tile j has landed (V tile j may still be in flight)
        __syncthreads();
        qk_tile(kb, qf, sc, lane);
        __syncthreads();  // every warp is done with K tile j
        if (j + 1 < ntiles_k) load_kv_tile(kb, k_cache, table, kv_head, j + 1, kv_len);
        cp_async_commit();  // possibly empty: keeps the wait counts uniform
        softmax_tile(sc, m, l, o, pf, (j + 1) * TILE_K - 1 > pos0 + row0, j * TILE_K, pos_r0, scale_log2, lane);
        cp_async_wait<1>();  // V tile j has landed (K tile j+1 may still be in flight)
        __syncthreads();
        pv_tile(vb, pf, o, lane);
        __syncthreads();  // every warp is done with V tile j before it is overwritten
    }
#endif
    cp_async_wait<0>();

#pragma unroll
    for (int r = 0; r < 2; r++) {
        l[r] += __shfl_xor_sync(0xffffffffu, l[r], 1);
        l[r] += __shfl_xor_sync(0xffffffffu, l[r], 2);
    }
    const int tr0 = warp * 16 + (lane >> 2);  // tile rows of this lane
#pragma unroll
    for (int r = 0; r < 2; r++) {
        const int tr = tr0 + 8 * r;
        if (tr >= rows) continue;
        const float inv = kv_scale_of(kv_scale, 1) / l[r];
        unsigned* dst = out + (long long)(q_begin + row0 + tr) * OUT_WORDS + head * (HEAD_DIM / 2) + (lane & 3);
#pragma unroll
        for (int n = 0; n < HEAD_DIM / 8; n++) dst[n * 4] = pack_bf16x2(o[n][2 * r] * inv, o[n][2 * r + 1] * inv);
    }
}
