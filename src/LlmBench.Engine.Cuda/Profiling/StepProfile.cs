namespace LlmBench.Engine.Cuda.Profiling;

/// <summary>One call of a profiled forward pass: what ran, for how long, and the bytes it had to move.</summary>
/// <param name="Layer">The decoder layer, or -1 outside the layers.</param>
/// <param name="Family">The .cu file, or cuBLASLt.</param>
public sealed record KernelCall(KernelRole Role, int Layer, string Family, double Milliseconds, double Bytes);

/// <summary>The calls of one forward pass, timed with CUDA events between them (see <see cref="CudaStepProfiler"/>).</summary>
/// <param name="Tokens">Tokens in the step (decode sequences plus prefill chunk tokens).</param>
public sealed record StepProfile(int Tokens, int DecodeSequences, int PrefillTokens, IReadOnlyList<KernelCall> Calls)
{
    /// <summary>Σ of the calls' times: the pass with no launch gaps and no overlap between kernels.</summary>
    public double KernelMilliseconds => Calls.Sum(c => c.Milliseconds);

    public double Bytes => Calls.Sum(c => c.Bytes);
}
