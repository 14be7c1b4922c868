using System.Diagnostics;
using LlmBench.Engine.Api;
using LlmBench.Engine.Cpu;
using LlmBench.Engine.Models;
using LlmBench.Engine.Tests.Support;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Tests.Cpu;

/// <summary>
/// CPU timings for docs/PERFORMANCE.md. Explicit: they run only when asked for, e.g.
/// <c>dotnet test --project tests/LlmBench.Engine.Tests -c Release -- --filter-method "*DecodeRateBenchmarks*" --explicit only</c>.
/// </summary>
public class DecodeRateBenchmarks(ITestOutputHelper output)
{
    /// <summary>The published Qwen3-0.6B shape (config.json of Qwen/Qwen3-0.6B).</summary>
    internal static ModelConfig Qwen3_0_6B() => new()
    {
        Family = ModelFamily.Qwen3,
        ModelType = "qwen3",
        VocabSize = 151936,
        HiddenSize = 1024,
        IntermediateSize = 3072,
        NumHiddenLayers = 28,
        NumAttentionHeads = 16,
        NumKeyValueHeads = 8,
        HeadDim = 128,
        MaxPositionEmbeddings = 40960,
        RopeTheta = 1_000_000,
        RmsNormEps = 1e-6,
        TieWordEmbeddings = true,
        QkNorm = true,
        EosTokenIds = [151645],
    };

    /// <summary>The golden fixtures' tiny-qwen3 shape.</summary>
    internal static ModelConfig TinyQwen3() => TinyModels.Qwen3(vocab: 1024, maxPositions: 1024) with
    {
        HiddenSize = 128, IntermediateSize = 256, NumHiddenLayers = 3, HeadDim = 32,
    };

    [Fact(Explicit = true)]
    public void TinyModel_StepTimes()
    {
        var model = TinyQwen3();
        using var weights = new RandomTensorSource(model, seed: 1);
        using var engine = CpuEngine.Create(model, weights, new EngineOptions { MaxNumSeqs = 8, MaxNumBatchedTokens = 512, MaxModelLen = 512 });
        // The whole run is shorter than the JIT's tiering delay: run it once unreported so the code is optimized.
        Report("warm-up", engine, promptLength: 128, batch: 8, decodeSteps: 200, print: false);
        Report("tiny-qwen3 (3 layers, hidden 128) fp32", engine, promptLength: 128, batch: 1, decodeSteps: 200);
        Report("tiny-qwen3 (3 layers, hidden 128) fp32", engine, promptLength: 128, batch: 8, decodeSteps: 200);
    }

    /// <summary>Run one format per process (JIT tiering favours whichever runs second).</summary>
    [Fact(Explicit = true)]
    public void Qwen3_0_6B_DecodeRate_Bf16() => Qwen3_0_6B_DecodeRate(CpuWeightFormat.Bf16);

    [Fact(Explicit = true)]
    public void Qwen3_0_6B_DecodeRate_Float32() => Qwen3_0_6B_DecodeRate(CpuWeightFormat.Float32);

    private void Qwen3_0_6B_DecodeRate(CpuWeightFormat format)
    {
        var model = Qwen3_0_6B();
        var load = Stopwatch.StartNew();
        using var weights = new RandomTensorSource(model, seed: 1, dtype: TensorDType.BF16);
        using var engine = CpuEngine.Create(model, weights, new EngineOptions { MaxNumSeqs = 8, MaxNumBatchedTokens = 256, MaxModelLen = 512 }, format);
        output.WriteLine($"built random bf16 weights and engine in {load.Elapsed.TotalSeconds:F1} s; {Environment.ProcessorCount} cores");
        Report($"qwen3-0.6b bf16 weights as {format}", engine, promptLength: 32, batch: 1, decodeSteps: 24);
        Report($"qwen3-0.6b bf16 weights as {format}", engine, promptLength: 32, batch: 8, decodeSteps: 12);
    }

    /// <summary>
    /// The widen-at-load question in isolation: one pass of a 152k × 1024 matrix (Qwen3-0.6B's LM head, far larger
    /// than the caches) over 1 and 8 tokens, fp32 versus bf16 widened in register; best of several runs.
    /// </summary>
    [Theory(Explicit = true)]
    [InlineData(151936)]
    [InlineData(256)]
    public void LmHeadPass_Bf16VersusFp32(int rows)
    {
        const int columns = 1024;
        int runs = rows < 10_000 ? 2000 : 7;
        var random = new Random(1);
        var bits = new ushort[rows * columns];
        for (int i = 0; i < bits.Length; i++)
            bits[i] = (ushort)random.Next(0x3C00, 0x3D00);
        var values = new float[bits.Length];
        Widening.Bf16ToSingle(bits, values);
        var input = Enumerable.Range(0, 8 * columns).Select(i => (float)Math.Sin(i)).ToArray();
        var result = new float[8 * rows];
        foreach (var (name, matrix) in new (string, WeightMatrix)[] { ("bf16", new Bf16Matrix(bits, rows, columns)), ("fp32", new Float32Matrix(values, rows, columns)) })
        {
            foreach (int tokens in new[] { 1, 8 })
            {
                double best = double.MaxValue;
                for (int run = 0; run < runs; run++)
                {
                    var watch = Stopwatch.StartNew();
                    matrix.Multiply(input, tokens, result);
                    best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
                }
                output.WriteLine($"{name} {rows}x{columns} x {tokens} tokens: {best:F3} ms, {matrix.SizeBytes / best / 1e6:F1} GB/s of weights, " +
                    $"{2.0 * rows * columns * tokens / best / 1e6:F1} GFLOP/s");
            }
        }
    }

    /// <summary>Prefills <paramref name="batch"/> prompts, warms up with 6 decode steps (so the JIT has tiered up), then times decode steps.</summary>
    private void Report(string label, LlmEngine engine, int promptLength, int batch, int decodeSteps, bool print = true)
    {
        const int warmUpSteps = 6;
        int maxTokens = decodeSteps + warmUpSteps + 1;
        for (int i = 0; i < batch; i++)
            engine.AddRequest(new GenerationRequest($"{label}-{batch}-{i}", TinyModels.Prompt(promptLength, i, engine.VocabSize),
                SamplingParams.Greedy(maxTokens, ignoreEos: true)));
        var prefill = Stopwatch.StartNew();
        for (int firstTokens = 0; firstTokens < batch;)
            firstTokens += engine.Step().Count(e => e.OutputIndex == 0);
        prefill.Stop();
        for (int s = 0; s < warmUpSteps; s++)
            engine.Step();
        // Per-step times: the median resists the other jobs sharing this machine's two cores.
        var stepMs = new double[decodeSteps];
        int tokens = 0;
        for (int s = 0; s < decodeSteps; s++)
        {
            var step = Stopwatch.StartNew();
            tokens += engine.Step().Count;
            stepMs[s] = step.Elapsed.TotalMilliseconds;
        }
        while (engine.HasUnfinishedRequests)
            engine.Step();
        Array.Sort(stepMs);
        double median = stepMs[decodeSteps / 2], mean = stepMs.Average();
        if (print)
            output.WriteLine($"{label}: batch {batch}: prefill {batch}x{promptLength} tokens {prefill.Elapsed.TotalMilliseconds:F1} ms; " +
                $"decode median {median:F2} ms/step ({batch * 1000 / median:F1} tok/s), mean {mean:F2} ms/step ({tokens * 1000 / stepMs.Sum():F1} tok/s)");
    }
}
