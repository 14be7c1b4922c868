// Embedding gather: out[t, :] = table[token_ids[t], :].
//
// Layout
//   token_ids  int32 [T]
//   table      bf16  [vocab, HIDDEN] row-major
//   out        bf16  [T, HIDDEN]     row-major
// Launch
//   grid (T), block (EMB_THREADS); each thread copies 16-byte vectors of its row.
// Macros (from the host with -D)
//   HIDDEN       row width in elements, a multiple of 8
//   EMB_THREADS  threads per block (default 128)
// A token id outside [0, vocab) writes a zero row instead of reading outside the table:
// the host validates ids, this only keeps a bad id from faulting the context.
//
// Compiled by NVRTC alone: no includes (KernelFamily puts programmatic_launch.cuh and bf16.cuh in front); bf16 travels as raw 16-bit words.

#ifndef HIDDEN
#error "HIDDEN must be defined"
#endif
#ifndef EMB_THREADS
#define EMB_THREADS 128
#endif
#if HIDDEN % 8 != 0
#error "HIDDEN must be a multiple of 8"
#endif

extern "C" __global__ void __launch_bounds__(EMB_THREADS)
embedding_gather(const int* __restrict__ token_ids, const uint4* __restrict__ table, uint4* __restrict__ out,
                 int vocab)
{
    grid_dependency_sync();
    const int t = blockIdx.x;
    const int id = token_ids[t];
    const bool valid = id >= 0 && id < vocab;
    const uint4* src = table + (long long)(valid ? id : 0) * (HIDDEN / 8);
    uint4* dst = out + (long long)t * (HIDDEN / 8);
    for (int i = threadIdx.x; i < HIDDEN / 8; i += EMB_THREADS) {
        dst[i] = valid ? src[i] : make_uint4(0u, 0u, 0u, 0u);
    }
}
