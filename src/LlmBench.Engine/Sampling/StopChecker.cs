using LlmBench.Engine.Api;
using LlmBench.Engine.Scheduling;

namespace LlmBench.Engine.Sampling;

/// <summary>
/// The id-level stop rules, checked after each token is appended, in vLLM's order: nothing stops before
/// min_tokens outputs; then EOS (unless ignore_eos) and stop token ids end with <see cref="FinishReason.Stop"/>;
/// then max_tokens or the model length end with <see cref="FinishReason.Length"/>. Stop strings are text and are
/// checked by the caller with <see cref="LlmBench.Text.StopStringMatcher"/>, which then aborts the request.
/// </summary>
public sealed class StopChecker(IReadOnlyList<int> eosTokenIds)
{
    public IReadOnlyList<int> EosTokenIds { get; } = eosTokenIds;

    /// <summary>Why <paramref name="sequence"/> ends after its last token, or null when it goes on.</summary>
    public FinishReason? Check(Sequence sequence)
    {
        var sampling = sequence.Sampling;
        int outputs = sequence.NumOutputTokens;
        if (outputs == 0)
            return null;
        if (outputs >= sampling.MinTokens)
        {
            int last = sequence.OutputIds[^1];
            if (!sampling.IgnoreEos && EosTokenIds.Contains(last))
                return FinishReason.Stop;
            if (sampling.StopTokenIds.Contains(last))
                return FinishReason.Stop;
        }
        // Capacity is min(prompt + max_tokens, max model length).
        return sequence.IsAtCapacity ? FinishReason.Length : null;
    }

    /// <summary>The ids that would stop a request: banned from sampling until min_tokens outputs exist.</summary>
    public int[] StopIdsFor(SamplingParams sampling)
    {
        if (sampling.MinTokens == 0)
            return [];
        var ids = new SortedSet<int>(sampling.StopTokenIds);
        if (!sampling.IgnoreEos)
            ids.UnionWith(EosTokenIds);
        return [.. ids];
    }
}
