using LlmBench.Reports.Serving;

namespace LlmBench.Reports.Tests.Serving;

public class GoodputSloTests
{
    [Fact]
    public void Parses_vllm_style_pairs()
    {
        var slo = GoodputSlo.Parse(["ttft:2000", "tpot:50.5"]);

        Assert.Equal(2000, slo.TtftMs);
        Assert.Equal(50.5, slo.TpotMs);
        Assert.Null(slo.E2elMs);
        Assert.False(slo.IsEmpty);
    }

    [Theory]
    [InlineData("latency:10")]
    [InlineData("ttft")]
    [InlineData("ttft:-1")]
    [InlineData("ttft:abc")]
    public void Rejects_bad_pairs_with_an_argument_error(string pair)
    {
        var ex = Assert.Throws<ArgumentException>(() => GoodputSlo.Parse([pair]));
        Assert.Contains("--goodput", ex.Message);
    }

    [Fact]
    public void Percentile_metric_names_are_checked()
    {
        Assert.Equal(["ttft", "e2el"], ServingMetricNames.Parse("ttft, e2el"));
        Assert.Throws<ArgumentException>(() => ServingMetricNames.Parse("ttft,latency"));
    }
}
