using LlmBench.LoadGen.Client;
using LlmBench.LoadGen.Tests.Fakes;
using LlmBench.Reports.Serving;

namespace LlmBench.LoadGen.Tests.Runner;

/// <summary>
/// The client's numbers against a server whose delays are scripted and whose flush times are known.
/// Client-side values may only exceed the server's by the loopback delivery time; the bound is loose
/// because these tests share two cores with builds.
/// </summary>
public class MetricArithmeticTests
{
    private const double DeliveryToleranceMs = 25;

    /// <summary>The server's Task.Delay can fire up to a timer tick (a millisecond or two) early.</summary>
    private const double TimerSlackMs = 3;

    /// <summary>Request i: first chunk after 20 + 40·i ms, then three chunks 15 ms apart, usage 4 tokens; request 6 gets a 503.</summary>
    private static ChunkScript Script(string id)
    {
        var i = RunHarness.IndexOf(id);
        return i == 6
            ? new ChunkScript { StatusCode = 503 }
            : new ChunkScript { FirstChunkDelayMs = 20 + 40 * i, GapsMs = [15, 15, 15], UsageTokens = 4 };
    }

    [Fact]
    public async Task Ttft_itl_e2el_and_tpot_match_the_servers_own_timestamps()
    {
        await using var server = await ScriptedServer.StartAsync(Script);
        var outcome = await RunHarness.RunAsync(server, RunHarness.Plan(7, maxConcurrency: 2));

        foreach (var timing in outcome.Timings.Where(t => t.Success))
        {
            var record = outcome.Records.Single(r => r.Index == timing.Index);
            var flushes = server.FlushTicks[$"bench-{timing.Index}"];
            var serverTtftMs = RequestTiming.TicksToMs(flushes[0] - timing.SendTicks);
            var serverE2elMs = RequestTiming.TicksToMs(flushes[^1] - timing.SendTicks);

            // The metrics are the client's own stamps (first and last chunk, gaps between chunks), exactly; each stamp
            // comes after the server flushed that chunk. How long delivery took depends on how busy the two cores are,
            // so it is not bounded here (the client-capacity benchmark measures it).
            var stamps = timing.ChunkTicks;
            Assert.Equal(4, stamps.Length);
            Assert.Equal(RequestTiming.TicksToMs(stamps[0] - timing.SendTicks), record.TtftMs, 9);
            Assert.Equal(RequestTiming.TicksToMs(stamps[^1] - timing.SendTicks), record.E2elMs, 9);
            Assert.True(record.TtftMs >= serverTtftMs, $"TTFT {record.TtftMs} before the server's flush at {serverTtftMs}");
            Assert.True(record.E2elMs >= serverE2elMs, $"E2EL {record.E2elMs} before the server's last flush at {serverE2elMs}");
            Assert.True(record.TtftMs >= 20 + 40 * timing.Index - TimerSlackMs, $"TTFT {record.TtftMs} below the scripted delay");
            Assert.Equal(3, record.ItlMs.Count);
            for (int k = 0; k < 3; k++)
            {
                Assert.Equal(RequestTiming.TicksToMs(stamps[k + 1] - stamps[k]), record.ItlMs[k], 9);
                Assert.True(stamps[k + 1] >= flushes[k + 1], $"chunk {k + 1} stamped before the server flushed it");
            }

            Assert.Equal(4, record.OutputTokens);
            Assert.True(record.OutputTokensFromUsage);
            Assert.Equal((record.E2elMs - record.TtftMs) / 3, record.TpotMs!.Value, 9);
            // The script's 15 ms gaps are a floor for the server's own (its timers fire late when the cores are busy).
            var serverTpotMs = RequestTiming.TicksToMs(flushes[^1] - flushes[0]) / 3;
            Assert.True(serverTpotMs >= 15 - TimerSlackMs, $"the server's own TPOT {serverTpotMs} ms is below the scripted 15 ms");
        }
    }

