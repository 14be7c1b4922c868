namespace LlmBench.Reports.Tests.Reading;

/// <summary>tests/fixtures/results, found by walking up from the test binary to the repository.</summary>
internal static class ResultFixtures
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>A path under docs/results: real measurements saved by the commands (docs/PERFORMANCE.md).</summary>
    public static string Docs(params string[] parts) => System.IO.Path.Combine([Root, "..", "..", "..", "docs", "results", .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "fixtures", "results");
            if (Directory.Exists(candidate))
                return candidate;
        }

        throw new DirectoryNotFoundException("tests/fixtures/results not found above " + AppContext.BaseDirectory);
    }
}
