using System.Reflection;

namespace LlmBench.Cli;

/// <summary>What the build stamped into the assembly: the version and the git commit (see LlmBench.Cli.csproj).</summary>
internal static class BuildInfo
{
    /// <summary>The full commit llmbench was built from, or "unknown" when it was not built from a git checkout.</summary>
    public static string GitCommit =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "GitCommit")?.Value is { Length: > 0 } commit
            ? commit
            : "unknown";
}
