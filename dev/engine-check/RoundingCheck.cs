using LlmBench.Engine;
using LlmBench.Engine.Cpu;
using LlmBench.Engine.Weights;

namespace LlmBench.Dev.EngineCheck;

/// <summary>
/// What rounding the decoder's linear weights through a number format costs, on the CPU and independent of the CUDA
/// engine: last-position logits of the CPU executor in fp32 with the weights rounded (fake quantization) against the
/// same executor on the weights as they are, for seeded random prompts. One row per scheme: fp8 e4m3 with one scale
/// per output row (what --quantization fp8 stores), per tensor, per 128 × 128 block and per group of 32; e5m2 and
/// int8 per row; e4m3 per row with down_proj left out. So a GPU figure for --quantization fp8 can be told apart
/// into what the format costs and what the engine adds.
/// </summary>
internal static class RoundingCheck
{
    private static bool LayerLinear(string name) => name.Contains(".layers.", StringComparison.Ordinal) && name.EndsWith("_proj.weight", StringComparison.Ordinal);

    private static readonly RoundingScheme[] Schemes =
    [
        new("e4m3, per row (--quantization fp8)", NumberFormat.E4M3, 1, 0, LayerLinear),
        new("e4m3, per tensor", NumberFormat.E4M3, 0, 0, LayerLinear),
        new("e4m3, 128x128 blocks", NumberFormat.E4M3, 128, 128, LayerLinear),
        new("e4m3, 1x32 groups", NumberFormat.E4M3, 1, 32, LayerLinear),
        new("e5m2, per row", NumberFormat.E5M2, 1, 0, LayerLinear),
        new("int8, per row", NumberFormat.Int8, 1, 0, LayerLinear),
        new("e4m3, per row, not down_proj", NumberFormat.E4M3, 1, 0, n => LayerLinear(n) && !n.Contains("down_proj", StringComparison.Ordinal)),
    ];

    public static int Run(string model, int[] promptLengths, IReadOnlyCollection<string> only, bool gaussian)
    {
        if (!E4M3MatchesDecoder() || !GaussianMatchesMoments())
            return 1;
        using var loaded = ModelDir.Load(model);
        if (gaussian && !loaded.IsDummy)
        {
            Console.Error.WriteLine("--gaussian replaces dummy weights; this model has real ones.");
            return 2;
        }
        using var gaussianWeights = gaussian ? new GaussianTensorSource(loaded.Weights) : null;
        var weights = (ITensorSource?)gaussianWeights ?? loaded.Weights;
        var options = CpuEngine.Resolve(loaded.Config, new EngineOptions
        {
            MaxNumSeqs = 1, MaxNumBatchedTokens = 2048, MaxModelLen = 2048, KvCacheMemoryBytes = 1L << 30,
        });
        var random = new Random(1);
        var prompts = promptLengths.Select(n => Enumerable.Range(0, n).Select(_ => random.Next(0, Math.Min(150_000, loaded.Config.VocabSize))).ToArray()).ToArray();
        int vocab = loaded.Config.VocabSize;
        Console.WriteLine($"{loaded.Config.NumHiddenLayers} layers, {(gaussian ? "Gaussian" : "uniform")} dummy weights, CPU executor in fp32, prompts of {string.Join(" / ", promptLengths)} random tokens (seed 1)");

        var baseline = Logits(weights, null, loaded.Config, options, prompts, vocab);
        Console.WriteLine($"{"scheme",-36} " + string.Join("  ", promptLengths.Select(n => $"{n + " tok",-20}")) + "  (cosine vs unrounded; top-1, top-5 overlap)");
        foreach (var scheme in Schemes.Where(s => only.Count == 0 || only.Any(o => s.Name.StartsWith(o, StringComparison.OrdinalIgnoreCase))))
        {
            var started = DateTime.UtcNow;
            var got = Logits(weights, scheme, loaded.Config, options, prompts, vocab);
            var cells = got.Zip(baseline, (g, b) => $"{RowCompare.Cosine(g, b):F6} {RowCompare.Same(g, b)} {RowCompare.Overlap(g, b)}/5");
            Console.WriteLine($"{scheme.Name,-36} " + string.Join("  ", cells.Select(c => $"{c,-20}")) + $"  ({(DateTime.UtcNow - started).TotalSeconds:F0} s)");
        }
        return 0;
    }

    /// <summary>Last-position logits of each prompt on a fresh CPU executor over the weights, rounded by <paramref name="scheme"/> if given.</summary>
    private static float[][] Logits(ITensorSource weights, RoundingScheme? scheme, LlmBench.Engine.Models.ModelConfig config, EngineOptions options, int[][] prompts, int vocab)
    {
        using var rounded = scheme is null ? null : new RoundedTensorSource(weights, scheme);
        using var executor = new CpuModelExecutor(config, (ITensorSource?)rounded ?? weights, options, CpuWeightFormat.Float32);
        return [.. prompts.Select(p => LogitsCheck.LastLogits(executor, p, vocab))];
    }

    /// <summary>The Gaussian weights' first two moments over a million draws (mean within 0.005, variance within 1 %).</summary>
    private static bool GaussianMatchesMoments()
    {
        double sum = 0, squares = 0;
        const int n = 1_000_000;
        for (int i = 0; i < n; i++)
        {
            double z = GaussianTensorSource.StandardNormal(12345, (ulong)i);
            sum += z;
            squares += z * z;
        }
        double mean = sum / n, variance = (squares / n) - (mean * mean);
        if (Math.Abs(mean) < 0.005 && Math.Abs(variance - 1) < 0.01)
            return true;
        Console.Error.WriteLine($"the Gaussian draws have mean {mean:F4} and variance {variance:F4}, not 0 and 1");
        return false;
    }

    /// <summary>
    /// The e4m3 rounding against the engine's decoder: every finite code's value rounds to itself, and the midpoint of
    /// two neighbours to the one with the even code. Prints what differs.
    /// </summary>
    private static bool E4M3MatchesDecoder()
    {
        var values = Enumerable.Range(0, 0x7F).Select(c => (double)Float8E4M3.ToSingle((byte)c)).ToArray();
        for (int c = 0; c < values.Length; c++)
        {
            if (NumberFormat.E4M3.Round(values[c]) != values[c] || NumberFormat.E4M3.Round(-values[c]) != -values[c])
            {
                Console.Error.WriteLine($"e4m3 rounding moves code 0x{c:X2} ({values[c]}) to {NumberFormat.E4M3.Round(values[c])}");
                return false;
            }
            if (c > 0)
            {
                double mid = (values[c - 1] + values[c]) / 2, even = values[c % 2 == 0 ? c : c - 1];
                if (NumberFormat.E4M3.Round(mid) != even)
                {
                    Console.Error.WriteLine($"e4m3 rounding of {mid} (between codes 0x{c - 1:X2} and 0x{c:X2}) gives {NumberFormat.E4M3.Round(mid)}, not {even}");
                    return false;
                }
            }
        }
        return NumberFormat.E4M3.Round(1000) == 448;
    }
}
