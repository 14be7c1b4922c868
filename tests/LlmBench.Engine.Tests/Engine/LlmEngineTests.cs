using LlmBench.Engine.Api;
using LlmBench.Engine.Tests.Support;

namespace LlmBench.Engine.Tests.Engine;

public class LlmEngineTests
{
    private static readonly EngineOptions Small = new() { MaxNumSeqs = 8, MaxNumBatchedTokens = 64, MaxModelLen = 128 };

    private static LlmEngine Create(Models.ModelConfig? model = null, EngineOptions? options = null, int weightsSeed = 1)
    {
        model ??= TinyModels.Qwen3();
        return CpuEngine.Create(model, new RandomTensorSource(model, weightsSeed), options ?? Small);
    }

    private static GenerationRequest Request(string id, int promptLength, SamplingParams sampling, int seed = 0) =>
        new(id, TinyModels.Prompt(promptLength, seed), sampling);

    public static IEnumerable<TheoryDataRow<int[], string>> BadPrompts() =>
    [
        new([], "the prompt is empty"),
        new(Enumerable.Repeat(3, 128).ToArray(), "the prompt has 128 tokens but the model length is 128"),
        new([1, 97, 2], "prompt token 1 has id 97, outside the model's vocabulary of 97 ids"),
        new([-1], "prompt token 0 has id -1"),
    ];

    [Theory]
    [MemberData(nameof(BadPrompts))]
    public void AddRequest_RejectsPromptsItCanNeverRun(int[] prompt, string expected)
    {
        using var engine = Create();
        var error = Assert.Throws<ArgumentException>(() => engine.AddRequest(new GenerationRequest("r", prompt, SamplingParams.Greedy(4))));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.False(engine.HasUnfinishedRequests);
    }

