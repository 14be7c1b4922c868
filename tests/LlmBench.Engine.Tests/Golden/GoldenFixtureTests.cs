using LlmBench.Engine.Api;
using LlmBench.Engine.Tests.Support;

namespace LlmBench.Engine.Tests.Golden;

/// <summary>
/// The engine against Hugging Face transformers on the fixtures it saved (tests/fixtures/golden), through the real
/// loader (config.json, generation_config.json, safetensors) and the real CPU engine. fp32 checkpoints are held and
/// computed in fp32 on the CPU (CpuWeightFormat only changes how bf16 is held), so they must agree to 1e-3.
/// </summary>
public class GoldenFixtureTests(ITestOutputHelper output)
{
    private const float Fp32LogitTolerance = 1e-3f;

    /// <summary>
    /// transformers ran the bf16 model in bf16 throughout (8-bit mantissas, each rounding off by up to 2^-9
    /// relative), over 3 layers and up to 300 positions of attention; we compute in fp32 from the same bf16 weights.
    /// The logits here lie within ±4.25, where one bf16 step is 2^-6 or 2^-5; the tolerance is eight steps of 2^-6.
    /// </summary>
    private const float Bf16LogitTolerance = 0.125f;

    public static TheoryData<string> Fp32Models => ["tiny-qwen3", "tiny-qwen2"];

    [Theory]
    [MemberData(nameof(Fp32Models))]
    public void Fp32_EveryCasesGreedyTokens_EqualTransformers(string name)
    {
        var fixture = GoldenFixture.Read(name);
        Assert.Equal("torch.float32", fixture.DType);
        var tokens = GreedyThroughEngine(fixture);
        for (int i = 0; i < fixture.Cases.Length; i++)
            Assert.Equal(fixture.Cases[i].GreedyIds, tokens[i]);
    }

    [Theory]
    [MemberData(nameof(Fp32Models))]
    public void Fp32_LastPositionLogits_AgreeWithin1e3(string name)
    {
        var fixture = GoldenFixture.Read(name);
        var errors = LastLogitErrors(fixture);
        output.WriteLine($"{name}: max |Δ logit| per case (prompt lengths {Lengths(fixture)}): {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        Assert.All(errors, e => Assert.InRange(e, 0, Fp32LogitTolerance));
    }

    [Fact]
    public void Bf16_LastPositionLogits_AgreeWithinBf16Tolerance()
    {
        var fixture = GoldenFixture.Read("tiny-qwen3-bf16");
        Assert.Equal("torch.bfloat16", fixture.DType);
        var errors = LastLogitErrors(fixture);
        output.WriteLine($"tiny-qwen3-bf16: max |Δ logit| per case (prompt lengths {Lengths(fixture)}): {string.Join(", ", errors.Select(e => e.ToString("F4")))}; tolerance {Bf16LogitTolerance}");
        Assert.All(errors, e => Assert.InRange(e, 0, Bf16LogitTolerance));
    }

    /// <summary>
    /// Where the top two logits are closer than the tolerance, bf16 rounding alone may pick either token, and after
    /// a different token the continuations part. So each case must match transformers token for token up to its
    /// first near-tie: the first step whose top-2 gap is below the tolerance, in our logits or (at the first
    /// step, the only one it recorded) in transformers'.
    /// </summary>
    [Fact]
    public void Bf16_GreedyTokens_EqualTransformersUntilTheFirstNearTie()
    {
        var fixture = GoldenFixture.Read("tiny-qwen3-bf16");
        var engineTokens = GreedyThroughEngine(fixture);
        using var model = fixture.Load();
        var traced = GreedyTrace.Run(model.Config, model.Weights, TraceOptions(),
            fixture.Cases.Select((c, i) => ($"case{i}", c.PromptIds, c.GreedyIds.Length)));

        int required = 0;
        for (int i = 0; i < fixture.Cases.Length; i++)
        {
            var golden = fixture.Cases[i];
            var trace = traced[$"case{i}"];
            // The trace drives the same executor step by step; it must agree with the engine it stands in for.
            Assert.Equal(engineTokens[i], trace.Tokens);
            int nearTie = GoldenFixture.TopTwoGap(golden.LastLogits) < Bf16LogitTolerance
                ? 0
                : Array.FindIndex(trace.Logits, row => GoldenFixture.TopTwoGap(row) < Bf16LogitTolerance);
            if (nearTie < 0)
                nearTie = golden.GreedyIds.Length;
            int matched = golden.GreedyIds.Zip(engineTokens[i]).TakeWhile(pair => pair.First == pair.Second).Count();
            output.WriteLine($"case {i} (prompt {golden.PromptIds.Length} tokens): first near-tie at step {nearTie}, {matched} of {golden.GreedyIds.Length} tokens equal transformers'");
            Assert.Equal(golden.GreedyIds[..nearTie], engineTokens[i][..nearTie]);
            required += nearTie;
        }
        Assert.True(required > 0, "every case has a near-tie at its first step, so this test compared no tokens");
    }

    private static int[][] GreedyThroughEngine(GoldenFixture fixture)
    {
        using var model = fixture.Load();
        using var engine = CpuEngine.Create(model.Config, model.Weights, Options());
        // All cases in one batch: chunked prefill of the 300-token prompt runs beside the others' decodes.
        for (int i = 0; i < fixture.Cases.Length; i++)
        {
            var golden = fixture.Cases[i];
            engine.AddRequest(new GenerationRequest($"case{i}", golden.PromptIds, SamplingParams.Greedy(golden.GreedyIds.Length, ignoreEos: true)));
        }
        var events = EngineDriver.RunToCompletion(engine);
        return [.. Enumerable.Range(0, fixture.Cases.Length).Select(i => EngineDriver.Tokens(events[$"case{i}"]))];
    }

    private static float[] LastLogitErrors(GoldenFixture fixture)
    {
        using var model = fixture.Load();
        var traced = GreedyTrace.Run(model.Config, model.Weights, TraceOptions(),
            fixture.Cases.Select((c, i) => ($"case{i}", c.PromptIds, 1)));
        return [.. fixture.Cases.Select((c, i) => GreedyTrace.MaxAbsDifference(traced[$"case{i}"].Logits[0], c.LastLogits))];
    }

    private static string Lengths(GoldenFixture fixture) => string.Join("/", fixture.Cases.Select(c => c.PromptIds.Length));

    /// <summary>Room for the 300-token prompt plus 24 outputs; a prefill budget that splits that prompt.</summary>
    private static EngineOptions Options() => new()
    {
        MaxNumSeqs = 8,
        MaxNumBatchedTokens = 256,
        MaxModelLen = 512,
        KvCacheMemoryBytes = 64L << 20,
    };

    private static EngineOptions TraceOptions() => GreedyTrace.Options(maxBatchedTokens: 256, maxModelLen: 512);
}
