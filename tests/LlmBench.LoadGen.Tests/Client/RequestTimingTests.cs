using System.Diagnostics;
using LlmBench.LoadGen.Client;

namespace LlmBench.LoadGen.Tests.Client;

public class RequestTimingTests
{
    private static long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000.0);

    [Fact]
    public void The_send_wait_runs_from_the_scheduled_time_to_the_actual_send()
    {
        // Due at 100 ms, a slot at 130 ms, sent at 131 ms; chunks at 181 and 201 ms.
        var timing = new RequestTiming
        {
            Index = 0, DueTicks = Ms(100), ReadyTicks = Ms(130), SendTicks = Ms(131), ChunkTicks = [Ms(181), Ms(201)], EndTicks = Ms(201), CompletionTokens = 2,
        };

        var record = timing.ToRecord(Ms(131), 8, null);

        Assert.Equal(30, record.ClientQueueMs, 3);
        Assert.Equal(31, record.SendWaitMs, 3);
        Assert.Equal(50, record.TtftMs, 3);
        var scheduled = record.FromScheduled();
        Assert.Equal(81, scheduled.TtftMs, 3);
        Assert.Equal(101, scheduled.E2elMs, 3);
        Assert.Equal(record.TpotMs!.Value, scheduled.TpotMs!.Value, 6);
    }

    [Fact]
    public void A_failed_request_keeps_its_send_wait()
    {
        var timing = new RequestTiming { Index = 1, DueTicks = Ms(10), SendTicks = Ms(15), ChunkTicks = [], Error = "HTTP 503" };

        var record = timing.ToRecord(Ms(10), 8, null);

        Assert.Equal(5, record.SendWaitMs, 3);
        Assert.Equal(record, record.FromScheduled());
    }
}
