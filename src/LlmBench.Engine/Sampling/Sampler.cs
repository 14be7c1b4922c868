using System.Numerics.Tensors;
using LlmBench.Engine.Api;

namespace LlmBench.Engine.Sampling;

/// <summary>
/// Picks the next token from one row of logits, as vLLM does: greedy is argmax (lowest id on ties); otherwise
/// temperature, then min-p (tokens below min_p × the top probability get weight 0), then top-k, then top-p (the smallest set of most likely tokens whose mass reaches p), then one
/// draw from <see cref="CounterRng"/> keyed by the request's seed and the output index. Candidates are ordered
/// by probability, ties by lower id, so the result is a pure function of (logits, params, seed, index).
/// Scratch buffers are allocated once per sampler; not thread-safe.
/// </summary>
public sealed class Sampler
{
    private readonly float[] _weights;
    private readonly int[] _order;
    private readonly TopKSelector _topK;

    public Sampler(int vocabSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, 1);
        VocabSize = vocabSize;
        _weights = new float[vocabSize];
        _order = new int[vocabSize];
        _topK = new TopKSelector(vocabSize);
    }

    public int VocabSize { get; }

    /// <summary>Samples from <paramref name="logits"/> (modified: banned ids become -inf).</summary>
    /// <param name="bannedIds">Ids that may not be picked (stop ids before min_tokens).</param>
    public int Sample(Span<float> logits, SamplingParams sampling, ulong seed, int outputIndex, ReadOnlySpan<int> bannedIds = default)
    {
        if (logits.Length != VocabSize)
            throw new ArgumentException($"expected {VocabSize} logits, got {logits.Length}.", nameof(logits));
        foreach (int id in bannedIds)
        {
            if ((uint)id < (uint)VocabSize)
                logits[id] = float.NegativeInfinity;
        }
        if (sampling.IsGreedy)
            return Argmax(logits);

        var weights = _weights.AsSpan();
        SoftmaxWeights(logits, sampling.Temperature, weights);
        if (sampling.MinP > 0)
            ApplyMinP(weights, sampling.MinP);
        int topK = sampling.TopK > 0 ? Math.Min(sampling.TopK, VocabSize) : VocabSize;
        bool topP = sampling.TopP < 1f;
        ReadOnlySpan<int> candidates;
        double mass;
        if (topK < VocabSize)
        {
            candidates = _topK.Select(_weights, topK, _order);
            mass = Sum(weights, candidates);
        }
        else if (topP)
        {
            mass = TensorPrimitives.Sum<float>(weights);
            candidates = NucleusCandidates(weights, sampling.TopP * mass);
        }
        else
        {
            return DrawInIdOrder(weights, TensorPrimitives.Sum<float>(weights), CounterRng.Uniform(seed, outputIndex));
        }

        if (topP)
            candidates = candidates[..NucleusLength(weights, candidates, sampling.TopP * mass)];
        return Draw(weights, candidates, CounterRng.Uniform(seed, outputIndex));
    }

    /// <summary>Index of the largest value; the lowest index among equal maxima.</summary>
    public static int Argmax(ReadOnlySpan<float> values) => TensorPrimitives.IndexOfMax(values);

    /// <summary>exp((logit - max) / T): unnormalized softmax weights at temperature T; -inf logits get weight 0.</summary>
    private static void SoftmaxWeights(ReadOnlySpan<float> logits, float temperature, Span<float> weights)
    {
        float max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, weights);
        TensorPrimitives.Divide(weights, temperature, weights);
        TensorPrimitives.Exp(weights, weights);
    }

    /// <summary>The weights are exp((logit − max) / T), so the most likely token's is 1 and min-p's threshold is min_p itself.</summary>
    private static void ApplyMinP(Span<float> weights, float minP)
    {
        for (int id = 0; id < weights.Length; id++)
        {
            if (weights[id] < minP)
                weights[id] = 0;
        }
    }

    /// <summary>
    /// The tokens of the nucleus, sorted, without sorting the whole vocabulary: only tokens whose weight clears a
    /// threshold are sorted, and the threshold is lowered until they hold the nucleus mass (exact: every token
    /// outside has a smaller weight than every token inside).
    /// </summary>
    private Span<int> NucleusCandidates(ReadOnlySpan<float> weights, double nucleusMass)
    {
        float max = TensorPrimitives.Max(weights);
        for (float threshold = max * 1e-3f; ; threshold *= 1e-3f)
        {
            int count = 0;
            double collected = 0;
            bool last = threshold < float.Epsilon;
            for (int id = 0; id < weights.Length; id++)
            {
                if (weights[id] >= threshold || last)
                {
                    _order[count++] = id;
                    collected += weights[id];
                }
            }
            if (collected >= nucleusMass || last)
            {
                var candidates = _order.AsSpan(0, count);
                candidates.Sort(new ByWeightDescending(_weights));
                return candidates;
            }
        }
    }

    private static int NucleusLength(ReadOnlySpan<float> weights, ReadOnlySpan<int> sorted, double nucleusMass)
    {
        double cumulative = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            cumulative += weights[sorted[i]];
            if (cumulative >= nucleusMass)
                return i + 1;
        }
        return sorted.Length;
    }

    private static double Sum(ReadOnlySpan<float> weights, ReadOnlySpan<int> ids)
    {
        double sum = 0;
        foreach (int id in ids)
            sum += weights[id];
        return sum;
    }

    private static int Draw(ReadOnlySpan<float> weights, ReadOnlySpan<int> candidates, double uniform)
    {
        double target = uniform * Sum(weights, candidates);
        double cumulative = 0;
        foreach (int id in candidates)
        {
            cumulative += weights[id];
            if (cumulative > target)
                return id;
        }
        return candidates[0];
    }

    private static int DrawInIdOrder(ReadOnlySpan<float> weights, double total, double uniform)
    {
        double target = uniform * total;
        double cumulative = 0;
        int lastPositive = 0;
        for (int id = 0; id < weights.Length; id++)
        {
            if (weights[id] <= 0)
                continue;
            cumulative += weights[id];
            lastPositive = id;
            if (cumulative > target)
                return id;
        }
        return lastPositive; // rounding left the target just past the end
    }

    /// <summary>Higher weight first; equal weights by lower id, so the order never depends on the sort algorithm.</summary>
    internal readonly struct ByWeightDescending(float[] weights) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            int byWeight = weights[y].CompareTo(weights[x]);
            return byWeight != 0 ? byWeight : x.CompareTo(y);
        }
    }
}
