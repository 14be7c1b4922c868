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
        Report("tiny-qwen3 (3 layers, hidden 128) fp32", engine, promptLength: 128, batch: 1, decodeSteps: 200);
        Report("tiny-qwen3 (3 layers, hidden 128) fp32", engine, promptLength: 128, batch: 8, decodeSteps: 200);
    }

    [Theory(Explicit = true)]
    [InlineData(CpuWeightFormat.Bf16)]
    [InlineData(CpuWeightFormat.Float32)]
    public void Qwen3_0_6B_DecodeRate(CpuWeightFormat format)
    {
        var model = Qwen3_0_6B();
        var load = Stopwatch.StartNew();
        using var weights = new RandomTensorSource(model, seed: 1, dtype: TensorDType.BF16);
        using var engine = CpuEngine.Create(model, weights, new EngineOptions { MaxNumSeqs = 8, MaxNumBatchedTokens = 256, MaxModelLen = 512 }, format);
        output.WriteLine($"built random bf16 weights and engine in {load.Elapsed.TotalSeconds:F1} s; {Environment.ProcessorCount} cores");
        Report($"qwen3-0.6b bf16 weights as {format}", engine, promptLength: 32, batch: 1, decodeSteps: 16);
        Report($"qwen3-0.6b bf16 weights as {format}", engine, promptLength: 32, batch: 8, decodeSteps: 8);
    }

    /// <summary>Prefills <paramref name="batch"/> prompts, warms up with 2 decode steps, then times decode steps.</summary>
    private void Report(string label, LlmEngine engine, int promptLength, int batch, int decodeSteps)
    {
        int maxTokens = decodeSteps + 3;
        for (int i = 0; i < batch; i++)
            engine.AddRequest(new GenerationRequest($"{label}-{batch}-{i}", TinyModels.Prompt(promptLength, i, engine.VocabSize),
                SamplingParams.Greedy(maxTokens, ignoreEos: true)));
        var prefill = Stopwatch.StartNew();
        for (int firstTokens = 0; firstTokens < batch;)
            firstTokens += engine.Step().Count(e => e.OutputIndex == 0);
        prefill.Stop();
        engine.Step();
        engine.Step();
        var decode = Stopwatch.StartNew();
        int tokens = 0;
        for (int s = 0; s < decodeSteps; s++)
            tokens += engine.Step().Count;
        decode.Stop();
        while (engine.HasUnfinishedRequests)
            engine.Step();
        double stepMs = decode.Elapsed.TotalMilliseconds / decodeSteps;
        output.WriteLine($"{label}: batch {batch}: prefill {batch}x{promptLength} tokens {prefill.Elapsed.TotalMilliseconds:F1} ms; " +
            $"decode {stepMs:F2} ms/step, {tokens / decode.Elapsed.TotalSeconds:F1} tok/s");
    }
}
