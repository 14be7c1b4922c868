namespace LlmBench.Engine.Cuda;

/// <summary>
/// What one forward pass covers once its inputs are laid out: token rows (decode rows first), sequences split
/// into one-token ones (decode attention) and chunks (prefill attention), the rows that are sampled, and where
/// each input sits in the step buffer, and how many sampled rows have their log probabilities measured.
/// </summary>
internal readonly record struct StepShape(int Tokens, int DecodeSequences, int PrefillSequences, int PrefillTiles, int SampledRows, int MaskCount, StepLayout Layout,
    int Placeholders = 0, int LogprobJobs = 0)
{
    public int Sequences => DecodeSequences + PrefillSequences;

    /// <summary>A decode step of <paramref name="batch"/> sequences, all sampled: the shape decode graphs are captured for.</summary>
    public static StepShape Decode(int batch, int maxBlocksPerSequence) =>
        new(batch, batch, 0, 0, batch, 0, new StepLayout(batch, batch, batch, 0, maxBlocksPerSequence));
}
