using System.Text.Json;
using LlmBench.LoadGen.Runner;
using LlmBench.Reports.Results;
using LlmBench.Reports.Serving;
using LlmBench.Reports.Serving.Sweep;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>`bench serve` sweeps and SLO searches, the whole command against `llmbench serve` on the CPU engine.</summary>
[Collection(ConsoleCapture.Name)]
public sealed class BenchServeSweepTests(WideModelServer server) : IClassFixture<WideModelServer>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("llmbench-serve-sweep-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string[] Args(params string[] more) =>
    [
        "bench", "serve", "--base-url", server.Run.BaseUrl.ToString(), "--tokenizer", Fixtures.WideQwen3,
        "--num-prompts", "4", "--random-input-len", "16", "--random-output-len", "4", "--seed", "1", "--result-dir", _folder, .. more,
    ];

    private JsonElement Summary(out JsonDocument doc)
    {
        doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "sweep.json")));
        return doc.RootElement;
    }

    [Fact]
    public async Task A_concurrency_list_runs_each_point_and_saves_each_result_and_the_summary()
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync(Args("--max-concurrency", "1,2"));

        Assert.True(exit == 0, error);
        Assert.Contains("Sweep point 2/2: max_concurrency=2, request_rate=inf", output + error, StringComparison.Ordinal);
        var files = Directory.GetFiles(_folder).Select(Path.GetFileName).Order().ToArray();
        Assert.Contains("sweep.json", files);
        Assert.Contains("sweep.csv", files);
        Assert.Contains("sweep.md", files);
        var pointJsons = files.Where(f => f!.EndsWith(".json", StringComparison.Ordinal) && f != "sweep.json").ToArray();
        Assert.Equal(2, pointJsons.Length);
        Assert.Equal(2, files.Count(f => f!.EndsWith(".requests.jsonl", StringComparison.Ordinal)));
        Assert.Single(pointJsons, f => f!.Contains("-concurrency1-", StringComparison.Ordinal));

        var root = Summary(out var doc);
        using (doc)
        {
            Assert.Equal(ResultSchema.Version, root.GetProperty("schema_version").GetInt32());
            Assert.Equal("serve_sweep", root.GetProperty("result_kind").GetString());
            Assert.True(root.GetProperty("complete").GetBoolean());
            Assert.Contains("1,2", root.GetProperty("configuration").GetProperty("command_line").EnumerateArray().Select(a => a.GetString()));
            var points = root.GetProperty("points").EnumerateArray().ToArray();
            Assert.Equal([1, 2], points.Select(p => p.GetProperty("max_concurrency").GetInt32()));
            Assert.All(points, p =>
            {
                Assert.Equal("inf", p.GetProperty("request_rate").GetString());
                Assert.Equal(4, p.GetProperty("completed").GetInt32());
                Assert.Equal(0, p.GetProperty("failed").GetInt32());
                Assert.True(p.GetProperty("success").GetBoolean());
                Assert.True(p.GetProperty("output_throughput").GetDouble() > 0);
                Assert.Equal(JsonValueKind.Null, p.GetProperty("goodput").ValueKind);
                foreach (var metric in new[] { "ttft", "tpot", "itl", "e2el" })
                {
                    Assert.True(p.GetProperty($"p99_{metric}_ms").GetDouble() >= p.GetProperty($"median_{metric}_ms").GetDouble());
                    Assert.True(p.GetProperty($"mean_{metric}_ms").GetDouble() > 0);
                }
            });
        }

        // Each point's own file keeps vLLM's single-run keys.
        using var point = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, pointJsons.Single(f => f!.Contains("-concurrency2-", StringComparison.Ordinal))!)));
        Assert.Equal(2, point.RootElement.GetProperty("max_concurrency").GetInt32());
        Assert.Equal("inf", point.RootElement.GetProperty("request_rate").GetString());
        Assert.Equal("serve", point.RootElement.GetProperty("llmbench").GetProperty("result_kind").GetString());
        // `llmbench report` over the folder reads the points; the summary beside them is not a result of its own.
        Assert.Equal(["serve", "serve"], LlmBench.Reports.Reading.ResultReader.ReadAll([_folder]).Select(d => d.Kind));
        var csv = File.ReadAllLines(Path.Combine(_folder, "sweep.csv"));
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("schema_version,max_concurrency,request_rate,completed,failed,request_throughput,output_throughput,goodput,mean_ttft_ms", csv[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_where_every_load_passes_doubles_until_its_runs_are_spent()
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync(Args("--search", "max-concurrency", "--goodput", "e2el:600000", "--search-max-runs", "3"));

        Assert.True(exit == 0, error);
        Assert.Contains("Search probe max_concurrency=4: P99 TTFT", output, StringComparison.Ordinal);
        Assert.Contains("Highest max_concurrency meeting the SLO at P99 with 100% success: 4 (3 runs).", output, StringComparison.Ordinal);
        var root = Summary(out var doc);
        using (doc)
        {
            var search = root.GetProperty("search");
            Assert.Equal("max_concurrency", search.GetProperty("dimension").GetString());
            Assert.Equal([1.0, 2.0, 4.0], search.GetProperty("probes").EnumerateArray().Select(p => p.GetProperty("load").GetDouble()));
            Assert.All(search.GetProperty("probes").EnumerateArray(), p => Assert.True(p.GetProperty("passed").GetBoolean()));
            Assert.Equal(4, search.GetProperty("answer").GetDouble());
            Assert.Equal(600000, search.GetProperty("slo_ms").GetProperty("e2el").GetDouble());
            Assert.Equal(3, root.GetProperty("points").GetArrayLength());
        }
    }

    [Fact]
    public async Task A_search_whose_SLO_nothing_meets_answers_none()
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync(Args("--search", "max-concurrency", "--goodput", "ttft:0"));

        Assert.True(exit == 0, error);
        Assert.Contains("FAIL", output, StringComparison.Ordinal);
        Assert.Contains("No probed max_concurrency met the SLO at P99 with 100% success (1 runs).", output, StringComparison.Ordinal);
        var root = Summary(out var doc);
        using (doc)
            Assert.Equal(JsonValueKind.Null, root.GetProperty("search").GetProperty("answer").ValueKind);
    }

    [Theory]
    [InlineData("--max-concurrency", "", "error: --max-concurrency needs a value or a comma list such as 1,8,32, got ''.")]
    [InlineData("--request-rate", "1,,4", "error: --request-rate has an empty item in '1,,4'; give a comma list such as 1,8,32.")]
    [InlineData("--max-concurrency", "1,0", "error: --max-concurrency must be whole numbers of at least 1, got '0'.")]
    [InlineData("--goodput", "ttft", "error: --goodput takes KEY:MILLISECONDS pairs such as ttft:2000, got 'ttft'.")]
    [InlineData("--search", "max-concurrency", "error: --search needs an SLO to hold: give --goodput, e.g. --goodput ttft:2000 tpot:50.")]
    [InlineData("--search", "speed", "error: --search takes max-concurrency or request-rate, got 'speed'.")]
    public async Task Bad_sweep_and_search_values_are_one_sentence_errors(string option, string value, string message)
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync(Args(option, value));

        Assert.Equal(1, exit);
        Assert.Equal(message, error.Trim());
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task An_unreachable_server_is_a_one_sentence_error_and_the_summary_says_so()
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync(
            "bench", "serve", "--base-url", "http://127.0.0.1:9/", "--model", "m", "--tokenizer", Fixtures.WideQwen3,
            "--num-prompts", "2", "--random-input-len", "8", "--random-output-len", "2", "--max-concurrency", "1,2", "--result-dir", _folder);

        Assert.Equal(1, exit);
        var last = error.Trim().Split('\n')[^1];
        Assert.StartsWith("error: The run at max_concurrency=1, request_rate=inf failed: The initial test request failed", last, StringComparison.Ordinal);
        var root = Summary(out var doc);
        using (doc)
        {
            Assert.False(root.GetProperty("complete").GetBoolean());
            Assert.Equal(0, root.GetProperty("points").GetArrayLength());
        }
    }
}

