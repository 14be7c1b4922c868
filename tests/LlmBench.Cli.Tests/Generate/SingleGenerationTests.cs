using LlmBench.Engine;
using LlmBench.Engine.Api;

namespace LlmBench.Cli.Tests.Generate;

/// <summary>The streaming side of generate: the pieces a terminal would see, and Ctrl-C.</summary>
public class SingleGenerationTests
{
    private static readonly GoldenCase First = GenerateFixtures.Cases("tiny-qwen3")[0];

    [Fact]
    public void StreamedPieces_ConcatenateToTheText_AndNeverShowTextPastAStop()
    {
        using var model = new TokenizedTinyModel();
        using var opened = Open(model);
        var pieces = new List<string>();
        var sampling = SamplingParams.Greedy(24, ignoreEos: true) with { StopStrings = ["7><1"] };

        var outcome = new SingleGeneration(opened.Engine, opened.Tokenizer, [203], sampling).Run(pieces.Add, CancellationToken.None);

        Assert.Equal(FinishReason.Stop, outcome.Finish);
        Assert.Equal("<987><98", outcome.Text);
        Assert.Equal(outcome.Text, string.Concat(pieces));
        // After the first token "<987>", its tail "7>" might begin the stop "7><1", so it is held back.
        Assert.Equal("<98", pieces[0]);
        Assert.False(opened.Engine.HasUnfinishedRequests);
    }

    [Fact]
    public void Cancellation_AbortsTheRequest_AndFreesItsCache()
    {
        using var model = new TokenizedTinyModel();
        using var opened = Open(model);
        using var cancel = new CancellationTokenSource();
        var pieces = new List<string>();
        var generation = new SingleGeneration(opened.Engine, opened.Tokenizer, First.PromptIds, SamplingParams.Greedy(24, ignoreEos: true));

        Assert.ThrowsAny<OperationCanceledException>(() => generation.Run(piece => { pieces.Add(piece); cancel.Cancel(); }, cancel.Token));

        Assert.Single(pieces);
        Assert.False(opened.Engine.HasUnfinishedRequests);
        Assert.Equal(0, opened.Engine.Stats.RunningRequests);
        Assert.Equal(0, opened.Engine.Stats.KvCacheUsage);
    }

    private static OpenedEngine Open(TokenizedTinyModel model) => EngineHost.Open(new EngineSpec
    {
        Model = model.Directory,
        Device = "cpu",
        Options = new EngineOptions { MaxNumSeqs = 1 },
    });
}
