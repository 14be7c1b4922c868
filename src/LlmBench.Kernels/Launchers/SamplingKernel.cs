using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>
/// sampling.cu on bf16 logits (the LM head's output): greedy, or Gumbel-max with temperature, top-k and top-p from
/// Philox keyed by (seed, step), one CTA per row, so only token ids leave the GPU.
/// </summary>
public sealed class SamplingKernel : KernelFamily
{
    private const int Threads = 1024;
    private readonly CudaKernel _sample;
    private readonly CudaKernel? _split;
    private readonly CudaKernel _philox;

    /// <summary>The most chunks <see cref="SampleSplit"/> cuts a row into.</summary>
    public const int MaxChunks = 32;

    /// <param name="split">Also compile <see cref="SampleSplit"/>'s kernel.</param>
    public SamplingKernel(KernelCompiler compiler, bool split = false)
        : base(compiler, "sampling.cu", [KernelShapes.Define("LOGITS_BF16", 1), KernelShapes.Define("SAMPLE_SPLIT", split ? 1 : 0)])
    {
        _sample = Kernel("sample_tokens");
        _split = split ? Kernel("sample_tokens_split") : null;
        _philox = Kernel("philox4x32");
    }

    /// <summary>Compiled with <see cref="SampleSplit"/>'s kernel.</summary>
    public bool Splits => _split is not null;

    /// <summary>Chunks per row for <see cref="SampleSplit"/>: about two 1,024-thread CTAs per SM over the step, 1 to <see cref="MaxChunks"/>.</summary>
    public static int ChunksFor(int rows, int multiprocessors) => Math.Clamp((2 * multiprocessors + rows - 1) / Math.Max(1, rows), 1, MaxChunks);

    /// <summary>fp32 (scores) and int32 (indices) elements of <see cref="SampleSplit"/>'s partials for <paramref name="rows"/>.</summary>
    public static long PartialLength(int rows) => (long)rows * MaxChunks;

    /// <param name="logits">bf16 [rows, vocab]; vocab a multiple of 4.</param>
    /// <param name="temperature">fp32 [rows]; ≤ 0 is greedy.</param>
    /// <param name="topK">int32 [rows]; ≤ 0 or ≥ vocab is off.</param>
    /// <param name="topP">fp32 [rows]; ≥ 1 is off.</param>
    /// <param name="seeds">uint64 [rows].</param>
    /// <param name="steps">int32 [rows]: each row's output index.</param>
    /// <param name="tokens">int32 [rows]: the sampled ids.</param>
    /// <param name="sampledLogits">fp32 [rows] or empty: each sampled id's logit as the sampler read it (log probabilities
    /// subtract the row's log-normalizer from it).</param>
    public void Sample(CudaStream stream, DeviceSpan<BFloat16> logits, int vocab, DeviceSpan<float> temperature,
        DeviceSpan<int> topK, DeviceSpan<float> topP, DeviceSpan<ulong> seeds, DeviceSpan<int> steps,
        DeviceSpan<int> tokens, int rows, DeviceSpan<float> sampledLogits = default)
    {
        if (rows == 0)
            return;
        CheckArguments(logits, vocab, temperature, topK, topP, seeds, steps, tokens, rows, sampledLogits);
        _sample.Launch(new LaunchConfig(rows, Threads), stream, logits.Pointer, vocab, temperature.Pointer, topK.Pointer,
            topP.Pointer, seeds.Pointer, steps.Pointer, tokens.Pointer, sampledLogits.IsEmpty ? Launch.Null : sampledLogits.Pointer);
    }

