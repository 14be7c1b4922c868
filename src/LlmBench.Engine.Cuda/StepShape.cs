namespace LlmBench.Engine.Cuda;

/// <summary>
/// What one forward pass covers once its inputs are laid out: token rows (decode rows first), sequences split
/// into one-token ones (decode attention) and chunks (prefill attention), and the rows that are sampled.
/// </summary>
internal readonly record struct StepShape(int Tokens, int DecodeSequences, int PrefillSequences, int PrefillTiles, int SampledRows, int MaskCount)
{
    public int Sequences => DecodeSequences + PrefillSequences;
}
