using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>
/// logprobs.cu on bf16 logits: for each job (a logits row and a count), the row's log-normalizer and its most likely
/// tokens with their log probabilities, best first and ties by lower id. Each row is cut into chunks (more when there
/// are few rows, so that one row still spreads over many SMs), each read once by one CTA; one warp per job merges them.
/// </summary>
public sealed class LogprobKernel : KernelFamily
{
    /// <summary>The most top tokens a job can ask for (OpenAI's and vLLM's top_logprobs limit).</summary>
    public const int MaxTop = 20;

    /// <summary>Ints per job in the output: the log-normalizer's fp32 bits, <see cref="MaxTop"/> ids, <see cref="MaxTop"/> fp32 log probabilities.</summary>
    public const int RecordLength = 1 + (2 * MaxTop);

    /// <summary>Ints per chunk in the scratch between the two kernels: max, sum, count, ids, values.</summary>
    public const int PartialLength = 3 + (2 * MaxTop);

    /// <summary>The most chunks a row is cut into (the merge is one warp, a lane per chunk).</summary>
    public const int MaxSplits = 32;

    /// <summary>CTAs a step's rows are spread over when they are few (about two per SM on an H100 or H200).</summary>
    private const int TargetCtas = 256;

    private const int Threads = 256;
    private readonly CudaKernel _partial;
    private readonly CudaKernel _merge;

    public LogprobKernel(KernelCompiler compiler)
        : base(compiler, "logprobs.cu", [KernelShapes.Define("LOGPROB_MAX_TOP", MaxTop), KernelShapes.Define("LOGPROB_THREADS", Threads)])
    {
        _partial = Kernel("row_logprobs_partial");
        _merge = Kernel("row_logprobs_merge");
    }

    /// <summary>Chunks per row for a step of <paramref name="jobs"/> jobs: enough CTAs to fill the GPU, at most <see cref="MaxSplits"/>.</summary>
    public static int SplitsFor(int jobs) => Math.Clamp((TargetCtas + jobs - 1) / Math.Max(jobs, 1), 1, MaxSplits);

    /// <summary>Scratch ints <see cref="Measure"/> needs for up to <paramref name="maxJobs"/> jobs at any split count it chooses.</summary>
    public static long ScratchLength(int maxJobs) => ((long)maxJobs + TargetCtas) * PartialLength;

    /// <param name="logits">bf16 [rows, vocab], any vocab.</param>
    /// <param name="jobRows">int32 [jobs]: the logits row of each job.</param>
    /// <param name="jobTop">int32 [jobs]: top tokens wanted, 0 to <see cref="MaxTop"/> (clamped, and to vocab).</param>
    /// <param name="records">int32 [jobs × <see cref="RecordLength"/>]; see <see cref="LogprobRecord"/>.</param>
    /// <param name="scratch">int32, at least <see cref="ScratchLength"/>(jobs): the chunks' partial results.</param>
    /// <param name="splits">Chunks per row, 1 to <see cref="MaxSplits"/>; default <see cref="SplitsFor"/>(jobs).</param>
    public void Measure(CudaStream stream, DeviceSpan<BFloat16> logits, int vocab, DeviceSpan<int> jobRows, DeviceSpan<int> jobTop,
        DeviceSpan<int> records, DeviceSpan<int> scratch, int jobs, int? splits = null)
    {
        if (jobs == 0)
            return;
        ArgumentOutOfRangeException.ThrowIfLessThan(vocab, 1);
        int chunks = splits ?? SplitsFor(jobs);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunks, 1, nameof(splits));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunks, MaxSplits, nameof(splits));
        Launch.RequireAtLeast(nameof(jobRows), jobRows.Length, jobs);
        Launch.RequireAtLeast(nameof(jobTop), jobTop.Length, jobs);
        Launch.RequireAtLeast(nameof(records), records.Length, (long)jobs * RecordLength);
        Launch.RequireAtLeast(nameof(scratch), scratch.Length, (long)jobs * chunks * PartialLength);
        int chunk = (((vocab + chunks - 1) / chunks) + 7) / 8 * 8; // a multiple of 8 keeps each chunk 16-byte aligned
        _partial.Launch(new LaunchConfig(new Dim3((uint)chunks, (uint)jobs), Threads), stream,
            logits.Pointer, vocab, chunk, jobRows.Pointer, jobTop.Pointer, scratch.Pointer);
        _merge.Launch(new LaunchConfig(jobs, 32), stream, vocab, chunks, jobTop.Pointer, scratch.Pointer, records.Pointer);
    }
}