    [Fact]
    public void AddRequest_RejectsBadSamplingAndDuplicateIds()
    {
        using var engine = Create();
        var bad = Assert.Throws<ArgumentException>(() => engine.AddRequest(Request("r", 4, new SamplingParams { Temperature = -1 })));
        Assert.Contains("temperature", bad.Message, StringComparison.Ordinal);
        engine.AddRequest(Request("r", 4, SamplingParams.Greedy(4)));
        var duplicate = Assert.Throws<ArgumentException>(() => engine.AddRequest(Request("r", 4, SamplingParams.Greedy(4))));
        Assert.Contains("already running", duplicate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Greedy_EmitsMaxTokensEvents_InOrder_EndingWithLength_AndMatchesTheExecutorTrace()
    {
        var model = TinyModels.Qwen3();
        using var engine = Create(model);
        var request = Request("a", 12, SamplingParams.Greedy(9, ignoreEos: true));
        engine.AddRequest(request);

        var events = EngineDriver.RunToCompletion(engine)["a"];
        var trace = GreedyTrace.Run(model, new RandomTensorSource(model, 1), GreedyTrace.Options(), [("a", request.PromptIds, 9)]);

        Assert.Equal(Enumerable.Range(0, 9), events.Select(e => e.OutputIndex));
        Assert.Equal(FinishReason.Length, events[^1].Finish);
        Assert.All(events[..^1], e => Assert.Null(e.Finish));
        Assert.Equal(trace["a"].Tokens, EngineDriver.Tokens(events));
        Assert.Equal(0, engine.Stats.KvCacheUsage);
    }

    [Fact]
    public void SeededSampling_DoesNotDependOnTheBatch_NorOnPreemption()
    {
        var sampling = new SamplingParams { Temperature = 0.9f, TopP = 0.95f, TopK = 30, MaxTokens = 40, IgnoreEos = true, Seed = 1234 };
        var requests = Enumerable.Range(0, 4).Select(i => Request($"r{i}", 20 + 9 * i, sampling with { Seed = (ulong)i }, seed: i)).ToArray();

        Dictionary<string, int[]> Run(EngineOptions options, IEnumerable<GenerationRequest> batch, out long preemptions)
        {
            using var engine = Create(options: options);
            foreach (var r in batch)
                engine.AddRequest(r);
            var result = EngineDriver.RunToCompletion(engine).ToDictionary(kv => kv.Key, kv => EngineDriver.Tokens(kv.Value));
            preemptions = engine.Stats.Preemptions;
            return result;
        }

        var together = Run(Small, requests, out _);
        // 8 KiB per block of 16 tokens: 12 blocks hold 192 tokens, less than the 4 × ~85 the batch needs.
        var cramped = Run(Small with { MaxModelLen = null, KvCacheMemoryBytes = 12 * 8192 }, requests, out long preemptions);
        Assert.True(preemptions > 0, "the small cache should have preempted");
        foreach (var request in requests)
        {
            var alone = Run(Small, [request], out _);
            Assert.Equal(40, alone[request.Id].Length);
            Assert.Equal(alone[request.Id], together[request.Id]);
            Assert.Equal(alone[request.Id], cramped[request.Id]);
        }
        Assert.NotEqual(together["r0"], together["r1"]);
    }

    [Fact]
    public void Eos_StopsTheRequest_UnlessIgnored_AndMinTokensBansIt()
    {
        var probe = TinyModels.Qwen3();
        var prompt = TinyModels.Prompt(10, seed: 3);
        int first;
        using (var engine = Create(probe))
        {
            engine.AddRequest(new GenerationRequest("p", prompt, SamplingParams.Greedy(1)));
            first = EngineDriver.Tokens(EngineDriver.RunToCompletion(engine)["p"])[0];
        }
        var model = probe with { EosTokenIds = [first] };

        using var stopping = Create(model);
        stopping.AddRequest(new GenerationRequest("s", prompt, SamplingParams.Greedy(8)));
        stopping.AddRequest(new GenerationRequest("i", prompt, SamplingParams.Greedy(8, ignoreEos: true)));
        stopping.AddRequest(new GenerationRequest("m", prompt, SamplingParams.Greedy(8) with { MinTokens = 3 }));
        var events = EngineDriver.RunToCompletion(stopping);

        Assert.Equal([new TokenEvent("s", first, 0, FinishReason.Stop)], events["s"]);
        Assert.Equal(8, events["i"].Count);
        Assert.Equal(first, events["i"][0].TokenId);
        Assert.True(events["m"].Count >= 3);
        Assert.DoesNotContain(first, EngineDriver.Tokens(events["m"][..3]));
    }

    [Fact]
    public void TheModelLength_EndsARequestWithLength()
    {
        using var engine = Create(options: Small with { MaxModelLen = 40 });
        engine.AddRequest(Request("a", 35, SamplingParams.Greedy(100, ignoreEos: true)));
        var events = EngineDriver.RunToCompletion(engine)["a"];
        Assert.Equal(5, events.Count);
        Assert.Equal(FinishReason.Length, events[^1].Finish);
    }

    [Fact]
    public void Abort_EmitsAFinalEvent_AndFreesTheBlocksAtOnce()
    {
        using var engine = Create();
        engine.AddRequest(Request("a", 40, SamplingParams.Greedy(50, ignoreEos: true)));
        engine.AddRequest(Request("b", 10, SamplingParams.Greedy(3, ignoreEos: true)));
        engine.Step();
        engine.Step();
        double before = engine.Stats.KvCacheUsage;

        engine.Abort("a");
        engine.Abort("unknown");

        Assert.True(engine.Stats.KvCacheUsage < before);
        Assert.Equal(1, engine.Stats.RunningRequests);
        var next = engine.Step();
        Assert.Contains(new TokenEvent("a", -1, 2, FinishReason.Aborted), next);
        Assert.DoesNotContain(next, e => e.RequestId == "a" && e.TokenId >= 0);
        EngineDriver.RunToCompletion(engine);
        Assert.False(engine.HasUnfinishedRequests);
        Assert.Equal(0, engine.Stats.KvCacheUsage);
    }

    [Fact]
    public void Stats_CountQueuesAndTokens()
    {
        using var engine = Create(options: Small with { MaxNumSeqs = 2 });
        for (int i = 0; i < 3; i++)
            engine.AddRequest(Request($"r{i}", 10 + i, SamplingParams.Greedy(4, ignoreEos: true), seed: i));
        Assert.Equal(new EngineStats(0, 3, 0, 0, 0, 0), engine.Stats);

        engine.Step();
        Assert.Equal(2, engine.Stats.RunningRequests);
        Assert.Equal(1, engine.Stats.WaitingRequests);
        Assert.Equal(21, engine.Stats.PromptTokensTotal);
        Assert.Equal(2, engine.Stats.GenerationTokensTotal);

        EngineDriver.RunToCompletion(engine);
        Assert.Equal(new EngineStats(0, 0, 0, 0, 33, 12), engine.Stats);
    }
}
