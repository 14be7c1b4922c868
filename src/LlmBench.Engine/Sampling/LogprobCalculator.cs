using System.Numerics.Tensors;
using LlmBench.Engine.Api;

namespace LlmBench.Engine.Sampling;

/// <summary>
/// Log probabilities from one row of raw logits (vLLM's default "raw" logprobs): log_softmax(logits) = logits − log Σ exp,
/// computed stably around the largest logit, with the most likely tokens picked by <see cref="TopKSelector"/> (best first,
/// ties by lower id). Measure the row before the sampler bans ids in it, then take the sampled token's with
/// <see cref="RowLogprobs.For"/>. Scratch buffers are allocated once; not thread-safe.
/// </summary>
public sealed class LogprobCalculator
{
    private readonly float[] _row;
    private readonly int[] _order;
    private readonly TopKSelector _topK;

    public LogprobCalculator(int vocabSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, 1);
        _row = new float[vocabSize];
        _order = new int[Math.Min(vocabSize, SamplingParams.MaxLogprobs)];
        _topK = new TopKSelector(Math.Min(vocabSize, SamplingParams.MaxLogprobs));
    }

    /// <summary>The normalizer of <paramref name="logits"/> and its <paramref name="topCount"/> most likely tokens.</summary>
    public RowLogprobs Measure(ReadOnlySpan<float> logits, int topCount)
    {
        if (logits.Length != _row.Length)
            throw new ArgumentException($"expected {_row.Length} logits, got {logits.Length}.", nameof(logits));
        ArgumentOutOfRangeException.ThrowIfNegative(topCount);
        topCount = Math.Min(topCount, Math.Min(_order.Length, logits.Length));
        logits.CopyTo(_row);
        var top = new TopLogprob[topCount];
        if (topCount > 0)
        {
            var ids = _topK.Select(_row, topCount, _order);
            for (int i = 0; i < ids.Length; i++)
                top[i] = new TopLogprob(ids[i], logits[ids[i]]);
        }

        float max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(_row, max, _row);
        TensorPrimitives.Exp(_row, _row);
        double logNormalizer = max + Math.Log(TensorPrimitives.Sum<float>(_row));
        for (int i = 0; i < top.Length; i++)
            top[i] = top[i] with { Logprob = (float)(top[i].Logprob - logNormalizer) };
        return new RowLogprobs(logNormalizer, top);
    }
}

/// <summary>A measured row: log Σ exp(logits) and its most likely tokens with their log probabilities.</summary>
public readonly record struct RowLogprobs(double LogNormalizer, TopLogprob[] Top)
{
    /// <summary>The log probabilities of the token whose raw logit is <paramref name="logit"/>.</summary>
    public TokenLogprobs For(float logit) => new((float)(logit - LogNormalizer), Top);
}
