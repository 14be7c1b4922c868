using LlmBench.Reports.Tests.Reading;

namespace LlmBench.Cli.Tests;

/// <summary>report, compare and cost through the command line, on tests/fixtures/results.</summary>
[Collection(ConsoleCapture.Name)]
public sealed class ReportCommandTests
{
    private static string Fixture(string path) => ResultFixtures.Path(path.Split('/'));

    [Fact]
    public async Task Cost_of_a_tok_s_figure_prints_exact_numbers()
    {
        var (exit, output, _) = await ConsoleCapture.RunAsync("cost", "--tok-s", "25000", "--price-per-hour", "3.5");
        Assert.Equal(0, exit);
        Assert.Contains("--tok-s: 25000 output tok/s at $3.5/h: $0.0389 per 1M output tokens, 25714286 output tokens per $, 7142.86 tok/s per $/h", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cost_from_the_built_in_table_prints_exact_numbers_and_the_source()
    {
        // AWS p5.48xlarge at $55.04/h for 8 GPUs: $6.88 per GPU-hour, one GPU for a --tok-s figure.
        var (exit, output, _) = await ConsoleCapture.RunAsync("cost", "--tok-s", "25000", "--gpu", "h100");
        Assert.Equal(0, exit);
        Assert.Contains("--tok-s: 25000 output tok/s at $6.88/h: $0.0764 per 1M output tokens, 13081395 output tokens per $, 3633.72 tok/s per $/h", output, StringComparison.Ordinal);
        Assert.Contains("price: AWS p5.48xlarge (8× H100 SXM 80GB) $55.04/h on demand in us-east-1, as of 2026-11-09, $6.88 per GPU-hour; list price from https://", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cost_for_a_gpu_without_a_price_is_one_sentence()
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("cost", "--tok-s", "25000", "--gpu", "b300");
        Assert.Equal(1, exit);
        Assert.Contains("no price for GPU \"b300\" (known: ", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Cost_list_names_every_source()
    {
        var (exit, output, _) = await ConsoleCapture.RunAsync("cost", "--list");
        Assert.Equal(0, exit);
        Assert.Contains("  h200         AWS p5en.48xlarge (8× H200 141GB) $63.296/h on demand in us-east-1, as of 2026-08-06, $7.912 per GPU-hour; source: https://github.com/dstackai/dstack/pull/4110", output, StringComparison.Ordinal);
        Assert.DoesNotContain("approximate", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Compare_markdown_of_two_runs_with_one_price()
    {
        var (exit, output, _) = await ConsoleCapture.RunAsync("compare", Fixture("h200/result.json"), Fixture("h100/result.json"), "--markdown", "--price-per-hour", "4");
        Assert.Equal(0, exit);
        Assert.Contains("| score (output tok/s) | 20000.0 | 16000.0 (0.80×) |", output, StringComparison.Ordinal);
        Assert.Contains("| $ per 1M output tokens | 0.056 | 0.069 (1.25×) |", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("h200,h100")]
    [InlineData("h200", "h100")]
    public async Task Compare_takes_one_table_gpu_per_result_spaced_or_comma_separated(params string[] gpus)
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync(["compare", Fixture("h200/result.json"), Fixture("h100/result.json"), "--markdown", "--gpu", .. gpus]);
        Assert.True(exit == 0, error);
        var table = PriceOptions.Table();
        var h200 = table.Find("h200").PerGpuHour;
        var h100 = table.Find("h100").PerGpuHour;
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"| price ($/h) | {h200:0.00} | {h100:0.00} ({h100 / h200:0.00}×) |"), output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad/not-json.json", "is not valid JSON")]
    [InlineData("bad/truncated.json", "is truncated")]
    [InlineData("bad/future-version.json", "has schema_version 99")]
    [InlineData("bad/empty-folder", "holds no llmbench result files")]
    public async Task Bad_inputs_end_with_one_line_and_exit_1(string path, string message)
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("report", Fixture(path), "-o", Path.Combine(Path.GetTempPath(), "never.html"));
        Assert.Equal(1, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Compare_refuses_different_workloads_with_exit_1()
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("compare", Fixture("serve/serve-c8.json"), Fixture("serve/serve-c128.json"));
        Assert.Equal(1, exit);
        Assert.Contains("max concurrency is \"8\" in one and \"128\" in the other", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_prints_the_report_command_for_its_folder() =>
        Assert.Equal("llmbench report results/x -o results/x/report.html", ReportCommand.CommandFor("results/x"));
}
