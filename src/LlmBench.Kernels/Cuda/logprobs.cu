// Log probabilities of sampled rows on the GPU, as LogprobCalculator computes them on the CPU (vLLM's default "raw"
// logprobs: log_softmax of the LM head's logits before temperature, top-k, top-p or bans). Each job's row is cut into
// `splits` chunks so that a step of few rows still spreads over the GPU (one CTA per row left a 152k row on one SM:
// ~0.2 ms on an H100), in two kernels:
//   row_logprobs_partial  one CTA per (chunk, job) reads its chunk once (8 logits per 16-byte load when vocab is a
//          multiple of 8, one at a time otherwise) and writes a partial record: its max, its sum of exp(logit - max)
//          (each thread keeps a running max and a sum rescaled when its max grows, then the block combines them), and
//          its best top_k (each thread keeps its own best top_k, visiting ids in increasing order so an equal value
//          never displaces an earlier one; top_k rounds of a block-wide argmax over the threads' heads merge them);
//   row_logprobs_merge    one warp per job combines the chunks: lse = max + log sum of the rescaled sums, and top_k
//          rounds of a warp argmax over the chunks' sorted lists (staged in shared memory).
// Ties rank by lower id throughout. The sampled token's log probability is its raw logit (sample_tokens writes it)
// minus lse, taken on the host. NaN logits count as -inf, as in sampling.cu; -inf logits are ordinary candidates (a
// row with fewer finite logits than top_k lists -inf ones, lowest ids first).
//
// Layout
//   logits    bf16 [R, vocab], any vocab >= 1
//   job_rows  int32 [J]: the logits row of each job
//   job_top   int32 [J]: how many top tokens, clamped to [0, LOGPROB_MAX_TOP] and to vocab
//   partials  int32 [J, splits, LOGPROB_PARTIAL]: max, sum (fp32 bits), count, ids [MAX_TOP], values [MAX_TOP] (fp32 bits)
//   out       int32 [J, 1 + 2 * LOGPROB_MAX_TOP]: lse (fp32 bits), ids [LOGPROB_MAX_TOP], logprobs [LOGPROB_MAX_TOP]
//             (fp32 bits); slots past the job's count are left as they were
// Launch
//   row_logprobs_partial  grid (splits, J), block (LOGPROB_THREADS); chunk: logits per split, a multiple of 8 with
//                         splits * chunk >= vocab (trailing splits may be empty). LOGPROB_UNROLL: 16-byte loads a
//                         thread has in flight (default 4).
//   row_logprobs_merge    grid (J), block (32); splits <= LOGPROB_MAX_SPLITS (32).
//
// Compiled by NVRTC alone: no includes (KernelFamily puts programmatic_launch.cuh and bf16.cuh in front).

#ifndef LOGPROB_MAX_TOP
#define LOGPROB_MAX_TOP 20
#endif
#ifndef LOGPROB_THREADS
#define LOGPROB_THREADS 256
#endif
#define LOGPROB_MAX_SPLITS 32
#ifndef LOGPROB_UNROLL
#define LOGPROB_UNROLL 4
#endif
#define LOGPROB_WARPS (LOGPROB_THREADS / 32)
#define LOGPROB_RECORD (1 + 2 * LOGPROB_MAX_TOP)
#define LOGPROB_PARTIAL (3 + 2 * LOGPROB_MAX_TOP)
#define NEG_INF (-__int_as_float(0x7f800000))

// (v, i) ranks above (w, j): higher value, lower id on ties.
__device__ __forceinline__ bool ranks_above(float v, int i, float w, int j) { return v > w || (v == w && i < j); }

__device__ __forceinline__ void warp_argmax(float& v, int& i)
{
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) {
        const float ov = __shfl_xor_sync(0xffffffffu, v, off);
        const int oi = __shfl_xor_sync(0xffffffffu, i, off);
        if (ranks_above(ov, oi, v, i)) { v = ov; i = oi; }
    }
}

// Every thread gets the block's best (v, i).
__device__ __forceinline__ void block_argmax(float& v, int& i)
{
    __shared__ float sv[LOGPROB_WARPS];
    __shared__ int si[LOGPROB_WARPS];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    warp_argmax(v, i);
    if (lane == 0) { sv[warp] = v; si[warp] = i; }
    __syncthreads();
    v = lane < LOGPROB_WARPS ? sv[lane] : NEG_INF;
    i = lane < LOGPROB_WARPS ? si[lane] : 0x7fffffff;
    warp_argmax(v, i);
    __syncthreads();  // sv/si are rewritten by the next round
}

