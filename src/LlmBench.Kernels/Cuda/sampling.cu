// Token sampling on the GPU: one CTA of 1024 threads per sampling row, so only token ids leave the device.
//
//   temperature <= 0 : greedy argmax (lowest index on ties).
//   otherwise        : Gumbel-max over the allowed tokens: argmax_i (logit_i / T + G_i), which draws exactly from
//                      softmax(logit / T) restricted to them. G_i = -log(-log(U_i)) with U_i from Philox4x32-10
//                      keyed by the row's seed and counted by (i / 4, step): the draw depends only on
//                      (seed, step, logits), never on the batch around it.
//   top-k (0 < k < vocab): allowed = logits >= the k-th largest (ties at the threshold are all kept).
//   top-p (0 < p < 1)    : after top-k, allowed = the largest logits whose softmax mass (renormalized over the
//                          top-k set) first reaches p; ties at the threshold are all kept.
// Thresholds come from a radix select on the logits' order-preserving 32-bit keys (11 + 11 + 10 bits, one pass
// over the row each), with no sort. Softmax masses for top-p are summed in 2^-32 fixed point so the threshold
// is the same whatever order the atomics land in. NaN logits count as -inf.
//
// Layout
//   logits       fp32 [R, vocab] (or bf16 with -DLOGITS_BF16=1), vocab a multiple of 4
//   temperature  fp32 [R]; top_k int32 [R] (<= 0 or >= vocab: off); top_p fp32 [R] (>= 1: off)
//   seeds        uint64 [R]; steps int32 [R] (the sequence's output index: the same request draws the same way)
//   out_tokens   int32 [R]
//   out_logits   fp32 [R] or null: the sampled token's logit as read (NaN as -inf), for log probabilities
// Launch
//   sample_tokens  grid (R), block (1024), 24 KB static shared memory.
//   sample_tokens_split  grid (chunks, R), block (1024): the same tokens with rows spread over chunks (see there).
//   philox4x32     grid (ceil(n/128)), block (128): raw generator output for tests of the host-side reference.
// Passes over the row: greedy or temperature alone 1; top-k 4; top-p 5; both 8.
//
// Compiled by NVRTC alone: no includes (KernelFamily puts programmatic_launch.cuh and bf16.cuh in front).

#ifndef LOGITS_BF16
#define LOGITS_BF16 0
#endif
#ifndef SAMPLE_SPLIT
#define SAMPLE_SPLIT 0  // 1: also compile sample_tokens_split
#endif
#define SAMPLE_THREADS 1024
#define NUM_BINS 2048
#define LOG2E 1.4426950408889634f

// ---- Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3") ----
__device__ __forceinline__ uint4 philox4x32_10(uint4 ctr, unsigned k0, unsigned k1)
{
#pragma unroll
    for (int r = 0; r < 10; r++) {
        if (r > 0) {
            k0 += 0x9E3779B9u;
            k1 += 0xBB67AE85u;
        }
        const unsigned hi0 = __umulhi(0xD2511F53u, ctr.x), lo0 = 0xD2511F53u * ctr.x;
        const unsigned hi1 = __umulhi(0xCD9E8D57u, ctr.z), lo1 = 0xCD9E8D57u * ctr.z;
        ctr = make_uint4(hi1 ^ ctr.y ^ k0, lo1, hi0 ^ ctr.w ^ k1, lo0);
    }
    return ctr;
}

extern "C" __global__ void philox4x32(const uint4* __restrict__ counters, const unsigned long long* __restrict__ keys,
                                      uint4* __restrict__ out, int n)
{
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = philox4x32_10(counters[i], (unsigned)keys[i], (unsigned)(keys[i] >> 32));
}

// Gumbel noise from 32 random bits: U in [2^-24, 1 - 2^-24] (never 0 or 1, where the noise would be infinite),
// so G <= -log(-log(1 - 2^-24)) = 16.64 < GUMBEL_BOUND.
#define GUMBEL_BOUND 17.0f
__device__ __forceinline__ float gumbel(unsigned bits)
{
    const float u = ((float)(bits >> 9) + 0.5f) * (1.0f / 8388608.0f);
    return -logf(-logf(u));
}

// ---- logits access: 4 consecutive values at group g (element 4g) ----
__device__ __forceinline__ void load4(const void* row, int g, float* v)
{
#if LOGITS_BF16
    const uint2 w = reinterpret_cast<const uint2*>(row)[g];
    v[0] = __uint_as_float(w.x << 16);
    v[1] = __uint_as_float(w.x & 0xffff0000u);
    v[2] = __uint_as_float(w.y << 16);
    v[3] = __uint_as_float(w.y & 0xffff0000u);
#else
    const float4 f = reinterpret_cast<const float4*>(row)[g];
    v[0] = f.x; v[1] = f.y; v[2] = f.z; v[3] = f.w;
#endif
#pragma unroll
    for (int e = 0; e < 4; e++)
        if (v[e] != v[e]) v[e] = -__int_as_float(0x7f800000);  // NaN -> -inf
}

