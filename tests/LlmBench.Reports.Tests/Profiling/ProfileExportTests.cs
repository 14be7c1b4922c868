using System.Text;
using System.Text.Json;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Profiling;
using LlmBench.Reports.Profiling.Export;
using LlmBench.Reports.Results;
using LlmBench.Reports.Tests.Results;

namespace LlmBench.Reports.Tests.Profiling;

public class ProfileExportTests
{
    private static ProfileResult Sample() => new()
    {
        Date = "20261204-170000",
        Model = new ModelInfo("qwen3-0.6b", "qwen3-0.6b (dummy)", DummyWeights: true, Notice: null),
        Platform = new PlatformInfo("0.1.0+test", ".NET 10", "Linux", "CPU", 16, "cuda:0 NVIDIA H200", true, null, "NVIDIA H200", "580", "13.0"),
        Configuration = SampleResults.Configuration,
        BatchSize = 1,
        InputLen = 128,
        OutputLen = 128,
        DecodeContext = 192,
        Method = "events",
        PeakBandwidthBytesPerSecond = 4e12,
        Graphs = true,
        DecodeStepGpuMs = 0.8,
        DecodeStepHostMs = 1.0,
        TimedSteps = 32,
        Prefill = new ProfiledStep("prefill", 128, 0, 128, 2, 0.5, 3e8, [new ProfiledRole("qkv_proj", "cuBLASLt", 28, 400, 0.8, 2e8, 5e11, 0.125), new ProfiledRole("lm_head", "gemv.cu", 1, 100, 0.2, 1e8, 1e12, 0.25)]),
        Decode = new ProfiledStep("decode", 1, 1, 0, 1, 0.1, 2e8, [new ProfiledRole("down_proj", "gemv.cu", 28, 100, 1.0, 2e8, 2e12, 0.5)]),
    };

    private static ProfileResult Traced() => Sample() with
    {
        DecodeTrace = new ProfiledTrace("cupti", 8, 254, 760.5, 650.25, 0.145, 0,
            [new ProfiledKernel("gemv_bf16_k4", 112, 400.5, 0.6), new ProfiledKernel("decode_attention|split", 28, 120, 0.2)]),
    };

    private static string Export(IResultExporter<ProfileResult> exporter, ProfileResult? result = null)
    {
        using var stream = new MemoryStream();
        exporter.Export(result ?? Sample(), stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void Csv_HasOneRowPerStepAndRole_WithExactValues()
    {
        var lines = Export(ResultExporters.Profile.Single(e => e.Suffix == ".csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("schema_version,date,model,device,batch_size,input_len,step,step_tokens,role,family,calls,us_per_step,share,bytes,achieved_bytes_per_s,fraction_of_peak,git_commit", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Equal("1,20261204-170000,qwen3-0.6b,cuda:0 NVIDIA H200,1,128,decode,1,down_proj,gemv.cu,28,100,1,200000000,2000000000000,0.5,0123456789abcdef0123456789abcdef01234567", lines[3]);
    }

    [Fact]
    public void Json_CarriesSchemaKindConfigurationAndBothSteps()
    {
        using var json = JsonDocument.Parse(Export(ResultExporters.Profile.Single(e => e.Suffix == ".json")));
        var root = json.RootElement;
        Assert.Equal(ResultSchema.Version, root.GetProperty("schema_version").GetInt32());
        Assert.Equal("profile", root.GetProperty("result_kind").GetString());
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", root.GetProperty("configuration").GetProperty("git_commit").GetString());
        Assert.Equal(0.2, root.GetProperty("decode_gpu_idle_share").GetDouble(), 12);
        var steps = root.GetProperty("steps");
        Assert.Equal(2, steps.GetArrayLength());
        Assert.Equal("lm_head", steps[0].GetProperty("roles")[1].GetProperty("role").GetString());
        Assert.Equal(0.5, steps[1].GetProperty("roles")[0].GetProperty("fraction_of_peak").GetDouble());
    }

    [Fact]
    public void Markdown_TablesEveryRoleAndNamesTheMethod()
    {
        var md = ProfileResultMarkdown.Render(Sample());
        Assert.Contains("| qkv_proj | cuBLASLt | 28 | 400.0 | 80.0 % | 200.0 | 500 | 12 % |", md, StringComparison.Ordinal);
        Assert.Contains("- Method: events", md, StringComparison.Ordinal);
        Assert.Contains("GPU idle 20.0 % of the step", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_AddsOneRowPerTracedKernel_WithoutByteColumns()
    {
        var lines = Export(ResultExporters.Profile.Single(e => e.Suffix == ".csv"), Traced()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.Equal("1,20261204-170000,qwen3-0.6b,cuda:0 NVIDIA H200,1,128,decode trace,,gemv_bf16_k4,cupti,112,400.5,0.6,,,,0123456789abcdef0123456789abcdef01234567", lines[4]);
    }

    [Fact]
    public void Json_CarriesTheTrace_OrTheReasonThereIsNone()
    {
        using (var json = JsonDocument.Parse(Export(ResultExporters.Profile.Single(e => e.Suffix == ".json"), Traced())))
        {
            var trace = json.RootElement.GetProperty("decode_trace");
            Assert.Equal(8, trace.GetProperty("steps").GetInt32());
            Assert.Equal(0.145, trace.GetProperty("idle_share").GetDouble(), 12);
            Assert.Equal("gemv_bf16_k4", trace.GetProperty("kernels")[0].GetProperty("name").GetString());
            Assert.Equal(400.5, trace.GetProperty("kernels")[0].GetProperty("us_per_step").GetDouble(), 12);
        }

        using var untraced = JsonDocument.Parse(Export(ResultExporters.Profile.Single(e => e.Suffix == ".json"), Sample() with { DecodeTraceNote = "CUPTI was not found" }));
        Assert.Equal(JsonValueKind.Null, untraced.RootElement.GetProperty("decode_trace").ValueKind);
        Assert.Equal("CUPTI was not found", untraced.RootElement.GetProperty("decode_trace_note").GetString());
    }

    [Fact]
    public void Markdown_TablesTracedKernels_OrSaysWhyNot()
    {
        var md = ProfileResultMarkdown.Render(Traced());
        Assert.Contains("8 steps, 254 kernels per step, span 760.5 µs, busy 650.3 µs (GPU idle 14.5 % of the span between kernels)", md, StringComparison.Ordinal);
        Assert.Contains("| gemv_bf16_k4 | 112 | 400.5 | 60.0 % |", md, StringComparison.Ordinal);
        Assert.Contains("| decode_attention\\|split | 28 | 120.0 | 20.0 % |", md, StringComparison.Ordinal);

        Assert.Contains("Production decode steps were not traced: CUPTI was not found.", ProfileResultMarkdown.Render(Sample() with { DecodeTraceNote = "CUPTI was not found" }), StringComparison.Ordinal);
    }
}