__device__ __forceinline__ float block_max(float v)
{
    __shared__ float sm[LOGPROB_WARPS];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, off));
    if (lane == 0) sm[warp] = v;
    __syncthreads();
    v = lane < LOGPROB_WARPS ? sm[lane] : NEG_INF;
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, off));
    __syncthreads();
    return v;
}

__device__ __forceinline__ float block_sum(float v)
{
    __shared__ float ss[LOGPROB_WARPS];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) v += __shfl_xor_sync(0xffffffffu, v, off);
    if (lane == 0) ss[warp] = v;
    __syncthreads();
    v = lane < LOGPROB_WARPS ? ss[lane] : 0.f;
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) v += __shfl_xor_sync(0xffffffffu, v, off);
    __syncthreads();
    return v;
}

// A thread's own best k (value, id), best first, n of them filled. Loops run over the constant LOGPROB_MAX_TOP
// with guards so the arrays stay in registers.
struct TopList {
    float v[LOGPROB_MAX_TOP];
    int i[LOGPROB_MAX_TOP];
    int n;
    float floor_v;  // the k-th value once full: a candidate must beat it strictly

    __device__ __forceinline__ float value_at(int p) const
    {
        float r = NEG_INF;
#pragma unroll
        for (int j = 0; j < LOGPROB_MAX_TOP; j++) if (j == p) r = v[j];
        return r;
    }

    __device__ __forceinline__ int id_at(int p) const
    {
        int r = 0x7fffffff;
#pragma unroll
        for (int j = 0; j < LOGPROB_MAX_TOP; j++) if (j == p) r = i[j];
        return r;
    }

    // Candidates arrive in increasing id order, so on equal values the one already kept ranks first.
    __device__ __forceinline__ void offer(float x, int id, int k)
    {
        if (n == k && !(x > floor_v)) return;
        if (n < k) n++;
        bool placed = false;
#pragma unroll
        for (int j = LOGPROB_MAX_TOP - 1; j >= 0; j--) {
            if (j < n && !placed) {
                if (j > 0 && v[j - 1] < x) { v[j] = v[j - 1]; i[j] = i[j - 1]; }
                else { v[j] = x; i[j] = id; placed = true; }
            }
        }
        if (n == k) floor_v = value_at(k - 1);
    }
};

// One logit into a thread's running max m, its rescaled sum s (online softmax) and its top list. A thread visits
// ids in increasing order (so an equal value never displaces an earlier id).
__device__ __forceinline__ void visit(float x, int id, int k, float& m, float& s, TopList& top)
{
    if (x != x) x = NEG_INF;
    if (x > m) {
        s = s * expf(m - x) + 1.f;  // m = -inf the first time: the empty sum stays 0
        m = x;
    } else if (x != NEG_INF) {
        s += expf(x - m);
    }
    if (k > 0) top.offer(x, id, k);
}

__device__ __forceinline__ int clamp_top(int k, int vocab)
{
    k = k < 0 ? 0 : (k > LOGPROB_MAX_TOP ? LOGPROB_MAX_TOP : k);
    return k > vocab ? vocab : k;
}