// Order-preserving map float -> uint32 (larger float, larger key).
__device__ __forceinline__ unsigned order_key(float f)
{
    const unsigned u = __float_as_uint(f);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

// ---- block reductions (1024 threads) ----
__device__ __forceinline__ void block_argmax(float& v, int& i)
{
    __shared__ float sv[32];
    __shared__ int si[32];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) {
        const float ov = __shfl_xor_sync(0xffffffffu, v, off);
        const int oi = __shfl_xor_sync(0xffffffffu, i, off);
        if (ov > v || (ov == v && oi < i)) { v = ov; i = oi; }
    }
    if (lane == 0) { sv[warp] = v; si[warp] = i; }
    __syncthreads();
    v = sv[lane];
    i = si[lane];
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) {
        const float ov = __shfl_xor_sync(0xffffffffu, v, off);
        const int oi = __shfl_xor_sync(0xffffffffu, i, off);
        if (ov > v || (ov == v && oi < i)) { v = ov; i = oi; }
    }
    __syncthreads();  // sv/si may be reused by the caller's next reduction
}

__device__ __forceinline__ float block_max(float v)
{
    __shared__ float sm[32];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, off));
    if (lane == 0) sm[warp] = v;
    __syncthreads();
    v = sm[lane];
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, off));
    __syncthreads();
    return v;
}

// Exclusive prefix sum over the threads in index order; *total gets the sum of all.
__device__ __forceinline__ unsigned long long block_exclusive_scan(unsigned long long v, unsigned long long* total)
{
    __shared__ unsigned long long warp_sums[32];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    unsigned long long x = v;
#pragma unroll
    for (int off = 1; off < 32; off <<= 1) {
        const unsigned long long y = __shfl_up_sync(0xffffffffu, x, off);
        if (lane >= off) x += y;
    }
    if (lane == 31) warp_sums[warp] = x;
    __syncthreads();
    if (warp == 0) {
        unsigned long long w = warp_sums[lane];
#pragma unroll
        for (int off = 1; off < 32; off <<= 1) {
            const unsigned long long y = __shfl_up_sync(0xffffffffu, w, off);
            if (lane >= off) w += y;
        }
        warp_sums[lane] = w;  // inclusive over warps
    }
    __syncthreads();
    const unsigned long long before = warp == 0 ? 0ull : warp_sums[warp - 1];
    *total = warp_sums[31];
    __syncthreads();
    return before + x - v;
}

// Radix select: the largest key tau with weight(keys >= tau among keys >= floor_key) >= target, where the weight
// of a token is 1 (top-k: target = k) or its softmax mass in 2^-32 units (top-p: target = ceil(p * total mass)).
__device__ unsigned radix_select(const void* row, int groups, unsigned floor_key, bool by_mass, float mx,
                                 float inv_t_log2, float top_p, unsigned long long target)
{
    __shared__ unsigned long long hist[NUM_BINS];
    __shared__ unsigned sel_digit;
    __shared__ unsigned long long sel_above;
    unsigned prefix = 0, prefix_mask = 0;
    for (int pass = 0; pass < 3; pass++) {
        const int shift = pass == 0 ? 21 : (pass == 1 ? 10 : 0);
        const unsigned digit_mask = pass == 2 ? 0x3ffu : 0x7ffu;
        for (int b = threadIdx.x; b < NUM_BINS; b += SAMPLE_THREADS) hist[b] = 0ull;
        __syncthreads();
        for (int g = threadIdx.x; g < groups; g += SAMPLE_THREADS) {
            float v[4];
            load4(row, g, v);
#pragma unroll
            for (int e = 0; e < 4; e++) {
                const unsigned key = order_key(v[e]);
                if (key >= floor_key && (key & prefix_mask) == prefix) {
                    const unsigned long long w = by_mass ? __float2ull_rn(exp2f((v[e] - mx) * inv_t_log2) * 4294967296.0f) : 1ull;
                    if (w != 0ull) atomicAdd(&hist[(key >> shift) & digit_mask], w);
                }
            }
        }
        __syncthreads();
        // Thread t owns bins 2047-2t and 2046-2t: index order is descending key order.
        const unsigned long long h0 = hist[NUM_BINS - 1 - 2 * threadIdx.x], h1 = hist[NUM_BINS - 2 - 2 * threadIdx.x];
        unsigned long long total;
        const unsigned long long above = block_exclusive_scan(h0 + h1, &total);
        if (by_mass && pass == 0) {
            target = (unsigned long long)ceil((double)top_p * (double)total);
            if (target == 0ull) target = 1ull;
        }
        if (above < target && above + h0 >= target) {
            sel_digit = NUM_BINS - 1 - 2 * threadIdx.x;
            sel_above = above;
        } else if (above + h0 < target && above + h0 + h1 >= target) {
            sel_digit = NUM_BINS - 2 - 2 * threadIdx.x;
            sel_above = above + h0;
        }
        __syncthreads();
        prefix |= sel_digit << shift;
        prefix_mask |= digit_mask << shift;
        target -= sel_above;
        __syncthreads();  // sel_* and hist are rewritten by the next pass
    }
    return prefix;
}

