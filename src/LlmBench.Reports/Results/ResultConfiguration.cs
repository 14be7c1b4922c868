namespace LlmBench.Reports.Results;

/// <summary>
/// Everything needed to run a result again: the command line as typed, the engine's options (empty where the engine is
/// not ours, as with `bench serve` against a remote server), the seed, and the build that measured.
/// </summary>
/// <param name="CommandLine">The argv, the program name first ("llmbench", "throughput", "--model", ...).</param>
/// <param name="EngineOptions">The engine's options as resolved (model length, KV blocks), keyed as the flags are named, snake_case.</param>
/// <param name="Seed">The run's seed: an engine's is a ulong, `bench serve`'s an int; decimal holds both exactly.</param>
/// <param name="GitCommit">The commit llmbench was built from, or "unknown" when it was not built from a git checkout.</param>
/// <param name="LlmBenchVersion">"0.1.0+&lt;short commit&gt;".</param>
public sealed record ResultConfiguration(
    IReadOnlyList<string> CommandLine,
    IReadOnlyDictionary<string, string> EngineOptions,
    decimal Seed,
    string GitCommit,
    string LlmBenchVersion)
{
    /// <summary>For results made outside the CLI (tests): nothing known.</summary>
    public static readonly ResultConfiguration None = new([], new Dictionary<string, string>(), 0, "unknown", "unknown");
}
