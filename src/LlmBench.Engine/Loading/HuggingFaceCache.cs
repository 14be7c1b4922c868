using System.Text.RegularExpressions;

namespace LlmBench.Engine.Loading;

/// <summary>
/// Looks up downloaded repos in the Hugging Face hub cache:
/// hub/models--Org--Name/snapshots/&lt;revision&gt;/ with refs/main naming the revision of the main branch.
/// </summary>
public static partial class HuggingFaceCache
{
    /// <summary>True for "Org/Name"-shaped strings (one slash, the characters the Hub allows).</summary>
    public static bool IsRepoId(string text) => RepoIdPattern().IsMatch(text) && !text.Contains("..", StringComparison.Ordinal);

    /// <summary>hub/models--Org--Name, where the repo would be cached.</summary>
    public static string RepoDirectory(string hubDirectory, string repoId) =>
        Path.Combine(hubDirectory, "models--" + repoId.Replace("/", "--", StringComparison.Ordinal));

    /// <summary>
    /// The snapshot directory of <paramref name="repoId"/> that has a config.json: the one refs/main
    /// names, else the most recently written; null when the repo is not cached.
    /// </summary>
    public static string? FindSnapshot(string hubDirectory, string repoId)
    {
        var snapshots = Path.Combine(RepoDirectory(hubDirectory, repoId), "snapshots");
        if (!Directory.Exists(snapshots))
            return null;

        var mainRef = Path.Combine(RepoDirectory(hubDirectory, repoId), "refs", "main");
        if (File.Exists(mainRef))
        {
            var revision = File.ReadAllText(mainRef).Trim();
            var named = Path.Combine(snapshots, revision);
            if (revision.Length > 0 && revision == Path.GetFileName(revision) && HasConfig(named))
                return named;
        }

        return new DirectoryInfo(snapshots).EnumerateDirectories()
            .Where(d => HasConfig(d.FullName))
            .OrderByDescending(d => d.LastWriteTimeUtc)
            .Select(d => d.FullName)
            .FirstOrDefault();
    }

    private static bool HasConfig(string directory) => File.Exists(Path.Combine(directory, "config.json"));

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex RepoIdPattern();
}