    [Fact]
    public async Task Aggregates_count_failures_apart_and_match_the_script()
    {
        await using var server = await ScriptedServer.StartAsync(Script);
        var outcome = await RunHarness.RunAsync(server, RunHarness.Plan(7, maxConcurrency: 2));
        var m = ServingMetrics.Compute(outcome.Records, outcome.DurationSeconds, [50, 90], new GoodputSlo(120, null, null));

        Assert.Equal(6, m.Completed);
        Assert.Equal(1, m.Failed);
        Assert.StartsWith("HTTP 503: scripted failure", outcome.Records.Single(r => !r.Success).Error, StringComparison.Ordinal);
        Assert.Equal(24, m.TotalOutputTokens);
        Assert.Equal(10 + 11 + 12 + 13 + 14 + 15, m.TotalInputTokens);
        Assert.Equal(2, m.MaxConcurrentRequests);
        Assert.Equal(18, m.ItlMs.Count);
        // Scripted TTFTs 20, 60, 100, 140, 180, 220. Under load the server's timers fire late, so the
        // client's statistics are checked against the server's own flush times (plus delivery time),
        // and against the script only from below.
        var serverTtfts = outcome.Timings.Where(t => t.Success)
            .Select(t => RequestTiming.TicksToMs(server.FlushTicks[$"bench-{t.Index}"][0] - t.SendTicks))
            .Order().ToArray();
        var serverMedian = (serverTtfts[2] + serverTtfts[3]) / 2;
        Assert.InRange(m.TtftMs.Median, serverMedian, serverMedian + DeliveryToleranceMs);
        Assert.True(m.TtftMs.Median >= 120 - TimerSlackMs, $"median TTFT {m.TtftMs.Median} below the scripted 120 ms");
        var serverP90 = serverTtfts[4] + 0.5 * (serverTtfts[5] - serverTtfts[4]);
        Assert.InRange(m.TtftMs.ValueAt(90), serverP90, serverP90 + DeliveryToleranceMs);
        Assert.True(m.E2elMs.Mean >= 165 - 4 * TimerSlackMs, $"mean E2EL {m.E2elMs.Mean} below the scripted 165 ms");
        // Goodput counts the successful requests whose TTFT met the 120 ms SLO (the first three when unloaded).
        var meetingSlo = outcome.Records.Count(r => r.Success && r.TtftMs <= 120);
        Assert.InRange(meetingSlo, 1, 3);
        Assert.Equal(meetingSlo / outcome.DurationSeconds, m.RequestGoodput!.Value, 9);
        // Two at a time: about (sum of E2ELs) / 2 ≈ 0.5 s, never less than the longest chain.
        Assert.InRange(outcome.DurationSeconds, 0.45, 2.0);
    }

    [Fact]
    public async Task Events_split_across_reads_are_timed_when_their_last_byte_arrives()
    {
        await using var server = await ScriptedServer.StartAsync(_ => new ChunkScript { FirstChunkDelayMs = 10, GapsMs = [20, 20], UsageTokens = 3, SplitChunks = true });
        var outcome = await RunHarness.RunAsync(server, RunHarness.Plan(2));

        Assert.All(outcome.Records, r => Assert.True(r.Success, r.Error));
        foreach (var timing in outcome.Timings)
        {
            var flushes = server.FlushTicks[$"bench-{timing.Index}"];
            Assert.InRange(RequestTiming.TicksToMs(timing.ChunkTicks[0] - flushes[0]), 0, DeliveryToleranceMs);
            Assert.Equal(3, timing.ChunkTicks.Length);
        }
    }

    [Fact]
    public async Task Without_usage_the_text_is_re_tokenized_and_the_record_says_so()
    {
        await using var server = await ScriptedServer.StartAsync(_ => new ChunkScript { GapsMs = [1, 1], ChunkText = "xyz", UsageTokens = null });
        var outcome = await RunHarness.RunAsync(server, RunHarness.Plan(1), countTokens: text => text.Length);
        var record = outcome.Records.Single();

        Assert.True(record.Success);
        Assert.False(record.OutputTokensFromUsage);
        Assert.Equal("xyzxyzxyz", record.GeneratedText);
        Assert.Equal(9, record.OutputTokens);
        Assert.Equal(1, ServingMetrics.Compute(outcome.Records, 1, [99], GoodputSlo.None).RetokenizedRequests);
    }

    [Theory]
    [InlineData(false, false, "without data: [DONE]")]
    [InlineData(true, true, "error in the stream: engine died")]
    public async Task Broken_streams_are_failures_with_a_reason(bool sendDone, bool errorMidStream, string reason)
    {
        await using var server = await ScriptedServer.StartAsync(_ => new ChunkScript { GapsMs = [1], UsageTokens = 2, SendDone = sendDone, ErrorMidStream = errorMidStream });
        var outcome = await RunHarness.RunAsync(server, RunHarness.Plan(1));

        Assert.Contains(reason, outcome.Records.Single().Error, StringComparison.Ordinal);
    }
}
