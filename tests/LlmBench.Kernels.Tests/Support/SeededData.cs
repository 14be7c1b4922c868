using LlmBench.Kernels.Tests.Reference;

namespace LlmBench.Kernels.Tests.Support;

/// <summary>Seeded random inputs: Gaussian values rounded to bf16, never all zeros.</summary>
public sealed class SeededData(int seed)
{
    private readonly Random _random = new(seed);

    public double NextGaussian()
    {
        // Box-Muller: the half-open NextDouble keeps log away from 0.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>bf16-exact values drawn from N(mean, scale²).</summary>
    public float[] Bf16Values(long count, double scale = 1.0, double mean = 0.0)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
            values[i] = Bf16.Round(mean + scale * NextGaussian());
        return values;
    }

    public float[] FloatValues(long count, double scale = 1.0)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)(scale * NextGaussian());
        return values;
    }

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    public int Next(int minInclusive, int maxExclusive) => _random.Next(minInclusive, maxExclusive);

    public ulong NextUInt64() => (ulong)_random.NextInt64() ^ ((ulong)_random.Next(2) << 63);

    /// <summary>The numbers 0..count-1 in a random order.</summary>
    public int[] Permutation(int count)
    {
        var items = Enumerable.Range(0, count).ToArray();
        _random.Shuffle(items);
        return items;
    }
}
