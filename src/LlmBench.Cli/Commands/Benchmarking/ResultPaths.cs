namespace LlmBench.Cli;

/// <summary>Where results go: files under results/ (created on demand), names made of safe characters only.</summary>
internal static class ResultPaths
{
    /// <summary>"NVIDIA H100 80GB HBM3" → "nvidia-h100-80gb-hbm3".</summary>
    public static string Slug(string text)
    {
        var chars = text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == '.' ? c : '-').ToArray();
        var slug = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length == 0 ? "unknown" : slug;
    }

    /// <summary>The one line that tells where a result went: "saved results/x/: result.json, result.csv, result.md".</summary>
    public static string SavedLine(IReadOnlyList<string> paths)
    {
        var folder = Path.GetDirectoryName(paths[0]) is { Length: > 0 } d ? d : ".";
        return $"saved {folder}{Path.DirectorySeparatorChar}: {string.Join(", ", paths.Select(Path.GetFileName))}";
    }
}
