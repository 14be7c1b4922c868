using LlmBench.Engine.Api;
using LlmBench.Engine.Models;
using LlmBench.Engine.Scheduling;

namespace LlmBench.Engine.Tests.Support;

/// <summary>
/// A fake backend whose next token is a pure function of the sequence's last token and position, run either
/// synchronously or overlapped (placeholders resolved from the previous launch, as a device would), counting which
/// path the engine used. With <paramref name="computesLogprobs"/>, entries that ask for log probabilities get
/// <see cref="LogprobsOf"/> of their token, on both paths.
/// </summary>
internal sealed class CountingExecutor(ModelConfig model, int numKvBlocks, bool overlap, bool computesLogprobs = false) : IModelExecutor
{
    private readonly Queue<(int[] Ids, TokenLogprobs?[] Logprobs)> _launched = new();
    private Dictionary<Sequence, int> _previous = [];

    public ModelConfig Model => model;
    public int NumKvBlocks => numKvBlocks;
    public double? GpuIdleShare => null;
    public bool OverlapEnabled => overlap;
    public int Executes { get; private set; }
    public int Launches { get; private set; }
    public int Collects { get; private set; }
    public bool Disposed { get; private set; }

    public static int Next(int lastToken, int position, int vocab) => (lastToken * 31 + position + 7) % vocab;

    public bool ComputesLogprobs => computesLogprobs;

    /// <summary>A made-up but token-specific answer: the token's logprob and <paramref name="count"/> alternatives.</summary>
    public static TokenLogprobs LogprobsOf(int token, int count) =>
        new(-0.5f - (token % 7), [.. Enumerable.Range(0, count).Select(i => new TopLogprob((token + i) % 1000, -i - 0.25f))]);

    public void Execute(StepPlan plan, Span<int> sampledTokenIds, Span<TokenLogprobs?> logprobs)
    {
        Executes++;
        var ids = Sample(plan, new Dictionary<Sequence, int>());
        ids.CopyTo(sampledTokenIds);
        if (computesLogprobs)
            Logprobs(plan, ids).CopyTo(logprobs);
    }

    public void Launch(StepPlan plan)
    {
        if (!overlap)
            throw new NotSupportedException("built synchronous");
        Launches++;
        var ids = Sample(plan, _previous);
        _previous = [];
        int row = 0;
        foreach (var entry in plan.Entries)
        {
            if (entry.Sample)
                _previous[entry.Sequence] = ids[row++];
        }
        _launched.Enqueue((ids, Logprobs(plan, ids)));
    }

    public void Collect(Span<int> sampledTokenIds, Span<TokenLogprobs?> logprobs)
    {
        Collects++;
        var (ids, computed) = _launched.Dequeue();
        ids.CopyTo(sampledTokenIds);
        if (computesLogprobs)
            computed.CopyTo(logprobs);
    }

    private static TokenLogprobs?[] Logprobs(StepPlan plan, int[] ids)
    {
        var result = new TokenLogprobs?[ids.Length];
        int row = 0;
        foreach (var entry in plan.Entries)
        {
            if (!entry.Sample)
                continue;
            result[row] = entry.Sampling.Logprobs is { } count ? LogprobsOf(ids[row], count) : null;
            row++;
        }
        return result;
    }

    public void ExecuteForLogits(StepPlan plan, Span<float> logits) => throw new NotSupportedException();

    public void Dispose() => Disposed = true;

    private int[] Sample(StepPlan plan, Dictionary<Sequence, int> inFlight)
    {
        var ids = new int[plan.NumSampled];
        int row = 0;
        foreach (var entry in plan.Entries)
        {
            if (!entry.Sample)
                continue;
            int last = entry.TokenIds.Span[^1];
            if (last == IModelExecutor.Placeholder)
                last = inFlight[entry.Sequence];
            ids[row++] = Next(last, entry.StartPosition + entry.TokenCount, model.VocabSize);
        }
        return ids;
    }
}
