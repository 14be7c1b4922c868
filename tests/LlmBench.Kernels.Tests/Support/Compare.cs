namespace LlmBench.Kernels.Tests.Support;

/// <summary>The errors of one output against its reference; <see cref="AssertWithin"/> fails with the worst element.</summary>
public sealed record Comparison(string What, double NormRatio, double MaxAbsError, double MaxScaledError, long WorstIndex, long NaNCount)
{
    public static Comparison Of(string what, ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        if (actual.Length != expected.Length)
            throw new ArgumentException($"{what}: {actual.Length} outputs against {expected.Length} reference values.");
        double sumSquares = 0, sumDiffSquares = 0;
        foreach (var e in expected)
            sumSquares += e * e;
        var rms = Math.Sqrt(sumSquares / Math.Max(1, expected.Length));
        double maxAbs = 0, maxScaled = 0;
        long worst = -1, firstNaN = -1, nans = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (float.IsNaN(actual[i]) || float.IsInfinity(actual[i]))
            {
                firstNaN = nans++ == 0 ? i : firstNaN;
                continue;
            }
            var diff = Math.Abs(actual[i] - expected[i]);
            sumDiffSquares += diff * diff;
            maxAbs = Math.Max(maxAbs, diff);
            var scaled = diff / (Math.Abs(expected[i]) + rms);
            if (scaled > maxScaled)
            {
                maxScaled = scaled;
                worst = i;
            }
        }
        var ratio = sumSquares > 0 ? Math.Sqrt(sumDiffSquares) / Math.Sqrt(sumSquares) : Math.Sqrt(sumDiffSquares);
        return new Comparison(what, ratio, maxAbs, maxScaled, nans > 0 ? firstNaN : worst, nans);
    }

    public static Comparison Of(string what, ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        var wide = new double[expected.Length];
        for (var i = 0; i < wide.Length; i++)
            wide[i] = expected[i];
        return Of(what, actual, wide);
    }

    public Comparison AssertWithin(Tolerance tolerance)
    {
        Assert.True(NaNCount == 0, $"{What}: {NaNCount} outputs are NaN or infinite (first at {WorstIndex}): unwritten or overflowed.");
        Assert.True(MaxScaledError <= tolerance.Relative,
            $"{What}: element {WorstIndex} is off by {MaxScaledError:E2} of its scale (limit {tolerance.Relative:E1}).");
        Assert.True(NormRatio <= tolerance.NormRatio, $"{What}: ‖Δ‖/‖ref‖ = {NormRatio:E2} (limit {tolerance.NormRatio:E1}).");
        ErrorLog.Record(this);
        return this;
    }

    public override string ToString() => $"{What}: ‖Δ‖/‖ref‖ {NormRatio:E2}, max |Δ| {MaxAbsError:E2}, max scaled {MaxScaledError:E2}";
}