extern "C" __global__ void __launch_bounds__(LOGPROB_THREADS)
row_logprobs_partial(const unsigned short* __restrict__ logits, int vocab, int chunk, const int* __restrict__ job_rows,
                     const int* __restrict__ job_top, int* __restrict__ partials)
{
    grid_dependency_sync();
    const int job = blockIdx.y, split = blockIdx.x;
    const unsigned short* row = logits + (long long)job_rows[job] * vocab;
    const int k = clamp_top(job_top[job], vocab);
    const int begin = min(split * chunk, vocab), end = min(begin + chunk, vocab);

    float m = NEG_INF, s = 0.f;
    TopList top;
    top.n = 0;
    top.floor_v = NEG_INF;
    if ((vocab & 7) == 0) {
        // Rows and chunks of a multiple of 8 start 16-byte aligned: each thread reads 8 logits per load and issues
        // LOGPROB_UNROLL loads before using any, so the CTA keeps enough bytes in flight to stream its chunk.
        const uint4* row8 = reinterpret_cast<const uint4*>(row + begin);
        const int chunks = (end - begin) >> 3;
        for (int c0 = threadIdx.x; c0 < chunks; c0 += LOGPROB_THREADS * LOGPROB_UNROLL) {
            uint4 v[LOGPROB_UNROLL];
#pragma unroll
            for (int u = 0; u < LOGPROB_UNROLL; u++) {
                const int c = c0 + u * LOGPROB_THREADS;
                if (c < chunks) v[u] = row8[c];
            }
#pragma unroll
            for (int u = 0; u < LOGPROB_UNROLL; u++) {
                const int c = c0 + u * LOGPROB_THREADS;
                if (c < chunks) {
                    float f[8];
                    unpack8(v[u], f);
#pragma unroll
                    for (int e = 0; e < 8; e++) visit(f[e], begin + c * 8 + e, k, m, s, top);
                }
            }
        }
    } else {
        for (int id = begin + threadIdx.x; id < end; id += LOGPROB_THREADS)
            visit(__uint_as_float((unsigned)row[id] << 16), id, k, m, s, top);
    }
    const float chunk_max = block_max(m);
    const float chunk_sum = block_sum(m == NEG_INF ? 0.f : s * expf(m - chunk_max));
    int* partial = partials + ((long long)job * gridDim.x + split) * LOGPROB_PARTIAL;
    const int count = min(k, end - begin);
    if (threadIdx.x == 0) {
        partial[0] = __float_as_int(chunk_max);
        partial[1] = __float_as_int(chunk_sum);
        partial[2] = count;
    }

    int head = 0;
    for (int t = 0; t < count; t++) {
        float v = head < top.n ? top.value_at(head) : NEG_INF;
        int id = head < top.n ? top.id_at(head) : 0x7fffffff;
        const int mine = id;
        block_argmax(v, id);
        if (mine == id) head++;  // ids are unique across threads: only the winner advances
        if (threadIdx.x == 0) {
            partial[3 + t] = id;
            partial[3 + LOGPROB_MAX_TOP + t] = __float_as_int(v);
        }
    }
}

extern "C" __global__ void __launch_bounds__(32)
row_logprobs_merge(int vocab, int splits, const int* __restrict__ job_top, const int* __restrict__ partials,
                   int* __restrict__ out)
{
    __shared__ float sv[LOGPROB_MAX_SPLITS][LOGPROB_MAX_TOP];
    __shared__ int si[LOGPROB_MAX_SPLITS][LOGPROB_MAX_TOP];
    grid_dependency_sync();
    const int job = blockIdx.x, lane = threadIdx.x;
    const int k = clamp_top(job_top[job], vocab);
    const int* mine = partials + ((long long)job * splits + lane) * LOGPROB_PARTIAL;
    const bool has = lane < splits;
    const float m = has ? __int_as_float(mine[0]) : NEG_INF;
    const float sum = has ? __int_as_float(mine[1]) : 0.f;
    const int count = has ? mine[2] : 0;

    float row_max = m;
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) row_max = fmaxf(row_max, __shfl_xor_sync(0xffffffffu, row_max, off));
    float total = m == NEG_INF ? 0.f : sum * expf(m - row_max);
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) total += __shfl_xor_sync(0xffffffffu, total, off);
    const float lse = row_max + logf(total);
    int* record = out + (long long)job * LOGPROB_RECORD;
    if (lane == 0) record[0] = __float_as_int(lse);
    if (k == 0) return;

    // Each lane stages its own chunk's list (shared memory rather than a dynamically indexed local array) and reads
    // back only what it wrote, so no barrier is needed.
    for (int t = 0; t < count; t++) {
        si[lane][t] = mine[3 + t];
        sv[lane][t] = __int_as_float(mine[3 + LOGPROB_MAX_TOP + t]);
    }
    int head = 0;
    for (int t = 0; t < k; t++) {
        float v = head < count ? sv[lane][head] : NEG_INF;
        int id = head < count ? si[lane][head] : 0x7fffffff;
        const int own = id;
        warp_argmax(v, id);
        if (own == id) head++;
        if (lane == 0) {
            record[1 + t] = id;
            record[1 + LOGPROB_MAX_TOP + t] = __float_as_int(v - lse);
        }
    }
}
