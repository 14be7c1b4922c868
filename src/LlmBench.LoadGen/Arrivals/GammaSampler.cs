namespace LlmBench.LoadGen.Arrivals;

/// <summary>
/// Gamma(shape, scale) draws by Marsaglia and Tsang's method (2000), with the usual boost
/// Gamma(k) = Gamma(k+1)·U^(1/k) for shape below 1. Shape 1 is the exponential distribution.
/// </summary>
public sealed class GammaSampler(Random rng)
{
    public double Next(double shape, double scale)
    {
        if (!(shape > 0) || !(scale > 0))
            throw new ArgumentOutOfRangeException(nameof(shape), $"Gamma needs a positive shape and scale, got {shape} and {scale}.");
        if (shape < 1)
            return Next(shape + 1, scale) * Math.Pow(UniformOpen(), 1 / shape);

        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = StandardNormal();
                v = 1 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
            var u = UniformOpen();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v)))
                return d * v * scale;
        }
    }

    private double StandardNormal() =>
        Math.Sqrt(-2 * Math.Log(UniformOpen())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Uniform on (0, 1): logs of it stay finite.</summary>
    private double UniformOpen()
    {
        double u;
        do
            u = rng.NextDouble();
        while (u == 0);
        return u;
    }
}
