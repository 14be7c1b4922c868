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
    private readonly CudaKernel _philox;

    public SamplingKernel(KernelCompiler compiler)
        : base(compiler, "sampling.cu", [KernelShapes.Define("LOGITS_BF16", 1)])
    {
        _sample = Kernel("sample_tokens");
        _philox = Kernel("philox4x32");
    }

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
        if (vocab % 4 != 0)
            throw new ArgumentException($"the GPU sampler needs a vocabulary divisible by 4, not {vocab}.", nameof(vocab));
        Launch.RequireAtLeast(nameof(logits), logits.Length, (long)rows * vocab);
        foreach (var (name, length) in new[] { (nameof(temperature), temperature.Length), (nameof(topK), topK.Length),
            (nameof(topP), topP.Length), (nameof(seeds), seeds.Length), (nameof(steps), steps.Length), (nameof(tokens), tokens.Length) })
            Launch.RequireAtLeast(name, length, rows);
        if (!sampledLogits.IsEmpty)
            Launch.RequireAtLeast(nameof(sampledLogits), sampledLogits.Length, rows);
        _sample.Launch(new LaunchConfig(rows, Threads), stream, logits.Pointer, vocab, temperature.Pointer, topK.Pointer,
            topP.Pointer, seeds.Pointer, steps.Pointer, tokens.Pointer, sampledLogits.IsEmpty ? Launch.Null : sampledLogits.Pointer);
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
