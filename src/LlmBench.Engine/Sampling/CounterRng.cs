namespace LlmBench.Engine.Sampling;

/// <summary>
/// The per-request random numbers: a counter-based generator. Draw <c>n</c> of the stream <c>seed</c> is
/// <c>F(F(seed) + φ·(n+1))</c>, where F is SplitMix64's finalizer and φ = 0x9E3779B97F4A7C15, taken to [0, 1)
/// with its top 53 bits. The sampler uses draw n = the index of the output token it samples, so a draw depends
/// only on the request's seed and that index, never on what else is in the batch, how the prompt was chunked, or
/// whether the request was preempted and recomputed: a seeded request reproduces exactly. A GPU sampler can
/// compute the same function per row.
/// </summary>
public static class CounterRng
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>Uniform double in [0, 1) for draw <paramref name="counter"/> of the stream <paramref name="seed"/>.</summary>
    public static double Uniform(ulong seed, long counter) => (Mix(seed, (ulong)counter) >> 11) * (1.0 / (1UL << 53));

    /// <summary>64 random bits for draw <paramref name="counter"/> of stream <paramref name="seed"/>; also derives request seeds from the engine seed.</summary>
    public static ulong Mix(ulong seed, ulong counter) => Finalize(Finalize(seed) + Golden * (counter + 1));

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
