using System.Text.Json.Nodes;

namespace LlmBench.Reports.Offline.Export;

/// <summary>The "gpu_agreement" object of a --gpus result (throughput's, and each point of a sweep's).</summary>
public static class GpuAgreementJson
{
    public const string Key = "gpu_agreement";

    public static JsonObject Build(GpuAgreement agreement) => new()
    {
        ["tolerance_pct"] = agreement.TolerancePercent,
        ["agree"] = agreement.Agree,
        ["slow_gpu"] = agreement.SlowIndex is { } slow ? agreement.Devices[slow] : null,
        ["summary"] = agreement.Summary(),
    };
}
