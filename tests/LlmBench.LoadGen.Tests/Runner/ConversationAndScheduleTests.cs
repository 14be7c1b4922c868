using System.Text.Json;
using LlmBench.LoadGen.Client;
using LlmBench.LoadGen.Datasets;
using LlmBench.LoadGen.Runner;
using LlmBench.LoadGen.Tests.Fakes;

namespace LlmBench.LoadGen.Tests.Runner;

/// <summary>Multi-turn conversations sent as growing chats, and trace replay at fixed times, against the scripted server.</summary>
public class ConversationAndScheduleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_turn_carries_the_earlier_turns_and_the_servers_replies_and_is_a_request_of_its_own()
    {
        // Every answer is three chunks of "ab": "ababab".
        await using var server = await ScriptedServer.StartAsync(_ => new ChunkScript { GapsMs = [1, 1], UsageTokens = 3 });
        var builder = new RequestBodyBuilder("openai-chat", "m", ignoreEos: false, SamplingOverrides.None);
        BenchRequest Conversation(string name, int turns) => new($"{name} 0", 2, 3)
        {
            LaterTurns = Enumerable.Range(1, turns - 1).Select(t => new BenchRequest($"{name} {t}", 2, 3)).ToArray(),
        };
        var plan = new RunPlan { Requests = [builder.Build(Conversation("x", 3)), builder.Build(Conversation("y", 1)), builder.Build(Conversation("z", 2))], MaxConcurrency = 2 };
        using var client = new StreamingClient(server.ChatUrl, null, 2);

        var outcome = await new BenchmarkRunner(client).RunAsync(plan, new RunProgress(), text => text.Length, Ct);

        Assert.Equal(6, outcome.Records.Count);
        Assert.Equal([0, 1, 2, 3, 4, 5], outcome.Records.Select(r => r.Index).Order());
        Assert.All(outcome.Records, r => Assert.True(r.Success, r.Error));
        var chats = server.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("messages").EnumerateArray()
            .Select(m => $"{m.GetProperty("role").GetString()}:{m.GetProperty("content").GetString()}").ToArray()).ToArray();
        Assert.Contains(["user:x 0"], chats);
        Assert.Contains(["user:x 0", "assistant:ababab", "user:x 1"], chats);
        Assert.Contains(["user:x 0", "assistant:ababab", "user:x 1", "assistant:ababab", "user:x 2"], chats);
        Assert.Contains(["user:z 0", "assistant:ababab", "user:z 1"], chats);
        Assert.Equal(6, chats.Length);
        // A later turn's prompt counts the user turns and the replies (here one token per character).
        Assert.Contains(outcome.Records, r => r.PromptTokens == 2 + 6 + 2 + 6 + 2);
        var turnIds = server.RequestIds.Where(id => id.Contains("-turn", StringComparison.Ordinal)).Order().ToArray();
        Assert.Equal(["bench-0-turn1", "bench-0-turn2", "bench-2-turn1"], turnIds);
    }

    [Fact]
    public async Task A_failed_turn_ends_its_conversation()
    {
        await using var server = await ScriptedServer.StartAsync(id => new ChunkScript { UsageTokens = 1, StatusCode = id.EndsWith("turn1", StringComparison.Ordinal) ? 500 : 200 });
        var builder = new RequestBodyBuilder("openai-chat", "m", ignoreEos: false, SamplingOverrides.None);
        var request = builder.Build(new BenchRequest("a", 1, 1) { LaterTurns = [new("b", 1, 1), new("c", 1, 1)] });
        using var client = new StreamingClient(server.ChatUrl, null, 1);

        var outcome = await new BenchmarkRunner(client).RunAsync(new RunPlan { Requests = [request] }, new RunProgress(), null, Ct);

        Assert.Equal([true, false], outcome.Records.OrderBy(r => r.Index).Select(r => r.Success));
        Assert.Equal(2, server.RequestIds.Count);
    }

    [Fact]
    public async Task A_fixed_schedule_sends_each_request_at_its_time()
    {
        await using var server = await ScriptedServer.StartAsync(_ => new ChunkScript { UsageTokens = 1 });
        var builder = new RequestBodyBuilder("openai", "m", ignoreEos: true, SamplingOverrides.None);
        double[] times = [0, 0.3, 0.35, 0.8];
        var plan = new RunPlan
        {
            Requests = times.Select(t => builder.Build(new BenchRequest("p", 1, 1) { PromptIds = [5, 6] })).ToArray(),
            FixedOffsets = times,
            NumWarmups = 1,
        };
        using var client = new StreamingClient(server.CompletionsUrl, null, 4);

        var outcome = await new BenchmarkRunner(client).RunAsync(plan, new RunProgress(), null, Ct);

        // Never early; late by at most 0.2 s, which still tells each time apart from the others (0.3 and 0.35 excepted)
        // and from all-at-once, on a loaded 2-core CI machine where timers can fire 70 ms late.
        var starts = outcome.Records.OrderBy(r => r.Index).Select(r => r.StartSeconds).ToArray();
        for (int i = 0; i < times.Length; i++)
            Assert.InRange(starts[i], times[i] - 0.005, times[i] + 0.2);
        Assert.All(server.Received.Skip(1), r => Assert.Equal("[5,6]", JsonDocument.Parse(r.Body).RootElement.GetProperty("prompt").GetRawText()));
    }

    [Fact]
    public void A_fixed_schedule_takes_no_rate()
    {
        var builder = new RequestBodyBuilder("openai", "m", ignoreEos: true, SamplingOverrides.None);
        var plan = new RunPlan { Requests = [builder.Build(new BenchRequest("p", 1, 1))], FixedOffsets = [0], RequestRate = 4 };
        Assert.Contains("--fixed-schedule", Assert.Throws<ArgumentException>(plan.Validate).Message, StringComparison.Ordinal);
    }
}