// This thread's best (score, index) over groups g0 + threadIdx.x, g0 + threadIdx.x + SAMPLE_THREADS, ... < g1:
// the logit itself when greedy, else logit / t + Gumbel noise for tokens whose key is at least the threshold.
__device__ __forceinline__ void scan_best(const void* row, int g0, int g1, float t, unsigned threshold,
                                          unsigned long long seed, unsigned step, float& best, int& best_i)
{
    if (!(t > 0.f)) {
        for (int g = g0 + threadIdx.x; g < g1; g += SAMPLE_THREADS) {
            float v[4];
            load4(row, g, v);
#pragma unroll
            for (int e = 0; e < 4; e++)
                if (v[e] > best || (v[e] == best && 4 * g + e < best_i)) { best = v[e]; best_i = 4 * g + e; }
        }
        return;
    }
    const float inv_t = 1.f / t;
    // A token whose scaled logit trails this thread's best by more than the largest possible noise cannot
    // win: skipping its random numbers and logarithms changes no result and saves most of the arithmetic.
    for (int g = g0 + threadIdx.x; g < g1; g += SAMPLE_THREADS) {
        float z[4];
        load4(row, g, z);
#pragma unroll
        for (int e = 0; e < 4; e++) z[e] = order_key(z[e]) < threshold ? -__int_as_float(0x7f800000) : z[e] * inv_t;
        if (fmaxf(fmaxf(z[0], z[1]), fmaxf(z[2], z[3])) < best - GUMBEL_BOUND) continue;
        const uint4 bits = philox4x32_10(make_uint4((unsigned)g, step, 0u, 0u), (unsigned)seed, (unsigned)(seed >> 32));
        const unsigned b[4] = {bits.x, bits.y, bits.z, bits.w};
#pragma unroll
        for (int e = 0; e < 4; e++) {
            if (z[e] < best - GUMBEL_BOUND) continue;
            const float score = z[e] + gumbel(b[e]);
            if (score > best || (score == best && 4 * g + e < best_i)) { best = score; best_i = 4 * g + e; }
        }
    }
}

// Writes row r's token (and its logit) from the CTA's winner; thread 0 of the CTA.
__device__ __forceinline__ void write_token(const void* row, int vocab, int r, int best_i, int* __restrict__ out_tokens, float* __restrict__ out_logits)
{
    if (threadIdx.x == 0) {
        const int token = best_i < vocab ? best_i : 0;
        out_tokens[r] = token;
        if (out_logits) {
            float v[4];
            load4(row, token / 4, v);
            out_logits[r] = v[token % 4];
        }
    }
}

__device__ __forceinline__ const void* row_of(const void* logits, int r, int vocab)
{
#if LOGITS_BF16
    return reinterpret_cast<const unsigned short*>(logits) + (long long)r * vocab;
#else
    return reinterpret_cast<const float*>(logits) + (long long)r * vocab;
#endif
}

