using System.Text.Json;
using LlmBench.Cli.Tests.Serving;

namespace LlmBench.Cli.Tests.Frameworks;

/// <summary>`sweep --backend openai`: the same lockstep points as streamed request batches against an OpenAI-compatible server (ours, on the CPU).</summary>
[Collection(ConsoleCapture.Name)]
public sealed class OpenAiBackendTests(WideModelServer server) : IClassFixture<WideModelServer>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("llmbench-openai-backend-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Sweep_Openai_RunsEveryPointAsABatchOfStreamedRequests_NamingTheServedModel()
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("sweep", "--backend", "openai", "--base-url", server.Run.BaseUrl.ToString(),
            "--batch-sizes", "1,3", "--input-lens", "8-16", "--output-lens", "4", "--output-dir", _folder);

        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, "sweep.json")));
        var points = doc.RootElement.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal([1, 3], points.Select(p => p.GetProperty("batch_size").GetInt32()));
        Assert.All(points, p =>
        {
            Assert.Equal("openai", p.GetProperty("backend").GetString());
            Assert.Equal("ok", p.GetProperty("status").GetString());
            Assert.Equal(16, p.GetProperty("input_len_max").GetInt32());
            // Every request streamed its 4 tokens (usage), so the batch's output tokens over its time is the throughput.
            double rps = p.GetProperty("requests_per_second").GetDouble();
            Assert.Equal(4 * rps, p.GetProperty("output_throughput").GetDouble(), 6);
            Assert.True(p.GetProperty("mean_ttft_ms").GetDouble() > 0);
            // TPOT is (last chunk − first chunk) / (tokens − 1): zero when the tiny server's 4 tokens arrive in one read,
            // which happens on a loaded machine; never negative.
            Assert.True(p.GetProperty("mean_tpot_ms").GetDouble() >= 0);
        });
        Assert.Contains(WideModelServer.Model, doc.RootElement.GetProperty("backends")[0].GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
