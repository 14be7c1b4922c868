namespace LlmBench.Engine.Cuda;

/// <summary>
/// Where each input region of one step sits in the step's int buffer, packed for that step's counts so that a
/// single copy uploads them all. A decode graph captured at batch size b always sees the layout of b, so its
/// baked-in addresses stay right; the log-probability jobs come last, so a step with jobs keeps the addresses of
/// the graph it replays (the jobs' kernel runs after the graph). Regions start at even indices: the seeds (int
/// pairs read as uint64) stay aligned.
/// </summary>
internal sealed record StepLayout
{
    public StepLayout(int tokens, int sequences, int sampledRows, int masked, int maxBlocksPerSequence, int logprobJobs = 0)
    {
        int next = 0;
        int Add(int length)
        {
            int offset = next;
            next = checked(offset + (length + 1) / 2 * 2);
            return offset;
        }
        Tokens = Add(tokens);
        Positions = Add(tokens);
        Slots = Add(tokens);
        SourceRows = Add(tokens);
        SeqStart = Add(sequences + 1);
        ContextLengths = Add(sequences);
        TileOffsets = Add(sequences + 1);
        SampleRows = Add(sampledRows);
        TopK = Add(sampledRows);
        Temperature = Add(sampledRows);
        TopP = Add(sampledRows);
        Steps = Add(sampledRows);
        Seeds = Add(2 * sampledRows);
        MaskRows = Add(masked);
        MaskIds = Add(masked);
        BlockTables = Add(checked(sequences * maxBlocksPerSequence));
        LogprobRows = Add(logprobJobs);
        LogprobTop = Add(logprobJobs);
        Length = next;
    }

    /// <summary>Ints the largest step can need.</summary>
    public static long Capacity(int maxTokens, int maxSequences, int maxMasked, int maxBlocksPerSequence) =>
        new StepLayout(maxTokens, maxSequences, maxSequences, maxMasked, maxBlocksPerSequence, maxSequences).Length + 32;

    public int Tokens { get; }
    public int Positions { get; }
    public int Slots { get; }
    /// <summary>Per token row: the previous step's sample row that holds its id (placeholders), else -1.</summary>
    public int SourceRows { get; }
    public int SeqStart { get; }
    public int ContextLengths { get; }
    public int TileOffsets { get; }
    public int SampleRows { get; }
    public int TopK { get; }
    public int Temperature { get; }
    public int TopP { get; }
    public int Steps { get; }
    public int Seeds { get; }
    public int MaskRows { get; }
    public int MaskIds { get; }
    public int BlockTables { get; }
    /// <summary>Per log-probability job: the sample row it measures.</summary>
    public int LogprobRows { get; }
    /// <summary>Per log-probability job: how many top tokens.</summary>
    public int LogprobTop { get; }
    public int Length { get; }
}
