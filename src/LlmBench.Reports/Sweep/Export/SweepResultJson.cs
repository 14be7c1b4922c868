using System.Text.Json.Nodes;
using LlmBench.Reports.Offline.Export;
using LlmBench.Reports.Results;

namespace LlmBench.Reports.Sweep.Export;

/// <summary>
/// `sweep.json`: schema_version, result_kind "sweep", configuration, platform, model, every point (snake_case keys, see
/// <see cref="SweepPointColumns"/>), best, saturation, slo_choice and incomplete; with --gpus each point's "gpus" (each
/// GPU's own figures) and "gpu_agreement", and the sweep's "gpu_agreement" over every point.
/// </summary>
public static class SweepResultJson
{
    public const string ResultKind = "sweep";

    public static JsonObject Build(SweepResult r)
    {
        var o = Body(r);
        if (SweepGpuAgreement.Of(r.Points) is { } agreement)
            o[GpuAgreementJson.Key] = Agreement(agreement);
        if (GpuTimeSeriesJson.Build(r.Telemetry) is { } telemetry)
            o[GpuTimeSeriesJson.Key] = telemetry;
        return o;
    }

    private static JsonObject Agreement(SweepGpuAgreement a) => new()
    {
        ["gpus"] = a.Gpus,
        ["tolerance_pct"] = a.TolerancePercent,
        ["points_compared"] = a.PointsCompared,
        ["points_disagreeing"] = a.Disagreeing.Count,
        ["agree"] = a.Agree,
        ["slow_gpus"] = new JsonArray(a.SlowCards.Select(c => (JsonNode?)new JsonObject { ["device"] = c.Device, ["points"] = c.Points }).ToArray()),
        ["summary"] = a.Summary(),
    };

    private static JsonObject Body(SweepResult r) => new()
    {
        ["schema_version"] = ResultSchema.Version,
        ["result_kind"] = ResultKind,
        ["date"] = r.Date,
        ["configuration"] = ConfigurationJson.Build(r.Configuration),
        ["platform"] = OfflineJsonParts.Platform(r.Platform),
        ["model"] = OfflineJsonParts.Model(r.Model),
        ["startup_s"] = r.StartupSeconds,
        ["backends"] = new JsonArray(r.Backends.Select(b => (JsonNode?)new JsonObject
        {
            ["name"] = b.Name,
            ["description"] = b.Description,
            ["startup_s"] = b.StartupSeconds,
            ["error"] = b.Error,
        }).ToArray()),
        ["points"] = new JsonArray(r.Points.Select(p => (JsonNode?)Point(p)).ToArray()),
        ["best"] = Point(r.Choices.Best),
        ["saturation"] = new JsonArray(r.Choices.Saturation.Select(p => (JsonNode?)Point(p)).ToArray()),
        ["slo_choice"] = r.Choices.Slo.Any
            ? new JsonObject
            {
                ["tpot_slo_ms"] = r.Choices.Slo.TpotMs,
                ["ttft_slo_ms"] = r.Choices.Slo.TtftMs,
                ["held_against"] = "p99",
                ["point"] = Point(r.Choices.SloChoice),
            }
            : null,
        ["incomplete"] = r.Incomplete,
    };

    public static JsonObject? Point(SweepPoint? p)
    {
        if (p is null)
            return null;
        var o = Columns(new JsonObject(), p);
        if (p.PerGpu is { } perGpu)
        {
            o["gpus"] = new JsonArray(perGpu.Select((g, i) =>
            {
                var gpu = Columns(new JsonObject { ["device"] = g.Device }, g);
                gpu["deviation_from_mean_pct"] = p.Agreement?.DeviationsPercent[i];
                return (JsonNode?)gpu;
            }).ToArray());
            o[GpuAgreementJson.Key] = p.Agreement is { } agreement ? GpuAgreementJson.Build(agreement) : null;
        }

        return o;
    }

    private static JsonObject Columns(JsonObject o, SweepPoint p)
    {
        foreach (var column in SweepPointColumns.All)
            o[column.Name] = Value(column.Value(p));
        return o;
    }

    private static JsonNode? Value(object? value) => value switch
    {
        null => null,
        string s => s,
        int i => i,
        double d => d,
        bool b => b,
        _ => throw new ArgumentException($"a sweep point holds no {value.GetType().Name}"),
    };

    public static void Write(SweepResult result, Stream destination) => OfflineJsonParts.Write(Build(result), destination);
}
