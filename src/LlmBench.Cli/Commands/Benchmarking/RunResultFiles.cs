using LlmBench.Reports.Offline;
using LlmBench.Reports.Offline.Export;

namespace LlmBench.Cli;

/// <summary>Saves a `run` as result.json and result.md in results/&lt;date&gt;-&lt;gpu or cpu&gt;/ (or --output-dir).</summary>
internal static class RunResultFiles
{
    public const string JsonName = "result.json";
    public const string MarkdownName = "result.md";

    public static string Save(RunResult result, string? folder)
    {
        folder ??= Path.Combine("results", $"{result.Date}-{ResultPaths.Slug(result.Platform.GpuName ?? "cpu")}");
        Directory.CreateDirectory(folder);
        using (var json = File.Create(Path.Combine(folder, JsonName)))
            RunResultJson.Write(result, json);
        File.WriteAllText(Path.Combine(folder, MarkdownName), RunResultMarkdown.Render(result));
        return folder;
    }
}
