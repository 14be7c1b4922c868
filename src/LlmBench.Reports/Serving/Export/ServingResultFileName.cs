using System.Globalization;

namespace LlmBench.Reports.Serving.Export;

/// <summary>
/// Where --save-result writes, named as vLLM names it unless --result-filename is given:
/// "{label or backend}-{rate}qps[-concurrency{N}]-{model basename}-{date}.json" (rate as Python prints a float).
/// </summary>
public static class ServingResultFileName
{
    public static string Resolve(ServingRunInfo info, string? resultDir, string? resultFileName)
    {
        var name = resultFileName ?? Default(info);
        return resultDir is null ? name : Path.Combine(resultDir, name);
    }

    public static string Default(ServingRunInfo info)
    {
        var model = info.ModelId.Split('/').Last();
        var concurrency = info.MaxConcurrency is { } c ? $"-concurrency{c}" : "";
        return $"{info.Label ?? info.Backend}-{PythonFloat(info.RequestRate)}qps{concurrency}-{model}-{info.Date}.json";
    }

    /// <summary>The per-request JSONL's ending: beside "x.json" it is "x.requests.jsonl".</summary>
    public const string RequestsSuffix = ".requests.jsonl";

    public static string RequestsPath(string resultPath) => Path.ChangeExtension(resultPath, null) + RequestsSuffix;

    private static string PythonFloat(double value) =>
        double.IsPositiveInfinity(value) ? "inf"
        : value == Math.Floor(value) && Math.Abs(value) < 1e16 ? value.ToString("F1", CultureInfo.InvariantCulture)
        : value.ToString("R", CultureInfo.InvariantCulture);
}
