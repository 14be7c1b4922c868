namespace LlmBench.Engine.Cuda.Tests;

/// <summary>Every golden fixture through the CUDA executor, computed in bf16, against transformers' own outputs.</summary>
[Collection(CudaCollection.Name)]
public sealed class GoldenTests(CudaFixture fixture)
{
    /// <summary>Two tokens whose logits are this close may swap between fp32 and bf16 arithmetic.</summary>
    private const float TieTolerance = 0.1f;

    public static TheoryData<string> Models => new(Golden.Models);

    [Theory]
    [MemberData(nameof(Models))]
    public void LastLogitsAndGreedyTokensMatchTransformers(string model)
    {
        var device = fixture.SkipUnlessGpu();
        using var loaded = Golden.Load(model);
        var options = TestOptions.Small();
        using var executor = new CudaModelExecutor(device, loaded.Config, loaded.Weights, options, fixture.Settings);
        var cases = Golden.Cases(model);
        float worst = 0;
        int matched = 0, compared = 0;
        for (int c = 0; c < cases.Length; c++)
        {
            var golden = cases[c];
            var run = StepTrace.Run(executor, executor.Options, [($"c{c}", golden.PromptIds, golden.GreedyIds.Length)], keepLogits: true)[$"c{c}"];
            var first = run.Logits[0];
            float error = Compare.MaxAbsDifference(first, golden.LastLogits);
            float scale = golden.LastLogits.Max(Math.Abs);
            worst = Math.Max(worst, error);
            Assert.True(error <= 0.05f * Math.Max(1f, scale), $"{model} case {c}: max |logit error| {error} (largest logit {scale}).");
            Assert.True(RowCompare.Cosine(first, golden.LastLogits) >= 0.999, $"{model} case {c}: cosine {RowCompare.Cosine(first, golden.LastLogits)}.");
            // Top-1 agrees unless transformers' own top two are (near-)tied.
            int ours = StepTrace.Argmax(first), theirs = StepTrace.Argmax(golden.LastLogits);
            Assert.True(golden.LastLogits[theirs] - golden.LastLogits[ours] <= TieTolerance,
                $"{model} case {c}: top-1 {ours}, transformers {theirs} ({golden.LastLogits[theirs]} vs {golden.LastLogits[ours]}).");
            matched += Compare.GreedyUntilNearTie(golden.GreedyIds, run.Tokens, run.Logits, TieTolerance);
            compared += golden.GreedyIds.Length;
        }
        TestReport.Line($"{model}: max |logit error| {worst:F4}; greedy tokens matched before the first near-tie: {matched}/{compared}");
    }
}
