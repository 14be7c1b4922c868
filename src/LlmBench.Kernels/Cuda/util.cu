// Small step utilities for the executor.
//
// gather_rows: dst[r, :] = src[rows[r], :]
//   src bf16 [T, WIDTH], rows int32 [R], dst bf16 [R, WIDTH]; grid (R), block (UTIL_THREADS).
//   Picks the last token of each sampling sequence before the LM head (rmsnorm_rows in rmsnorm.cu does the
//   same fused with the final norm; this one is for callers that need the rows unnormalized).
//
// advance_tokens: token_ids[j] = sampled[src_row[j]] where src_row[j] >= 0, else token_ids[j] is left as is.
//   sampled int32 [R] (this step's sampler output), src_row int32 [n], token_ids int32 [n] (next step's input);
//   grid (ceil(n / UTIL_THREADS)), block (UTIL_THREADS).
//   Lets the CPU launch step N+1 before step N's tokens come back: it fills token_ids with the ids it knows
//   (prompt chunks) and, for each decode token, the sampler row of step N that produces it.
//
// mask_tokens: logits[rows[j], ids[j]] = -inf for j < n (bf16 logits [R, vocab]); ids outside [0, vocab) skipped.
//   rows, ids int32 [n]; grid (ceil(n / UTIL_THREADS)), block (UTIL_THREADS).
//   Bans ids for one step (min_tokens keeps the stop ids out of reach) before the sampler reads the logits.
//
// hold_gpu: one thread spins until the global timer has advanced by at least `ns` nanoseconds; grid (1), block (1).
//   Keeps the GPU busy while the host queues work behind it, so that work then runs back to back: the step profiler
//   uses it so that host launch gaps do not enter the per-kernel times it reads from events.
//
// Macros
//   WIDTH         row width in elements for gather_rows, a multiple of 8 (16-byte vectors)
//   UTIL_THREADS  threads per block (default 128)
//
// Compiled by NVRTC alone: no includes (KernelFamily puts programmatic_launch.cuh and bf16.cuh in front); bf16 travels as raw 16-bit words.

#ifndef UTIL_THREADS
#define UTIL_THREADS 128
#endif

#ifdef WIDTH
#if WIDTH % 8 != 0
#error "WIDTH must be a multiple of 8"
#endif

extern "C" __global__ void __launch_bounds__(UTIL_THREADS)
gather_rows(const uint4* __restrict__ src, const int* __restrict__ rows, uint4* __restrict__ dst)
{
    grid_dependency_sync();
    const uint4* s = src + (long long)rows[blockIdx.x] * (WIDTH / 8);
    uint4* d = dst + (long long)blockIdx.x * (WIDTH / 8);
    for (int i = threadIdx.x; i < WIDTH / 8; i += UTIL_THREADS) d[i] = s[i];
}
#endif

extern "C" __global__ void __launch_bounds__(UTIL_THREADS)
advance_tokens(const int* __restrict__ sampled, const int* __restrict__ src_row, int* __restrict__ token_ids, int n)
{
    grid_dependency_sync();
    const int j = blockIdx.x * UTIL_THREADS + threadIdx.x;
    if (j >= n) return;
    const int r = src_row[j];
    if (r >= 0) token_ids[j] = sampled[r];
}

extern "C" __global__ void __launch_bounds__(UTIL_THREADS)
mask_tokens(unsigned short* __restrict__ logits, int vocab, const int* __restrict__ rows, const int* __restrict__ ids, int n)
{
    grid_dependency_sync();
    const int j = blockIdx.x * UTIL_THREADS + threadIdx.x;
    if (j >= n) return;
    const int id = ids[j];
    if (id >= 0 && id < vocab) logits[(long long)rows[j] * vocab + id] = 0xff80u;  // bf16 -inf
}

extern "C" __global__ void hold_gpu(unsigned long long ns)
{
    unsigned long long start, now;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(start));
    do {
        asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now));
    } while (now - start < ns);
}
