using System.Text.Json;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>
/// Issue 13's bad input, each a one-sentence error with what was measured saved: SLO strings that do not parse, an
/// unreachable server for a single run, and a server that dies in the middle of a sweep (a real `llmbench serve`,
/// stopped once the first point is saved).
/// </summary>
[Collection(ConsoleCapture.Name)]
public sealed class BenchServeBadInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("llmbench-bad-input-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string LastLine(string text) => text.Trim().Split('\n')[^1];

    [Theory]
    [InlineData("ttft:fast", "error: --goodput takes KEY:MILLISECONDS pairs such as ttft:2000, got 'ttft:fast'.")]
    [InlineData("latency:50", "error: --goodput metric must be ttft, tpot or e2el, got 'latency'.")]
    [InlineData("tpot:-5", "error: --goodput limits are non-negative milliseconds, got 'tpot:-5'.")]
    public async Task An_slo_that_does_not_parse_is_one_sentence_before_anything_runs(string slo, string message)
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("bench", "serve", "--base-url", "http://127.0.0.1:9/", "--model", "m",
            "--tokenizer", Fixtures.WideQwen3, "--goodput", slo, "--search", "max-concurrency", "--result-dir", _folder);

        Assert.Equal(1, exit);
        Assert.Equal(message, error.Trim());
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task An_unreachable_server_for_a_single_run_is_one_sentence()
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("bench", "serve", "--base-url", "http://127.0.0.1:9/", "--model", "m",
            "--tokenizer", Fixtures.WideQwen3, "--num-prompts", "2", "--save-result", "--result-dir", _folder);

        Assert.Equal(1, exit);
        Assert.StartsWith("error: The initial test request failed (connection failed:", LastLine(error), StringComparison.Ordinal);
        Assert.EndsWith("check --base-url/--port, --model and the server's log.", LastLine(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_dies_mid_sweep_stops_it_in_one_sentence_with_the_points_before_saved()
    {
        var run = await ServeRun.StartAsync(Fixtures.WideQwen3, "--load-format", "dummy", "--served-model-name", WideModelServer.Model,
            "--max-model-len", "256", "--max-num-seqs", "8");
        var stopped = false;
        try
        {
            // The server is stopped as soon as the first point's result is on disk.
            var killer = Task.Run(async () =>
            {
                while (!Directory.EnumerateFiles(_folder, "*concurrency1-*.json").Any())
                    await Task.Delay(20);
                await run.DisposeAsync();
                stopped = true;
            }, TestContext.Current.CancellationToken);

            var (exit, _, error) = await ConsoleCapture.RunAsync("bench", "serve", "--base-url", run.BaseUrl.ToString(), "--model", WideModelServer.Model,
                "--tokenizer", Fixtures.WideQwen3, "--num-prompts", "3", "--random-input-len", "8", "--random-output-len", "4", "--disable-tqdm",
                "--max-concurrency", "1,2,4", "--result-dir", _folder);
            await killer;

            Assert.Equal(1, exit);
            Assert.Matches(@"^error: The run at max_concurrency=[24], request_rate=inf failed: .*; the points before it are saved\.$", LastLine(error));
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "sweep.json")));
            var root = summary.RootElement;
            Assert.False(root.GetProperty("complete").GetBoolean());
            Assert.Equal(LastLine(error)["error: ".Length..], root.GetProperty("error").GetString());
            var points = root.GetProperty("points").EnumerateArray().ToArray();
            // The first point ran whole; a second may have run while the server went away, its requests failed and kept.
            Assert.InRange(points.Length, 1, 2);
            Assert.Equal(3, points[0].GetProperty("completed").GetInt32());
            Assert.All(points.Skip(1), p => Assert.Equal(3, p.GetProperty("completed").GetInt32() + p.GetProperty("failed").GetInt32()));
            Assert.All(points, p => Assert.True(File.Exists(Path.Combine(_folder, p.GetProperty("result_file").GetString()!))));
        }
        finally
        {
            if (!stopped)
                await run.DisposeAsync();
        }
    }
}
