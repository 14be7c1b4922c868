using System.Text.Json;

namespace LlmBench.Cli.Tests.Frameworks;

/// <summary>
/// `sweep` and `latency` with --backend hf/hf-compile against a fake worker (a bash script speaking the protocol), next
/// to llmbench's CPU engine on the tiny golden model: the table, the ratios, compile time apart, and the failures.
/// </summary>
[Collection(ConsoleCapture.Name)]
public sealed class FrameworkSweepTests : IDisposable
{
    private static readonly string TinyModel = Path.Combine(AppContext.BaseDirectory, "../../../../fixtures/golden/tiny-qwen3");
    private readonly string _folder = Directory.CreateTempSubdirectory("llmbench-frameworks-").FullName;
    private readonly string _out;

    public FrameworkSweepTests() => _out = Path.Combine(_folder, "out");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<(int ExitCode, string Out, string Error)> Sweep(string backends, string python, string batches = "1,2") =>
        ConsoleCapture.RunAsync("sweep", "--model", TinyModel, "--backend", backends, "--python", python,
            "--batch-sizes", batches, "--input-lens", "8", "--output-lens", "4", "--output-dir", _out);

    private JsonDocument Result() => JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "sweep.json")));

    private static JsonElement[] PointsOf(JsonDocument doc, string backend) =>
        doc.RootElement.GetProperty("points").EnumerateArray().Where(p => p.GetProperty("backend").GetString() == backend).ToArray();

    [Fact]
    public async Task Sweep_LlmbenchAndHf_GivesOneTable_WithTheWorkersTimes_AndLlmbenchsRatio()
    {
        var (exit, output, error) = await Sweep("llmbench,hf", FakeWorker.Write(_folder));

        Assert.True(exit == 0, error);
        Assert.Contains("| Framework | Batch Size | Input | Output | Toks/sec | RPS | Avg. TTFT | Avg. TPOT | GPU util | % of floor | llmbench × |", output, StringComparison.Ordinal);
        using var doc = Result();
        var ours = PointsOf(doc, "llmbench");
        var hf = PointsOf(doc, "hf");
        Assert.Equal([1, 2], hf.Select(p => p.GetProperty("batch_size").GetInt32()));
        foreach (var p in hf)
        {
            int batch = p.GetProperty("batch_size").GetInt32();
            Assert.Equal("ok", p.GetProperty("status").GetString());
            // The fake's tokens come every 10 ms: 4 tokens per request in 40 ms.
            Assert.Equal(batch * 4 / 0.040, p.GetProperty("output_throughput").GetDouble(), 6);
            Assert.Equal(batch / 0.040, p.GetProperty("requests_per_second").GetDouble(), 6);
            Assert.Equal(FakeWorker.StepMs, p.GetProperty("mean_ttft_ms").GetDouble(), 6);
            Assert.Equal(FakeWorker.StepMs, p.GetProperty("mean_tpot_ms").GetDouble(), 6);
            Assert.Equal(JsonValueKind.Null, p.GetProperty("kv_blocks_used").ValueKind);
            var mine = ours.Single(o => o.GetProperty("batch_size").GetInt32() == batch);
            Assert.Equal(mine.GetProperty("output_throughput").GetDouble() / p.GetProperty("output_throughput").GetDouble(), p.GetProperty("llmbench_ratio").GetDouble(), 9);
            Assert.Equal(JsonValueKind.Null, mine.GetProperty("llmbench_ratio").ValueKind);
        }

        var backends = doc.RootElement.GetProperty("backends").EnumerateArray().ToArray();
        Assert.Equal(["llmbench", "hf"], backends.Select(b => b.GetProperty("name").GetString()));
        Assert.Contains("Fake GPU (transformers 9.9-fake, torch 9.9-fake", backends[1].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, backends[1].GetProperty("error").ValueKind);
        Assert.Equal(5, (await File.ReadAllLinesAsync(Path.Combine(_out, "sweep.csv"))).Length);
    }

    [Fact]
    public async Task Sweep_HfCompile_ReportsCompileTimeAndMode_ApartFromTheLatencies()
    {
        var (exit, output, error) = await Sweep("hf-compile", FakeWorker.Write(_folder, compile: true), batches: "2");

        Assert.True(exit == 0, error);
        Assert.Contains("| Compile |", output, StringComparison.Ordinal);
        using var doc = Result();
        var p = Assert.Single(PointsOf(doc, "hf-compile"));
        Assert.Equal(1.5, p.GetProperty("compile_s").GetDouble());
        Assert.Equal("default; after reduce-overhead failed: boom", p.GetProperty("compile_mode").GetString());
        Assert.Equal(FakeWorker.StepMs, p.GetProperty("mean_ttft_ms").GetDouble(), 6);
    }

    [Fact]
    public async Task Sweep_WorkerCrashMidRun_KeepsThePointsMeasured_AndSaysWhichBackendFailed()
    {
        // Generates: batch 1 warm-up, batch 1, batch 2 warm-up, then the crash on batch 2's measured batch.
        var (exit, _, error) = await Sweep("llmbench,hf", FakeWorker.Write(_folder, crashAtGenerate: 4), batches: "1,2,4");

        Assert.Equal(1, exit);
        Assert.Contains("error: the hf backend failed at batch 2, input 8, output 4: The hf worker exited with code 3 while generating a batch of 2; its last words: RuntimeError: CUDA error: an illegal memory access was encountered.", error, StringComparison.Ordinal);
        using var doc = Result();
        Assert.All(PointsOf(doc, "llmbench"), p => Assert.Equal("ok", p.GetProperty("status").GetString()));
        var hf = PointsOf(doc, "hf");
        Assert.Equal(["ok", "failed", "not_run"], hf.Select(p => p.GetProperty("status").GetString()));
        Assert.Contains("exited with code 3", hf[1].GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("not run: the hf backend failed at batch 2", hf[2].GetProperty("note").GetString(), StringComparison.Ordinal);
        var backend = doc.RootElement.GetProperty("backends")[1];
        Assert.Equal("hf", backend.GetProperty("name").GetString());
        Assert.Contains("failed at batch 2", backend.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_ABackendThatCannotStart_IsRecorded_AndTheOthersStillRun()
    {
        var (exit, _, error) = await Sweep("hf,llmbench", "/nonexistent/python3");

        Assert.Equal(1, exit);
        Assert.Contains("error: the hf backend did not start: The hf backend needs Python, but '/nonexistent/python3' could not be started", error, StringComparison.Ordinal);
        using var doc = Result();
        Assert.All(PointsOf(doc, "hf"), p => Assert.Equal("not run: the hf backend did not start", p.GetProperty("note").GetString()));
        Assert.All(PointsOf(doc, "llmbench"), p => Assert.Equal("ok", p.GetProperty("status").GetString()));
        Assert.Equal("tiny-qwen3", doc.RootElement.GetProperty("model").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Sweep_NoPython_IsOneSentenceNamingWhatToInstall_AndSavesNothing()
    {
        var (exit, output, error) = await Sweep("hf", "/nonexistent/python3");

        Assert.Equal(1, exit);
        Assert.Empty(output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: The hf backend needs Python, but '/nonexistent/python3' could not be started (", line, StringComparison.Ordinal);
        Assert.EndsWith("install Python 3 with torch and transformers, or pass --python with the interpreter that has them.", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_out));
    }

    [Fact]
    public async Task Sweep_AWorkerThatDoesNotSpeakTheProtocol_IsOneSentence()
    {
        var (exit, _, error) = await Sweep("hf", FakeWorker.Babbling(_folder));

        Assert.Equal(1, exit);
        Assert.Contains("error: The hf worker does not speak llmbench's protocol: it wrote 'Python 2.7.18 says hello' while starting, which is not a JSON reply; pass --python with a Python 3 interpreter.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("llmbench,nope", "error: --backend takes llmbench, llmbench-eager, hf, hf-compile, openai (or a comma list of them), got 'nope'.")]
    [InlineData("openai", "error: --backend openai needs --base-url (and --launch to start the server).")]
    public async Task Sweep_BadBackends_AreOneSentence(string backends, string message)
    {
        var (exit, _, error) = await Sweep(backends, "python3");
        Assert.Equal(1, exit);
        Assert.Equal(message, error.Trim());
    }

    [Fact]
    public async Task Latency_HfCompile_SavesTheBackend_TheCompileTime_AndTheWorkersLatencies()
    {
        var json = Path.Combine(_out, "lat.json");
        var (exit, output, error) = await ConsoleCapture.RunAsync("latency", "--model", TinyModel, "--backend", "hf-compile", "--python", FakeWorker.Write(_folder, compile: true),
            "--batch-size", "2", "--input-len", "8", "--output-len", "4", "--num-iters-warmup", "1", "--num-iters", "2", "--output-json", json);

        Assert.True(exit == 0, error);
        Assert.Contains("hf-compile (compiled in 1.5 s, default; after reduce-overhead failed: boom)", output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal("hf-compile", root.GetProperty("backend").GetString());
        Assert.Equal(1.5, root.GetProperty("compile_s").GetDouble());
        Assert.Equal(2, root.GetProperty("latencies").GetArrayLength());
        Assert.Equal(0.040, root.GetProperty("avg_latency").GetDouble(), 9);
        Assert.Equal(FakeWorker.StepMs, root.GetProperty("ttft_ms").GetProperty("mean").GetDouble(), 6);
        Assert.Equal(FakeWorker.StepMs, root.GetProperty("tpot_ms").GetProperty("mean").GetDouble(), 6);
    }

    [Fact]
    public async Task Latency_TakesOneBackend()
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("latency", "--model", TinyModel, "--backend", "llmbench,hf");
        Assert.Equal(1, exit);
        Assert.Equal("error: --backend takes one backend here; `llmbench sweep` takes a comma list.", error.Trim());
    }

    [Fact]
    public async Task Throughput_Hf_RunsStaticBatchesOfMaxNumSeqs_OneAfterAnother()
    {
        var json = Path.Combine(_out, "tp.json");
        var (exit, _, error) = await ConsoleCapture.RunAsync("throughput", "--model", TinyModel, "--backend", "hf", "--python", FakeWorker.Write(_folder),
            "--num-prompts", "5", "--input-len", "8", "--output-len", "4", "--max-num-seqs", "2", "--output-json", json);

        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal("hf", root.GetProperty("llmbench").GetProperty("backend").GetString());
        Assert.Equal(5, root.GetProperty("completed").GetInt32());
        Assert.Equal(20, root.GetProperty("total_output_tokens").GetInt32());
        // Three batches (2, 2, 1) of 40 ms each, one after another: every request is queued at the start, so the later
        // batches' first tokens wait for the earlier ones; a decode step is the fake's 10 ms throughout.
        Assert.Equal(FakeWorker.StepMs, root.GetProperty("mean_tpot_ms").GetDouble(), 6);
        Assert.True(root.GetProperty("elapsed_time").GetDouble() >= 0.120, "three batches of 40 ms");
        Assert.True(root.GetProperty("p99_ttft_ms").GetDouble() >= 90, "the last batch waits for two");
        Assert.True(root.GetProperty("median_ttft_ms").GetDouble() >= 50, "the middle request is in the second batch");
    }
}
