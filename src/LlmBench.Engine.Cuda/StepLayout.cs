namespace LlmBench.Engine.Cuda;

/// <summary>
/// Offsets of each input region in the step's int buffer. Every region starts at an even index so that the seeds
/// (pairs of ints read as uint64) stay 8-byte aligned; the per-sequence regions are contiguous so one copy moves them.
/// </summary>
internal sealed class StepLayout
{
    private int _next;

    public StepLayout(int maxTokens, int maxSequences, int maxBlocksPerSequence, int maxMasked)
    {
        (MaxTokens, MaxSequences, MaxMasked) = (maxTokens, maxSequences, maxMasked);
        Tokens = Add(maxTokens);
        Positions = Add(maxTokens);
        Slots = Add(maxTokens);
        SeqStart = Add(maxSequences + 1);
        ContextLengths = Add(maxSequences);
        TileOffsets = Add(maxSequences + 1);
        SampleRows = Add(maxSequences);
        TopK = Add(maxSequences);
        Temperature = Add(maxSequences);
        TopP = Add(maxSequences);
        Steps = Add(maxSequences);
        Seeds = Add(2 * maxSequences);
        PerSequenceLength = _next - SeqStart;
        MaskRows = Add(maxMasked);
        MaskIds = Add(maxMasked);
        BlockTables = Add(checked(maxSequences * maxBlocksPerSequence));
        Length = _next;
    }

    public int MaxTokens { get; }
    public int MaxSequences { get; }
    public int MaxMasked { get; }
    public int Tokens { get; }
    public int Positions { get; }
    public int Slots { get; }
    public int SeqStart { get; }
    public int ContextLengths { get; }
    public int TileOffsets { get; }
    public int SampleRows { get; }
    public int TopK { get; }
    public int Temperature { get; }
    public int TopP { get; }
    public int Steps { get; }
    public int Seeds { get; }
    public int PerSequenceLength { get; }
    public int MaskRows { get; }
    public int MaskIds { get; }
    public int BlockTables { get; }
    public int Length { get; }

    private int Add(int length)
    {
        int offset = _next;
        _next = checked(offset + (length + 1) / 2 * 2);
        return offset;
    }
}
