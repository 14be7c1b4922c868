using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>
/// logprobs.cu on bf16 logits: for each job (a logits row and a count), the row's log-normalizer and its most likely
/// tokens with their log probabilities, best first and ties by lower id, one CTA per job and one read of the row.
/// </summary>
public sealed class LogprobKernel : KernelFamily
{
    /// <summary>The most top tokens a job can ask for (OpenAI's and vLLM's top_logprobs limit).</summary>
    public const int MaxTop = 20;

    /// <summary>Ints per job in the output: the log-normalizer's fp32 bits, <see cref="MaxTop"/> ids, <see cref="MaxTop"/> fp32 log probabilities.</summary>
    public const int RecordLength = 1 + (2 * MaxTop);

    private const int Threads = 512;
    private readonly CudaKernel _rowLogprobs;

    public LogprobKernel(KernelCompiler compiler)
        : base(compiler, "logprobs.cu", [KernelShapes.Define("LOGPROB_MAX_TOP", MaxTop), KernelShapes.Define("LOGPROB_THREADS", Threads)])
    {
        _rowLogprobs = Kernel("row_logprobs");
    }

    /// <param name="logits">bf16 [rows, vocab], any vocab.</param>
    /// <param name="jobRows">int32 [jobs]: the logits row of each job.</param>
    /// <param name="jobTop">int32 [jobs]: top tokens wanted, 0 to <see cref="MaxTop"/> (clamped, and to vocab).</param>
    /// <param name="records">int32 [jobs × <see cref="RecordLength"/>]; see <see cref="LogprobRecord"/>.</param>
    public void Measure(CudaStream stream, DeviceSpan<BFloat16> logits, int vocab, DeviceSpan<int> jobRows, DeviceSpan<int> jobTop,
        DeviceSpan<int> records, int jobs)
    {
        if (jobs == 0)
            return;
        ArgumentOutOfRangeException.ThrowIfLessThan(vocab, 1);
        Launch.RequireAtLeast(nameof(jobRows), jobRows.Length, jobs);
        Launch.RequireAtLeast(nameof(jobTop), jobTop.Length, jobs);
        Launch.RequireAtLeast(nameof(records), records.Length, (long)jobs * RecordLength);
        _rowLogprobs.Launch(new LaunchConfig(jobs, Threads), stream, logits.Pointer, vocab, jobRows.Pointer, jobTop.Pointer, records.Pointer);
    }
}
