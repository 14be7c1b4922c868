using System.Text.Json;

namespace LlmBench.Cli.Tests;

/// <summary>`llmbench sweep` and `llmbench latency` end to end on the tiny golden model, on the CPU engine.</summary>
[Collection(ConsoleCapture.Name)]
public sealed class LockstepCommandTests : IDisposable
{
    private static readonly string TinyModel = Path.Combine(AppContext.BaseDirectory, "../../../../fixtures/golden/tiny-qwen3");
    private readonly string _folder = Directory.CreateTempSubdirectory("llmbench-sweep-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private JsonElement Points(out JsonDocument doc)
    {
        doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "sweep.json")));
        return doc.RootElement.GetProperty("points");
    }

    [Fact]
    public async Task Sweep_RunsTheGrid_AndSavesJsonCsvAndMarkdown()
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync("sweep", "--model", TinyModel, "--device", "cpu",
            "--batch-sizes", "1,2", "--input-lens", "8,16", "--output-lens", "4", "--tpot-slo-ms", "10000", "--output-dir", _folder);

        Assert.True(exit == 0, error);
        Assert.Contains("| Framework | Batch Size | Input | Output | Toks/sec | RPS | Avg. TTFT | Avg. TPOT | GPU util | % of floor |", output, StringComparison.Ordinal);
        Assert.Contains("Best output throughput: batch ", output, StringComparison.Ordinal);
        Assert.Equal(["sweep.csv", "sweep.json", "sweep.md"], Directory.GetFiles(_folder).Select(Path.GetFileName).Order());
        var points = Points(out var doc);
        using (doc)
        {
            var root = doc.RootElement;
            Assert.Equal(1, root.GetProperty("schema_version").GetInt32());
            Assert.Equal("sweep", root.GetProperty("result_kind").GetString());
            Assert.Equal("sweep", root.GetProperty("configuration").GetProperty("command_line")[1].GetString());
            Assert.False(root.GetProperty("incomplete").GetBoolean());
            Assert.Equal([(1, 8), (2, 8), (1, 16), (2, 16)], points.EnumerateArray().Select(p => (p.GetProperty("batch_size").GetInt32(), p.GetProperty("input_len").GetInt32())));
            foreach (var p in points.EnumerateArray())
            {
                Assert.Equal("ok", p.GetProperty("status").GetString());
                Assert.Equal("llmbench", p.GetProperty("backend").GetString());
                Assert.Equal(4, p.GetProperty("output_len").GetInt32());
                Assert.True(p.GetProperty("output_throughput").GetDouble() > 0);
                Assert.True(p.GetProperty("total_token_throughput").GetDouble() > p.GetProperty("output_throughput").GetDouble());
                Assert.True(p.GetProperty("p99_tpot_ms").GetDouble() > 0);
                Assert.True(p.GetProperty("kv_blocks_used").GetInt32() >= p.GetProperty("batch_size").GetInt32());
                Assert.Equal(JsonValueKind.Null, p.GetProperty("gpu_utilization_pct").ValueKind); // the CPU
                Assert.Equal(JsonValueKind.Null, p.GetProperty("fraction_of_floor").ValueKind);
            }

            Assert.Equal(JsonValueKind.Object, root.GetProperty("best").ValueKind);
            Assert.Equal(2, root.GetProperty("saturation").GetArrayLength());
            Assert.Equal(JsonValueKind.Object, root.GetProperty("slo_choice").GetProperty("point").ValueKind);
        }

        Assert.Equal(5, (await File.ReadAllLinesAsync(Path.Combine(_folder, "sweep.csv"))).Length);
    }

    [Fact]
    public async Task Sweep_APointThatDoesNotFit_IsReported_AndTheSweepGoesOn()
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("sweep", "--model", TinyModel, "--device", "cpu",
            "--batch-sizes", "1", "--input-lens", "16,8", "--output-lens", "4", "--max-model-len", "18", "--output-dir", _folder);

        Assert.True(exit == 0, error);
        var points = Points(out var doc);
        using (doc)
        {
            Assert.Equal(["does_not_fit", "ok"], points.EnumerateArray().Select(p => p.GetProperty("status").GetString()));
            Assert.Equal("does not fit: a sequence is 20 tokens, the model length is 18", points[0].GetProperty("note").GetString());
            Assert.Equal(JsonValueKind.Null, points[0].GetProperty("output_throughput").ValueKind);
            Assert.Equal(8, doc.RootElement.GetProperty("best").GetProperty("input_len").GetInt32());
        }
    }

    [Fact]
    public async Task Sweep_CtrlCAfterTheFirstPoint_SavesThatPoint_MarkedIncomplete()
    {
        using var cancel = new CancellationTokenSource();
        var parse = CliApp.BuildRoot().Parse(["sweep", "--model", TinyModel, "--device", "cpu", "--batch-sizes", "1,2,4", "--input-lens", "8", "--output-lens", "4", "--output-dir", _folder]);
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(TextWriter.Null);
        Console.SetError(TextWriter.Null);
        int exit;
        try
        {
            exit = await SweepCommand.RunAsync(parse, cancel.Token, _ => cancel.Cancel());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }

        Assert.Equal(CommandRunner.Cancelled, exit);
        var points = Points(out var doc);
        using (doc)
        {
            Assert.Equal(1, points.GetArrayLength());
            Assert.True(doc.RootElement.GetProperty("incomplete").GetBoolean());
        }
    }

    [Theory]
    [InlineData("--batch-sizes", "", "error: --batch-sizes needs at least one positive integer, like 1,2,4.")]
    [InlineData("--batch-sizes", "abc", "error: --batch-sizes takes positive integers separated by commas, got 'abc'.")]
    [InlineData("--input-lens", "0", "error: --input-lens takes positive integers or ranges LOW-HIGH (LOW < HIGH) separated by commas, got '0'.")]
    [InlineData("--tpot-slo-ms", "0", "error: --tpot-slo-ms must be a positive number of milliseconds, got 0.")]
    public async Task Sweep_BadValues_AreOneSentence(string option, string value, string message)
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync("sweep", "--model", TinyModel, "--device", "cpu", option, value, "--output-dir", _folder);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Equal(message, error.Trim());
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Latency_RunsTheIterations_AndSavesPercentilesWithAResultKind()
    {
        var json = Path.Combine(_folder, "lat.json");
        var (exit, output, error) = await ConsoleCapture.RunAsync("latency", "--model", TinyModel, "--device", "cpu",
            "--batch-size", "2", "--input-len", "8", "--output-len", "4", "--num-iters-warmup", "1", "--num-iters", "3", "--output-json", json);

        Assert.True(exit == 0, error);
        Assert.Contains("Avg latency (s):", output, StringComparison.Ordinal);
        Assert.Equal(["lat.csv", "lat.json", "lat.md"], Directory.GetFiles(_folder).Select(Path.GetFileName).Order());
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("schema_version").GetInt32());
        Assert.Equal("latency", root.GetProperty("result_kind").GetString());
        Assert.Equal(3, root.GetProperty("latencies").GetArrayLength());
        Assert.Equal(["10", "25", "50", "75", "90", "99"], root.GetProperty("percentiles").EnumerateObject().Select(p => p.Name));
        double mean = root.GetProperty("latencies").EnumerateArray().Average(l => l.GetDouble());
        Assert.Equal(mean, root.GetProperty("avg_latency").GetDouble(), 9);
        Assert.True(root.GetProperty("ttft_ms").GetProperty("mean").GetDouble() > 0);
        Assert.True(root.GetProperty("tpot_ms").GetProperty("p99").GetDouble() > 0);
        Assert.True(root.GetProperty("decode_tokens_per_s").GetDouble() > 0);
    }

    [Theory]
    [InlineData("--batch-size", "0", "error: --batch-size must be at least 1, got 0.")]
    [InlineData("--num-iters", "0", "error: --num-iters must be at least 1, got 0.")]
    [InlineData("--num-iters-warmup", "-1", "error: --num-iters-warmup must be zero or more, got -1.")]
    public async Task Latency_BadValues_AreOneSentence(string option, string value, string message)
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync("latency", "--model", TinyModel, "--device", "cpu", option, value);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Equal(message, error.Trim());
    }
}
