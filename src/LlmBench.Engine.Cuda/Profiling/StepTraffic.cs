using LlmBench.Engine.Models;

namespace LlmBench.Engine.Cuda.Profiling;

/// <summary>
/// The bytes each call of a step must move at least (bf16 weights, activations and KV cache read or written once),
/// for the profile's achieved-bandwidth column. Like the floor in docs/WORKLOADS.md it ignores re-reads that caches
/// absorb, so achieved GB/s is a lower bound of what the kernel really moved.
/// </summary>
/// <param name="Tokens">Tokens in the step.</param>
/// <param name="SampledRows">Rows that reach the LM head.</param>
/// <param name="DecodeContextTokens">Σ context length (the new token included) over the decode sequences.</param>
/// <param name="PrefillContextTokens">Σ context length (the chunk included) over the prefill sequences.</param>
/// <param name="LogprobRows">Sampled rows whose log probabilities are measured (each read once).</param>
public sealed record StepTraffic(ModelConfig Model, int Tokens, int SampledRows, long DecodeContextTokens, long PrefillContextTokens, int LogprobRows = 0)
{
    private const int Bf16 = 2;

    public double BytesOf(KernelRole role)
    {
        long h = Model.HiddenSize, t = Tokens, qkv = Model.QSize + (2L * Model.KvSize), inter = Model.IntermediateSize;
        double kvPerTokenLayer = 2.0 * Model.KvSize * Bf16;
        return role switch
        {
            KernelRole.Embedding => 2.0 * t * h * Bf16,
            // add + normalize: read residual and layer output, write residual and normed (the first layer reads one).
            KernelRole.InputNorm or KernelRole.PostAttentionNorm => 4.0 * t * h * Bf16,
            KernelRole.FinalNorm => 4.0 * SampledRows * h * Bf16,
            KernelRole.Qkv => Linear(qkv, h, t),
            KernelRole.OutProj => Linear(h, Model.QSize, t),
            KernelRole.GateUp => Linear(2 * inter, h, t),
            KernelRole.Down => Linear(h, inter, t),
            KernelRole.LmHead => Linear(Model.VocabSize, h, SampledRows),
            KernelRole.SiluMul => 3.0 * t * inter * Bf16,
            KernelRole.QkNormRope => (2.0 * t * qkv * Bf16) + (t * kvPerTokenLayer),
            KernelRole.DecodeAttention => DecodeContextTokens * kvPerTokenLayer,
            KernelRole.PrefillAttention => PrefillContextTokens * kvPerTokenLayer,
            KernelRole.Logprobs => (double)LogprobRows * Model.VocabSize * Bf16,
            KernelRole.MaskTokens => 0,
            KernelRole.Sampling => (double)SampledRows * Model.VocabSize * Bf16,
            _ => 0,
        };
    }

    private static double Linear(long outFeatures, long inFeatures, long rows) =>
        ((double)outFeatures * inFeatures * Bf16) + ((double)rows * (inFeatures + outFeatures) * Bf16);
}
