namespace LlmBench.Kernels.Tests.Reference;

/// <summary>
/// Rotary embedding in Hugging Face's rotate_half convention: element e pairs with e ± D/2 and both use frequency
/// inv_freq[e mod D/2]; x'[e] = x[e]·cos − x[e+D/2]·sin for the lower half, x[e]·cos + x[e−D/2]·sin for the upper.
/// </summary>
public static class RopeReference
{
    /// <summary>HF's table: 1 / theta^(2i/D), computed in fp32 as torch does on the host.</summary>
    public static float[] InverseFrequencies(int headDim, double theta)
    {
        var table = new float[headDim / 2];
        for (var i = 0; i < table.Length; i++)
            table[i] = 1f / MathF.Pow((float)theta, 2f * i / headDim);
        return table;
    }

    /// <summary>The angle HF uses: position · inv_freq as an fp32 product (large positions lose low bits there too).</summary>
    public static double Angle(int position, float inverseFrequency) => (float)position * inverseFrequency;

    /// <summary>
    /// Rotates one head in place. <paramref name="round"/> is applied where HF rounds to bf16 (cos, sin, both
    /// products and the sum); pass <see cref="Exact"/> for the unrounded rotation.
    /// </summary>
    public static void Rotate(Span<double> head, int position, ReadOnlySpan<float> inverseFrequencies, Func<double, double> round)
    {
        var half = head.Length / 2;
        for (var i = 0; i < half; i++)
        {
            var angle = Angle(position, inverseFrequencies[i]);
            var cos = round(Math.Cos(angle));
            var sin = round(Math.Sin(angle));
            var low = head[i];
            var high = head[i + half];
            head[i] = round(round(low * cos) + round(-high * sin));
            head[i + half] = round(round(high * cos) + round(low * sin));
        }
    }

    public static double Exact(double x) => x;

    public static double RoundBf16(double x) => Bf16.Round(x);
}
