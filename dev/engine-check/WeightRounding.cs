namespace LlmBench.Dev.EngineCheck;

/// <summary>
/// A number format that weights are rounded through (fake quantization): a float format with a given number of
/// mantissa bits, smallest normal exponent and largest finite value (fp8 e4m3: 3, −6, 448; e5m2: 2, −14, 57344),
/// rounded to nearest with ties to even and saturating; or a symmetric integer format (int8: ±127).
/// </summary>
internal sealed record NumberFormat(string Name, int MantissaBits, int MinNormalExponent, double MaxValue, bool Integer = false)
{
    public static readonly NumberFormat E4M3 = new("e4m3", 3, -6, 448);
    public static readonly NumberFormat E5M2 = new("e5m2", 2, -14, 57344);
    public static readonly NumberFormat Int8 = new("int8", 0, 0, 127, Integer: true);

    /// <summary>The nearest representable value (ties to even), saturated at ±<see cref="MaxValue"/>.</summary>
    public double Round(double x)
    {
        double a = Math.Abs(x);
        if (a == 0)
            return 0;
        double r;
        if (Integer)
        {
            r = Math.Round(a, MidpointRounding.ToEven);
        }
        else
        {
            // The spacing of representable values around a: 2^(e − mantissa bits), e the binade (at least the
            // smallest normal one, below which the spacing stays that of the subnormals).
            int exponent = Math.Max(Math.ILogB(a), MinNormalExponent);
            double quantum = Math.ScaleB(1.0, exponent - MantissaBits);
            r = Math.Round(a / quantum, MidpointRounding.ToEven) * quantum;
        }
        return Math.CopySign(Math.Min(r, MaxValue), x);
    }
}

/// <summary>
/// How a [rows, columns] weight is scaled into a format before rounding: one fp32 scale (block max / format max) per
/// block of <see cref="BlockRows"/> × <see cref="BlockColumns"/> (0 = the whole dimension), so (1, 0) is one scale per
/// output row as --quantization fp8 does, (0, 0) one per tensor, (128, 128) Qwen3-FP8's checkpoint blocks.
/// </summary>
internal sealed record RoundingScheme(string Name, NumberFormat Format, int BlockRows, int BlockColumns, Func<string, bool> Applies)
{
    /// <summary>Rounds <paramref name="weight"/> (row-major, <paramref name="columns"/> wide) in place: w ← round(w / s) · s.</summary>
    public void Apply(Span<float> weight, int columns)
    {
        int rows = weight.Length / columns;
        int blockRows = BlockRows == 0 ? rows : BlockRows, blockColumns = BlockColumns == 0 ? columns : BlockColumns;
        for (int r0 = 0; r0 < rows; r0 += blockRows)
        {
            for (int c0 = 0; c0 < columns; c0 += blockColumns)
            {
                int r1 = Math.Min(rows, r0 + blockRows), c1 = Math.Min(columns, c0 + blockColumns);
                float max = 0;
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++)
                        max = Math.Max(max, Math.Abs(weight[(r * columns) + c]));
                if (max == 0)
                    continue;
                double scale = (float)(max / Format.MaxValue); // an fp32 scale, as stored
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++)
                        weight[(r * columns) + c] = (float)(Format.Round(weight[(r * columns) + c] / scale) * scale);
            }
        }
    }
}
