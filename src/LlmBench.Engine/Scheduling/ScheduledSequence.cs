using LlmBench.Engine.Api;

namespace LlmBench.Engine.Scheduling;

/// <summary>
/// What one step does for one sequence: process <see cref="TokenCount"/> tokens starting at
/// <see cref="StartPosition"/> (a prefill chunk, or one decode token), writing their K/V into the blocks of
/// <see cref="BlockTable"/>, and, when <see cref="Sample"/> is set, sample the next token from the last one.
/// </summary>
public sealed class ScheduledSequence
{
    internal ScheduledSequence(Sequence sequence, int startPosition, int tokenCount)
    {
        Sequence = sequence;
        StartPosition = startPosition;
        TokenCount = tokenCount;
        Sample = startPosition + tokenCount == sequence.NumTokens;
        OutputIndex = sequence.NumOutputTokens;
    }

    public Sequence Sequence { get; }
    public string RequestId => Sequence.RequestId;

    /// <summary>Position of the first token processed (= tokens already in the cache).</summary>
    public int StartPosition { get; }

    public int TokenCount { get; }

    /// <summary>Decode, or the last chunk of a prefill: the step samples a token for this sequence.</summary>
    public bool Sample { get; }

    /// <summary>Index of the output token this step samples; with the seed it keys the request's generator.</summary>
    public int OutputIndex { get; }

    public bool IsDecode => TokenCount == 1 && StartPosition >= Sequence.PromptLength;

    public ReadOnlyMemory<int> TokenIds => Sequence.TokenSlice(StartPosition, TokenCount);

    public IReadOnlyList<int> BlockTable => Sequence.BlockTable;

    public SamplingParams Sampling => Sequence.Sampling;

    public ulong Seed => Sequence.Seed;

    /// <summary>Ids the sampler must not pick this step: the stop ids while min_tokens is not reached yet.</summary>
    public ReadOnlySpan<int> BannedTokenIds =>
        OutputIndex < Sequence.Sampling.MinTokens ? Sequence.MinTokensBannedIds : [];

    public override string ToString() => $"{RequestId} @{StartPosition}+{TokenCount}{(Sample ? " sample" : "")}";
}
