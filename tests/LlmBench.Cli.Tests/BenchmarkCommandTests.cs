using System.Text.Json;

namespace LlmBench.Cli.Tests;

/// <summary>`llmbench throughput` and `llmbench run` end to end on the tiny golden model, on the CPU engine.</summary>
[Collection(ConsoleCapture.Name)]
public sealed class BenchmarkCommandTests : IDisposable
{
    private static readonly string TinyModel = Path.Combine(AppContext.BaseDirectory, "../../../../fixtures/golden/tiny-qwen3");
    private readonly string _folder = Directory.CreateTempSubdirectory("llmbench-bench-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Throughput_OnTheTinyModel_PrintsAndSavesVllmKeys()
    {
        var json = Path.Combine(_folder, "tp.json");
        var (exit, output, error) = await ConsoleCapture.RunAsync("throughput", "--model", TinyModel, "--device", "cpu",
            "--num-prompts", "6", "--input-len", "24", "--output-len", "5", "--output-json", json);

        Assert.True(exit == 0, error);
        Assert.Contains("Output tok/s:", output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal(6, root.GetProperty("num_requests").GetInt32());
        Assert.Equal(6, root.GetProperty("completed").GetInt32());
        Assert.Equal(30, root.GetProperty("total_output_tokens").GetInt64());
        Assert.Equal(6 * 24, root.GetProperty("total_input_tokens").GetInt64());
        double elapsed = root.GetProperty("elapsed_time").GetDouble();
        Assert.Equal(30 / elapsed, root.GetProperty("output_throughput").GetDouble(), 6);
        Assert.True(root.GetProperty("p99_ttft_ms").GetDouble() > 0);
        Assert.True(root.GetProperty("mean_tpot_ms").GetDouble() > 0);
        var ours = root.GetProperty("llmbench");
        Assert.False(ours.GetProperty("model").GetProperty("dummy_weights").GetBoolean());
        Assert.True(ours.GetProperty("engine_activity").GetProperty("peak_kv_cache_usage").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, ours.GetProperty("memory_bandwidth_floor").ValueKind);
        Assert.Contains("CPU", ours.GetProperty("memory_bandwidth_floor_note").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, ours.GetProperty("workload").GetProperty("folded_token_id_requests").GetInt32()); // ids < 10000 into vocab 1024
    }

    [Fact]
    public async Task Throughput_SavesJsonCsvAndMarkdownBesideEachOther_AndSaysWhereInOneLine()
    {
        var json = Path.Combine(_folder, "out", "tp.json");
        var (exit, _, error) = await ConsoleCapture.RunAsync("throughput", "--model", TinyModel, "--device", "cpu",
            "--num-prompts", "3", "--input-len", "16", "--output-len", "4", "--seed", "9", "--output-json", json);

        Assert.True(exit == 0, error);
        Assert.Equal(["tp.csv", "tp.json", "tp.md"], Directory.GetFiles(Path.Combine(_folder, "out")).Select(Path.GetFileName).Order());
        Assert.Contains($"saved {Path.Combine(_folder, "out")}/: tp.json, tp.csv, tp.md", error, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var ours = doc.RootElement.GetProperty("llmbench");
        Assert.Equal(1, ours.GetProperty("schema_version").GetInt32());
        var configuration = ours.GetProperty("configuration");
        Assert.Equal("throughput", configuration.GetProperty("command_line")[1].GetString());
        Assert.Equal(9, configuration.GetProperty("seed").GetInt32());
        Assert.Equal("9", configuration.GetProperty("engine_options").GetProperty("seed").GetString());
        Assert.False(string.IsNullOrEmpty(configuration.GetProperty("git_commit").GetString()));
        var csv = await File.ReadAllLinesAsync(Path.Combine(_folder, "out", "tp.csv"));
        Assert.Equal(2, csv.Length);
        Assert.StartsWith("schema_version,date,model,", csv[0], StringComparison.Ordinal);
        Assert.StartsWith("# llmbench throughput: tiny-qwen3", await File.ReadAllTextAsync(Path.Combine(_folder, "out", "tp.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OnTheTinyModel_SavesJsonAndMarkdown_WithWindowsAndAVerdict()
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync("run", "--model", TinyModel, "--device", "cpu",
            "--duration", "1.5", "--warmup", "0.3", "--window", "0.5", "--output-dir", _folder);

        Assert.True(exit == 0, error);
        Assert.Contains("Score (output tok/s):", output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, "result.json")));
        var root = doc.RootElement;
        var engine = Assert.Single(root.GetProperty("engines").EnumerateArray());
        double window = engine.GetProperty("window_s").GetDouble();
        Assert.InRange(window, 1.5, 10);
        long tokens = engine.GetProperty("total_output_tokens").GetInt64();
        Assert.True(tokens > 0);
        Assert.Equal(tokens / window, root.GetProperty("score_output_tokens_per_s").GetDouble(), 6);
        Assert.True(engine.GetProperty("windows").GetArrayLength() >= 3);
        Assert.Equal(root.GetProperty("valid").GetBoolean(), engine.GetProperty("verdict").GetProperty("valid").GetBoolean());
        Assert.False(root.GetProperty("incomplete").GetBoolean());
        Assert.Equal(4, engine.GetProperty("concurrency_target").GetInt32()); // the CPU default
        // The CPU default prompts are U[10, 100]: a different workload from the standard's, and the result says so.
        Assert.Equal("standard, other lengths", root.GetProperty("workload").GetProperty("name").GetString());
        Assert.Contains("input U[10, 100] and output U[100, 1024]", root.GetProperty("workload").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.False(root.GetProperty("platform").GetProperty("on_gpu").GetBoolean());
        Assert.Equal(1, root.GetProperty("schema_version").GetInt32());
        Assert.Equal("run", root.GetProperty("configuration").GetProperty("command_line")[1].GetString());
        Assert.Equal(2, (await File.ReadAllLinesAsync(Path.Combine(_folder, "result.csv"))).Length); // header and the one engine
        var markdown = await File.ReadAllTextAsync(Path.Combine(_folder, "result.md"));
        Assert.StartsWith("# llmbench run: tiny-qwen3", markdown, StringComparison.Ordinal);
        Assert.Contains("## Platform", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--duration", "0", "error: --duration must be a positive number of seconds, got 0.")]
    [InlineData("--duration", "-5", "error: --duration must be a positive number of seconds, got -5.")]
    [InlineData("--warmup", "-1", "error: --warmup must be zero or a positive number of seconds, got -1.")]
    [InlineData("--concurrency", "0", "error: --concurrency must be at least 1, got 0.")]
    [InlineData("--output-len-range", "x", "error: --output-len-range: \"x\" is not a length range: write MIN-MAX with 1 <= MIN <= MAX, like 100-1024, or one length.")]
    [InlineData("--input-len-range", "100-10", "error: --input-len-range: \"100-10\" is not a length range: write MIN-MAX with 1 <= MIN <= MAX, like 100-1024, or one length.")]
    public async Task Run_BadValues_AreOneSentence(string option, string value, string message)
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync("run", "--model", TinyModel, option, value, "--output-dir", _folder);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Equal(message, error.Trim());
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Theory]
    [InlineData("fp8", "error: --quantization fp8 runs on the CUDA engine only (a GPU of compute capability 8.9 or newer); the CPU engine keeps the weights in bf16.")]
    [InlineData("awq", "error: --quantization must be fp8 or none (or auto: fp8 for an fp8 checkpoint), got \"awq\".")]
    public async Task Throughput_WithQuantizationOnTheCpu_IsOneSentence(string value, string message)
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync("throughput", "--model", TinyModel, "--device", "cpu", "--quantization", value,
            "--num-prompts", "2", "--input-len", "8", "--output-len", "2", "--output-json", Path.Combine(_folder, "q.json"));
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Equal(message, error.Trim().Split('\n')[^1]);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("throughput")]
    [InlineData("sweep")]
    public async Task Gpus_OnAMachineWithoutAGpuEngine_SaysSoInOneSentence(string command)
    {
        Assert.SkipWhen(CudaBackend.IsAvailable(0, out _), "a GPU engine is available here");
        var (exit, _, error) = await ConsoleCapture.RunAsync(command, "--model", TinyModel, "--gpus", "all");
        Assert.Equal(1, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: --gpus needs NVIDIA GPUs and the CUDA engine, and this machine has none usable (", line, StringComparison.Ordinal);
        Assert.EndsWith("leave --gpus out to run on the CPU.", line.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("Tried:", line, StringComparison.Ordinal); // the library paths only under `gpu --verbose`
    }

    [Fact]
    public async Task Throughput_WithGpusAndAnotherFramework_IsRefusedInOneSentence()
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync("throughput", "--model", TinyModel, "--backend", "hf", "--gpus", "0,1");
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Equal("error: --gpus runs llmbench's engine once per GPU; leave it out with --backend hf.", error.Trim());
    }

    [Theory]
    [InlineData(new[] { "--preset", "tiny" }, "error: --preset must be nano (the only preset), got 'tiny'.")]
    [InlineData(new[] { "--preset", "nano", "--num-prompts", "3" }, "error: --preset nano fixes every length; drop --num-prompts, --input-len, --output-len and --random-range-ratio, or drop --preset.")]
    [InlineData(new[] { "--num-prompts", "0" }, "error: --num-prompts must be at least 1, got 0.")]
    [InlineData(new[] { "--max-num-seqs", "0" }, "error: --max-num-seqs must be at least 1, got 0.")]
    public async Task Throughput_BadValues_AreOneSentence(string[] args, string message)
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync(["throughput", "--model", TinyModel, "--device", "cpu", .. args]);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Equal(message, error.Trim());
    }

    [Fact]
    public async Task Throughput_PromptsLongerThanTheModelLength_AreRefusedInOneSentence_BeforeAnyRequestRuns()
    {
        var json = Path.Combine(_folder, "long.json");
        var (exit, output, error) = await ConsoleCapture.RunAsync("throughput", "--model", TinyModel, "--device", "cpu",
            "--num-prompts", "2", "--input-len", "300", "--output-len", "4", "--max-model-len", "256", "--output-json", json);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Equal("error: --input-len gives prompts of up to 300 tokens, but the model length is 256 (prompt and output together); lower --input-len or raise --max-model-len.",
            error.Trim().Split('\n')[^1]);
        Assert.False(File.Exists(json));
    }
}
