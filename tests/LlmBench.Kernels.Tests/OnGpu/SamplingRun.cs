using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

/// <summary>Per-row sampling parameters and one launch of sample_tokens on bf16 logits [rows, vocab].</summary>
public sealed record SamplingRun(float[] Logits, int Vocab, float[] Temperature, int[] TopK, float[] TopP, ulong[] Seeds, int[] Steps)
{
    public int Rows => Temperature.Length;

    public ReadOnlySpan<float> Row(int r) => Logits.AsSpan(r * Vocab, Vocab);

    public static SamplingRun Uniform(float[] logits, int vocab, float temperature, int topK, float topP, SeededData data, int step = 3)
    {
        var rows = logits.Length / vocab;
        return new SamplingRun(logits, vocab, Filled(rows, temperature), Filled(rows, topK), Filled(rows, topP),
            [.. Enumerable.Range(0, rows).Select(_ => data.NextUInt64())], Filled(rows, step));
    }

    public int[] Sample(Gpu gpu, SamplingKernel kernel) => Run(gpu, kernel, withLogits: false).Tokens;

    /// <summary>The sampled ids and the logits the kernel reports for them.</summary>
    /// <param name="chunks">0: sample_tokens; else sample_tokens_split with rows cut into this many chunks, launched twice on
    /// the same counters (the second launch's result is returned), which must be left at zero.</param>
    public (int[] Tokens, float[] Logits) SampleWithLogits(Gpu gpu, SamplingKernel kernel, int chunks = 0) => Run(gpu, kernel, withLogits: true, chunks);

    private (int[] Tokens, float[] Logits) Run(Gpu gpu, SamplingKernel kernel, bool withLogits, int chunks = 0)
    {
        using var logits = gpu.UploadBf16(Logits);
        using var temperature = gpu.Upload(Temperature);
        using var topK = gpu.Upload(TopK);
        using var topP = gpu.Upload(TopP);
        using var seeds = gpu.Upload(Seeds);
        using var steps = gpu.Upload(Steps);
        using var tokens = gpu.Poisoned<int>(Rows);
        using var sampledLogits = gpu.Poisoned<float>(Rows);
        if (chunks == 0)
        {
            kernel.Sample(gpu.Stream, logits, Vocab, temperature, topK, topP, seeds, steps, tokens, Rows, withLogits ? sampledLogits.View : default);
            return (gpu.Download(tokens)[..Rows], gpu.Download(sampledLogits)[..Rows]);
        }
        using var scores = gpu.Poisoned<float>(SamplingKernel.PartialLength(Rows));
        using var indices = gpu.Poisoned<int>(SamplingKernel.PartialLength(Rows));
        using var counters = gpu.Upload(new uint[Rows]);
        for (int launch = 0; launch < 2; launch++)
        {
            gpu.Stream.FillBytesAsync(tokens.View, 0xFF);
            kernel.SampleSplit(gpu.Stream, logits, Vocab, temperature, topK, topP, seeds, steps, tokens, Rows, chunks, scores, indices, counters,
                withLogits ? sampledLogits.View : default);
        }
        if (gpu.Download(counters).Any(c => c != 0))
            throw new InvalidOperationException("sample_tokens_split left a counter that is not zero.");
        return (gpu.Download(tokens)[..Rows], gpu.Download(sampledLogits)[..Rows]);
    }

    private static T[] Filled<T>(int count, T value)
    {
        var array = new T[count];
        Array.Fill(array, value);
        return array;
    }
}
