using System.Text.Json.Nodes;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Offline.Export;

namespace LlmBench.Reports.Tests.Results;

/// <summary>--gpus: whether GPUs measured at once agree within ±5 %, the slow card named, and how the throughput files carry it.</summary>
public class GpuAgreementTests
{
    [Fact]
    public void Gpus_within_five_percent_of_their_mean_agree()
    {
        var agreement = GpuAgreement.From(["cuda:0", "cuda:1", "cuda:2"], [100, 104, 96]);

        Assert.True(agreement.Agree);
        Assert.Null(agreement.SlowIndex);
        Assert.Equal(new double[] { 0, 4, -4 }, agreement.DeviationsPercent.Select(d => Math.Round(d, 9)));
        Assert.Equal("3 GPUs agree within ±5 % (output tok/s: -4.0 % to +4.0 % of their mean).", agreement.Summary());
    }

    [Fact]
    public void A_card_beyond_five_percent_is_named_as_the_slow_one()
    {
        var agreement = GpuAgreement.From(["cuda:0 NVIDIA H100", "cuda:1 NVIDIA H100", "cuda:2 NVIDIA H100"], [100, 100, 88]);

        Assert.False(agreement.Agree);
        Assert.Equal(2, agreement.SlowIndex);
        Assert.Equal("3 GPUs do NOT agree within ±5 % (output tok/s: -8.3 % to +4.2 % of their mean); slow card: cuda:2 NVIDIA H100 at -8.3 %.", agreement.Summary());
    }

    [Fact]
    public void One_rate_per_gpu_and_at_least_two_gpus()
    {
        Assert.Throws<ArgumentException>(() => GpuAgreement.From(["cuda:0", "cuda:1"], [100]));
        Assert.Throws<ArgumentException>(() => GpuAgreement.From(["cuda:0"], [100]));
    }

    [Fact]
    public void Throughput_files_carry_each_gpu_and_the_verdict_only_with_several()
    {
        var fast = SampleResults.Throughput() with { Platform = SampleResults.Throughput().Platform with { Device = "cuda:0" } };
        var slow = fast with { Platform = fast.Platform with { Device = "cuda:1" }, ElapsedSeconds = 2.5 };
        var agreement = GpuAgreement.From(["cuda:0", "cuda:1"], [fast.OutputTokensPerSecond, slow.OutputTokensPerSecond]);
        var combined = fast with { PerGpu = [fast, slow], Agreement = agreement };

        var ours = ThroughputResultJson.Build(combined)["llmbench"]!.AsObject();
        var gpus = ours["gpus"]!.AsArray();
        Assert.Equal(2, gpus.Count);
        Assert.Equal("cuda:1", (string?)gpus[1]!["device"]);
        Assert.Equal(160, (double)gpus[1]!["output_throughput"]!);
        Assert.Equal(-11.1, Math.Round((double)gpus[1]!["deviation_from_mean_pct"]!, 1));
        Assert.False((bool)ours["gpu_agreement"]!["agree"]!);
        Assert.Equal("cuda:1", (string?)ours["gpu_agreement"]!["slow_gpu"]);
        Assert.Contains("| cuda:1 | 160.0 | -11.1 % | 1.60 | 2.500 |", ThroughputResultMarkdown.Render(combined), StringComparison.Ordinal);
        Assert.Contains("slow card: cuda:1", ThroughputResultMarkdown.Render(combined), StringComparison.Ordinal);

        var single = ThroughputResultJson.Build(SampleResults.Throughput())["llmbench"]!.AsObject();
        Assert.False(single.ContainsKey("gpus"));
        Assert.False(single.ContainsKey("gpu_agreement"));
    }
}
