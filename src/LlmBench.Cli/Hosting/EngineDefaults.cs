namespace LlmBench.Cli;

/// <summary>
/// What a command's engine gets for the flags left out. Commands differ only here (generate runs one sequence,
/// serve names no model, run on a CPU takes small steps); the flags themselves are declared once, in <see cref="EngineFlags"/>.
/// </summary>
internal sealed record EngineDefaults
{
    /// <summary>--model when not given; null means the command must be told (serve takes it as an argument).</summary>
    public string? Model { get; init; } = "qwen3-0.6b";

    public int MaxNumSeqs { get; init; } = 256;

    /// <summary>Raised to --max-num-seqs when that is larger, so a bigger batch never fails validation for a flag it did not give.</summary>
    public int MaxNumBatchedTokens { get; init; } = 8192;

    public static readonly EngineDefaults Standard = new();
}
