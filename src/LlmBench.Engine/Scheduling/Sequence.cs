using LlmBench.Engine.Api;

namespace LlmBench.Engine.Scheduling;

/// <summary>
/// One request as the scheduler sees it: its tokens (prompt then outputs), how many of them have their K/V in
/// the cache, and the blocks that hold them. Knows nothing of the model or the device.
/// </summary>
public sealed class Sequence
{
    private readonly int[] _tokens;
    private readonly List<int> _blockTable = [];

    /// <param name="maxModelLen">Capacity: the sequence never grows past this many tokens.</param>
    /// <param name="seed">Seed of the request's own sampling generator.</param>
    /// <param name="minTokensBannedIds">Ids that may not be sampled while fewer than min_tokens outputs exist (EOS, stop ids).</param>
    public Sequence(string requestId, ReadOnlySpan<int> promptIds, SamplingParams sampling, ulong seed, int maxModelLen,
        int[]? minTokensBannedIds = null, long arrivalTicks = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        if (promptIds.IsEmpty)
            throw new ArgumentException("a sequence needs at least one prompt token.", nameof(promptIds));
        if (promptIds.Length >= maxModelLen)
            throw new ArgumentException($"the prompt has {promptIds.Length} tokens, but the model length is {maxModelLen}.", nameof(promptIds));
        RequestId = requestId;
        Sampling = sampling;
        Seed = seed;
        ArrivalTicks = arrivalTicks;
        MinTokensBannedIds = minTokensBannedIds ?? [];
        PromptLength = promptIds.Length;
        _tokens = new int[Math.Min(maxModelLen, (long)promptIds.Length + sampling.MaxTokens)];
        promptIds.CopyTo(_tokens);
        NumTokens = promptIds.Length;
    }

    public string RequestId { get; }
    public SamplingParams Sampling { get; }
    public ulong Seed { get; }
    public long ArrivalTicks { get; }
    public int PromptLength { get; }

    /// <summary>Prompt plus generated tokens.</summary>
    public int NumTokens { get; private set; }

    public int NumOutputTokens => NumTokens - PromptLength;

    /// <summary>Tokens whose K/V are in the cache (or are being computed by the step just scheduled).</summary>
    public int NumComputedTokens { get; internal set; }

    /// <summary>Tokens the next step still has to process before this sequence can sample.</summary>
    public int NumUncomputedTokens => NumTokens - NumComputedTokens;

    public SequenceStatus Status { get; internal set; } = SequenceStatus.Waiting;

    public bool IsFinished => Status >= SequenceStatus.FinishedStopped;

    public int[] MinTokensBannedIds { get; }

    /// <summary>Physical KV block ids, in order: block i holds positions [i*BlockSize, (i+1)*BlockSize).</summary>
    public IReadOnlyList<int> BlockTable => _blockTable;

    internal List<int> MutableBlockTable => _blockTable;

    /// <summary>True once it reached capacity (max_tokens or the model length).</summary>
    public bool IsAtCapacity => NumTokens == _tokens.Length;

    public ReadOnlySpan<int> AllTokens => _tokens.AsSpan(0, NumTokens);
    public ReadOnlySpan<int> PromptIds => _tokens.AsSpan(0, PromptLength);
    public ReadOnlySpan<int> OutputIds => _tokens.AsSpan(PromptLength, NumOutputTokens);

    internal ReadOnlyMemory<int> TokenSlice(int start, int count) => _tokens.AsMemory(start, count);

    /// <summary>Appends a sampled token; the step that sampled it must have computed every earlier token.</summary>
    /// <summary>Sets output token <paramref name="outputIndex"/> once its value is known (it was appended as a placeholder).</summary>
    internal void ReplaceOutput(int outputIndex, int tokenId)
    {
        if (outputIndex < 0 || outputIndex >= NumOutputTokens)
            throw new ArgumentOutOfRangeException(nameof(outputIndex), $"sequence {RequestId} has {NumOutputTokens} output tokens.");
        _tokens[PromptLength + outputIndex] = tokenId;
    }

    public void AppendOutput(int tokenId)
    {
        if (IsAtCapacity)
            throw new InvalidOperationException($"sequence {RequestId} is full ({NumTokens} tokens).");
        if (NumComputedTokens != NumTokens)
            throw new InvalidOperationException($"sequence {RequestId} sampled before its prompt was computed.");
        _tokens[NumTokens++] = tokenId;
    }

    public override string ToString() =>
        $"{RequestId} [{Status}] tokens={NumTokens} computed={NumComputedTokens} blocks={_blockTable.Count}";
}
