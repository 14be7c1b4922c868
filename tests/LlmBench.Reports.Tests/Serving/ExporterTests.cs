using System.Text;
using System.Text.Json;
using LlmBench.Reports.Serving;
using LlmBench.Reports.Serving.Export;

namespace LlmBench.Reports.Tests.Serving;

public class ExporterTests
{
    private static string GoldenPath(string name) => Path.Combine(AppContext.BaseDirectory, "Golden", name);

    /// <summary>Compares with the golden file; on a mismatch leaves the actual text beside it (NAME.actual) to diff.</summary>
    private static void AssertGolden(string name, string actual)
    {
        var expected = File.ReadAllText(GoldenPath(name));
        if (expected != actual)
            File.WriteAllText(GoldenPath(name) + ".actual", actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Text_report_matches_the_golden_file()
    {
        var text = ServingTextReport.Render(SampleRuns.Result(requestRate: 4, goodput: new GoodputSlo(150, null, null)));

        AssertGolden("serving-report.txt", text);
    }

    [Fact]
    public void Text_report_follows_vllm_layout()
    {
        var lines = ServingTextReport.Render(SampleRuns.Result()).Split('\n');

        Assert.Equal("============ Serving Benchmark Result ============", lines[0]);
        Assert.Equal("Successful requests:                     3         ", lines[1]);
        Assert.Contains("---------------Time to First Token----------------", lines);
        Assert.Contains("-----Time per Output Token (excl. 1st token)------", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("Request rate configured", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("Request goodput", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_matches_the_golden_file()
    {
        using var stream = new MemoryStream();
        ServingResultJson.Write(SampleRuns.Result(requestRate: 4, goodput: new GoodputSlo(150, null, null)), stream);

        AssertGolden("serving-result.json", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Json_uses_vllm_keys_and_values()
    {
        using var stream = new MemoryStream();
        ServingResultJson.Write(SampleRuns.Result(), stream);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var root = doc.RootElement;

        Assert.Equal("inf", root.GetProperty("request_rate").GetString());
        Assert.Equal(2, root.GetProperty("max_concurrency").GetInt32());
        Assert.Equal(3, root.GetProperty("completed").GetInt32());
        Assert.Equal(1, root.GetProperty("failed").GetInt32());
        Assert.Equal(4.0, root.GetProperty("output_throughput").GetDouble());
        Assert.Equal(29.6, root.GetProperty("p99_itl_ms").GetDouble(), 9);
        Assert.Equal(140, root.GetProperty("median_e2el_ms").GetDouble());
        Assert.Equal("H100", root.GetProperty("gpu").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("request_goodput").ValueKind);
        Assert.False(root.GetProperty("llmbench").GetProperty("serving_constraints").GetProperty("valid").GetBoolean());
    }

    [Fact]
    public void Jsonl_has_one_parsable_record_per_request()
    {
        using var stream = new MemoryStream();
        RequestRecordsJsonl.Write(SampleRuns.FourRequests(), stream);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).TrimEnd('\n').Split('\n');

        Assert.Equal(4, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(20, first.RootElement.GetProperty("tpot_ms").GetDouble(), 12);
        Assert.Equal([10.0, 30.0], first.RootElement.GetProperty("itl_ms").EnumerateArray().Select(e => e.GetDouble()));
        using var failed = JsonDocument.Parse(lines[3]);
        Assert.False(failed.RootElement.GetProperty("success").GetBoolean());
        Assert.Equal("HTTP 503: overloaded", failed.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public void Result_file_name_follows_vllm_unless_given()
    {
        var info = SampleRuns.Result(requestRate: 10).Info;

        Assert.Equal("openai-10.0qps-concurrency2-Qwen3-0.6B-20250101-120000.json", ServingResultFileName.Default(info));
        Assert.Equal(Path.Combine("out", "x.json"), ServingResultFileName.Resolve(info, "out", "x.json"));
        Assert.Equal(Path.Combine("out", "x.requests.jsonl"), ServingResultFileName.RequestsPath(Path.Combine("out", "x.json")));
        Assert.StartsWith("openai-infqps", ServingResultFileName.Default(SampleRuns.Result().Info), StringComparison.Ordinal);
    }
}
