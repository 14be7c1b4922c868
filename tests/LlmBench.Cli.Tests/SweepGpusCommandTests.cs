using System.Text.Json;

namespace LlmBench.Cli.Tests;

/// <summary>
/// `llmbench sweep --gpus` on a machine without GPUs: the devices --gpus would give are two CPU engines of the tiny
/// golden model, so the whole path runs (one engine each, every point on both at once, combined, saved) as on two GPUs.
/// </summary>
[Collection(ConsoleCapture.Name)]
public sealed class SweepGpusCommandTests : IDisposable
{
    private static readonly string TinyModel = Path.Combine(AppContext.BaseDirectory, "../../../../fixtures/golden/tiny-qwen3");
    private readonly string _folder = Directory.CreateTempSubdirectory("llmbench-sweep-gpus-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Sweep_OnTwoEnginesAtOnce_SavesEachEnginesPoints_TheirTotals_AndTheVerdicts()
    {
        var parse = CliApp.BuildRoot().Parse(["sweep", "--model", TinyModel, "--device", "cpu", "--batch-sizes", "1,2", "--input-lens", "8", "--output-lens", "4", "--output-dir", _folder]);
        var (oldOut, oldError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        int exit;
        try
        {
            exit = await SweepCommand.RunAsync(parse, CancellationToken.None, engineDevices: ["cpu", "cpu"]);
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }

        Assert.True(exit == 0, error.ToString());
        Assert.Contains("| Framework | GPU | Batch Size |", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("2 GPUs ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("llmbench on cpu: batch 2, input 8, output 4: ", error.ToString(), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "sweep.json")));
        var root = doc.RootElement;
        var points = root.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal([1, 2], points.Select(p => p.GetProperty("batch_size").GetInt32()));
        foreach (var p in points)
        {
            Assert.Equal("ok", p.GetProperty("status").GetString());
            var gpus = p.GetProperty("gpus").EnumerateArray().ToArray();
            Assert.Equal(2, gpus.Length);
            Assert.All(gpus, g => Assert.Equal("ok", g.GetProperty("status").GetString()));
            Assert.All(gpus, g => Assert.StartsWith("cpu", g.GetProperty("device").GetString(), StringComparison.OrdinalIgnoreCase));
            Assert.All(gpus, g => Assert.True(g.GetProperty("output_throughput").GetDouble() > 0));
            foreach (var key in new[] { "output_throughput", "total_token_throughput", "requests_per_second" })
                Assert.Equal(gpus.Sum(g => g.GetProperty(key).GetDouble()), p.GetProperty(key).GetDouble(), 9);
            Assert.Equal(gpus.Max(g => g.GetProperty("p99_tpot_ms").GetDouble()), p.GetProperty("p99_tpot_ms").GetDouble());
            Assert.Equal(gpus.Average(g => g.GetProperty("mean_ttft_ms").GetDouble()), p.GetProperty("mean_ttft_ms").GetDouble(), 9);
            var deviations = gpus.Select(g => g.GetProperty("deviation_from_mean_pct").GetDouble()).ToArray();
            Assert.Equal(0, deviations.Sum(), 6);
            var agreement = p.GetProperty("gpu_agreement");
            Assert.Equal(deviations.All(d => Math.Abs(d) <= 5), agreement.GetProperty("agree").GetBoolean());
        }

        Assert.Equal(2, root.GetProperty("gpu_agreement").GetProperty("points_compared").GetInt32());
        Assert.Contains(" + ", root.GetProperty("backends")[0].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(1 + (2 * 3), (await File.ReadAllLinesAsync(Path.Combine(_folder, "sweep.csv"))).Length);
    }

    [Fact]
    public async Task Sweep_WithGpusAndAnotherFramework_IsRefusedInOneSentence()
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync("sweep", "--model", TinyModel, "--backend", "llmbench,hf", "--gpus", "0,1", "--output-dir", _folder);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Equal("error: --gpus runs llmbench's engine once per GPU; leave it out with --backend hf.", error.Trim());
        Assert.Empty(Directory.GetFiles(_folder));
    }
}
