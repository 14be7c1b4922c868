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
        var written = ResultReport.Write(results, Path.Combine(_folder, "report.html"));
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
        foreach (var chart in charts)
        {
            var id = await chart.GetAttributeAsync("data-chart");
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
        var screenshot = Path.Combine(_folder, "report.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 20_000);
        Assert.Empty(errors);
        Assert.All(requests, u => Assert.StartsWith("file://", u, StringComparison.Ordinal));
    }
}
