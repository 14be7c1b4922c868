using LlmBench.Reports.Html;
using LlmBench.Reports.Reading;
using LlmBench.Reports.Tests.Reading;
using Microsoft.Playwright;

namespace LlmBench.Reports.Tests.Reporting;

/// <summary>
/// The report in a real browser: Debian's chromium (installed by .ci/run) driven by Playwright, nothing downloaded.
/// The page must load with no console errors and no failed requests, every chart must be drawn, and a screenshot is saved.
/// </summary>
public sealed class ReportBrowserTests : IDisposable
{
    private static readonly string[] Chromiums = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"llmbench-report-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("LLMBENCH_KEEP_TEST_FILES") is null && Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Report_of_every_kind_loads_without_errors_and_draws_every_chart()
    {
        var chromium = Chromiums.FirstOrDefault(File.Exists);
        Assert.SkipWhen(chromium is null, "chromium not found at /usr/bin/chromium (.ci/run installs it with apt-get install -y chromium)");
        var results = ResultReader.ReadAll([ResultFixtures.Path("sweep"), ResultFixtures.Path("serve"), ResultFixtures.Path("h200"), ResultFixtures.Path("h100")]);
        var drawn = await RenderAsync(chromium!, results, "report");
        Assert.True(drawn.Count >= 14, $"{drawn.Count} charts");
        Assert.Contains("gpu-temperature", drawn); // the fixture h200 run has telemetry samples
        Assert.Contains("gpu-memory", drawn);
    }

    /// <summary>
    /// The "done when": the H200's real run, sweeps, serve, latency and profile results of 2026-12-04 (the
    /// whole folder), a serving sweep (three concurrencies, the hand-made fixture) and the real `run` of an H100 of
    /// 2026-12-07 (docs/results/h100-2026-12-07) in one report.
    /// </summary>
    [Fact]
    public async Task The_h200_results_with_a_serving_sweep_and_a_second_gpu_draw_every_chart()
    {
        var chromium = Chromiums.FirstOrDefault(File.Exists);
        Assert.SkipWhen(chromium is null, "chromium not found at /usr/bin/chromium (.ci/run installs it with apt-get install -y chromium)");
        var results = ResultReader.ReadAll([ResultFixtures.Docs("h200-2026-12-04"), ResultFixtures.Path("serve"), ResultFixtures.Docs("h100-2026-12-07", "fp8kv", "run-bf16")]);
        Assert.Equal(["NVIDIA H100 80GB HBM3", "NVIDIA H200"], results.Where(r => r.Kind == "run").Select(r => Json.Text(r.Platform, "gpu_name")).Order(StringComparer.Ordinal));
        var drawn = await RenderAsync(chromium!, results, "h200-and-more");
        Assert.Contains("run-windows-2", drawn); // one windows chart per run
        Assert.Contains("sweeps-throughput-vs-batch", drawn);
        Assert.Contains("sweep-ttft-vs-input", drawn); // the sequence-length sweep
        Assert.Contains("serve-throughput-vs-p99-ttft", drawn);
        Assert.Contains("serve-ttft-cdf", drawn);
    }

    /// <summary>Writes the report, opens it offline in chromium and checks it; returns the ids of the charts drawn.</summary>
    private async Task<IReadOnlyList<string>> RenderAsync(string chromium, IReadOnlyList<ResultDocument> results, string name)
    {
        var written = ResultReport.Write(results, Path.Combine(_folder, name + ".html"));
        Assert.True(written.ChartFiles.Count >= 10, $"{written.ChartFiles.Count} charts");
        Assert.All(written.ChartFiles, f => Assert.True(new FileInfo(f).Length > 5000, f));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox"],
        });
        // Offline: any request leaving the file would fail the test.
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Offline = true, ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
                errors.Add($"console {m.Type}: {m.Text}");
        };
        page.PageError += (_, e) => errors.Add("page error: " + e);
        page.RequestFailed += (_, r) => errors.Add("request failed: " + r.Url);
        var requests = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);

        var response = await page.GotoAsync(new Uri(Path.GetFullPath(written.HtmlPath)).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.NotNull(response);
        Assert.True(response.Ok);

        var charts = await page.QuerySelectorAllAsync("figure.chart");
        Assert.Equal(written.ChartFiles.Count, charts.Count);
        var ids = new List<string>();
        foreach (var chart in charts)
        {
            var id = await chart.GetAttributeAsync("data-chart") ?? "?";
            ids.Add(id);
            // Drawn: an SVG with a real size on screen and marks inside (paths or text), not an empty box.
            var drawn = await chart.EvaluateAsync<int[]>("""
                f => { const s = f.querySelector('svg'); if (!s) return [0, 0, 0];
                       const b = s.getBoundingClientRect();
                       return [Math.round(b.width), Math.round(b.height), s.querySelectorAll('path, text, polyline, rect, circle').length]; }
                """);
            Assert.True(drawn[0] > 300 && drawn[1] > 150, $"chart {id} is {drawn[0]}×{drawn[1]} px");
            Assert.True(drawn[2] > 10, $"chart {id} has {drawn[2]} marks");
        }

        Assert.True(await page.Locator("table").CountAsync() >= 5);
        var screenshot = Path.Combine(_folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 20_000);
        Assert.Empty(errors);
        Assert.All(requests, u => Assert.StartsWith("file://", u, StringComparison.Ordinal));
        return ids;
    }
}