/// <summary>The sweep's loop on its own, with a scripted point runner: an error keeps the points before it.</summary>
public class BenchServeSweepLoopTests
{
    private static ServeSweepPoint Point(LoadPoint load)
    {
        var info = new ServingRunInfo
        {
            Date = "20250101-120000", Backend = "openai", ModelId = "m", NumPrompts = 1, DatasetName = "random", ApiUrl = "http://x/v1/completions",
            RequestRate = load.RequestRate, MaxConcurrency = load.MaxConcurrency,
        };
        RequestRecord[] records = [new() { Index = 0, Success = true, PromptTokens = 4, OutputTokens = 3, StartSeconds = 0, TtftMs = 10 * load.MaxConcurrency!.Value, E2elMs = 10 * load.MaxConcurrency!.Value + 40, ItlMs = [20, 20] }];
        return new ServeSweepPoint(new ServingResult(info, ServingMetrics.Compute(records, 1, [99], GoodputSlo.None), records, ClientHealth.NotMeasured), null);
    }

    [Fact]
    public async Task An_error_at_a_point_stops_the_sweep_and_keeps_the_points_before_it()
    {
        var settings = new BenchServeSettings { MaxConcurrencySweep = [1, 8, 32], MaxConcurrency = 1 };
        var ran = new List<LoadPoint>();
        var sweep = new BenchServeSweep(settings, ResultConfiguration.None, TextWriter.Null, (load, _) =>
        {
            ran.Add(load);
            return load.MaxConcurrency == 8 ? throw new UserErrorException("The initial test request failed (connection refused).") : Task.FromResult(Point(load));
        });

        var result = await sweep.RunGridAsync(TestContext.Current.CancellationToken);

        Assert.Equal([1, 8], ran.Select(p => p.MaxConcurrency!.Value));
        Assert.Equal([1], result.Points.Select(p => p.MaxConcurrency!.Value));
        Assert.Equal(3, result.PlannedPoints);
        Assert.Equal("The run at max_concurrency=8, request_rate=inf failed: The initial test request failed (connection refused); the points before it are saved.", result.Error);
    }

    [Fact]
    public async Task A_search_probes_what_the_decision_function_asks_and_holds_the_SLO_at_the_percentile()
    {
        // TTFT is 10 ms per unit of concurrency: a 45 ms TTFT SLO passes 1, 2, 4 and fails 8, so 6 fails, 5 fails, then 4 is the answer.
        var settings = new BenchServeSettings { Goodput = new GoodputSlo(45, null, null) };
        var output = new StringWriter();
        var sweep = new BenchServeSweep(settings, ResultConfiguration.None, output, (load, _) => Task.FromResult(Point(load)));

        var result = await sweep.SearchAsync(new LoadSearchOptions(SearchDimension.MaxConcurrency, 1, 8), 99, TestContext.Current.CancellationToken);

        Assert.Equal([1.0, 2, 4, 8, 6, 5], result.Search!.Probes.Select(p => p.Load));
        Assert.Equal([true, true, true, false, false, false], result.Search.Probes.Select(p => p.Passed));
        Assert.Equal(4, result.Search.Answer);
        Assert.Contains("Search probe max_concurrency=8: P99 TTFT 80.00 ms, P99 TPOT 20.00 ms, P99 E2EL 120.00 ms, success 100.00%: FAIL", output.ToString(), StringComparison.Ordinal);
        Assert.Null(result.Error);
    }
}