    /// <summary>
    /// <see cref="Sample"/> with each row cut into <paramref name="chunks"/> pieces sampled by their own CTAs, the piece
    /// that finishes last picking the row's token from their partials: the same tokens and logits bit for bit, the row
    /// spread over many SMs. Rows with top-k or top-p are sampled whole, as <see cref="Sample"/> does.
    /// </summary>
    /// <param name="chunks">1 to <see cref="MaxChunks"/> (<see cref="ChunksFor"/>).</param>
    /// <param name="partialScores">fp32 [<see cref="PartialLength"/>] scratch.</param>
    /// <param name="partialIndices">int32 [<see cref="PartialLength"/>] scratch.</param>
    /// <param name="counters">uint32 [rows], zero before the launch; each launch leaves them at zero.</param>
    public void SampleSplit(CudaStream stream, DeviceSpan<BFloat16> logits, int vocab, DeviceSpan<float> temperature,
        DeviceSpan<int> topK, DeviceSpan<float> topP, DeviceSpan<ulong> seeds, DeviceSpan<int> steps,
        DeviceSpan<int> tokens, int rows, int chunks, DeviceSpan<float> partialScores, DeviceSpan<int> partialIndices, DeviceSpan<uint> counters,
        DeviceSpan<float> sampledLogits = default)
    {
        if (_split is null)
            throw new InvalidOperationException("this sampling family was compiled without the split kernel (new SamplingKernel(compiler, split: true)).");
        if (rows == 0)
            return;
        if (chunks is < 1 or > MaxChunks)
            throw new ArgumentOutOfRangeException(nameof(chunks), $"a row is cut into 1 to {MaxChunks} chunks, not {chunks}.");
        CheckArguments(logits, vocab, temperature, topK, topP, seeds, steps, tokens, rows, sampledLogits);
        Launch.RequireAtLeast(nameof(partialScores), partialScores.Length, (long)rows * chunks);
        Launch.RequireAtLeast(nameof(partialIndices), partialIndices.Length, (long)rows * chunks);
        Launch.RequireAtLeast(nameof(counters), counters.Length, rows);
        ulong l = logits.Pointer, t = temperature.Pointer, k = topK.Pointer, p = topP.Pointer, sd = seeds.Pointer, st = steps.Pointer, o = tokens.Pointer;
        ulong ol = sampledLogits.IsEmpty ? Launch.Null : sampledLogits.Pointer, ps = partialScores.Pointer, pi = partialIndices.Pointer, c = counters.Pointer;
        unsafe
        {
            var arguments = stackalloc void*[] { &l, &vocab, &t, &k, &p, &sd, &st, &o, &ol, &ps, &pi, &c };
            _split.Launch(new LaunchConfig(new Dim3((uint)chunks, (uint)rows), Threads), stream, arguments);
        }
    }

    private static void CheckArguments(DeviceSpan<BFloat16> logits, int vocab, DeviceSpan<float> temperature, DeviceSpan<int> topK, DeviceSpan<float> topP,
        DeviceSpan<ulong> seeds, DeviceSpan<int> steps, DeviceSpan<int> tokens, int rows, DeviceSpan<float> sampledLogits)
    {
        if (vocab % 4 != 0)
            throw new ArgumentException($"the GPU sampler needs a vocabulary divisible by 4, not {vocab}.", nameof(vocab));
        Launch.RequireAtLeast(nameof(logits), logits.Length, (long)rows * vocab);
        foreach (var (name, length) in new[] { (nameof(temperature), temperature.Length), (nameof(topK), topK.Length),
            (nameof(topP), topP.Length), (nameof(seeds), seeds.Length), (nameof(steps), steps.Length), (nameof(tokens), tokens.Length) })
            Launch.RequireAtLeast(name, length, rows);
        if (!sampledLogits.IsEmpty)
            Launch.RequireAtLeast(nameof(sampledLogits), sampledLogits.Length, rows);
    }

    /// <summary>Raw Philox4x32-10 output (4 words per counter) for checking the host-side reference.</summary>
    /// <param name="counters">uint32 [4·n].</param>
    /// <param name="keys">uint64 [n].</param>
    /// <param name="output">uint32 [4·n].</param>
    public void Philox(CudaStream stream, DeviceSpan<uint> counters, DeviceSpan<ulong> keys, DeviceSpan<uint> output, int n)
    {
        if (n == 0)
            return;
        Launch.RequireAtLeast(nameof(counters), counters.Length, 4L * n);
        Launch.RequireAtLeast(nameof(keys), keys.Length, n);
        Launch.RequireAtLeast(nameof(output), output.Length, 4L * n);
        _philox.Launch(LaunchConfig.Linear(n, 128), stream, counters.Pointer, keys.Pointer, output.Pointer, n);
    }
}