// Row r sampled by one CTA: the thresholds of top-k and top-p over the whole row, then the best score.
__device__ __forceinline__ void sample_row(const void* row, int vocab, int r, const float* __restrict__ temperature,
                                           const int* __restrict__ top_k, const float* __restrict__ top_p,
                                           const unsigned long long* __restrict__ seeds, const int* __restrict__ steps,
                                           int* __restrict__ out_tokens, float* __restrict__ out_logits)
{
    const int groups = vocab / 4;
    const float t = temperature[r];
    float best = -__int_as_float(0x7f800000);
    int best_i = 0x7fffffff;
    unsigned threshold = 0u;
    if (t > 0.f) {
        const float inv_t = 1.f / t;
        const int k = top_k[r];
        const float p = top_p[r];
        if (k > 0 && k < vocab) threshold = radix_select(row, groups, 0u, false, 0.f, 0.f, 0.f, (unsigned long long)k);
        if (p > 0.f && p < 1.f) {
            float mx = -__int_as_float(0x7f800000);
            for (int g = threadIdx.x; g < groups; g += SAMPLE_THREADS) {
                float v[4];
                load4(row, g, v);
                mx = fmaxf(fmaxf(mx, fmaxf(v[0], v[1])), fmaxf(v[2], v[3]));
            }
            mx = block_max(mx);
            threshold = radix_select(row, groups, threshold, true, mx, inv_t * LOG2E, p, 0ull);
        }
    }
    scan_best(row, 0, groups, t, threshold, t > 0.f ? seeds[r] : 0ull, t > 0.f ? (unsigned)steps[r] : 0u, best, best_i);
    block_argmax(best, best_i);
    write_token(row, vocab, r, best_i, out_tokens, out_logits);
}

extern "C" __global__ void __launch_bounds__(SAMPLE_THREADS)
sample_tokens(const void* __restrict__ logits, int vocab, const float* __restrict__ temperature,
              const int* __restrict__ top_k, const float* __restrict__ top_p,
              const unsigned long long* __restrict__ seeds, const int* __restrict__ steps, int* __restrict__ out_tokens,
              float* __restrict__ out_logits)
{
    grid_dependency_sync();
    const int r = blockIdx.x;
    sample_row(row_of(logits, r, vocab), vocab, r, temperature, top_k, top_p, seeds, steps, out_tokens, out_logits);
}

#if SAMPLE_SPLIT
// sample_tokens with each row cut into gridDim.x chunks (grid (chunks, R)), for rows without top-k or top-p (greedy
// or temperature alone): each chunk's CTA finds its best (score, index) with the same per-token arithmetic, writes
// it to part_score / part_index [R, chunks], fences it and counts itself on counters[r] (zero before the launch);
// the chunk that finishes last takes the best of the row's partials (lowest index on ties, as one CTA would) and
// writes the token, then sets the counter back to zero. So the same token and logit as sample_tokens, bit for bit,
// with the row spread over many SMs. A row with top-k or top-p needs thresholds over the whole row: chunk 0 samples
// it alone as sample_tokens does, and the other chunks return.
extern "C" __global__ void __launch_bounds__(SAMPLE_THREADS)
sample_tokens_split(const void* __restrict__ logits, int vocab, const float* __restrict__ temperature,
                    const int* __restrict__ top_k, const float* __restrict__ top_p,
                    const unsigned long long* __restrict__ seeds, const int* __restrict__ steps, int* __restrict__ out_tokens,
                    float* __restrict__ out_logits, float* part_score, int* part_index, unsigned int* counters)
{
    grid_dependency_sync();
    const int r = blockIdx.y, c = blockIdx.x, chunks = gridDim.x;
    const void* row = row_of(logits, r, vocab);
    const float t = temperature[r];
    const int k = top_k[r];
    const float p = top_p[r];
    if (t > 0.f && ((k > 0 && k < vocab) || (p > 0.f && p < 1.f))) {
        if (c == 0) sample_row(row, vocab, r, temperature, top_k, top_p, seeds, steps, out_tokens, out_logits);
        return;
    }
    const int groups = vocab / 4;
    const int per_chunk = (groups + chunks - 1) / chunks;
    const int g0 = min(groups, c * per_chunk), g1 = min(groups, g0 + per_chunk);
    float best = -__int_as_float(0x7f800000);
    int best_i = 0x7fffffff;
    scan_best(row, g0, g1, t, 0u, t > 0.f ? seeds[r] : 0ull, t > 0.f ? (unsigned)steps[r] : 0u, best, best_i);
    block_argmax(best, best_i);

    if (threadIdx.x == 0) {
        part_score[(long long)r * chunks + c] = best;
        part_index[(long long)r * chunks + c] = best_i;
    }
    if (!finished_last(counters + r, (unsigned int)chunks)) return;
    best = -__int_as_float(0x7f800000);
    best_i = 0x7fffffff;
    for (int q = threadIdx.x; q < chunks; q += SAMPLE_THREADS) {
        const float v = load_l2(part_score + (long long)r * chunks + q);
        const int i = load_l2(part_index + (long long)r * chunks + q);
        if (v > best || (v == best && i < best_i)) { best = v; best_i = i; }
    }
    block_argmax(best, best_i);
    write_token(row, vocab, r, best_i, out_tokens, out_logits);
    reset_counter(counters + r);  // ready for the next launch
}
#endif
