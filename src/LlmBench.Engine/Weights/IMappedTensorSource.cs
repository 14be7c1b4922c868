namespace LlmBench.Engine.Weights;

/// <summary>
/// A tensor source whose bytes already lie in memory (a mapped file), so a backend can read or upload
/// them without a copy.
/// </summary>
public interface IMappedTensorSource : ITensorSource
{
    /// <summary>
    /// The tensor's stored bytes, in place. Valid only until the source is disposed; tensors of 2 GiB
    /// or more do not fit a span and throw (use <see cref="ITensorSource.ReadRaw"/> on slices instead).
    /// </summary>
    ReadOnlySpan<byte> GetBytes(string name);
}
