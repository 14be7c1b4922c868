using LlmBench.Reports.Serving;

namespace LlmBench.Reports.Tests.Serving;

public class ServingConstraintsTests
{
    private static RequestRecord Ok(int index, double ttftMs, double e2elMs, int tokens) =>
        new() { Index = index, Success = true, PromptTokens = 8, OutputTokens = tokens, StartSeconds = index * 0.01, TtftMs = ttftMs, E2elMs = e2elMs };

    [Fact]
    public void A_fast_fully_successful_run_passes_every_constraint()
    {
        // TPOT = (E2EL − TTFT) / 10 = 30 ms, TTFT 400 ms.
        var records = Enumerable.Range(0, 10).Select(i => Ok(i, 400, 700, 11)).ToArray();
        var m = ServingMetrics.Compute(records, 1, [99], GoodputSlo.None);

        Assert.All(ServingConstraints.Evaluate(m), c => Assert.True(c.Passed, c.Name));
        Assert.True(ServingConstraints.AllPassed(m));
    }

    [Fact]
    public void Slow_decode_fails_the_tpot_constraint_only()
    {
        // TPOT = 600 / 10 = 60 ms.
        var records = Enumerable.Range(0, 10).Select(i => Ok(i, 400, 1000, 11)).ToArray();
        var checks = ServingConstraints.Evaluate(ServingMetrics.Compute(records, 1, [99], GoodputSlo.None));

        Assert.False(checks.Single(c => c.Name.Contains("TPOT", StringComparison.Ordinal)).Passed);
        Assert.True(checks.Single(c => c.Name.Contains("TTFT", StringComparison.Ordinal)).Passed);
    }

    [Fact]
    public void One_failure_fails_the_success_constraint()
    {
        var m = ServingMetrics.Compute(SampleRuns.FourRequests(), 2, [99], GoodputSlo.None);

        Assert.False(ServingConstraints.Evaluate(m).Single(c => c.Name.StartsWith("Success", StringComparison.Ordinal)).Passed);
        Assert.False(ServingConstraints.AllPassed(m));
    }
}
