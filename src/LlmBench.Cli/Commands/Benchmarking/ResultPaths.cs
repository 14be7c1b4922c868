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

    public static void EnsureParent(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
    }
}
