namespace LlmBench.Kernels.Tests.Support;

/// <summary>Pearson's χ² of observed draws against expected probabilities.</summary>
public static class FrequencyTest
{
    /// <summary>Categories expecting fewer draws than this are pooled into one, as χ² needs.</summary>
    private const double MinimumExpected = 5;

    /// <returns>χ², its degrees of freedom (bins − 1) and the draws that fell where the probability is 0.</returns>
    public static (double ChiSquared, int Degrees, int Outside) ChiSquared(IReadOnlyList<int> draws, double[] probabilities)
    {
        var counts = new int[probabilities.Length];
        var outside = 0;
        foreach (var d in draws)
        {
            if (d < 0 || d >= counts.Length || probabilities[d] == 0)
                outside++;
            else
                counts[d]++;
        }
        double chi = 0, pooledExpected = 0, pooledCount = 0;
        var bins = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            var expected = probabilities[i] * draws.Count;
            if (probabilities[i] == 0)
                continue;
            if (expected < MinimumExpected)
            {
                pooledExpected += expected;
                pooledCount += counts[i];
                continue;
            }
            bins++;
            chi += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        if (pooledExpected > 0)
        {
            bins++;
            chi += (pooledCount - pooledExpected) * (pooledCount - pooledExpected) / pooledExpected;
        }
        return (chi, bins - 1, outside);
    }
}
