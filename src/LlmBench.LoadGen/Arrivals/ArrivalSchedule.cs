namespace LlmBench.LoadGen.Arrivals;

/// <summary>
/// When each request is due, as `vllm bench serve` schedules them: with --request-rate inf all at once;
/// otherwise gaps drawn from Gamma(shape = burstiness, scale = 1 / (rate · burstiness)) (burstiness 1 is
/// a Poisson process, below 1 burstier, above 1 more even, infinite a fixed interval). A fixed-count
/// run rescales the cumulative offsets so the last lands at count / rate, as vLLM does, which keeps the
/// offered load identical across seeds.
/// </summary>
public sealed class ArrivalSchedule
{
    private readonly double _rate;
    private readonly double _burstiness;
    private readonly GammaSampler _gamma;

    public ArrivalSchedule(double requestRate, double burstiness, int seed)
    {
        if (!(requestRate > 0))
            throw new ArgumentException($"--request-rate must be positive (or inf), got {requestRate}.");
        if (!(burstiness > 0))
            throw new ArgumentException($"--burstiness must be positive, got {burstiness}.");
        _rate = requestRate;
        _burstiness = burstiness;
        _gamma = new GammaSampler(new Random(seed));
    }

    public bool SendsAllAtOnce => double.IsPositiveInfinity(_rate);

    /// <summary>The next gap in seconds, for open-ended (--duration) runs.</summary>
    public double NextGapSeconds()
    {
        if (SendsAllAtOnce)
            return 0;
        if (double.IsPositiveInfinity(_burstiness))
            return 1 / _rate;
        return _gamma.Next(_burstiness, 1 / (_rate * _burstiness));
    }

    /// <summary>
    /// Due offsets for --ramp-up-strategy, as `vllm bench serve` draws them: request i's gap is drawn at the rate
    /// <see cref="RampUp.RateAt"/>(i, count) (Gamma as above), the gaps accumulate, and nothing is rescaled.
    /// </summary>
    public static double[] RampOffsets(int count, RampUp ramp, double burstiness, int seed)
    {
        if (!(burstiness > 0))
            throw new ArgumentException($"--burstiness must be positive, got {burstiness}.");
        var gamma = new GammaSampler(new Random(seed));
        var offsets = new double[count];
        double total = 0;
        for (int i = 0; i < count; i++)
        {
            var rate = ramp.RateAt(i, count);
            total += double.IsPositiveInfinity(burstiness) ? 1 / rate : gamma.Next(burstiness, 1 / (rate * burstiness));
            offsets[i] = total;
        }

        return offsets;
    }

    /// <summary>Due offsets in seconds from the start for <paramref name="count"/> requests, normalized as vLLM does.</summary>
    public double[] Offsets(int count)
    {
        var offsets = new double[count];
        double total = 0;
        for (int i = 0; i < count; i++)
        {
            total += NextGapSeconds();
            offsets[i] = total;
        }

        if (total > 0)
        {
            var scale = count / _rate / total;
            for (int i = 0; i < count; i++)
                offsets[i] *= scale;
        }

        return offsets;
    }
}
